package jctest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestFaultsDoWhatTheySay(t *testing.T) {
	s := NewServer(Options{Devices: 30})
	defer s.Close()
	key := s.Keys.ReadOnly

	t.Run("status", func(t *testing.T) {
		defer s.Inject(Fault{PathPrefix: "/api/systems", Kind: FaultStatus, Status: 503})()
		r := get(t, s, key, "", "/api/systems")
		if r.status != 503 {
			t.Fatalf("%d", r.status)
		}
		r.errorBody(t)
		if r := get(t, s, key, "", "/api/systemusers"); r.status != 200 {
			t.Errorf("fault leaked to another path: %d", r.status)
		}
	})
	t.Run("rate limit with and without Retry-After", func(t *testing.T) {
		rm := s.Inject(Fault{Kind: FaultRateLimit, RetryAfter: "2", Times: 1})
		defer rm()
		r := get(t, s, key, "", "/api/systems")
		if r.status != 429 || r.header.Get("Retry-After") != "2" {
			t.Fatalf("%d Retry-After %q", r.status, r.header.Get("Retry-After"))
		}
		if r := get(t, s, key, "", "/api/systems"); r.status != 200 {
			t.Errorf("Times: 1 applied twice: %d", r.status)
		}
		defer s.Inject(Fault{Kind: FaultRateLimit, Times: 1})()
		if r := get(t, s, key, "", "/api/systems"); r.status != 429 || r.header.Get("Retry-After") != "" {
			t.Errorf("%d Retry-After %q", r.status, r.header.Get("Retry-After"))
		}
	})
	t.Run("html and garbage", func(t *testing.T) {
		rm := s.Inject(Fault{Kind: FaultHTML, Status: 403, Times: 1})
		r := get(t, s, key, "", "/api/systems")
		rm()
		if r.status != 403 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") || json.Valid(r.body) {
			t.Errorf("html: %d %q", r.status, r.header.Get("Content-Type"))
		}
		defer s.Inject(Fault{Kind: FaultGarbage, Times: 1})()
		if r := get(t, s, key, "", "/api/systems"); r.status != 200 || json.Valid(r.body) {
			t.Errorf("garbage: %d valid=%v", r.status, json.Valid(r.body))
		}
	})
	t.Run("truncated", func(t *testing.T) {
		defer s.Inject(Fault{Kind: FaultTruncated, Times: 1})()
		r := get(t, s, key, "", "/api/systems?limit=5")
		if r.status != 200 || json.Valid(r.body) || !bytes.HasPrefix(r.body, []byte(`{"totalCount":30`)) {
			t.Errorf("truncated: %d %q", r.status, r.body)
		}
	})
	t.Run("short body", func(t *testing.T) {
		defer s.Inject(Fault{Kind: FaultShortBody, Times: 1})()
		_, err := rawGet(s, key, "/api/systems?limit=5", 5*time.Second)
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("short body: %v, want unexpected EOF", err)
		}
	})
	t.Run("redirect to another host", func(t *testing.T) {
		defer s.Inject(Fault{Kind: FaultRedirect, Times: 1})()
		r := get(t, s, key, "", "/api/systems")
		loc := r.header.Get("Location")
		if r.status != 302 || !strings.HasPrefix(loc, "https://") || strings.Contains(loc, "127.0.0.1") {
			t.Errorf("redirect: %d %q", r.status, loc)
		}
	})
	t.Run("reset", func(t *testing.T) {
		defer s.Inject(Fault{Kind: FaultReset, Times: 1})()
		if _, err := rawGet(s, key, "/api/systems", 5*time.Second); err == nil {
			t.Errorf("reset: no error")
		}
	})
	t.Run("stall until the client gives up", func(t *testing.T) {
		defer s.Inject(Fault{Kind: FaultStall, Times: 1})()
		_, err := rawGet(s, key, "/api/systems", 200*time.Millisecond)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("stall: %v, want deadline exceeded", err)
		}
	})
	t.Run("oversize", func(t *testing.T) {
		defer s.Inject(Fault{Kind: FaultOversize, Bytes: 3 << 20, Times: 1})()
		r := get(t, s, key, "", "/api/systems")
		if r.status != 200 || len(r.body) < 3<<20 {
			t.Errorf("oversize: %d, %d bytes", r.status, len(r.body))
		}
	})
	t.Run("latency then normal", func(t *testing.T) {
		defer s.Inject(Fault{Kind: FaultLatency, Delay: time.Millisecond, Times: 1})()
		if r := get(t, s, key, "", "/api/systems"); r.status != 200 {
			t.Errorf("latency: %d", r.status)
		}
	})
	t.Run("remove", func(t *testing.T) {
		rm := s.Inject(Fault{Kind: FaultStatus, Status: 500})
		rm()
		if r := get(t, s, key, "", "/api/systems"); r.status != 200 {
			t.Errorf("removed fault still applies: %d", r.status)
		}
	})
}

