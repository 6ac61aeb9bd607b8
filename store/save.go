package store

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Save stores a verified key and its profile (a first save, or a replacement of the key for the
// same profile name, which goes through Replace's safe order). It becomes the default when it is
// the only profile (or when no default is set).
func (s *Store) Save(ctx context.Context, p Profile, secret Secret) error {
	if p.Name == "" {
		p.Name = DefaultProfileName
	}
	if err := validProfileName(p.Name); err != nil {
		return err
	}
	// The rule of the profile's kind: an API key's bounds differ from a client secret's.
	key, err := normalizeFor(&p, secret.Reveal())
	if err != nil {
		return err
	}
	m, unlock, err := s.lockMetadata()
	if err != nil {
		return err
	}
	defer unlock()
	var old *Profile
	if i, ok := m.find(p.Name); ok {
		old = &m.Profiles[i]
	}
	return s.writeKey(ctx, m, old, p, key)
}

// Replace swaps a profile's key for a new, already verified key: write to the keyring, read back
// and compare, then update the metadata. On any failure the old key stays stored and working.
// p.Name "" means the default profile; ErrNoProfile when it does not exist (use Save).
func (s *Store) Replace(ctx context.Context, p Profile, newKey Secret) error {
	key, err := normalizeFor(&p, newKey.Reveal())
	if err != nil {
		return err
	}
	m, unlock, err := s.lockMetadata()
	if err != nil {
		return err
	}
	defer unlock()
	cur, err := m.resolve(p.Name)
	if err != nil {
		return err
	}
	p.Name = cur.Name
	return s.writeKey(ctx, m, &cur, p, key)
}

// normalizeFor checks the secret the profile's kind stores (an API key, or a service account's
// client secret, whose profile must name its client id) and normalises the profile's kind.
func normalizeFor(p *Profile, raw string) (string, error) {
	if !p.IsServiceAccount() {
		if p.Kind != "" && p.Kind != KindAPIKey {
			return "", &StoreError{Kind: kindInvalidKey, Detail: fmt.Sprintf("unknown credential kind %q", clip(p.Kind, 32))}
		}
		p.ClientID, p.TokenURL, p.SecretExpires = "", "", nil
		return NormalizeKey(raw)
	}
	id, err := NormalizeClientID(p.ClientID)
	if err != nil {
		return "", err
	}
	p.ClientID = id
	return NormalizeClientSecret(raw)
}

// writeKey is the one safe order for putting a key in the keyring, shared by a first save and a
// replacement. The caller holds the lock and has read m under it; old is the current record (nil
// for a first save).
//
//  1. Read the key now in the keyring, to put it back if anything below fails. If it cannot be
//     read (locked, timed out), stop: nothing has been changed.
//  2. Record the new profile as pending in the metadata (the current record stays as it is).
//  3. Write the new key to the keyring.
//  4. Read it back and compare.
//  5. Make the pending record the profile.
//
// A failure at 3-5 puts the previous key back (or removes the new item when there was none) and
// drops the pending record. A process killed at any point leaves the previous record plus at most
// a pending one: Key compares the keyring's fingerprint with both and keeps whichever matches,
// so the metadata always ends up describing the key that is really stored.
func (s *Store) writeKey(ctx context.Context, m metadata, old *Profile, next Profile, key string) error {
	next.KeyLast4, next.Fingerprint = Last4(key), Fingerprint(key)
	if old != nil && old.Fingerprint != "" && old.Fingerprint != next.Fingerprint && next.RotatedAt == nil {
		now := s.now().UTC()
		next.RotatedAt = &now
	}
	base := cloneMetadata(m) // the file as it was, to restore on failure

	previous, err := kget(ctx, s.keyring, Service, next.Name)
	hadPrevious := err == nil
	if err != nil && !errors.Is(err, ErrKeyNotFound) {
		// The keyring could not even be read (there may be no current key at all): say only that.
		return fmt.Errorf("nothing was changed: %w", err)
	}

	m.setPending(next)
	if err := s.writeMetadata(m); err != nil {
		return fmt.Errorf("nothing was changed: %w", err)
	}
	s.reached("pending-recorded")

	if err := kset(ctx, s.keyring, Service, next.Name, key); err != nil {
		return s.rollback(ctx, base, next.Name, previous, hadPrevious, err)
	}
	s.reached("keyring-written")

	got, err := kget(ctx, s.keyring, Service, next.Name)
	if err == nil && got != key {
		err = &KeyringError{Kind: kindReadBack, Op: "get", Profile: next.Name}
	}
	if err != nil {
		return s.rollback(ctx, base, next.Name, previous, hadPrevious, err)
	}
	s.reached("read-back")

	m.clearPending(next.Name)
	m.put(next)
	if err := s.writeMetadata(m); err != nil {
		return s.rollback(ctx, base, next.Name, previous, hadPrevious, err)
	}
	s.reached("metadata-written")
	return nil
}

// rollback puts the previous keyring content back and restores the metadata file as it was. If
// the keyring cannot be restored, the pending record is left in the file on purpose: Key then
// recognises whichever key the keyring holds.
func (s *Store) rollback(ctx context.Context, base metadata, name, previous string, hadPrevious bool, cause error) error {
	// The restore must run even when the failure was the caller's context ending (Ctrl-C during
	// the write): detach from its cancellation, but stay bounded for keyrings without deadlines.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), rollbackWait)
	defer cancel()
	var restoreErr error
	if hadPrevious {
		restoreErr = s.putBack(ctx, name, previous)
	} else {
		restoreErr = kdelete(ctx, s.keyring, Service, name)
		if errors.Is(restoreErr, ErrKeyNotFound) {
			restoreErr = nil
		}
	}
	if restoreErr != nil {
		return &rollbackError{cause: cause, restore: restoreErr, hadPrevious: hadPrevious}
	}
	// The keyring holds what it held before; drop the pending record. If this write fails too,
	// the stale pending record is harmless: the recorded fingerprint still matches the keyring.
	_ = s.writeMetadata(base)
	s.reached("rolled-back")
	if hadPrevious {
		return fmt.Errorf("the previous key is still stored and unchanged: %w", cause)
	}
	return fmt.Errorf("no key was stored: %w", cause)
}

// putBack makes the keyring hold previous again. It looks first: a write that failed usually
// changed nothing (a locked keyring refuses the write), and then there is nothing to put back,
// so a keyring that still refuses writes does not turn "unchanged" into "uncertain".
func (s *Store) putBack(ctx context.Context, name, previous string) error {
	if got, err := kget(ctx, s.keyring, Service, name); err == nil && got == previous {
		return nil
	}
	if err := kset(ctx, s.keyring, Service, name, previous); err != nil {
		return err
	}
	got, err := kget(ctx, s.keyring, Service, name)
	if err != nil {
		return err
	}
	if got != previous {
		return &KeyringError{Kind: kindReadBack, Op: "get", Profile: name}
	}
	return nil
}

// rollbackWait bounds the whole restore: a write and a read at their default deadlines.
const rollbackWait = 30 * time.Second

// rollbackError: the write failed and putting the previous state back failed too. Its Fix is the
// cause's (the keyring's problem is usually the same for both).
type rollbackError struct {
	cause, restore error
	hadPrevious    bool
}

func (e *rollbackError) Error() string {
	what := "the previous key could not be put back"
	if !e.hadPrevious {
		what = "the partly written key could not be removed"
	}
	return fmt.Sprintf("%v; %s (%v); run `jcconnect status` to see which key is stored", e.cause, what, e.restore)
}

// sentence is the rollback failure for people, after the cause (see Cause).
func (e *rollbackError) sentence() string {
	if e.hadPrevious {
		return "The previous key could not be put back either: run `jcconnect status` to see which key is stored."
	}
	return "The partly written key could not be removed: run `jcconnect status` to see what is stored."
}

func (e *rollbackError) Unwrap() []error { return []error{e.cause, e.restore} }

// reached marks the end of a step for the killed-process test.
func (s *Store) reached(step string) {
	if s.step != nil {
		s.step(step)
	}
}

func cloneMetadata(m metadata) metadata {
	c := m
	c.Profiles = append([]Profile(nil), m.Profiles...)
	c.Pending = append([]Profile(nil), m.Pending...)
	return c
}
