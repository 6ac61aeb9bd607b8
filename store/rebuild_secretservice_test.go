//go:build linux

package store

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// The real Secret Service lists the profiles jcconnect stored, so a damaged profiles.json can be
// rebuilt from it without the user naming them.
func TestSecretServiceListsAndRebuildsProfiles(t *testing.T) {
	requireSecretService(t)
	name := uniqueProfile(t)
	s, err := Open(Options{Keyring: WithDeadlines(OSKeyring(), Deadlines{Read: 5 * time.Second, Write: 10 * time.Second}),
		Dir: filepath.Join(t.TempDir(), "jc"), Getenv: env{}.get})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := s.Save(ctx, testProfile(name), Secret{testKeyOld}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = OSKeyring().Delete(Service, name) })
	if err := os.WriteFile(s.MetadataPath(), []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Profiles(); !errorsIs(err, ErrMetadataCorrupt) {
		t.Fatalf("damaged file: %v", err)
	}
	names, err := s.KeyringProfiles(ctx)
	if err != nil || !slices.Contains(names, name) {
		t.Fatalf("the Secret Service lists %v (%v), without %s", names, err, name)
	}
	// Other tests may add and remove their own items meanwhile: rebuild this one by name.
	if got, err := s.RebuildProfiles(ctx, []string{name}, "us"); err != nil || len(got) != 1 {
		t.Fatalf("rebuild: %v, %v", got, err)
	}
	if cred, err := s.Key(ctx, name); err != nil || cred.Key.Reveal() != testKeyOld {
		t.Fatalf("the rebuilt profile's key: %v", err)
	}
}
