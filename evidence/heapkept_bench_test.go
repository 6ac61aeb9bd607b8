package evidence

import (
	"context"
	"runtime"
	"testing"

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
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
