package store

import (
	"context"
	"strings"
	"testing"
)

func TestMetadataPresentButKeyringItemGone(t *testing.T) {
	s, mem := savedWithOld(t)
	mem.Delete(Service, "work") // removed behind jcconnect's back (seahorse, another tool)
	_, err := s.Key(context.Background(), "work")
	assertKind(t, err, ErrKeyNotFound)
	if !strings.Contains(err.Error(), "profile exists but its key is missing") {
		t.Fatalf("message %q does not explain the odd state", err)
	}
	// Setting up again heals it.
	if err := s.Save(context.Background(), testProfile("work"), Secret{testKeyOld}); err != nil {
		t.Fatal(err)
	}
	assertState(t, s, mem, testKeyOld)
}

func TestKeyringItemPresentButMetadataGone(t *testing.T) {
	for _, name := range []string{"", "work"} {
		s, mem, _ := newTestStore(t)
		user := name
		if user == "" {
			user = DefaultProfileName
		}
		mem.Set(Service, user, testKeyOld)
		_, err := s.Key(context.Background(), name)
		assertKind(t, err, ErrOrphanKey)
		if !strings.Contains(err.Error(), `"`+user+`"`) || !strings.Contains(Fix(err), "logout") {
			t.Fatalf("error %q / fix %q", err, Fix(err))
		}
		// Logout removes the leftover.
		r, err := s.Delete(context.Background(), name)
		if err != nil || !r.KeyringRemoved || r.ProfileRemoved || mem.Has(Service, user) {
			t.Fatalf("Delete = %+v, %v", r, err)
		}
	}
}

func TestKeyringAndMetadataDescribeDifferentKeys(t *testing.T) {
	s, mem := savedWithOld(t)
	mem.Set(Service, "work", testKeyNew) // replaced behind jcconnect's back
	_, err := s.Key(context.Background(), "work")
	assertKind(t, err, ErrKeyMismatch)
	for _, fp := range []string{Fingerprint(testKeyOld), Fingerprint(testKeyNew)} {
		if !strings.Contains(err.Error(), fp) {
			t.Errorf("message %q lacks fingerprint %s", err, fp)
		}
	}
	assertNoSecret(t, "error", err.Error())
}

// A key write that landed after its caller gave up (a timed-out Set completing late, or a process
// killed after the keyring write) is recognised through the pending record.
func TestLateKeyringWriteIsRecognised(t *testing.T) {
	s, mem := savedWithOld(t)
	// The read-back times out…
	failRelative(mem, ErrKeyringTimeout, map[Op][]int{OpGet: {2}, OpSet: {2}}) // …and the restore
	p := testProfile("work")
	p.OrgName = "Acme New Record"
	if err := s.Replace(context.Background(), p, Secret{testKeyNew}); err == nil {
		t.Fatal("Replace succeeded")
	}
	mem.Inject(nil)
	// Before any read, the file holds the old record and the pending one.
	m, _ := s.parseMetadataFile()
	if len(m.Pending) != 1 || m.Profiles[0].Fingerprint != Fingerprint(testKeyOld) {
		t.Fatalf("metadata = %+v", m)
	}
	cred, err := s.Key(context.Background(), "work")
	if err != nil || cred.Key.Reveal() != testKeyNew {
		t.Fatalf("Key = %s, %v", Mask(cred.Key.Reveal()), err)
	}
	if got, _ := s.Profile("work"); got.OrgName != "Acme New Record" || got.Fingerprint != Fingerprint(testKeyNew) {
		t.Fatalf("record not completed: %+v", got)
	}
}

func TestStalePendingRecordIsDropped(t *testing.T) {
	s, mem := savedWithOld(t)
	// The keyring write never happened (killed before it): the pending record is stale.
	m, _ := s.parseMetadataFile()
	next := testProfile("work")
	next.Fingerprint = Fingerprint(testKeyNew)
	m.setPending(next)
	if err := s.writeMetadata(m); err != nil {
		t.Fatal(err)
	}
	assertState(t, s, mem, testKeyOld)
}

// A reader (another jcconnect running status) during a replacement sees a working key, old or
// new, and does not disturb the write in progress.
func TestReaderDuringReplacement(t *testing.T) {
	for step, want := range map[string]string{"pending-recorded": testKeyOld, "keyring-written": testKeyNew} {
		t.Run(step, func(t *testing.T) {
			writer, mem := savedWithOld(t)
			reader, err := Open(Options{Keyring: mem, Dir: writer.Dir(), Getenv: env{}.get})
			if err != nil {
				t.Fatal(err)
			}
			paused, resume := make(chan struct{}), make(chan struct{})
			writer.step = func(name string) {
				if name == step {
					close(paused)
					<-resume
				}
			}
			done := make(chan error, 1)
			go func() { done <- writer.Replace(context.Background(), testProfile("work"), Secret{testKeyNew}) }()
			<-paused
			cred, err := reader.Key(context.Background(), "work")
			if err != nil || cred.Key.Reveal() != want {
				t.Fatalf("reader got %s, %v; want %s", Mask(cred.Key.Reveal()), err, Mask(want))
			}
			close(resume)
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			assertState(t, reader, mem, testKeyNew)
		})
	}
}
