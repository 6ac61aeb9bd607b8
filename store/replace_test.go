package store

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
)

// savedWithOld returns a store holding profile "work" with testKeyOld.
func savedWithOld(t *testing.T) (*Store, *Memory) {
	t.Helper()
	s, mem, _ := newTestStore(t)
	if err := s.Save(context.Background(), testProfile("work"), Secret{testKeyOld}); err != nil {
		t.Fatal(err)
	}
	return s, mem
}

// assertState checks what the keyring holds and what the metadata describes, and that Key agrees.
func assertState(t *testing.T, s *Store, mem *Memory, wantKey string) {
	t.Helper()
	stored, ok := mem.Peek(Service, "work")
	if !ok || stored != wantKey {
		t.Fatalf("keyring holds %s; want %s", Mask(stored), Mask(wantKey))
	}
	cred, err := s.Key(context.Background(), "work")
	if err != nil || cred.Key.Reveal() != wantKey {
		t.Fatalf("Key = %s, %v; want %s", Mask(cred.Key.Reveal()), err, Mask(wantKey))
	}
	p, err := s.Profile("work")
	if err != nil || p.Fingerprint != Fingerprint(wantKey) || p.KeyLast4 != Last4(wantKey) {
		t.Fatalf("metadata describes %s/%s; want %s", p.Fingerprint, p.KeyLast4, Fingerprint(wantKey))
	}
	m, err := s.parseMetadataFile()
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Pending) != 0 {
		t.Fatalf("a pending record was left: %+v", m.Pending)
	}
	assertNoSecret(t, "metadata file", readFile(t, s.MetadataPath()))
}

func TestReplaceSwapsKeyAndRecordsRotation(t *testing.T) {
	s, mem := savedWithOld(t)
	p := testProfile("work")
	p.OrgName = "Acme After Rotation"
	if err := s.Replace(context.Background(), p, Secret{testKeyNew + "\n"}); err != nil {
		t.Fatal(err)
	}
	assertState(t, s, mem, testKeyNew)
	got, _ := s.Profile("work")
	if got.RotatedAt == nil || got.OrgName != "Acme After Rotation" {
		t.Fatalf("profile after rotation = %+v", got)
	}
}

func TestSaveOverExistingProfileGoesThroughReplace(t *testing.T) {
	s, mem := savedWithOld(t)
	if err := s.Save(context.Background(), testProfile("work"), Secret{testKeyNew}); err != nil {
		t.Fatal(err)
	}
	assertState(t, s, mem, testKeyNew)
	if p, _ := s.Profile("work"); p.RotatedAt == nil {
		t.Fatal("a key change through Save is a rotation too")
	}
}

func TestReplaceMissingProfile(t *testing.T) {
	s, mem, _ := newTestStore(t)
	assertKind(t, s.Replace(context.Background(), testProfile("work"), Secret{testKeyNew}), ErrNoProfile)
	if mem.Calls(OpSet) != 0 {
		t.Fatal("the keyring was written")
	}
}

// Each step of Replace fails in turn; every time the old key stays stored and described.
func TestReplaceFailureAtEachStepKeepsOldKey(t *testing.T) {
	locked := errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'")
	cases := []struct {
		name   string
		inject func(s *Store, mem *Memory)
		want   error
	}{
		{"reading the current key", func(s *Store, mem *Memory) { mem.FailNth(OpGet, 1, locked) }, ErrKeyringLocked},
		{"recording the pending key", func(s *Store, mem *Memory) { failWrite(s, 1) }, ErrMetadataIO},
		{"writing the keyring", func(s *Store, mem *Memory) { mem.FailNth(OpSet, 1, ErrKeyringTimeout) }, ErrKeyringTimeout},
		{"reading back", func(s *Store, mem *Memory) { mem.FailNth(OpGet, 2, locked) }, ErrKeyringLocked},
		{"read back differs", func(s *Store, mem *Memory) {
			mem.Mangle(func(v string) string {
				if v == testKeyNew {
					return v[:20] // a keyring that truncates
				}
				return v
			})
		}, ErrReadBackMismatch},
		{"too big", func(s *Store, mem *Memory) { mem.FailNth(OpSet, 1, ErrDataTooBig) }, ErrDataTooBig},
		{"writing the metadata", func(s *Store, mem *Memory) { failWrite(s, 2) }, ErrMetadataIO},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, mem := savedWithOld(t)
			c.inject(s, mem)
			err := s.Replace(context.Background(), testProfile("work"), Secret{testKeyNew})
			assertKind(t, err, c.want)
			if !strings.Contains(err.Error(), "previous key is still stored") && !strings.Contains(err.Error(), "nothing was changed") {
				t.Errorf("message %q does not say the old key is safe", err)
			}
			assertNoSecret(t, "error", err.Error())
			mem.Inject(nil)
			mem.Mangle(nil)
			s.beforeWrite = nil
			assertState(t, s, mem, testKeyOld)
		})
	}
}

