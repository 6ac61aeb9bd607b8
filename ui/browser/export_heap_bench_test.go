package browser

import (
	"context"
	"os"
	"runtime"
	"strings"
	"testing"

	"jcconnect/connect"
	"jcconnect/internal/heappeak"
	"jcconnect/jumpcloud/jctest"
	"jcconnect/ui/common"
)

// BenchmarkBrowserExportLiveHeap10k and …50k: what the browser holds on the heap once it has
// exported its checks-only snapshot (the export collects every policy status first), against
// what it held before: everything the export made beyond the browser's own snapshot should be
// garbage once it has ended. Reported after forced collections: live MB and objects before and
// after the export. exported=1 says the bundle was written (the export really ran).
func BenchmarkBrowserExportLiveHeap10k(b *testing.B) { benchExportLiveHeap(b, 10000) }
func BenchmarkBrowserExportLiveHeap50k(b *testing.B) { benchExportLiveHeap(b, 50000) }

func benchExportLiveHeap(b *testing.B, devices int) {
	srv := jctest.NewServer(jctest.Options{Devices: devices, Users: devices / 5, Policies: 30, Seed: 11, Now: devNow})
	b.Cleanup(srv.Close)
	env, _, errb := evEnv(b, srv, srv.Keys.ReadOnly)
	conn, code := evidenceConnection(context.Background(), env, "devices")
	if code != connect.ExitOK {
		b.Fatalf("connection: exit %d: %s", code, errb)
	}
	// The sandbox runs in this process and keeps the pages it has rendered: a full collection
	// first, so that what the export makes the server keep is not counted as the browser's.
	if _, err := CollectorFor(env, conn)(context.Background(), nil); err != nil {
		b.Fatal(err)
	}
	for range b.N {
		out := b.TempDir()
		br := NewBrowser(common.NewCommon(env), BrowserOptions{Collect: ChecksCollectorFor(env, conn),
			ExportCollect: CollectorFor(env, conn), OutDir: out})
		br.Update(teaSize(160, 40))
		devRun(b, br, br.Init())
		if br.snap == nil || !br.snap.PolicyStatusesForChecksOnly {
			b.Fatal("the browser should show a checks-only snapshot")
		}
		before, beforeObjects := heappeak.Live()
		press(b, br, "e")
		after, afterObjects := heappeak.Live()
		entries, _ := os.ReadDir(out)
		if !strings.Contains(br.message, "Exported") || len(entries) != 2 {
			b.Fatalf("the export did not run: %q, %d entries", br.message, len(entries))
		}
		b.ReportMetric(1, "exported")
		b.ReportMetric(float64(before)/(1<<20), "live-MB-before")
		b.ReportMetric(float64(after)/(1<<20), "live-MB-after")
		b.ReportMetric(float64(beforeObjects), "live-objects-before")
		b.ReportMetric(float64(afterObjects), "live-objects-after")
		runtime.KeepAlive(br)
	}
}
