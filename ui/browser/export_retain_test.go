package browser

import (
	"runtime"
	"strings"
	"testing"
	"weak"

	"jcconnect/connect"
	"jcconnect/evidence"
	"jcconnect/internal/uitest"
	"jcconnect/ui/common"
)

// TestBrowserExportCollectionDoesNotOutliveTheExport: the in-TUI export of a checks-only
// snapshot collects every policy status (at 50,000 devices ~45 MB, 750k objects); once the
// bundle is written nothing may keep that collection, or every garbage collection marks it while
// the user browses. It is watched through a weak pointer, so the test depends on reachability
// only, never on sizes or machine speed. The Env has a Recent, as main gives every Env.
func TestBrowserExportCollectionDoesNotOutliveTheExport(t *testing.T) {
	env, conn := evConnected(t, evServer(t, 60))
	var collected []weak.Pointer[evidence.Snapshot]
	var gone []func() bool
	b := NewBrowser(common.NewCommon(env), BrowserOptions{Collect: ChecksCollectorFor(env, conn),
		ExportCollect: watchRecords(CollectorFor(env, conn), &collected, &gone), OutDir: t.TempDir()})
	b.Update(teaSize(160, 40))
	devRun(t, b, b.Init())
	if b.snap == nil || !b.snap.PolicyStatusesForChecksOnly {
		t.Fatal("the browser should show a checks-only snapshot")
	}
	press(t, b, "e")
	if !strings.Contains(b.message, "Exported") || len(collected) != 1 {
		t.Fatalf("the export should have collected once and written the bundle: %q, %d collections", b.message, len(collected))
	}
	if !uitest.Unreachable(collected[0]) || !gone[0]() {
		t.Fatal("the export's full collection is still reachable after the export (env.Recent?)")
	}
	// What a screen opened next reuses is still there: the browser's own checks-only collection.
	if got := env.Recent.For(b.snap.OrgID, b.snap.KeyFingerprint, b.snap.Integrations, connect.ServerRulesFor(env, conn.Profile),
		b.thresholds, env.Clock()); got == nil || got.Snapshot() != b.snap {
		t.Fatalf("env.Recent should hold the collection the browser shows, got %v want the one of %p", got, b.snap)
	}
	runtime.KeepAlive(b)
}
