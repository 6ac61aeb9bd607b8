package evidence

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
)

// The collection benchmarks use the organisation: 10,000 devices, 2,000 users, 30
// policies, 20 ms of latency on every request. Run them with
//
//	go test ./evidence -run '^$' -bench Collect -benchtime 1x
//
// and read the custom metrics: requests, the lower bound (pages ÷ requests in flight × latency),
// the wall time over that bound, and the naive sequential collector's time and our speed-up over
// it, measured in the same run.

const benchLatency = 20 * time.Millisecond

var (
	bigOnce sync.Once
	bigSrv  *jctest.Server
)

// bigServer is shared by the benchmarks: generating 10,000 devices takes a while.
func bigServer(b *testing.B) *jctest.Server {
	bigOnce.Do(func() {
		bigSrv = jctest.NewServer(jctest.Options{Devices: 10000, Users: 2000, Policies: 30, Seed: 42, Now: jcNow})
	})
	bigSrv.SetLatency(benchLatency)
	bigSrv.SetRateLimit(0, "")
	bigSrv.SetRateLimitStorm(0, 0, "")
	return bigSrv
}

func benchClient(b *testing.B, srv *jctest.Server, tweak func(*jumpcloud.Config)) (*jumpcloud.Client, int) {
	cfg := jumpcloud.Config{BaseURL: srv.URL, APIKey: srv.Keys.Admin}
	if tweak != nil {
		tweak(&cfg)
	}
	c, err := jumpcloud.New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	inFlight := cfg.MaxInFlight
	if inFlight <= 0 {
		inFlight = 8 // the client's documented default
	}
	return c, inFlight
}

func BenchmarkCollect10k(b *testing.B) { benchCollect(b, 0) }

// BenchmarkCollect10kInFlight16 is the same with 16 requests in flight instead of the client's
// default 8, to show where the time goes (the latency bound halves; the CPU does not).
func BenchmarkCollect10kInFlight16(b *testing.B) { benchCollect(b, 16) }

func benchCollect(b *testing.B, maxInFlight int) {
	srv := bigServer(b)
	client, inFlight := benchClient(b, srv, func(c *jumpcloud.Config) { c.MaxInFlight = maxInFlight })
	opt := CollectOptions{Integrations: Integrations{Endpoint: true, SSO: true}, Role: "Administrator"}
	var snap *Snapshot
	srv.ResetCounts()
	b.ResetTimer()
	start, cpu0 := time.Now(), cpuTime()
	for i := 0; i < b.N; i++ {
		var err error
		if snap, err = Collect(context.Background(), client, opt); err != nil {
			b.Fatal(err)
		}
	}
	wall := time.Since(start) / time.Duration(b.N)
	cpu := (cpuTime() - cpu0) / time.Duration(b.N)
	b.StopTimer()
	requests := srv.Requests("") / b.N
	bound := time.Duration(float64(requests) / float64(inFlight) * float64(benchLatency))
	for _, st := range snap.Sources {
		if st.State != StateOK {
			b.Fatalf("%s: %s %s", st.Source, st.State, st.Reason)
		}
	}
	naive, naiveRequests := naiveOnce(b, srv)
	b.ReportMetric(float64(requests), "requests/op")
	b.ReportMetric(float64(srv.MaxInFlight()), "max-in-flight")
	b.ReportMetric(float64(bound.Milliseconds()), "bound-ms")
	b.ReportMetric(float64(wall.Milliseconds()), "wall-ms")
	b.ReportMetric(float64(wall)/float64(bound), "x-bound")
	// CPU of this process (client and the in-process jctest server together) per collection:
	// when cpu-ms ÷ cores approaches bound-ms, the bound cannot be reached on this machine.
	b.ReportMetric(float64(cpu.Milliseconds()), "cpu-ms")
	b.ReportMetric(float64(runtime.GOMAXPROCS(0)), "cores")
	b.ReportMetric(float64(naive.Milliseconds()), "naive-ms")
	b.ReportMetric(float64(naiveRequests), "naive-requests")
	b.ReportMetric(float64(naive)/float64(wall), "x-faster-than-naive")
	b.Logf("devices %d users %d statuses %d rows(disk_encryption) %d", len(snap.Devices), len(snap.Users),
		len(snap.PolicyStatuses), len(snap.Insights[jumpcloud.TableDiskEncryption]))
}

