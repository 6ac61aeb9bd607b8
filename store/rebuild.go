package store

import (
	"context"
	"errors"
	"fmt"
)

// RebuildProfiles records again, from the keyring, the profiles a lost or damaged profiles.json
// forgot: the keys outlive the file (readMetadataLocked sets a damaged file aside), so the profile
// names can come back. names are the profiles to rebuild; none means every item the keyring lists
// under Service (ErrCannotList where the keyring cannot enumerate: then the names must be given).
//
// A rebuilt profile knows only what the keyring holds: its name and its key (so KeyLast4 and
// Fingerprint), plus region, which the caller passes (--region, "" for the default). The
// organisation, owner, role and expiry are learned again by a live check (the caller's), and a
// service account's client id cannot be recovered at all: such a profile needs `jcconnect setup`.
// Profiles already recorded are left alone and not returned.
func (s *Store) RebuildProfiles(ctx context.Context, names []string, region string) ([]Profile, error) {
	if len(names) == 0 {
		var err error
		if names, err = s.KeyringProfiles(ctx); err != nil {
			return nil, err
		}
	}
	for _, n := range names {
		if err := validProfileName(n); err != nil {
			return nil, err
		}
	}
	m, unlock, err := s.lockMetadata()
	if errors.Is(err, ErrMetadataCorrupt) {
		// It has just been set aside: the file is gone, start from an empty one.
		m, unlock, err = s.lockMetadata()
	}
	if err != nil {
		return nil, err
	}
	defer unlock()
	var rebuilt []Profile
	var missing []string
	for _, n := range names {
		if _, ok := m.find(n); ok {
			continue
		}
		key, err := kget(ctx, s.keyring, Service, n)
		if errors.Is(err, ErrKeyNotFound) {
			missing = append(missing, n)
			continue
		}
		if err != nil {
			return nil, err
		}
		p := Profile{Name: n, Region: region, KeyLast4: Last4(key), Fingerprint: Fingerprint(key),
			Integrations: Integrations{EndpointManagement: true, SSO: true}}
		m.put(p)
		rebuilt = append(rebuilt, p)
	}
	if len(rebuilt) > 0 {
		if err := s.writeMetadata(m); err != nil {
			return nil, err
		}
	}
	if len(missing) > 0 {
		return rebuilt, &StoreError{Kind: kindNotFoundForRebuild,
			Detail: fmt.Sprintf("no key is stored in the keyring for %v", missing)}
	}
	return rebuilt, nil
}
