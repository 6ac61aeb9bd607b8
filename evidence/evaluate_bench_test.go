package evidence

import (
	"context"
	"io"
	"sync"
	"testing"

	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
)

var (
	evalOnce  sync.Once
	evalSnaps map[bool]*Snapshot // by StatusesForChecksOnly
)

// evalSnapshot is the 10,000-device organisation collected once (every status, or only
// the checks' as `devices` and the browser collect), shared by the benchmarks below.
func evalSnapshot(b *testing.B, checksOnly bool) *Snapshot {
	evalOnce.Do(func() {
		srv := jctest.NewServer(jctest.Options{Devices: 10000, Users: 2000, Policies: 30, Seed: 42, Now: jcNow})
		defer srv.Close()
		c, err := jumpcloud.New(jumpcloud.Config{BaseURL: srv.URL, APIKey: srv.Keys.Admin})
		if err != nil {
			b.Fatal(err)
		}
		evalSnaps = map[bool]*Snapshot{}
		for _, only := range []bool{false, true} {
			snap, err := Collect(context.Background(), c, CollectOptions{Integrations: Integrations{Endpoint: true, SSO: true},
				StatusesForChecksOnly: only})
			if err != nil {
				b.Fatal(err)
			}
			evalSnaps[only] = snap
		}
	})
	snap := evalSnaps[checksOnly]
	if snap == nil || len(snap.Devices) != 10000 || !snap.Complete() {
		b.Fatal("the 10,000-device collection failed")
	}
	return snap
}

// BenchmarkEvaluate10k measures the checks alone on a collected 10,000-device organisation (the
// collection happens once, outside the timer):
//
//	go test ./evidence -run '^$' -bench Evaluate10k -benchmem
func BenchmarkEvaluate10k(b *testing.B) {
	snap := evalSnapshot(b, false)
	b.ResetTimer()
	for b.Loop() {
		Evaluate(snap, DefaultThresholds())
	}
}

// BenchmarkDevicesJSONRows10k is what `devices --json` does after its last response: the checks
// of the 10,000 devices of a collection of the checks' statuses, and their JSON rows (written to
// nowhere). cpu-ms is the process's CPU per run, both cores together: the 20 ms run's tail.
//
//	go test ./evidence -run '^$' -bench DevicesJSONRows10k -benchmem
func BenchmarkDevicesJSONRows10k(b *testing.B) {
	snap := evalSnapshot(b, true)
	var w countingWriter
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		if err := WriteRows(&w, snap, DefaultThresholds(), false, true); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms")
	b.ReportMetric(float64(w.n)/float64(b.N), "bytes-out")
}

type countingWriter struct{ n int }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }

var _ io.Writer = (*countingWriter)(nil)
