package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// Exposure is a file or folder of the store that other users of this computer can read (or
// enter). The metadata never holds a key, but it says which organisation is connected, by whom,
// with which key fingerprint: nobody else's business. Files jcconnect writes are private (0600,
// in a 0700 folder); an exposure comes from a copy, a restore or a hand edit, and would otherwise
// last until the next save quietly tightens it.
type Exposure struct {
	Path  string
	Mode  fs.FileMode // the permission bits found
	Want  fs.FileMode // what jcconnect uses: 0700 for the folder, 0600 for files
	IsDir bool
}

// Command is the shell command that fixes it.
func (e Exposure) Command() string { return fmt.Sprintf("chmod %o %s", e.Want, e.Path) }

func (e Exposure) String() string {
	what := "file"
	if e.IsDir {
		what = "folder"
	}
	return fmt.Sprintf("the %s %s can be read by other users (mode %04o)", what, e.Path, e.Mode)
}

// Exposures lists the store's folder and metadata file when others can read them. A missing
// folder or file is not an exposure.
func (s *Store) Exposures() []Exposure {
	var found []Exposure
	check := func(path string, want fs.FileMode) {
		fi, err := os.Lstat(path)
		if err != nil || fi.Mode()&fs.ModeSymlink != 0 {
			return
		}
		if perm := fi.Mode().Perm(); perm&0o077 != 0 {
			found = append(found, Exposure{Path: path, Mode: perm, Want: want, IsDir: fi.IsDir()})
		}
	}
	check(s.dir, 0o700)
	check(s.metadataPath(), 0o600)
	return found
}

// FixExposures makes the store's folder and metadata file private again. It changes nothing
// else (never the owner, never another file).
func (s *Store) FixExposures() error {
	var errs []error
	for _, e := range s.Exposures() {
		if err := os.Chmod(e.Path, e.Want); err != nil {
			errs = append(errs, &StoreError{Kind: kindMetadataIO, Path: e.Path, Err: err})
		}
	}
	return errors.Join(errs...)
}
