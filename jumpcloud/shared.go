package jumpcloud

import (
	"context"
	"crypto/tls"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// shared is the state every Client made from one New (and its WithOrg copies) has in common, so
// that all their goroutines together respect one bound on requests in flight and slow down
// together when JumpCloud says 429, instead of each one hammering on its own.
type shared struct {
	http *http.Client
	sem  *slots // the bound on requests in flight, foreground requests first
	// large bounds how many requests at once read a body past smallBody (see readBody).
	large chan struct{}

	mu         sync.Mutex
	pauseUntil time.Time // no request starts before this (set by a 429)

	requests atomic.Int64
	retries  atomic.Int64

	orgRefusals orgHeaderRefusals // routes that refused x-org-id once: never sent there again
}

func newShared(cfg Config) *shared {
	rt := cfg.Transport
	if rt == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = cfg.MaxInFlight
		t.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
		rt = t
	}
	return &shared{
		http: &http.Client{
			Transport: rt,
			// Never follow a redirect: it would carry x-api-key to wherever Location points.
			// The 3xx comes back as the response and is classified as KindRedirect.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		sem:   newSlots(cfg.MaxInFlight),
		large: make(chan struct{}, largeBodySlots),
	}
}

// acquire takes a slot for one request in flight (after the foreground requests waiting, when
// ctx is Background), or gives up with ctx.
func (s *shared) acquire(ctx context.Context) error { return s.sem.acquire(ctx) }

func (s *shared) release() { s.sem.release() }

// pauseFor makes every client sharing s hold off new requests for d from now. Pauses do not add
// up: several 429s at once extend the pause to the latest end, not the sum.
// It reports whether this call moved the end of the pause.
func (s *shared) pauseFor(d time.Duration) (time.Time, bool) {
	until := time.Now().Add(d)
	s.mu.Lock()
	defer s.mu.Unlock()
	if until.After(s.pauseUntil) {
		s.pauseUntil = until
		return until, true
	}
	return s.pauseUntil, false
}

// pauseLeft is how long the current pause still runs (0 for none).
func (s *shared) pauseLeft() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return max(time.Until(s.pauseUntil), 0)
}

// waitPause blocks until no pause is in force (re-checking, since another 429 may extend it).
// A caller that did wait then waits a random part of spread more, so the requests held by a
// pause do not all hit the server in the same instant it ends.
func (s *shared) waitPause(ctx context.Context, spread time.Duration) error {
	waited := false
	for {
		s.mu.Lock()
		wait := time.Until(s.pauseUntil)
		s.mu.Unlock()
		if wait <= 0 {
			break
		}
		waited = true
		if err := sleepCtx(ctx, wait); err != nil {
			return err
		}
	}
	if waited && spread > 0 {
		return sleepCtx(ctx, rand.N(spread))
	}
	return nil
}

// sleepCtx sleeps d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
