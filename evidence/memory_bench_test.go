package evidence

import (
	"context"
	"io"
	"runtime"
	"sync"
	"testing"

	"jcconnect/internal/heappeak"
	"jcconnect/jumpcloud/jctest"
)

// The memory benchmarks run what `devices --json` and `evidence export` do, in process, against
// a 10,000-device sandbox with no latency, and report the peak heap during the run above the
// heap before it (runtime/metrics, sampled every millisecond), per run and per device:
//
//	go test ./evidence -run '^$' -bench 'Memory' -benchtime 3x
//
// The in-process sandbox's own work of answering is inside the figure (a few MB); the built
// binary against an out-of-process sandbox (README, Performance) is the figure that counts.

var (
	memOnce sync.Once
	memSrv  *jctest.Server
)

const memDevices = 10000

func memServer() *jctest.Server {
	memOnce.Do(func() {
		memSrv = jctest.NewServer(jctest.Options{Devices: memDevices, Seed: 1, Now: jcNow})
	})
	return memSrv
}

func benchMemory(b *testing.B, run func(*testing.B, *Snapshot)) {
	srv := memServer()
	client, _ := benchClient(b, srv, nil)
	checksOnly := b.Name() == "BenchmarkMemoryDevicesJSON10k"
	var peak uint64
	for i := 0; i < b.N; i++ {
		runtime.GC()
		sample := heappeak.Start()
		opt := CollectOptions{Integrations: Integrations{Endpoint: true, SSO: true}, Role: "Administrator",
			StatusesForChecksOnly: checksOnly}
		ctx := context.Background()
		if !checksOnly {
			ctx = SpoolRawSources(ctx, b.TempDir()) // as connect.Export collects
		}
		snap, err := Collect(ctx, client, opt)
		if err != nil {
			b.Fatal(err)
		}
		if len(snap.Devices) != memDevices || !snap.Complete() {
			b.Fatalf("collected %d devices, gaps %v", len(snap.Devices), snap.GapNames())
		}
		run(b, snap)
		peak = max(peak, sample.Stop())
		if err := snap.CloseRaw(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(peak)/1024/memDevices, "peak-KB/device")
}

// BenchmarkMemoryDevicesJSON10k is `devices --json`: a collection for the checks, then the rows.
func BenchmarkMemoryDevicesJSON10k(b *testing.B) {
	benchMemory(b, func(b *testing.B, s *Snapshot) {
		if err := WriteRows(io.Discard, s, DefaultThresholds(), false, true); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkMemoryExport10k is `evidence export`: a full collection, then the bundle with each
// device checked as it is written (connect.Export's path).
func BenchmarkMemoryExport10k(b *testing.B) {
	benchMemory(b, func(b *testing.B, s *Snapshot) {
		if _, _, err := ExportEvaluating(context.Background(), s, DefaultThresholds(), b.TempDir()); err != nil {
			b.Fatal(err)
		}
	})
}
