package evidence

import (
	"context"
	"testing"

	"jcconnect/internal/heappeak"
	"jcconnect/jumpcloud/jctest"
)

// BenchmarkHeapKept50kChecksOnly is what a 50,000-device snapshot for the checks (the browser's,
// `devices`') holds once collected: the heap kept after GC with the snapshot alive (live bytes), above the
// heap before the collection (the in-process sandbox's organisation is not counted). Where it
// goes, function by function:
//
//	go test ./evidence -run '^$' -bench HeapKept50k -benchtime 1x -memprofile /tmp/heap.out
//	go tool pprof -sample_index=inuse_space -top evidence.test /tmp/heap.out
//
// (the profile is written after the benchmark, with the last snapshot still held by heapKept).
func BenchmarkHeapKept50kChecksOnly(b *testing.B) {
	const devices = 50000
	srv := jctest.NewServer(jctest.Options{Devices: devices, Seed: 1, Now: jcNow})
	defer srv.Close()
	client, _ := benchClient(b, srv, nil)
	opt := CollectOptions{Integrations: Integrations{Endpoint: true, SSO: true}, Role: "Administrator",
		StatusesForChecksOnly: true}
	var kept uint64
	for i := 0; i < b.N; i++ {
		heapKept = nil
		before := heapInuse()
		snap, err := Collect(context.Background(), client, opt)
		if err != nil {
			b.Fatal(err)
		}
		if len(snap.Devices) != devices || !snap.Complete() {
			b.Fatalf("collected %d devices, gaps %v", len(snap.Devices), snap.GapNames())
		}
		heapKept = snap
		kept = heapInuse() - before
	}
	b.ReportMetric(float64(kept)/(1<<20), "kept-MB")
	b.ReportMetric(float64(kept)/devices, "kept-B/device")
}

// heapKept holds the last snapshot so that -memprofile sees it.
var heapKept *Snapshot

func heapInuse() uint64 {
	bytes, _ := heappeak.Live()
	return bytes
}

// BenchmarkReportKept50k is what Evaluate's report of a 50,000-device snapshot for the checks
// holds once made: the live heap (bytes and objects, after GC) with the report alive, above the
// snapshot's. The browser keeps such a report, and a garbage collection marks every object of
// it; the time to make it is beside them (the snapshot is collected once, outside the timer).
//
//	go test ./evidence -run '^$' -bench ReportKept50k -benchtime 3x -benchmem
func BenchmarkReportKept50k(b *testing.B) {
	const devices = 50000
	srv := jctest.NewServer(jctest.Options{Devices: devices, Seed: 1, Now: jcNow})
	defer srv.Close()
	client, _ := benchClient(b, srv, nil)
	snap, err := Collect(context.Background(), client, CollectOptions{Integrations: Integrations{Endpoint: true, SSO: true},
		Role: "Administrator", StatusesForChecksOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	if len(snap.Devices) != devices || !snap.Complete() {
		b.Fatalf("collected %d devices, gaps %v", len(snap.Devices), snap.GapNames())
	}
	var bytes, objects uint64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		reportKept = nil
		before, beforeObjects := heappeak.Live()
		b.StartTimer()
		reportKept = Evaluate(snap, DefaultThresholds())
		b.StopTimer()
		after, afterObjects := heappeak.Live()
		bytes, objects = after-before, afterObjects-beforeObjects
		b.StartTimer()
	}
	b.StopTimer()
	if len(reportKept.Devices) != devices {
		b.Fatalf("a report of %d devices", len(reportKept.Devices))
	}
	b.ReportMetric(float64(bytes)/(1<<20), "report-MB")
	b.ReportMetric(float64(objects), "report-objects")
	b.ReportMetric(float64(objects)/devices, "objects/device")
	b.ReportMetric(float64(bytes)/devices, "B/device")
}

// reportKept holds the last report, alive while the heap is measured.
var reportKept *Report
