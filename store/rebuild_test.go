package store

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A damaged profiles.json is moved aside and the message says where (an absolute path) and how to
// get the profiles back: the keys are still in the keyring, and `profile rebuild` records them.
func TestCorruptProfilesSaysWhereAndRebuildsFromTheKeyring(t *testing.T) {
	s, _, _ := newTestStore(t)
	ctx := context.Background()
	for name, key := range map[string]string{"work": testKeyOld, "acme-eu": testKeyNew} {
		if err := s.Save(ctx, testProfile(name), Secret{key}); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(s.MetadataPath(), []byte("{garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err := s.Profiles()
	assertKind(t, err, ErrMetadataCorrupt)
	aside, _ := filepath.Glob(s.MetadataPath() + ".corrupt-*")
	if len(aside) != 1 || !filepath.IsAbs(aside[0]) || !strings.Contains(err.Error(), aside[0]) || !strings.Contains(Fix(err), aside[0]) {
		t.Fatalf("where the file went is not said: %v / %q / %q", aside, err, Fix(err))
	}
	if !strings.Contains(Fix(err), "jcconnect profile rebuild") {
		t.Errorf("no rebuild offered: %q", Fix(err))
	}

	names, err := s.KeyringProfiles(ctx)
	if err != nil || strings.Join(names, ",") != "acme-eu,work" {
		t.Fatalf("keyring lists %v, %v", names, err)
	}
	rebuilt, err := s.RebuildProfiles(ctx, nil, "eu")
	if err != nil || len(rebuilt) != 2 {
		t.Fatalf("rebuilt %v, %v", rebuilt, err)
	}
	for name, key := range map[string]string{"work": testKeyOld, "acme-eu": testKeyNew} {
		cred, err := s.Key(ctx, name)
		if err != nil || cred.Key.Reveal() != key {
			t.Fatalf("profile %s after the rebuild: %v", name, err)
		}
		p, _ := s.Profile(name)
		if p.Region != "eu" || p.Fingerprint != Fingerprint(key) || p.KeyLast4 != Last4(key) {
			t.Errorf("rebuilt %+v", p)
		}
	}
	assertNoSecret(t, "profiles.json", readFile(t, s.MetadataPath()))
	// Again: nothing left to rebuild, nothing overwritten.
	if again, err := s.RebuildProfiles(ctx, nil, ""); err != nil || len(again) != 0 {
		t.Fatalf("second rebuild %v, %v", again, err)
	}
	// A name without a key is said, not invented.
	if _, err := s.RebuildProfiles(ctx, []string{"nope"}, ""); err == nil || !strings.Contains(err.Error(), "nope") || Fix(err) == "" {
		t.Fatalf("rebuild of a missing key: %v", err)
	}
}

// A keyring that cannot list its items says so, with the fix: name the profiles.
type unlistable struct{ Keyring }

func TestRebuildWithoutAListingKeyringNeedsTheNames(t *testing.T) {
	mem := newMemory()
	s, err := Open(Options{Keyring: unlistable{mem}, Dir: filepath.Join(t.TempDir(), "jc"), Getenv: env{}.get})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := s.Save(ctx, testProfile("work"), Secret{testKeyOld}); err != nil {
		t.Fatal(err)
	}
	os.Remove(s.MetadataPath())
	if _, err := s.RebuildProfiles(ctx, nil, ""); !errorsIs(err, ErrCannotList) || !strings.Contains(Fix(err), "profile rebuild NAME") {
		t.Fatalf("unlistable: %v / %q", err, Fix(err))
	}
	if got, err := s.RebuildProfiles(ctx, []string{"work"}, ""); err != nil || len(got) != 1 {
		t.Fatalf("named rebuild: %v, %v", got, err)
	}
}