// rawGet reads a whole response with a deadline, returning transport and body errors.
func rawGet(s *Server, key, path string, timeout time.Duration) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+path, nil)
	req.Header.Set("x-api-key", key)
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

func TestRateLimitAnswers429PastTheRate(t *testing.T) {
	s := NewServer(Options{Devices: 10})
	defer s.Close()
	s.SetRateLimit(2, "1")
	limited := 0
	for range 10 {
		r := get(t, s, s.Keys.ReadOnly, "", "/api/organizations")
		if r.status == 429 {
			limited++
			if r.header.Get("Retry-After") != "1" {
				t.Errorf("Retry-After %q", r.header.Get("Retry-After"))
			}
		}
	}
	if limited == 0 {
		t.Errorf("10 quick requests at 2/s: none limited")
	}
	s.SetRateLimit(0, "")
	if r := get(t, s, s.Keys.ReadOnly, "", "/api/organizations"); r.status != 200 {
		t.Errorf("rate limit off: %d", r.status)
	}
}

func TestCountersAndSeenNeverKeepTheKey(t *testing.T) {
	s := NewServer(Options{Devices: 10})
	defer s.Close()
	get(t, s, s.Keys.ReadOnly, "", "/api/systems?limit=3")
	get(t, s, s.Keys.ReadOnly, "", "/api/systemusers")
	get(t, s, s.Keys.MultiTenant, s.Org().ID, "/api/v2/policies")
	get(t, s, "jca_unknownunknownunknownunknownunknown0", "", "/api/systems")
	if n := s.Requests(""); n != 4 {
		t.Errorf("Requests(\"\") = %d, want 4", n)
	}
	if n := s.Requests("/api/systems"); n != 2 {
		t.Errorf("Requests(/api/systems) = %d, want 2", n)
	}
	if n := s.Requests("/api/system"); n != 3 { // /api/systems and /api/systemusers
		t.Errorf("Requests(/api/system) = %d, want 3", n)
	}
	if n := s.Requests("/api/v2/"); n != 1 {
		t.Errorf("Requests(/api/v2/) = %d", n)
	}
	seen := s.Seen()
	if len(seen) != 4 || seen[0].KeyLabel != "read-only" || seen[0].Query["limit"][0] != "3" ||
		seen[2].KeyLabel != "multi-tenant" || seen[2].OrgID != s.Org().ID || seen[3].KeyLabel != "" {
		t.Errorf("seen: %+v", seen)
	}
	all, _ := json.Marshal(seen)
	for _, k := range []string{s.Keys.ReadOnly, s.Keys.MultiTenant, "jca_unknown"} {
		if bytes.Contains(all, []byte(k)) {
			t.Fatalf("Seen keeps a raw key")
		}
	}
	if seen[0].Header["X-Api-Key"][0] != "read-only" || seen[3].Header["X-Api-Key"][0] != "<unknown key>" {
		t.Errorf("x-api-key header: %v / %v", seen[0].Header["X-Api-Key"], seen[3].Header["X-Api-Key"])
	}
	// A key sent anywhere else is recorded by label, never raw.
	get(t, s, s.Keys.Admin, "", "/api/systems?api_key="+s.Keys.ReadOnly)
	last := s.Seen()[len(s.Seen())-1]
	if last.Query["api_key"][0] != "<api key: read-only>" {
		t.Errorf("key in the query recorded as %q", last.Query["api_key"][0])
	}
	s.ResetCounts()
	if s.Requests("") != 0 || len(s.Seen()) != 0 {
		t.Errorf("ResetCounts left counts")
	}
}

func TestMaxInFlightCountsConcurrentRequests(t *testing.T) {
	s := NewServer(Options{Devices: 10})
	defer s.Close()
	s.SetLatency(50 * time.Millisecond)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			get(t, s, s.Keys.ReadOnly, "", "/api/organizations")
		}()
	}
	close(start)
	wg.Wait()
	// Four requests each held 50ms: at least two overlapped (all four, unless the scheduler
	// serialised them badly), and never more than four.
	if m := s.MaxInFlight(); m < 2 || m > 4 {
		t.Errorf("MaxInFlight = %d", m)
	}
}

func TestCloseCutsStalledResponses(t *testing.T) {
	s := NewServer(Options{Devices: 10})
	s.Inject(Fault{Kind: FaultStall})
	errc := make(chan error, 1)
	go func() {
		_, err := rawGet(s, s.Keys.ReadOnly, "/api/systems", time.Minute)
		errc <- err
	}()
	for s.Requests("") == 0 {
		time.Sleep(time.Millisecond)
	}
	s.Close()
	if err := <-errc; err == nil {
		t.Errorf("stalled request finished cleanly after Close")
	}
}
