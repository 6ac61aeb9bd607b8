package store

import (
	"context"
	"os"
	"testing"
)

// A replacement killed after its keyring write leaves the new key stored and the old record
// current with the new one pending. Reconcile settles it before anything reads the profile, so a
// listing never shows the new key beside the previous owner.
func TestReconcileSettlesAnInterruptedRotationBeforeDisplay(t *testing.T) {
	ctx := context.Background()
	s, mem, _ := newTestStore(t)
	if err := s.Save(ctx, testProfile("work"), Secret{testKeyOld}); err != nil {
		t.Fatal(err)
	}
	next := testProfile("work")
	next.OwnerEmail, next.KeyLast4, next.Fingerprint = "new-owner@acme.example", Last4(testKeyNew), Fingerprint(testKeyNew)
	m, unlock, err := s.lockMetadata()
	if err != nil {
		t.Fatal(err)
	}
	m.setPending(next)
	if err := s.writeMetadata(m); err != nil {
		t.Fatal(err)
	}
	unlock()
	mem.Set(Service, "work", testKeyNew) // the write landed, then the process died

	if err := s.Reconcile(ctx); err != nil {
		t.Fatal(err)
	}
	p, err := s.Profile("work")
	if err != nil || p.OwnerEmail != "new-owner@acme.example" || p.Fingerprint != Fingerprint(testKeyNew) {
		t.Fatalf("after Reconcile the profile is %+v (%v); want the new key's record", p, err)
	}
	if m, _ := s.parseMetadataFile(); len(m.Pending) != 0 {
		t.Fatalf("pending record left: %+v", m.Pending)
	}
}

// A profiles file or folder others can read is reported with the command that fixes it, and
// FixExposures makes both private.
func TestExposuresAreReportedAndFixed(t *testing.T) {
	ctx := context.Background()
	s, _, _ := newTestStore(t)
	if err := s.Save(ctx, testProfile("work"), Secret{testKeyOld}); err != nil {
		t.Fatal(err)
	}
	if got := s.Exposures(); len(got) != 0 {
		t.Fatalf("a fresh store is exposed: %v", got)
	}
	os.Chmod(s.MetadataPath(), 0o644)
	os.Chmod(s.Dir(), 0o755)
	got := s.Exposures()
	if len(got) != 2 || got[0].Command() != "chmod 700 "+s.Dir() || got[1].Command() != "chmod 600 "+s.MetadataPath() {
		t.Fatalf("exposures = %v", got)
	}
	if err := s.FixExposures(); err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(s.MetadataPath())
	if len(s.Exposures()) != 0 || fi.Mode().Perm() != 0o600 {
		t.Fatalf("after FixExposures: %v, mode %o", s.Exposures(), fi.Mode().Perm())
	}
}
