package evidence

import (
	"context"
	"os"
	"runtime"
	"runtime/pprof"
	"testing"

	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
)

// BenchmarkInsightsStore50k measures what a 50,000-device collection for the checks (the
// browser's and `devices`'s: CollectOptions.StatusesForChecksOnly) keeps of System Insights, and what an export's (every column) keeps: the
// live heap with the snapshot's rows minus the live heap once they are let go, both after a full
// GC, in all and per row. For the heap by function while the whole snapshot is live, name a file
// in SI_HEAP_PROFILE:
//
//	SI_HEAP_PROFILE=/tmp/si.out go test ./evidence -run '^$' -bench InsightsStore50k -benchtime 1x
//	go tool pprof -sample_index=inuse_space -top /tmp/si.out
func BenchmarkInsightsStore50k(b *testing.B) {
	srv := jctest.NewServer(jctest.Options{Devices: 50000, Seed: 1, Now: jcNow})
	defer srv.Close()
	client, _ := benchClient(b, srv, nil)
	for _, c := range []struct {
		name                string
		checksOnly, spooled bool
	}{{"ChecksOnly", true, false}, {"Export", false, false}, {"ExportSpooled", false, true}} {
		// Export keeps every column in memory; ExportSpooled is `evidence export`'s collection,
		// whose full rows go to the spool as their pages arrive and whose snapshot keeps the
		// checks' columns.
		b.Run(c.name, func(b *testing.B) { benchInsightsStore(b, client, c.checksOnly, c.spooled) })
	}
}

func benchInsightsStore(b *testing.B, client *jumpcloud.Client, checksOnly, spooled bool) {
	var store, rows uint64
	for i := 0; i < b.N; i++ {
		ctx := context.Background()
		if spooled {
			ctx = SpoolRawSources(ctx, b.TempDir())
		}
		snap, err := Collect(ctx, client, CollectOptions{
			Integrations: Integrations{Endpoint: true, SSO: true}, Role: "Administrator", StatusesForChecksOnly: checksOnly})
		if err != nil {
			b.Fatal(err)
		}
		if !snap.Complete() {
			b.Fatalf("gaps %v", snap.GapNames())
		}
		rows = 0
		for _, r := range snap.Insights {
			rows += uint64(len(r))
		}
		with := liveHeap()
		if path := os.Getenv("SI_HEAP_PROFILE"); path != "" && checksOnly {
			writeHeapProfile(b, path)
		}
		snap.Insights = nil
		without := liveHeap()
		runtime.KeepAlive(snap)
		if err := snap.CloseRaw(); err != nil {
			b.Fatal(err)
		}
		store = with - without
	}
	b.ReportMetric(float64(rows), "rows")
	b.ReportMetric(float64(store)/(1<<20), "si-store-MB")
	b.ReportMetric(float64(store)/float64(rows), "si-bytes/row")
}

// writeHeapProfile writes the heap profile as of the last GC.
func writeHeapProfile(b *testing.B, path string) {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := pprof.WriteHeapProfile(f); err != nil {
		b.Fatal(err)
	}
}

// liveHeap is the heap in use by reachable objects, after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
