package browser

import (
	"context"
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
	srv := evServer(t, 60)
	env, _, errb := evEnv(t, srv, srv.Keys.ReadOnly)
	conn, code := evidenceConnection(context.Background(), env, "devices")
	if code != connect.ExitOK {
		t.Fatalf("connection: exit %d: %s", code, errb)
	}
	var collected []weak.Pointer[evidence.Snapshot]
	full := CollectorFor(env, conn)
	watched := func(ctx context.Context, onProgress connect.ProgressFunc) (*evidence.Snapshot, error) {
		snap, err := full(ctx, onProgress)
		if snap != nil {
			collected = append(collected, weak.Make(snap))
		}
		return snap, err
	}
	b := NewBrowser(common.NewCommon(env), BrowserOptions{Collect: ChecksCollectorFor(env, conn),
		ExportCollect: watched, OutDir: t.TempDir()})
	b.Update(teaSize(160, 40))
	devRun(t, b, b.Init())
	if b.snap == nil || !b.snap.PolicyStatusesForChecksOnly {
		t.Fatal("the browser should show a checks-only snapshot")
	}
	press(t, b, "e")
	if !strings.Contains(b.message, "Exported") || len(collected) != 1 {
		t.Fatalf("the export should have collected once and written the bundle: %q, %d collections", b.message, len(collected))
	}
	if !uitest.Unreachable(collected[0]) {
		t.Fatal("the export's full collection is still reachable after the export (env.Recent?)")
	}
	// What a screen opened next reuses is still there: the browser's own checks-only snapshot.
	if got := env.Recent.For(b.snap.OrgID, b.snap.KeyFingerprint, b.snap.Integrations, connect.ServerRulesFor(env, conn.Profile), env.Clock()); got != b.snap {
		t.Fatalf("env.Recent should hold the snapshot the browser shows, got %p want %p", got, b.snap)
	}
	runtime.KeepAlive(b)
}
