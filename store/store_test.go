package store

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
)

func TestSaveThenProfileAndKey(t *testing.T) {
	s, mem, _ := newTestStore(t)
	ctx := context.Background()
	p := testProfile("work")
	p.Fingerprint, p.KeyLast4 = "caller-junk", "junk" // the store computes these itself
	if err := s.Save(ctx, p, Secret{"  " + testKeyOld + "\n"}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Profile("")
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "work" || got.OrgName != "Acme Ltd" || got.KeyLast4 != "0111" || got.Fingerprint != Fingerprint(testKeyOld) {
		t.Fatalf("profile = %+v", got)
	}
	if stored, _ := mem.Peek(Service, "work"); stored != testKeyOld {
		t.Fatalf("the keyring holds %q; want the trimmed key", Mask(stored))
	}
	cred, err := s.Key(ctx, "work")
	if err != nil {
		t.Fatal(err)
	}
	if cred.Key.Reveal() != testKeyOld || cred.Source != SourceMemory || cred.OrgID != p.OrgID {
		t.Fatalf("credential = %s from %s org %q", Mask(cred.Key.Reveal()), cred.Source, cred.OrgID)
	}
	assertNoSecret(t, "metadata file", readFile(t, s.MetadataPath()))
}

func TestSaveWithoutNameUsesDefault(t *testing.T) {
	s, _, _ := newTestStore(t)
	if err := s.Save(context.Background(), testProfile(""), Secret{testKeyOld}); err != nil {
		t.Fatal(err)
	}
	profiles, def, err := s.Profiles()
	if err != nil || len(profiles) != 1 || def != DefaultProfileName || profiles[0].Name != DefaultProfileName {
		t.Fatalf("Profiles = %+v, %q, %v", profiles, def, err)
	}
}

func TestSeveralProfilesAndDefault(t *testing.T) {
	s, _, _ := newTestStore(t)
	ctx := context.Background()
	for _, name := range []string{"work", "acme-eu", "zeta"} {
		if err := s.Save(ctx, testProfile(name), Secret{testKeyOld}); err != nil {
			t.Fatal(err)
		}
	}
	profiles, def, err := s.Profiles()
	if err != nil {
		t.Fatal(err)
	}
	if def != "work" {
		t.Fatalf("default = %q; want the first saved", def)
	}
	var names []string
	for _, p := range profiles {
		names = append(names, p.Name)
	}
	if strings.Join(names, ",") != "acme-eu,work,zeta" {
		t.Fatalf("names = %v", names)
	}
	if err := s.SetDefault("zeta"); err != nil {
		t.Fatal(err)
	}
	if p, _ := s.Profile(""); p.Name != "zeta" {
		t.Fatalf("default profile = %q", p.Name)
	}
	assertKind(t, s.SetDefault("nope"), ErrNoProfile)
	assertKind(t, s.SetDefault("bad name!"), ErrInvalidProfileName)
}

func TestProfileWhenNothingStored(t *testing.T) {
	s, _, _ := newTestStore(t)
	_, err := s.Profile("")
	assertKind(t, err, ErrNoProfile)
	_, err = s.Profile("work")
	assertKind(t, err, ErrNoProfile)
	if !strings.Contains(err.Error(), `"work"`) {
		t.Fatalf("message %q does not name the profile", err)
	}
	_, err = s.Key(context.Background(), "")
	assertKind(t, err, ErrNoProfile)
	if _, statErr := os.Stat(s.Dir()); !errors.Is(statErr, os.ErrNotExist) {
		t.Fatalf("reading created the folder: %v", statErr)
	}
}

func TestUpdateProfileKeepsKeyDescription(t *testing.T) {
	s, _, _ := newTestStore(t)
	ctx := context.Background()
	if err := s.Save(ctx, testProfile("work"), Secret{testKeyOld}); err != nil {
		t.Fatal(err)
	}
	p, _ := s.Profile("work")
	p.OrgName = "Acme Renamed"
	p.Fingerprint, p.KeyLast4 = Fingerprint(testKeyNew), "2222" // must not stick
	if err := s.UpdateProfile(p); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Profile("work")
	if got.OrgName != "Acme Renamed" || got.Fingerprint != Fingerprint(testKeyOld) || got.KeyLast4 != "0111" {
		t.Fatalf("profile = %+v", got)
	}
	if _, err := s.Key(ctx, "work"); err != nil {
		t.Fatalf("Key after UpdateProfile: %v", err)
	}
	assertKind(t, s.UpdateProfile(testProfile("other")), ErrNoProfile)
}

func TestEnvironmentKeyTakesPrecedence(t *testing.T) {
	s, mem, e := newTestStore(t)
	ctx := context.Background()
	if err := s.Save(ctx, testProfile("work"), Secret{testKeyOld}); err != nil {
		t.Fatal(err)
	}
	e[EnvAPIKey] = " " + testKeyNew + "\n"
	e[EnvOrgID] = "org-from-env"
	before := mem.Calls(OpGet)
	cred, err := s.Key(ctx, "work")
	if err != nil {
		t.Fatal(err)
	}
	if cred.Key.Reveal() != testKeyNew || cred.Source != SourceEnv || cred.OrgID != "org-from-env" {
		t.Fatalf("credential = %s from %s org %q", Mask(cred.Key.Reveal()), cred.Source, cred.OrgID)
	}
	if mem.Calls(OpGet) != before {
		t.Fatal("the keyring was read although the environment had a key")
	}

	e[EnvAPIKey] = "jca_bad\x1bkey"
	_, err = s.Key(ctx, "")
	assertKind(t, err, ErrInvalidKey)
	if !strings.Contains(err.Error(), EnvAPIKey) || !strings.Contains(Fix(err), "unset it") {
		t.Fatalf("error %q / fix %q does not point at the variable", err, Fix(err))
	}
}

func TestEnvironmentKeyWorksWithNoProfile(t *testing.T) {
	s, _, e := newTestStore(t)
	e[EnvAPIKey] = testKeyNew
	cred, err := s.Key(context.Background(), "")
	if err != nil || cred.Source != SourceEnv || cred.OrgID != "" {
		t.Fatalf("Key = %v, %v", cred.Source, err)
	}
}

func TestSaveRefusesBadInput(t *testing.T) {
	s, mem, _ := newTestStore(t)
	ctx := context.Background()
	assertKind(t, s.Save(ctx, testProfile("work"), Secret{"jca_abc\x00def"}), ErrInvalidKey)
	assertKind(t, s.Save(ctx, testProfile("../etc"), Secret{testKeyOld}), ErrInvalidProfileName)
	assertKind(t, s.Save(ctx, testProfile("with space"), Secret{testKeyOld}), ErrInvalidProfileName)
	if mem.Calls(OpSet) != 0 {
		t.Fatal("the keyring was written despite bad input")
	}
}

func TestOpenRefusesNonsenseTimeout(t *testing.T) {
	for _, v := range []string{"5", "soon", "-1s", "0s", "1ns", "2h"} {
		_, err := Open(Options{Dir: t.TempDir(), Getenv: env{EnvKeyringTimeout: v}.get})
		assertKind(t, err, ErrBadTimeout)
		if !strings.Contains(err.Error(), EnvKeyringTimeout) {
			t.Errorf("%q: message %q does not name the variable", v, err)
		}
	}
	d, err := DeadlinesFromEnv(env{EnvKeyringTimeout: "1m30s"}.get)
	if err != nil || d.Read.String() != "1m30s" || d.Write.String() != "1m30s" {
		t.Fatalf("DeadlinesFromEnv = %+v, %v", d, err)
	}
	if d, _ := DeadlinesFromEnv(env{}.get); d != DefaultDeadlines() || d.Read >= d.Write {
		t.Fatalf("defaults = %+v", d)
	}
	// A Memory keyring (the demo) does not depend on the setting, so Open does not fail for it.
	if _, err := Open(Options{Keyring: NewMemory(), Dir: t.TempDir(), Getenv: env{EnvKeyringTimeout: "5"}.get}); err != nil {
		t.Fatal(err)
	}
}
