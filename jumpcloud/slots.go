package jumpcloud

import (
	"context"
	"sync"
)

// Background marks the requests made with the returned context as background work: they take a
// request slot only when no other request is waiting for one. A collection reads what its first
// screen needs (devices, users, System Insights) at full speed, and what can come later (the
// policies' statuses, hundreds of pages) with the slots nothing else wants, so neither waits for
// the other's pages to go through a first-come queue. Background requests still run at full
// speed when they are all there is: the slots are never left idle while anything waits.
func Background(ctx context.Context) context.Context {
	return context.WithValue(ctx, backgroundKey{}, true)
}

type backgroundKey struct{}

func isBackground(ctx context.Context) bool {
	b, _ := ctx.Value(backgroundKey{}).(bool)
	return b
}

// slots bound the requests in flight. A freed slot goes to the longest-waiting foreground
// request, else to the longest-waiting background one (Background): handed over directly, so a
// newcomer cannot take it first.
type slots struct {
	mu         sync.Mutex
	free       int
	foreground []*slotWaiter
	background []*slotWaiter
}

type slotWaiter struct {
	ready   chan struct{} // closed when the slot is handed over
	granted bool          // guarded by slots.mu
}

func newSlots(n int) *slots { return &slots{free: n} }

// acquire takes a slot, or gives up with ctx.
func (s *slots) acquire(ctx context.Context) error {
	bg := isBackground(ctx)
	s.mu.Lock()
	if s.free > 0 && len(s.foreground) == 0 && (!bg || len(s.background) == 0) {
		s.free--
		s.mu.Unlock()
		return nil
	}
	w := &slotWaiter{ready: make(chan struct{})}
	if bg {
		s.background = append(s.background, w)
	} else {
		s.foreground = append(s.foreground, w)
	}
	s.mu.Unlock()
	select {
	case <-w.ready:
		return nil
	case <-ctx.Done():
		s.mu.Lock()
		if w.granted {
			// Handed over while giving up: pass it on.
			s.mu.Unlock()
			s.release()
			return ctx.Err()
		}
		s.foreground = removeWaiter(s.foreground, w)
		s.background = removeWaiter(s.background, w)
		s.mu.Unlock()
		return ctx.Err()
	}
}

// release gives the slot to the next waiter, foreground first.
func (s *slots) release() {
	s.mu.Lock()
	defer s.mu.Unlock()
	var next *slotWaiter
	switch {
	case len(s.foreground) > 0:
		next, s.foreground = s.foreground[0], s.foreground[1:]
	case len(s.background) > 0:
		next, s.background = s.background[0], s.background[1:]
	default:
		s.free++
		return
	}
	next.granted = true
	close(next.ready)
}

func removeWaiter(q []*slotWaiter, w *slotWaiter) []*slotWaiter {
	for i, x := range q {
		if x == w {
			return append(q[:i], q[i+1:]...)
		}
	}
	return q
}
