package browser

import (
	"reflect"
	"runtime"
	"testing"
	"weak"

	"jcconnect/evidence"
	"jcconnect/internal/uitest"
)

// A screen that opens the browser on a snapshot it has evaluated hands it the report
// (BrowserOptions.Report): the browser keeps it packed instead of evaluating the snapshot again,
// and nothing keeps the unpacked report it was handed (watched through a weak pointer:
// reachability, not sizes or speed). What it shows is what evaluating the snapshot gives.
func TestBrowserKeepsTheReportItIsHanded(t *testing.T) {
	snap := devSnapshot(300)
	b := devBrowser(t, snap, 120, 30) // no report handed: evaluated
	want := b.kept.whole()
	rep := evidence.Evaluate(snap, b.thresholds)
	handed, summary := weak.Make(rep), &rep.Summary[0]
	b = NewBrowser(b.Common, BrowserOptions{Snapshot: snap, Report: rep, OutDir: t.TempDir()})
	rep = nil
	if !b.kept.packed || b.kept.devices.Len() != len(snap.Devices) {
		t.Fatalf("the handed report's devices should be kept packed: packed %v, %d of %d", b.kept.packed, b.kept.devices.Len(), len(snap.Devices))
	}
	got := b.kept.whole()
	if &got.Summary[0] != summary {
		t.Error("the browser evaluated the snapshot again instead of keeping the report handed to it")
	}
	if !reflect.DeepEqual(got, want) {
		t.Error("the handed report, kept, differs from evaluating the snapshot")
	}
	got, summary = nil, nil
	if !uitest.Unreachable(handed) {
		t.Error("the unpacked report handed to the browser is still reachable")
	}
	runtime.KeepAlive(b)
}
