package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// The metadata file, profiles.json in the store's folder. It never holds a key.
const (
	metadataName = "profiles.json"
	lockName     = "profiles.lock"
	fileVersion  = 1
)

// metadata is the file's content.
type metadata struct {
	Version  int       `json:"version"`
	Default  string    `json:"default,omitempty"`
	Profiles []Profile `json:"profiles"`
	// Pending holds, per profile name, the profile as it will be once a key write in progress
	// (Save or Replace) completes. It is written before the keyring is touched, so that after a
	// crash or a timed-out write that landed late, Key can tell which key the keyring holds: the
	// recorded one, or the pending one (then it completes the record). See writeKey in save.go.
	Pending []Profile `json:"pending,omitempty"`
}

func (m *metadata) find(name string) (int, bool) {
	for i, p := range m.Profiles {
		if p.Name == name {
			return i, true
		}
	}
	return -1, false
}

func (m *metadata) pending(name string) (Profile, bool) {
	for _, p := range m.Pending {
		if p.Name == name {
			return p, true
		}
	}
	return Profile{}, false
}

func (m *metadata) setPending(p Profile) {
	m.clearPending(p.Name)
	m.Pending = append(m.Pending, p)
}

func (m *metadata) clearPending(name string) {
	kept := m.Pending[:0]
	for _, p := range m.Pending {
		if p.Name != name {
			kept = append(kept, p)
		}
	}
	m.Pending = kept
}

// put inserts or replaces a profile, keeping the list sorted by name for stable diffs.
func (m *metadata) put(p Profile) {
	if i, ok := m.find(p.Name); ok {
		m.Profiles[i] = p
	} else {
		m.Profiles = append(m.Profiles, p)
	}
	sort.Slice(m.Profiles, func(i, j int) bool { return m.Profiles[i].Name < m.Profiles[j].Name })
	if m.Default == "" {
		m.Default = p.Name
	}
}

func (m *metadata) remove(name string) bool {
	i, ok := m.find(name)
	if !ok {
		return false
	}
	m.Profiles = append(m.Profiles[:i], m.Profiles[i+1:]...)
	m.clearPending(name)
	if m.Default == name {
		m.Default = ""
		if len(m.Profiles) > 0 {
			m.Default = m.Profiles[0].Name
		}
	}
	return true
}

// resolve names the profile meant by name ("" = the default, or the only profile).
func (m *metadata) resolve(name string) (Profile, error) {
	if name == "" {
		name = m.Default
		if name == "" && len(m.Profiles) == 1 {
			name = m.Profiles[0].Name
		}
		if name == "" {
			return Profile{}, m.missing("")
		}
	}
	if i, ok := m.find(name); ok {
		return m.Profiles[i], nil
	}
	return Profile{}, m.missing(name)
}

// missing is ErrNoProfile for name ("" = the default), worded by what does exist: "nothing is
// set up yet" is only true when no profile is stored at all.
func (m *metadata) missing(name string) error {
	if len(m.Profiles) == 0 {
		if name == "" {
			return ErrNoProfile
		}
		return &StoreError{Kind: kindNoProfile, Profile: name, Detail: "no such profile"}
	}
	names := make([]string, len(m.Profiles))
	for i, p := range m.Profiles {
		names[i] = p.Name
	}
	list := strings.Join(names, ", ")
	if name == "" {
		return &StoreError{Kind: kindNoProfile, Detail: "none of the stored profiles is the default",
			fix: "The stored profiles are: " + list + ". Choose one with --profile NAME, or make one the default with `jcconnect setup --profile NAME`."}
	}
	return &StoreError{Kind: kindNoProfile, Profile: name, Detail: "no such profile",
		fix: fmt.Sprintf("The stored profiles are: %s. Use one of them with --profile, or create %q with `jcconnect setup --profile %s`.", list, name, name)}
}

// HasOtherProfiles reports whether err is a missing profile while other profiles are stored
// (its fix then lists them, and "nothing is set up yet" would be wrong).
func HasOtherProfiles(err error) bool {
	var se *StoreError
	return errors.As(err, &se) && se.Kind == kindNoProfile && se.fix != ""
}

func (s *Store) metadataPath() string { return filepath.Join(s.dir, metadataName) }

// readMetadata reads the file without the lock (writes are atomic renames, so a reader sees a
// whole file). A missing file is an empty store. A damaged one is moved aside under the lock.
func (s *Store) readMetadata() (metadata, error) {
	m, err := s.parseMetadataFile()
	if errors.Is(err, ErrMetadataCorrupt) {
		// Take the lock and look again: another process may have just repaired it, and the
		// move aside must not race a writer.
		unlock, lerr := s.lock()
		if lerr != nil {
			return metadata{}, lerr
		}
		defer unlock()
		return s.readMetadataLocked()
	}
	return m, err
}

