package store

import (
	"context"
	"testing"
	"time"
)

// The timeout path: a wedged keyring answered by ErrKeyringTimeout. The extra metric is how long
// past the deadline the caller waited (timer and goroutine overhead), which should be tiny.
func BenchmarkTimeoutPath(b *testing.B) {
	const deadline = 5 * time.Millisecond
	mem := newMemory()
	release := mem.Block(OpGet)
	defer release()
	k := WithDeadlines(mem, Deadlines{Read: deadline, Write: deadline})
	var over time.Duration
	for b.Loop() {
		start := time.Now()
		if _, err := k.Get(Service, "work"); err == nil {
			b.Fatal("no timeout")
		}
		over += time.Since(start) - deadline
	}
	b.ReportMetric(float64(over.Microseconds())/float64(b.N), "µs-past-deadline/op")
}

// The store's own cost around a keyring that answers at once: reading profiles.json, the
// fingerprint check.
func BenchmarkMemoryStoreKey(b *testing.B) {
	s, err := Open(Options{Keyring: NewMemory(), Dir: b.TempDir(), Getenv: env{}.get})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if err := s.Save(ctx, testProfile("work"), Secret{testKeyOld}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := s.Key(ctx, "work"); err != nil {
			b.Fatal(err)
		}
	}
}

// Replace around an instant keyring: dominated by the two fsynced atomic metadata writes.
func BenchmarkMemoryStoreReplace(b *testing.B) {
	s, err := Open(Options{Keyring: NewMemory(), Dir: b.TempDir(), Getenv: env{}.get})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if err := s.Save(ctx, testProfile("work"), Secret{testKeyOld}); err != nil {
		b.Fatal(err)
	}
	keys := []string{testKeyNew, testKeyOld}
	i := 0
	for b.Loop() {
		if err := s.Replace(ctx, testProfile("work"), Secret{keys[i%2]}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
