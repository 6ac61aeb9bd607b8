package store

import (
	"context"
	"errors"
	"fmt"
)

// DeleteReport says what Delete removed and what it could not.
type DeleteReport struct {
	KeyringRemoved bool
	ProfileRemoved bool
	Problems       []error
}

// Delete removes a profile's keyring item and metadata (logout). It tries both even when one
// fails, and reports each failure in Problems (the returned error joins them). A name with no
// metadata still has its keyring item removed, which cleans up after ErrOrphanKey. ErrNoProfile
// when there was nothing to remove at all.
func (s *Store) Delete(ctx context.Context, name string) (DeleteReport, error) {
	var r DeleteReport
	m, unlock, err := s.lockMetadata()
	if err != nil {
		return r, err
	}
	defer unlock()
	if name == "" {
		if p, err := m.resolve(""); err == nil {
			name = p.Name
		} else {
			name = DefaultProfileName
		}
	}
	if err := validProfileName(name); err != nil {
		return r, err
	}

	switch err := kdelete(ctx, s.keyring, Service, name); {
	case err == nil:
		r.KeyringRemoved = true
	case errors.Is(err, ErrKeyNotFound):
		// Already gone: nothing to report.
	default:
		r.Problems = append(r.Problems, fmt.Errorf("the key could not be removed from the keyring: %w", err))
	}

	if m.remove(name) {
		if err := s.writeMetadata(m); err != nil {
			r.Problems = append(r.Problems, fmt.Errorf("the profile could not be removed: %w", err))
		} else {
			r.ProfileRemoved = true
		}
	} else if _, pending := m.pending(name); pending {
		m.clearPending(name)
		_ = s.writeMetadata(m) // a leftover from an interrupted first save
	}

	if len(r.Problems) > 0 {
		return r, errors.Join(r.Problems...)
	}
	if !r.KeyringRemoved && !r.ProfileRemoved {
		return r, &StoreError{Kind: kindNoProfile, Profile: name, Detail: "nothing is stored for this profile"}
	}
	return r, nil
}
