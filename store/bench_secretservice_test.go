//go:build linux

package store

import (
	"context"
	"testing"
)

// Real latency of the Secret Service (gnome-keyring in CI), through the deadline wrapper as the
// store uses it. Run inside the session script:
//
//	store/testdata/keyring-session.sh go test ./store/ -run '^$' -bench SecretService
func BenchmarkSecretServiceSetGet(b *testing.B) {
	requireSecretService(b)
	k, user := osKeyringForTest(), uniqueProfile(b)
	b.Cleanup(func() { k.Delete(Service, user) })
	for b.Loop() {
		if err := k.Set(Service, user, testKeyOld); err != nil {
			b.Fatal(err)
		}
		if got, err := k.Get(Service, user); err != nil || got != testKeyOld {
			b.Fatal(err)
		}
	}
}

func BenchmarkSecretServiceGet(b *testing.B) {
	requireSecretService(b)
	k, user := osKeyringForTest(), uniqueProfile(b)
	if err := k.Set(Service, user, testKeyOld); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { k.Delete(Service, user) })
	for b.Loop() {
		if _, err := k.Get(Service, user); err != nil {
			b.Fatal(err)
		}
	}
}

// A whole Store.Key (metadata file + keyring + fingerprint check) against the real keyring.
func BenchmarkSecretServiceStoreKey(b *testing.B) {
	ctx := context.Background()
	s, name := savedRealStore(b)
	for b.Loop() {
		if _, err := s.Key(ctx, name); err != nil {
			b.Fatal(err)
		}
	}
}

// Replace against the real keyring: read, pending record, write, read back, record (two fsynced
// metadata writes).
func BenchmarkSecretServiceReplace(b *testing.B) {
	ctx := context.Background()
	s, name := savedRealStore(b)
	keys := []string{testKeyNew, testKeyOld}
	i := 0
	for b.Loop() {
		if err := s.Replace(ctx, testProfile(name), Secret{keys[i%2]}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// savedRealStore opens a store on the real keyring with testKeyOld saved under a fresh profile,
// removed when the benchmark ends.
func savedRealStore(b *testing.B) (*Store, string) {
	requireSecretService(b)
	ctx, name := context.Background(), uniqueProfile(b)
	s, err := Open(Options{Dir: b.TempDir(), Getenv: env{}.get})
	if err != nil {
		b.Fatal(err)
	}
	if err := s.Save(ctx, testProfile(name), Secret{testKeyOld}); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Delete(ctx, name) })
	return s, name
}
