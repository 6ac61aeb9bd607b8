package jumpcloud

import (
	"context"
	"errors"
	"testing"
)

// waitQueued waits until the slots have fg foreground and bg background waiters.
func waitQueued(t *testing.T, s *slots, fg, bg int) {
	t.Helper()
	for i := 0; ; i++ {
		s.mu.Lock()
		f, b := len(s.foreground), len(s.background)
		s.mu.Unlock()
		if f == fg && b == bg {
			return
		}
		if i > 1e7 {
			t.Fatalf("waiters %d/%d, want %d/%d", f, b, fg, bg)
		}
	}
}

// A freed slot goes to a foreground request before a background one that waited longer, and a
// background request does not overtake foreground ones queued for a slot.
func TestSlotsForegroundFirst(t *testing.T) {
	s := newSlots(1)
	if err := s.acquire(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := make(chan string, 3)
	take := func(ctx context.Context, name string) {
		if err := s.acquire(ctx); err != nil {
			got <- "error " + name
			return
		}
		got <- name
	}
	go take(Background(context.Background()), "background 1")
	waitQueued(t, s, 0, 1)
	go take(context.Background(), "foreground 1")
	waitQueued(t, s, 1, 1)
	go take(context.Background(), "foreground 2")
	waitQueued(t, s, 2, 1)
	for _, want := range []string{"foreground 1", "foreground 2", "background 1"} {
		s.release()
		if g := <-got; g != want {
			t.Fatalf("the slot went to %s, want %s", g, want)
		}
	}
	s.release()
	if s.free != 1 {
		t.Errorf("free slots %d after every release, want 1", s.free)
	}
	// With nothing in the foreground, background requests take free slots at once.
	if err := s.acquire(Background(context.Background())); err != nil || s.free != 0 {
		t.Errorf("background request with a free slot: %v, free %d", err, s.free)
	}
}

// A waiter that gives up leaves the queue; the slot goes to the next one, never lost.
func TestSlotsCanceledWaiterLeavesTheQueue(t *testing.T) {
	s := newSlots(1)
	_ = s.acquire(context.Background())
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- s.acquire(ctx) }()
	waitQueued(t, s, 1, 0)
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("canceled waiter: %v", err)
	}
	waitQueued(t, s, 0, 0)
	ok := make(chan error, 1)
	go func() { ok <- s.acquire(Background(context.Background())) }()
	waitQueued(t, s, 0, 1)
	s.release()
	if err := <-ok; err != nil {
		t.Fatal(err)
	}
	s.release()
	if s.free != 1 {
		t.Errorf("free %d, want 1: a slot was lost or made up", s.free)
	}
}
