package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestWedgedKeyringTimesOut(t *testing.T) {
	mem := newMemory()
	release := mem.Block(OpGet)
	k := WithDeadlines(mem, Deadlines{Read: 20 * time.Millisecond, Write: time.Hour})
	_, err := k.Get(Service, "work")
	assertKind(t, err, ErrKeyringTimeout)
	if want := `keyring get for profile "work"`; !contains(err.Error(), want) {
		t.Fatalf("message %q lacks %q", err, want)
	}
	// Until the abandoned call gets its answer, the keyring is not asked again: the next call
	// fails at once, so a command spends one deadline on a wedged keyring, not one per call.
	start := time.Now()
	assertKind(t, k.Set(Service, "work", testKeyOld), ErrKeyringTimeout)
	if waited := time.Since(start); waited >= time.Hour {
		t.Fatalf("the Set waited %s", waited)
	}
	if mem.Calls(OpSet) != 0 {
		t.Fatal("the Set reached a keyring known not to answer")
	}
	// The abandoned call completes once the keyring wakes up, and nothing is stuck.
	release()
	waitFor(t, func() bool { return k.(*deadlineKeyring).stuck.get() == nil })
	if err := k.Set(Service, "work", testKeyOld); err != nil {
		t.Fatal(err)
	}
	if got, err := k.Get(Service, "work"); err != nil || got != testKeyOld {
		t.Fatalf("after release: %v", err)
	}
}

func TestWriteDeadlineAppliesToSetAndDelete(t *testing.T) {
	mem := newMemory()
	defer mem.Block(OpSet)()
	defer mem.Block(OpDelete)()
	k := WithDeadlines(mem, Deadlines{Read: time.Hour, Write: 20 * time.Millisecond})
	assertKind(t, k.Set(Service, "work", testKeyOld), ErrKeyringTimeout)
	assertKind(t, k.Delete(Service, "work"), ErrKeyringTimeout)
}

func TestStoreTimesOutOnWedgedKeyring(t *testing.T) {
	mem := newMemory()
	s, err := Open(Options{Keyring: WithDeadlines(mem, Deadlines{Read: 20 * time.Millisecond, Write: 20 * time.Millisecond}),
		Dir: t.TempDir(), Getenv: env{}.get})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := s.Save(ctx, testProfile("work"), Secret{testKeyOld}); err != nil {
		t.Fatal(err)
	}
	release := mem.Block(OpGet)
	defer release()
	_, err = s.Key(ctx, "work")
	assertKind(t, err, ErrKeyringTimeout)
}

func TestCallerContextEndsTheWait(t *testing.T) {
	mem := newMemory()
	defer mem.Block(OpGet)()
	s, err := Open(Options{Keyring: mem, Dir: t.TempDir(), Getenv: env{}.get}) // no deadlines of its own
	if err != nil {
		t.Fatal(err)
	}
	// Save starts by reading the current key, which blocks forever here: only the caller's
	// context can end the wait, and it must, with nothing changed.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	assertKind(t, s.Save(ctx, testProfile("work"), Secret{testKeyOld}), ErrKeyringTimeout)
	if mem.Calls(OpSet) != 0 {
		t.Fatal("the keyring was written")
	}
	if _, err := s.Profile("work"); !errors.Is(err, ErrNoProfile) {
		t.Fatalf("Profile = %v; want ErrNoProfile", err)
	}
}

func TestCancelledContextIsNotATimeout(t *testing.T) {
	mem := newMemory()
	defer mem.Block(OpGet)()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := kget(ctx, mem, Service, "work")
	if !errors.Is(err, context.Canceled) || errors.Is(err, ErrKeyringTimeout) {
		t.Fatalf("err = %v; want context.Canceled", err)
	}
	ctx, cancel = context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err = kget(ctx, mem, Service, "work")
	assertKind(t, err, ErrKeyringTimeout)
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// waitFor polls a condition that becomes true shortly (an abandoned goroutine finishing).
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached within 5s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
