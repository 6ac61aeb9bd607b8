package home

import (
	"context"
	"runtime"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/connect"
	"jcconnect/evidence"
	"jcconnect/internal/uitest"
	"jcconnect/ui/browser"
	"jcconnect/ui/common"
)

// Home keeps its collection as every screen keeps it (connect.Shown: the snapshot's shell and
// its report, the device and user reports packed) and opens each browser on it, shared: the
// first browse and the second evaluate and pack nothing, and nothing keeps the snapshot's
// records, neither home, nor a browser over it, nor env.Recent (watched through weak pointers:
// reachability, not sizes or speed).
func TestHomeKeepsNoRecordsAndEachBrowseSharesItsCollection(t *testing.T) {
	f := newDay2Fixture(t)
	f.Env.Recent = &connect.RecentSnapshots{} // as main sets it
	f.Save("default", f.Srv.Keys.ReadOnly)
	var gone []func() bool
	f.Ctx = connect.WithCollected(f.Ctx, func(s *evidence.Snapshot) { gone = append(gone, uitest.RecordsGone(s)) })
	d, home := openHome(t, f)
	if home.shown == nil || len(home.summary) == 0 || len(gone) != 1 {
		t.Fatalf("home should have collected once, with its pass rates (%d collections)", len(gone))
	}
	if !home.shown.Snapshot().RecordsDropped() {
		t.Fatal("home should keep its collection's shell, not the snapshot")
	}
	if !gone[0]() {
		t.Fatal("home alone: the snapshot's records are still reachable")
	}
	var handed []*evidence.Kept // what each browser built was handed
	build := home.Screens.Browser
	home.Screens.Browser = func(ctx context.Context, c common.Common, shown *evidence.Kept, users bool) (tea.Model, error) {
		handed = append(handed, shown)
		return build(ctx, c, shown, users)
	}
	for browse := 1; browse <= 2; browse++ {
		d.Keys("d")
		b, ok := d.Screen.(*common.App).Top().(*browser.Browser)
		if !ok || b.Snapshot() != home.shown.Snapshot() || len(handed) != browse || handed[browse-1] != home.shown {
			t.Fatalf("browse %d: d should push a browser on home's collection, handed as kept (top %T)", browse, d.Screen.(*common.App).Top())
		}
		wantIn(t, d.View(), "20 devices", "sorted by Device") // the browser shows the devices
		if !gone[0]() {
			t.Fatalf("browse %d: the snapshot's records are still reachable under the browser", browse)
		}
		d.Keys("esc")
		wantIn(t, d.View(), "%", "of", "devices") // back on home: the pass rates are still shown
	}
	if len(gone) != 1 {
		t.Errorf("the browses collected again (%d collections)", len(gone))
	}
	runtime.KeepAlive(d)
}
