package jumpcloud_test

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
)

// A 429 slows every client sharing the state down together.

func TestCollectionSurvivesARateLimit(t *testing.T) {
	for _, retryAfter := range []string{"1", ""} {
		s := sandbox(t, jctest.Options{Devices: 1500, Seed: 30})
		s.SetRateLimit(10, retryAfter)
		c := newClient(t, s, s.Keys.ReadOnly, func(cfg *jumpcloud.Config) {
			cfg.MaxInFlight = 8
			cfg.MaxRetries = 10
			cfg.RetryBaseDelay = 100 * time.Millisecond
			cfg.MaxRetryDelay = time.Second
		})
		systems, err := c.Systems(context.Background(), jumpcloud.ListOptions{})
		if err != nil {
			t.Fatalf("Retry-After %q: %v", retryAfter, err)
		}
		if len(systems) != 1500 {
			t.Fatalf("Retry-After %q: %d systems", retryAfter, len(systems))
		}
		uniqueIDs(t, "system", len(systems), func(i int) string { return systems[i].ID })
		// Whether the limit is hit depends on the machine's speed; what must hold is that every
		// request beyond the 15 pages was a counted retry.
		if st := c.Stats(); st.Requests != 15+st.Retries || int64(s.Requests("/api/systems")) != st.Requests {
			t.Fatalf("Retry-After %q: stats %+v, server counted %d: 15 pages, every extra request a retry",
				retryAfter, st, s.Requests("/api/systems"))
		}
	}
}

func TestA429StormIsRetriedWithoutLosingPages(t *testing.T) {
	s := sandbox(t, jctest.Options{Devices: 2000, Seed: 33})
	// 12 429s without Retry-After hit whichever requests come first, the concurrent pages'
	// included; the shared pause and backoff must get every page through.
	s.Inject(jctest.Fault{PathPrefix: "/api/systems", Kind: jctest.FaultRateLimit, Times: 12})
	ct := &countingTransport{next: http.DefaultTransport}
	c := newClient(t, s, s.Keys.ReadOnly, func(cfg *jumpcloud.Config) { cfg.MaxRetries = 12; cfg.Transport = ct })
	systems, err := c.Systems(context.Background(), jumpcloud.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	uniqueIDs(t, "system", len(systems), func(i int) string { return systems[i].ID })
	if len(systems) != 2000 || ct.tooMany.Load() != 12 {
		t.Fatalf("%d systems, %d 429s", len(systems), ct.tooMany.Load())
	}
	if st := c.Stats(); st.Retries != 12 || st.Requests != 20+12 {
		t.Fatalf("stats %+v: want 20 pages + 12 retries", st)
	}
}

func TestA429PausesSiblingClientsToo(t *testing.T) {
	s := sandbox(t, jctest.Options{Devices: 10, Seed: 31})
	s.Inject(jctest.Fault{PathPrefix: "/api/systems", Kind: jctest.FaultRateLimit, RetryAfter: "2", Times: 1})
	c := newClient(t, s, s.Keys.ReadOnly, func(cfg *jumpcloud.Config) { cfg.MaxRetryDelay = 2 * time.Second })
	sibling := c.WithOrg("")

	done := make(chan error, 1)
	go func() { _, err := c.Systems(context.Background(), jumpcloud.ListOptions{}); done <- err }()
	deadline := time.Now().Add(10 * time.Second)
	for c.RateLimitedUntil().IsZero() {
		if time.Now().After(deadline) {
			t.Fatal("the 429 never set a pause")
		}
		time.Sleep(time.Millisecond)
	}
	if sibling.RateLimitedUntil().IsZero() {
		t.Fatal("the sibling client does not share the pause")
	}
	// The pause has well over a second left: a sibling call must wait for it without sending
	// anything, and one whose deadline comes first is told it is rate limited, not timed out.
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := sibling.Settings(ctx)
	wantError(t, s, err, jumpcloud.KindRateLimited, "settings (/api/settings)", "rate limiting", "beyond this call's deadline")
	waited := make(chan error, 1)
	go func() { _, err := sibling.Settings(context.Background()); waited <- err }()
	if err := <-done; err != nil {
		t.Fatalf("the rate-limited call did not recover: %v", err)
	}
	if err := <-waited; err != nil {
		t.Fatalf("the sibling did not go through after the pause: %v", err)
	}
	if n := s.Requests("/api/settings"); n != 1 {
		t.Fatalf("the sibling sent %d requests; want 1, after the pause", n)
	}
	if !c.RateLimitedUntil().IsZero() {
		t.Fatal("the pause outlived its Retry-After")
	}
}

// countingTransport counts responses by status, to see how hard the client pushes.
type countingTransport struct {
	next     http.RoundTripper
	tooMany  atomic.Int64
	answered atomic.Int64
}

func (ct *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	res, err := ct.next.RoundTrip(r)
	if err == nil {
		ct.answered.Add(1)
		if res.StatusCode == http.StatusTooManyRequests {
			ct.tooMany.Add(1)
		}
	}
	return res, err
}

func TestRetriesStopAtMaxRetries(t *testing.T) {
	s := sandbox(t, jctest.Options{Devices: 10, Seed: 32})
	s.Inject(jctest.Fault{PathPrefix: "/api/systemusers", Kind: jctest.FaultRateLimit})
	ct := &countingTransport{next: http.DefaultTransport}
	c := newClient(t, s, s.Keys.ReadOnly, func(cfg *jumpcloud.Config) { cfg.MaxRetries = 3; cfg.Transport = ct })
	_, err := c.SystemUsers(context.Background(), jumpcloud.ListOptions{})
	wantError(t, s, err, jumpcloud.KindRateLimited, "users (/api/systemusers)")
	if ct.tooMany.Load() != 4 || c.Stats().Retries != 3 {
		t.Fatalf("%d 429s, stats %+v: want 1 try + 3 retries", ct.tooMany.Load(), c.Stats())
	}
	none := newClient(t, s, s.Keys.ReadOnly, func(cfg *jumpcloud.Config) { cfg.MaxRetries = -1 })
	s.ResetCounts()
	_, err = none.SystemUsers(context.Background(), jumpcloud.ListOptions{})
	wantError(t, s, err, jumpcloud.KindRateLimited)
	if n := s.Requests("/api/systemusers"); n != 1 {
		t.Fatalf("MaxRetries -1 sent %d requests", n)
	}
}

func TestARetryThatCannotMakeTheDeadlineIsNotWaitedFor(t *testing.T) {
	s := sandbox(t, jctest.Options{Devices: 10, Seed: 34})
	s.Inject(jctest.Fault{PathPrefix: "/api/systems", Kind: jctest.FaultRateLimit, RetryAfter: "30"})
	c := newClient(t, s, s.Keys.ReadOnly, func(cfg *jumpcloud.Config) { cfg.MaxRetryDelay = time.Minute })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := c.Systems(ctx, jumpcloud.ListOptions{})
	e := wantError(t, s, err, jumpcloud.KindRateLimited, "devices (/api/systems)", "rate limiting this key (429)")
	if e.Status != 429 || ctx.Err() != nil {
		t.Fatalf("status %d, context %v: the 30s Retry-After should have been refused at once", e.Status, ctx.Err())
	}
	if n := s.Requests("/api/systems"); n != 1 {
		t.Fatalf("%d requests", n)
	}
}