// BenchmarkCollect10kRateLimited: the sandbox answers 429 to every 5th of the first 200 requests
// of each collection (a fixed set, so every machine sees the same 40 429s). The collection must
// complete with no source lost and every 429 retried; the shared backoff slows everything down.
func BenchmarkCollect10kRateLimited(b *testing.B) {
	const every, upTo = 5, 200
	srv := bigServer(b)
	defer srv.SetRateLimitStorm(0, 0, "")
	client, _ := benchClient(b, srv, func(c *jumpcloud.Config) { c.MaxRetries = upTo/every + 1 })
	opt := CollectOptions{Integrations: Integrations{Endpoint: true, SSO: true}, Role: "Administrator"}
	srv.ResetCounts()
	b.ResetTimer()
	var snap *Snapshot
	var wall time.Duration
	limited := 0
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		srv.SetRateLimitStorm(every, upTo, "")
		b.StartTimer()
		start := time.Now()
		var err error
		if snap, err = Collect(context.Background(), client, opt); err != nil {
			b.Fatal(err)
		}
		wall += time.Since(start)
		limited += srv.RateLimitedCount()
	}
	b.StopTimer()
	for _, st := range snap.Sources {
		if st.State != StateOK {
			b.Fatalf("lost under 429s: %s: %s %s", st.Source, st.State, st.Reason)
		}
	}
	if len(snap.Devices) != 10000 || len(snap.PolicyStatuses) != srv.Org().Statuses {
		b.Fatalf("%d devices %d statuses", len(snap.Devices), len(snap.PolicyStatuses))
	}
	st := client.Stats()
	if limited != b.N*upTo/every || st.Retries != int64(limited) {
		b.Fatalf("%d 429s sent, %d retries over %d collections; want %d each: the fault did not happen as set",
			limited, st.Retries, b.N, b.N*upTo/every)
	}
	b.ReportMetric(float64(wall.Milliseconds())/float64(b.N), "wall-ms")
	b.ReportMetric(float64(st.Requests)/float64(b.N), "requests/op")
	b.ReportMetric(float64(st.Retries)/float64(b.N), "retries/op")
	b.ReportMetric(float64(limited)/float64(b.N), "429s/op")
}

var (
	naiveMu   sync.Mutex
	naiveDur  time.Duration
	naiveReqs int
)

func naiveOnce(b *testing.B, srv *jctest.Server) (time.Duration, int) {
	naiveMu.Lock()
	defer naiveMu.Unlock()
	if naiveDur == 0 {
		start := time.Now()
		n, err := naiveCollect(srv.URL, srv.Keys.Admin)
		if err != nil {
			b.Fatal(err)
		}
		naiveDur, naiveReqs = time.Since(start), n
	}
	return naiveDur, naiveReqs
}

// naiveCollect is the collector one writes first: the same endpoints and page sizes, one request
// after the other. It returns the number of requests made.
func naiveCollect(base, key string) (int, error) {
	requests := 0
	get := func(path string, limit, skip int) ([]json.RawMessage, error) {
		requests++
		req, _ := http.NewRequest("GET", base+path+"?limit="+strconv.Itoa(limit)+"&skip="+strconv.Itoa(skip), nil)
		req.Header.Set("x-api-key", key)
		req.Header.Set("Accept", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return nil, err
		}
		if resp.StatusCode != 200 {
			return nil, fmt.Errorf("%s: %d", path, resp.StatusCode)
		}
		var list []json.RawMessage
		if len(body) > 0 && body[0] == '{' {
			var v1 struct {
				Results []json.RawMessage `json:"results"`
			}
			err = json.Unmarshal(body, &v1)
			list = v1.Results
		} else {
			err = json.Unmarshal(body, &list)
		}
		return list, err
	}
	all := func(path string, limit int) ([]json.RawMessage, error) {
		var out []json.RawMessage
		for {
			page, err := get(path, limit, len(out))
			if err != nil {
				return nil, err
			}
			out = append(out, page...)
			if len(page) < limit {
				return out, nil
			}
		}
	}
	for _, p := range []string{"/api/systems", "/api/systemusers", "/api/users", "/api/applications", "/api/v2/authn/policies"} {
		if _, err := all(p, 100); err != nil {
			return requests, err
		}
	}
	for _, t := range jumpcloud.InsightTables {
		if _, err := all("/api/v2/systeminsights/"+t, 10000); err != nil {
			return requests, err
		}
	}
	pols, err := all("/api/v2/policies", 100)
	if err != nil {
		return requests, err
	}
	for _, raw := range pols {
		var p struct {
			ID string `json:"id"`
		}
		json.Unmarshal(raw, &p)
		if _, err := all("/api/v2/policies/"+p.ID+"/policystatuses", 100); err != nil {
			return requests, err
		}
	}
	return requests, nil
}