// When putting the old key back fails too, the metadata keeps the pending record, and Key
// settles on whichever key the keyring really holds.
func TestReplaceWhoseRollbackFailsStillDescribesTheStoredKey(t *testing.T) {
	s, mem := savedWithOld(t)
	// Read-back fails, then restoring the old key fails: the new key stays in the keyring.
	failRelative(mem, ErrKeyringTimeout, map[Op][]int{OpGet: {2}, OpSet: {2}})
	err := s.Replace(context.Background(), testProfile("work"), Secret{testKeyNew})
	assertKind(t, err, ErrKeyringTimeout)
	if !strings.Contains(err.Error(), "could not be put back") {
		t.Fatalf("message %q does not say the restore failed", err)
	}
	mem.Inject(nil)
	assertState(t, s, mem, testKeyNew) // Key recognised the pending key and completed the record
}

func TestFirstSaveFailureLeavesNothingBehind(t *testing.T) {
	for _, c := range []struct {
		name   string
		inject func(s *Store, mem *Memory)
	}{
		{"keyring write", func(s *Store, mem *Memory) { mem.FailNth(OpSet, 1, ErrNoSecretService) }},
		{"read back", func(s *Store, mem *Memory) { mem.FailNth(OpGet, 2, ErrKeyringTimeout) }},
		{"metadata write", func(s *Store, mem *Memory) { failWrite(s, 2) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, mem, _ := newTestStore(t)
			c.inject(s, mem)
			err := s.Save(context.Background(), testProfile("work"), Secret{testKeyNew})
			if err == nil || !strings.Contains(err.Error(), "no key was stored") {
				t.Fatalf("Save = %v", err)
			}
			if mem.Has(Service, "work") {
				t.Fatal("a key was left in the keyring")
			}
			s.beforeWrite = nil
			mem.Inject(nil)
			if _, err := s.Profile("work"); !errors.Is(err, ErrNoProfile) {
				t.Fatalf("Profile = %v", err)
			}
		})
	}
}

// failWrite makes the nth metadata write (from now on) fail like a full disk.
func failWrite(s *Store, n int) {
	count := 0
	s.beforeWrite = func() error {
		count++
		if count == n {
			return &os.PathError{Op: "write", Path: s.MetadataPath(), Err: errors.New("no space left on device")}
		}
		return nil
	}
}

// failRelative makes the listed calls fail, counted per Op from now on (1 = the next call).
func failRelative(mem *Memory, err error, nth map[Op][]int) {
	start := map[Op]int{OpGet: mem.Calls(OpGet), OpSet: mem.Calls(OpSet), OpDelete: mem.Calls(OpDelete)}
	mem.Inject(func(c Call) error {
		for _, n := range nth[c.Op] {
			if c.N == start[c.Op]+n {
				return err
			}
		}
		return nil
	})
}

// The user presses Ctrl-C (the caller's context ends) right after the keyring write: the
// read-back fails with the cancellation, and the old key is still put back.
func TestCancelledReplaceStillRestoresOldKey(t *testing.T) {
	s, mem := savedWithOld(t)
	ctx, cancel := context.WithCancel(context.Background())
	s.step = func(name string) {
		if name == "keyring-written" {
			cancel()
		}
	}
	err := s.Replace(ctx, testProfile("work"), Secret{testKeyNew})
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "previous key is still stored") {
		t.Fatalf("Replace = %v", err)
	}
	s.step = nil
	assertState(t, s, mem, testKeyOld)
}

// A keyring that refuses every write (locked for writing, readable) changed nothing: the old key
// is confirmed in place by reading it, so the user is told it is safe, not that it "may be gone".
func TestReplaceOnAKeyringThatRefusesEveryWriteSaysTheOldKeyIsSafe(t *testing.T) {
	s, mem := savedWithOld(t)
	mem.Inject(func(c Call) error {
		if c.Op == OpSet {
			return ErrKeyringLocked
		}
		return nil
	})
	err := s.Replace(context.Background(), testProfile("work"), Secret{testKeyNew})
	assertKind(t, err, ErrKeyringLocked)
	if PreviousKeyUncertain(err) || !strings.Contains(err.Error(), "previous key is still stored") {
		t.Fatalf("the old key was never touched, yet: %v", err)
	}
	mem.Inject(nil)
	assertState(t, s, mem, testKeyOld)
}

// When the restore really failed, the person-facing cause says so, not only the first failure.
func TestCauseOfAFailedRestoreSaysTheOldKeyMayBeGone(t *testing.T) {
	s, mem := savedWithOld(t)
	failRelative(mem, ErrKeyringTimeout, map[Op][]int{OpGet: {2}, OpSet: {2}})
	err := s.Replace(context.Background(), testProfile("work"), Secret{testKeyNew})
	if !PreviousKeyUncertain(err) {
		t.Fatalf("PreviousKeyUncertain(%v) = false", err)
	}
	if got := Cause(err); !strings.Contains(got, "could not be put back either") || !strings.Contains(got, "jcconnect status") {
		t.Fatalf("Cause = %q", got)
	}
	assertNoSecret(t, "cause", Cause(err))
}
