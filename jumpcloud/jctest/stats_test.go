package jctest

import (
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"
)

// Stats groups paths by route, counts the 429s it answered, and reading it is not counted.
func TestStatsByRouteAnd429s(t *testing.T) {
	s := NewServer(Options{Devices: 5, Policies: 3, Seed: 2})
	defer s.Close()
	var pols []struct{ ID string }
	get(t, s, s.Keys.ReadOnly, "", "/api/v2/policies?limit=100").decode(t, &pols)
	if len(pols) != 3 {
		t.Fatalf("%d policies, want 3", len(pols))
	}
	for _, p := range pols {
		get(t, s, s.Keys.ReadOnly, "", "/api/v2/policies/"+p.ID+"/policystatuses")
	}
	get(t, s, s.Keys.ReadOnly, "", "/api/systems")
	rm := s.Inject(Fault{Kind: FaultRateLimit, Times: 2})
	defer rm()
	for range 3 {
		get(t, s, s.Keys.ReadOnly, "", "/api/systems")
	}

	r := get(t, s, "", "", StatsPath)
	if r.status != 200 {
		t.Fatalf("GET %s: %d %s", StatsPath, r.status, r.body)
	}
	var st Stats
	r.decode(t, &st)
	want := map[string]int{"/api/v2/policies": 1, "/api/v2/policies/{id}/policystatuses": 3, "/api/systems": 4}
	for route, n := range want {
		if st.ByRoute[route] != n {
			t.Errorf("%s: %d requests, want %d (all: %v)", route, st.ByRoute[route], n, st.ByRoute)
		}
	}
	if st.Requests != 8 || st.Sent429 != 2 || st.MaxInFlight < 1 {
		t.Errorf("stats %+v: want 8 requests (the stats read not counted), 2 answered 429, max in flight >= 1", st)
	}
	if again := s.Stats(); again.Requests != 8 {
		t.Errorf("reading %s counted itself: %d requests", StatsPath, again.Requests)
	}
	line := st.String()
	for _, w := range []string{"8 requests", "2 answered 429", "/api/systems 4", "/api/v2/policies/{id}/policystatuses 3"} {
		if !strings.Contains(line, w) {
			t.Errorf("stats line %q lacks %q", line, w)
		}
	}
	s.ResetCounts()
	if st := s.Stats(); st.Requests != 0 || st.Sent429 != 0 || len(st.ByRoute) != 0 {
		t.Errorf("after ResetCounts: %+v", st)
	}
}

// The sandbox applies --users, --policies and --latency, serves /__stats and prints the stats
// line when it stops.
func TestRunSandboxSizesLatencyAndStatsLine(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	errc := make(chan error, 1)
	go func() {
		errc <- RunSandbox(ctx, &out, "127.0.0.1:0", Options{Devices: 7, Users: 13, Policies: 4, Latency: 3 * time.Millisecond, Seed: 3})
	}()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "Ctrl+C") && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	banner := out.String()
	for _, w := range []string{"7 devices, 13 users, 4 policies", "Latency 3ms", StatsPath} {
		if !strings.Contains(banner, w) {
			t.Errorf("banner lacks %q:\n%s", w, banner)
		}
	}
	cancel()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "sandbox stats: 0 requests, max 0 in flight, 0 answered 429") {
		t.Errorf("no stats line on exit:\n%s", out.String())
	}
	for _, o := range []Options{{Policies: maxSandboxPolicies + 1}, {Users: maxSandboxUsers + 1}, {Latency: -time.Millisecond}} {
		if err := RunSandbox(context.Background(), &out, "127.0.0.1:0", o); err == nil {
			t.Errorf("RunSandbox(%+v) accepted", o)
		}
	}
}

// The Stats JSON keeps its field names: scripts read them.
func TestStatsJSONNames(t *testing.T) {
	b, _ := json.Marshal(Stats{ByRoute: map[string]int{"/api/systems": 1}, Requests: 1, MaxInFlight: 1, Sent429: 0,
		InFlightMs: 25, LastDoneUnixMs: 1700000000000})
	if got := string(b); got != `{"requests":1,"byRoute":{"/api/systems":1},"maxInFlight":1,"sent429":0,"inFlightMs":25,"lastDoneUnixMs":1700000000000}` {
		t.Errorf("stats JSON %s", got)
	}
}

// --rate-limit N answers 429 to every Nth request, the same ones on any machine, and Stats
// counts them.
func TestRateLimitEveryIsDeterministicAndCounted(t *testing.T) {
	s := NewServer(Options{Devices: 5, Seed: 2, RateLimitEvery: 3, RetryAfter: "2"})
	defer s.Close()
	var got []int
	for range 7 {
		r := get(t, s, s.Keys.ReadOnly, "", "/api/systems")
		got = append(got, r.status)
		if r.status == 429 && r.header.Get("Retry-After") != "2" {
			t.Errorf("429 without Retry-After 2: %v", r.header)
		}
	}
	want := []int{200, 200, 429, 200, 200, 429, 200}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("statuses %v, want %v", got, want)
		}
	}
	if st := s.Stats(); st.Sent429 != 2 || st.Requests != 7 {
		t.Errorf("stats %+v: want 7 requests, 2 answered 429", st)
	}
	if err := RunSandbox(context.Background(), io.Discard, "127.0.0.1:0", Options{RateLimitEvery: -1}); err == nil {
		t.Error("a negative --rate-limit was accepted")
	}
}

// InFlightMs adds up every request's time in the server (at least its latency each, however
// fast the machine), LastDoneUnixMs is when the last one ended, and ResetCounts clears the sum.
func TestStatsTimeInFlight(t *testing.T) {
	const latency = 15 * time.Millisecond
	s := NewServer(Options{Devices: 5, Seed: 2, Latency: latency})
	defer s.Close()
	before := time.Now()
	for range 3 {
		get(t, s, s.Keys.ReadOnly, "", "/api/systems")
	}
	// A request is counted done once its handler has returned, which can be after the client
	// has read the whole answer: wait for the last one, whatever the machine's speed.
	for i := 0; s.inFlight.Load() != 0; i++ {
		if i > 30000 {
			t.Fatalf("%d requests still in flight 30s after their answers", s.inFlight.Load())
		}
		time.Sleep(time.Millisecond)
	}
	after := time.Now()
	st := s.Stats()
	if min := 3 * latency.Milliseconds(); st.InFlightMs < min {
		t.Errorf("InFlightMs %d after 3 requests of %v latency, want >= %d", st.InFlightMs, latency, min)
	}
	if st.LastDoneUnixMs < before.UnixMilli() || st.LastDoneUnixMs > after.UnixMilli() {
		t.Errorf("LastDoneUnixMs %d outside the requests' time [%d, %d]", st.LastDoneUnixMs, before.UnixMilli(), after.UnixMilli())
	}
	s.ResetCounts()
	if st := s.Stats(); st.InFlightMs != 0 {
		t.Errorf("after ResetCounts InFlightMs %d", st.InFlightMs)
	}
}