// readMetadataLocked is readMetadata for a caller holding the lock: it moves a damaged file aside
// (never deleting it: it may be the only record of which organisation a key belongs to) and
// returns ErrMetadataCorrupt naming both files. The next call then sees an empty store.
func (s *Store) readMetadataLocked() (metadata, error) {
	m, err := s.parseMetadataFile()
	if !errors.Is(err, ErrMetadataCorrupt) {
		return m, err
	}
	path := s.metadataPath()
	if abs, aerr := filepath.Abs(path); aerr == nil {
		path = abs // the user must be able to find it from any folder
	}
	aside := fmt.Sprintf("%s.corrupt-%s", path, s.now().UTC().Format("20060102T150405.000000000Z"))
	se := err.(*StoreError)
	if rerr := os.Rename(path, aside); rerr != nil {
		se.fix = fmt.Sprintf("Move or delete %s yourself (it could not be set aside: %v), then run `jcconnect profile rebuild`.", path, rerr)
		return metadata{}, se
	}
	// Say where it went: "try again" alone would lead to "nothing is set up yet" while the keys
	// are still in the keyring. The rebuild records their profiles again from the keyring.
	se.Detail += "; it was moved to " + aside
	se.fix = fmt.Sprintf("The damaged file was moved to %s (nothing was deleted). The keys are still in the keyring: "+
		"run `jcconnect profile rebuild` to record their profiles again (add --region eu or in for keys of those regions).", aside)
	return metadata{}, se
}

func (s *Store) parseMetadataFile() (metadata, error) {
	path := s.metadataPath()
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return metadata{Version: fileVersion}, nil
	}
	if err != nil {
		return metadata{}, &StoreError{Kind: kindMetadataIO, Path: path, Err: err}
	}
	var m metadata
	if err := json.Unmarshal(data, &m); err != nil { // also refuses data after the end
		return metadata{}, &StoreError{Kind: kindCorrupt, Path: path,
			Detail: "the profile metadata file is damaged or truncated and cannot be read", Err: err}
	}
	switch {
	case m.Version > fileVersion:
		// Not damage: a newer jcconnect wrote it. Leave it alone.
		return metadata{}, &StoreError{Kind: kindMetadataIO, Path: path,
			Detail: fmt.Sprintf("written by a newer jcconnect (format %d, this one reads %d)", m.Version, fileVersion),
			fix:    "Upgrade jcconnect to the version that wrote this file."}
	case m.Version < 1:
		return metadata{}, &StoreError{Kind: kindCorrupt, Path: path,
			Detail: "the profile metadata file has no format version: it is damaged or not jcconnect's"}
	}
	seen := map[string]bool{}
	for _, p := range m.Profiles {
		if validProfileName(p.Name) != nil || seen[p.Name] {
			return metadata{}, &StoreError{Kind: kindCorrupt, Path: path,
				Detail: fmt.Sprintf("the profile metadata file has an invalid or repeated profile name %q", clip(p.Name, 64))}
		}
		seen[p.Name] = true
	}
	if m.Default != "" && !seen[m.Default] {
		m.Default = "" // a dangling default is harmless: resolve falls back
	}
	return m, nil
}

// writeMetadata replaces the file atomically. The caller holds the lock.
func (s *Store) writeMetadata(m metadata) error {
	if s.beforeWrite != nil {
		if err := s.beforeWrite(); err != nil {
			return &StoreError{Kind: kindMetadataIO, Path: s.metadataPath(), Err: err}
		}
	}
	m.Version = fileVersion
	if m.Profiles == nil {
		m.Profiles = []Profile{}
	}
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return &StoreError{Kind: kindMetadataIO, Path: s.metadataPath(), Err: err}
	}
	if err := writeFileAtomic(s.metadataPath(), append(data, '\n')); err != nil {
		return &StoreError{Kind: kindMetadataIO, Path: s.metadataPath(), Err: err}
	}
	return nil
}

// lock serialises writers: goroutines of this process through s.mu, processes through a lock
// file beside the metadata. It waits long enough for another process's whole key replacement.
func (s *Store) lock() (unlock func(), err error) { return s.lockWithin(s.lockWait) }

// lockMetadata takes the cross-process lock and reads the metadata under it: the start of every
// read-modify-write. On success the caller must call unlock once it has written.
func (s *Store) lockMetadata() (m metadata, unlock func(), err error) {
	if unlock, err = s.lock(); err != nil {
		return m, nil, err
	}
	if m, err = s.readMetadataLocked(); err != nil {
		unlock()
		return m, nil, err
	}
	return m, unlock, nil
}

func (s *Store) lockWithin(wait time.Duration) (unlock func(), err error) {
	s.mu.Lock()
	if err := ensurePrivateDir(s.dir); err != nil {
		s.mu.Unlock()
		return nil, &StoreError{Kind: kindMetadataIO, Path: s.dir, Err: err}
	}
	fileUnlock, err := lockFile(filepath.Join(s.dir, lockName), wait)
	if err != nil {
		s.mu.Unlock()
		return nil, err
	}
	return func() { fileUnlock(); s.mu.Unlock() }, nil
}

// lockWaitFor allows for another process's worst-case replacement: a read, two writes, a read.
func lockWaitFor(d Deadlines) time.Duration { return 2*d.Read + 2*d.Write + 5*time.Second }
