package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestMetadataFileIsPrivateAndWholeAfterWrites(t *testing.T) {
	s, _ := savedWithOld(t)
	for i := 0; i < 3; i++ {
		p, _ := s.Profile("work")
		p.OrgName = fmt.Sprintf("Acme %d", i)
		if err := s.UpdateProfile(p); err != nil {
			t.Fatal(err)
		}
	}
	fi, err := os.Stat(s.MetadataPath())
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v; want 0600", fi.Mode().Perm())
	}
	di, _ := os.Stat(s.Dir())
	if di.Mode().Perm() != 0o700 {
		t.Errorf("folder mode %v; want 0700", di.Mode().Perm())
	}
	entries, _ := os.ReadDir(s.Dir())
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

func TestExistingLooseFolderIsTightened(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "jcconnect")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	s, err := Open(Options{Keyring: NewMemory(), Dir: dir, Getenv: env{}.get})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Save(context.Background(), testProfile("work"), Secret{testKeyOld}); err != nil {
		t.Fatal(err)
	}
	if di, _ := os.Stat(dir); di.Mode().Perm() != 0o700 {
		t.Errorf("folder mode %v; want 0700", di.Mode().Perm())
	}
}

func TestDamagedMetadataFileIsSetAsideWithClearError(t *testing.T) {
	full := func(s *Store) string { return readFile(t, s.MetadataPath()) }
	cases := map[string]func(good string) string{
		"truncated":     func(good string) string { return good[:len(good)/2] },
		"empty":         func(string) string { return "" },
		"not json":      func(string) string { return "profiles: [work]\n" },
		"binary junk":   func(string) string { return "\x00\x01\x02\xff" },
		"no version":    func(string) string { return `{"profiles":[]}` },
		"trailing junk": func(good string) string { return good + "}{" },
		"bad name":      func(string) string { return `{"version":1,"profiles":[{"name":"../x"}]}` },
		"repeated name": func(string) string { return `{"version":1,"profiles":[{"name":"a"},{"name":"a"}]}` },
	}
	for name, damage := range cases {
		t.Run(name, func(t *testing.T) {
			s, mem := savedWithOld(t)
			damaged := damage(full(s))
			if err := os.WriteFile(s.MetadataPath(), []byte(damaged), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := s.Profile("work")
			assertKind(t, err, ErrMetadataCorrupt)
			if !strings.Contains(err.Error(), s.MetadataPath()) {
				t.Errorf("message %q does not name the file", err)
			}
			aside, _ := filepath.Glob(s.MetadataPath() + ".corrupt-*")
			if len(aside) != 1 || !strings.Contains(Fix(err), aside[0]) {
				t.Fatalf("set aside: %v; fix %q", aside, Fix(err))
			}
			if readFile(t, aside[0]) != damaged {
				t.Error("the damaged file was not kept as it was")
			}
			// After that, the store is empty but usable, and the key is still in the keyring.
			if _, err := s.Profile("work"); !errorsIs(err, ErrNoProfile) {
				t.Fatalf("second read = %v", err)
			}
			if _, err := s.Key(context.Background(), "work"); !errorsIs(err, ErrOrphanKey) {
				t.Fatalf("Key = %v; want ErrOrphanKey (the key survived)", err)
			}
			if err := s.Save(context.Background(), testProfile("work"), Secret{testKeyOld}); err != nil {
				t.Fatal(err)
			}
			assertState(t, s, mem, testKeyOld)
		})
	}
}

func TestNewerFileFormatIsLeftAlone(t *testing.T) {
	s, _ := savedWithOld(t)
	newer := `{"version":2,"profiles":[]}`
	os.WriteFile(s.MetadataPath(), []byte(newer), 0o600)
	_, _, err := s.Profiles()
	assertKind(t, err, ErrMetadataIO)
	if !strings.Contains(err.Error(), "newer jcconnect") || readFile(t, s.MetadataPath()) != newer {
		t.Fatalf("err = %v", err)
	}
}

func TestUnreadableMetadataIsAnIOErrorNotCorruption(t *testing.T) {
	s, _ := savedWithOld(t)
	os.Remove(s.MetadataPath())
	os.Mkdir(s.MetadataPath(), 0o700) // a folder where the file should be
	_, err := s.Profile("work")
	assertKind(t, err, ErrMetadataIO)
}

// Many goroutines, each with its own Store on the same folder (as separate processes would be),
// save at once: every profile survives, the file stays whole.
func TestConcurrentSavesLoseNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "jcconnect")
	mem := NewMemory()
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := Open(Options{Keyring: mem, Dir: dir, Getenv: env{}.get})
			if err == nil {
				err = s.Save(context.Background(), testProfile(fmt.Sprintf("org-%02d", i)), Secret{testKeyOld})
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	s, _ := Open(Options{Keyring: mem, Dir: dir, Getenv: env{}.get})
	profiles, def, err := s.Profiles()
	if err != nil || len(profiles) != 16 || def == "" {
		t.Fatalf("%d profiles, default %q, %v", len(profiles), def, err)
	}
}
