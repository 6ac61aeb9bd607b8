package evidence

import (
	"context"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"jcconnect/jumpcloud"
)

// BenchmarkCollect10kEarly is the browser's collection on the organisation (10,000
// devices, 2,000 users, 30 policies, 20 ms per request): the checks' statuses only, with an
// early snapshot evaluated as the browser evaluates it before drawing its first table. Run with
//
//	go test ./evidence -run '^$' -bench Collect10kEarly -benchtime 3x
//
// What it waits for does not depend on the machine: requests-before-early (those asked for by
// the time the early snapshot is handed over; the background sources start only after it) and
// among them the users' and statuses' (both 0: read after the table). early-ms is when the snapshot is
// handed over, table-ms when its evaluation is done (the browser then builds its rows and draws),
// early-cpu-ms the process's CPU by then (the in-process sandbox's included), whole-ms the
// collection's end. The timings need a quiet machine; scripts/perf.sh --only tui measures the
// built binary's first drawn table.
func BenchmarkCollect10kEarly(b *testing.B) {
	srv := bigServer(b)
	asked := &routeCounter{}
	client, _ := benchClient(b, srv, func(c *jumpcloud.Config) { c.Transport = asked })
	var early, table, earlyCPU, whole time.Duration
	var before, usersBefore, statusesBefore int
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		asked.reset()
		runtime.GC()
		start, cpu0 := time.Now(), cpuTime()
		handed := false
		opt := CollectOptions{Integrations: Integrations{Endpoint: true, SSO: true}, Role: "Administrator",
			StatusesForChecksOnly: true, Early: func(s *Snapshot) {
				handed = true
				early += time.Since(start)
				all, users, statuses := asked.counts()
				before, usersBefore, statusesBefore = before+all, usersBefore+users, statusesBefore+statuses
				Evaluate(s, Thresholds{})
				table += time.Since(start)
				earlyCPU += cpuTime() - cpu0
			}}
		snap, err := Collect(context.Background(), client, opt)
		if err != nil {
			b.Fatal(err)
		}
		whole += time.Since(start)
		if _, users, statuses := asked.counts(); users == 0 || statuses == 0 {
			b.Fatalf("%d users and %d statuses requests counted in the whole collection: the counter misses them", users, statuses)
		}
		if !handed || len(snap.Reading()) > 0 || !snap.Readable(string(jumpcloud.SourceUsers)) {
			b.Fatalf("early snapshot handed %v; the whole one still reading %v", handed, snap.Reading())
		}
	}
	b.StopTimer()
	n := float64(b.N)
	b.ReportMetric(float64(before)/n, "requests-before-early")
	b.ReportMetric(float64(usersBefore)/n, "users-requests-before-early")
	b.ReportMetric(float64(statusesBefore)/n, "status-requests-before-early")
	b.ReportMetric(float64(early.Milliseconds())/n, "early-ms")
	b.ReportMetric(float64(table.Milliseconds())/n, "table-ms")
	b.ReportMetric(float64(earlyCPU.Milliseconds())/n, "early-cpu-ms")
	b.ReportMetric(float64(whole.Milliseconds())/n, "whole-ms")
}

// routeCounter is an http.RoundTripper that counts the requests asked for: all, the users' and
// the policies' statuses'.
type routeCounter struct {
	mu                   sync.Mutex
	all, users, statuses int
}

func (r *routeCounter) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.all++
	switch p := req.URL.Path; {
	case strings.HasPrefix(p, "/api/systemusers"):
		r.users++
	case strings.HasSuffix(p, "/policystatuses"):
		r.statuses++
	}
	r.mu.Unlock()
	return http.DefaultTransport.RoundTrip(req)
}

func (r *routeCounter) counts() (all, users, statuses int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.all, r.users, r.statuses
}

func (r *routeCounter) reset() {
	r.mu.Lock()
	r.all, r.users, r.statuses = 0, 0, 0
	r.mu.Unlock()
}
