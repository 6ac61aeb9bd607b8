package store

import (
	"context"
	"sort"
)

// Lister is a keyring that can name the items stored under a service: the profile names, since
// the keyring user is the profile name. go-keyring has no such call; the Secret Service can
// search by attribute (keyring_list_dbus.go) and Memory knows its map. The macOS Keychain and
// the Windows Credential Manager could too, but jcconnect does not implement it there: on those
// the names must be given (see RebuildProfiles).
type Lister interface {
	List(service string) ([]string, error)
}

// KeyringProfiles names the profiles that have a key in the keyring, sorted. ErrCannotList when
// the keyring cannot enumerate its items.
func (s *Store) KeyringProfiles(ctx context.Context) ([]string, error) {
	l, ok := backend(s.keyring).(Lister)
	if !ok {
		return nil, ErrCannotList
	}
	list := func() ([]string, error) { return l.List(Service) }
	var names []string
	var err error
	if dk := deadlineWrapper(s.keyring); dk != nil {
		names, err = guarded(ctx, dk, dk.d.Read, "list", "", list)
	} else {
		names, err = list()
	}
	if err != nil {
		return nil, err
	}
	kept := names[:0]
	for _, n := range names {
		if validProfileName(n) == nil { // an item jcconnect did not write is not a profile
			kept = append(kept, n)
		}
	}
	sort.Strings(kept)
	return kept, nil
}

// List names the users stored under service.
func (m *Memory) List(service string) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var names []string
	for k := range m.items {
		if k.service == service {
			names = append(names, k.user)
		}
	}
	return names, nil
}
