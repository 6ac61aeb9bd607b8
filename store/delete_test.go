package store

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func errorsIs(err, target error) bool { return errors.Is(err, target) }

func TestDeleteRemovesKeyAndProfile(t *testing.T) {
	s, mem := savedWithOld(t)
	if err := s.Save(context.Background(), testProfile("other"), Secret{testKeyNew}); err != nil {
		t.Fatal(err)
	}
	r, err := s.Delete(context.Background(), "") // the default, "work"
	if err != nil || !r.KeyringRemoved || !r.ProfileRemoved || len(r.Problems) != 0 {
		t.Fatalf("Delete = %+v, %v", r, err)
	}
	if mem.Has(Service, "work") || !mem.Has(Service, "other") {
		t.Fatal("wrong keyring items removed")
	}
	profiles, def, _ := s.Profiles()
	if len(profiles) != 1 || def != "other" {
		t.Fatalf("after delete: %d profiles, default %q", len(profiles), def)
	}
	_, err = s.Delete(context.Background(), "work")
	assertKind(t, err, ErrNoProfile)
}

func TestDeleteReportsWhatItCouldNotRemove(t *testing.T) {
	s, mem := savedWithOld(t)
	mem.FailNth(OpDelete, 1, errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'"))
	r, err := s.Delete(context.Background(), "work")
	assertKind(t, err, ErrKeyringLocked)
	if r.KeyringRemoved || !r.ProfileRemoved || len(r.Problems) != 1 {
		t.Fatalf("report = %+v", r)
	}
	if !strings.Contains(err.Error(), "could not be removed from the keyring") {
		t.Fatalf("message %q", err)
	}
	if !mem.Has(Service, "work") {
		t.Fatal("the key vanished although the delete failed")
	}
	// Retrying after unlocking removes the leftover.
	r, err = s.Delete(context.Background(), "work")
	if err != nil || !r.KeyringRemoved {
		t.Fatalf("retry = %+v, %v", r, err)
	}
}

func TestDeleteWithMetadataWriteFailure(t *testing.T) {
	s, mem := savedWithOld(t)
	failWrite(s, 1)
	r, err := s.Delete(context.Background(), "work")
	assertKind(t, err, ErrMetadataIO)
	if !r.KeyringRemoved || r.ProfileRemoved || mem.Has(Service, "work") {
		t.Fatalf("report = %+v", r)
	}
	s.beforeWrite = nil
	_, err = s.Key(context.Background(), "work")
	assertKind(t, err, ErrKeyNotFound) // the profile whose key is gone: a clear state
}
