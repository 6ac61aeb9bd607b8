package evidence

import (
	"context"
	"runtime"
	"sync"
	"testing"
	"time"

	"jcconnect/internal/heappeak"
	"jcconnect/internal/naivepager"
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

func BenchmarkCollect10k(b *testing.B) { benchCollect(b, 0, false) }

// BenchmarkCollect10kInFlight16 is the same with 16 requests in flight instead of the client's
// default 8, to show where the time goes (the latency bound halves; the CPU does not).
func BenchmarkCollect10kInFlight16(b *testing.B) { benchCollect(b, 16, false) }

// BenchmarkCollect10kChecksOnly is the collection the browser and `devices` make: per-policy
// statuses only for the policies a check needs (CollectOptions.StatusesForChecksOnly).
func BenchmarkCollect10kChecksOnly(b *testing.B) { benchCollect(b, 0, true) }

// benchCollect runs the client's collection and the naive sequential one in turn, b.N times each,
// so a change in the machine's load weighs on both alike. Besides time it reports the peak heap
// during the client's collection (sampled from runtime/metrics, above the heap before it: the
// in-process server's organisation is not counted), which is what decides whether a laptop
// can collect, where the heap kept after GC says little.
func benchCollect(b *testing.B, maxInFlight int, checksOnly bool) {
	srv := bigServer(b)
	client, inFlight := benchClient(b, srv, func(c *jumpcloud.Config) { c.MaxInFlight = maxInFlight })
	opt := CollectOptions{Integrations: Integrations{Endpoint: true, SSO: true}, Role: "Administrator",
		StatusesForChecksOnly: checksOnly}
	var (
		snap                    *Snapshot
		wall, cpu, naive        time.Duration
		requests, naiveRequests int
		maxInFlightSeen         int
		peak                    uint64
	)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		srv.ResetCounts()
		runtime.GC()
		sample := heappeak.Start()
		start, cpu0 := time.Now(), cpuTime()
		var err error
		if snap, err = Collect(context.Background(), client, opt); err != nil {
			b.Fatal(err)
		}
		wall += time.Since(start)
		cpu += cpuTime() - cpu0
		peak = max(peak, sample.Stop())
		requests += srv.Requests("")
		maxInFlightSeen = max(maxInFlightSeen, srv.MaxInFlight())

		start = time.Now()
		n, err := naivepager.Collect(context.Background(), srv.URL, srv.Keys.Admin, naivePlan(checksOnly))
		if err != nil {
			b.Fatal(err)
		}
		naive += time.Since(start)
		naiveRequests += n
	}
	b.StopTimer()
	n := time.Duration(b.N)
	wall, cpu, naive = wall/n, cpu/n, naive/n
	requests, naiveRequests = requests/b.N, naiveRequests/b.N
	bound := time.Duration(float64(requests) / float64(inFlight) * float64(benchLatency))
	for _, st := range snap.Sources {
		if st.State != StateOK {
			b.Fatalf("%s: %s %s", st.Source, st.State, st.Reason)
		}
	}
	// The comparison is fair only if the naive collector read what the client read (the client's
	// few calls about the key and organisation aside).
	if d := naiveRequests - requests; d*20 > requests || -d*20 > requests {
		b.Fatalf("the naive collector made %d requests, the client %d: they no longer read the same pages (naivePlan)", naiveRequests, requests)
	}
	b.ReportMetric(float64(requests), "requests/op")
	b.ReportMetric(float64(maxInFlightSeen), "max-in-flight")
	b.ReportMetric(float64(bound.Milliseconds()), "bound-ms")
	b.ReportMetric(float64(wall.Milliseconds()), "wall-ms")
	b.ReportMetric(float64(wall)/float64(bound), "x-bound")
	// CPU of this process (client and the in-process jctest server together) per collection:
	// when cpu-ms ÷ cores approaches bound-ms, the bound cannot be reached on this machine.
	b.ReportMetric(float64(cpu.Milliseconds()), "cpu-ms")
	b.ReportMetric(float64(runtime.GOMAXPROCS(0)), "cores")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(peak)/1024/float64(len(snap.Devices)), "peak-heap-KB/device")
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

// naivePlan is what the naive sequential collector reads for the same collection: every source,
// the screen-lock policies' settings, and the statuses of every policy or (checksOnly) of the
// policies a check needs, as the client does.
func naivePlan(checksOnly bool) naivepager.Plan {
	plan := naivepager.Full()
	plan.Settings = func(p jumpcloud.Policy) bool { return IsScreenLockTemplate(p.Template) }
	if checksOnly {
		plan.Statuses = func(p jumpcloud.Policy) bool { return NeedsPolicyStatuses(p.Template) }
	}
	return plan
}
