package home

import (
	"context"
	"runtime"
	"testing"
	"weak"

	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/evidence"
	"jcconnect/internal/uitest"
	"jcconnect/ui/browser"
	"jcconnect/ui/common"
)

// Home keeps what it shows (the pass rates) and hands its collection's report to the browser
// it opens (BrowserOptions.Report, which the browser keeps packed instead of evaluating again:
// TestBrowserKeepsTheReportItIsHanded); nothing keeps the unpacked report under the browser
// (watched through a weak pointer: reachability, not sizes or speed).
func TestHomeHandsItsReportToTheBrowserAndKeepsOnlyThePassRates(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	d, home := openHome(t, f)
	if home.snap == nil || home.handOff == nil || len(home.summary) == 0 {
		t.Fatal("home should have collected, with its pass rates and a report to hand over")
	}
	handed := weak.Make(home.handOff)
	var gotReport []bool // per browser built: was it handed home's report
	build := home.Screens.Browser
	home.Screens.Browser = func(ctx context.Context, c common.Common, snap *evidence.Snapshot, rep *evidence.Report, users bool) (tea.Model, error) {
		gotReport = append(gotReport, rep != nil && rep == handed.Value())
		return build(ctx, c, snap, rep, users)
	}
	d.Keys("d")
	b, ok := d.Screen.(common.App).Top().(*browser.Browser)
	if !ok || b.Snapshot() != home.snap {
		t.Fatalf("d should push the browser on home's snapshot (top %T)", d.Screen.(common.App).Top())
	}
	if len(gotReport) != 1 || !gotReport[0] {
		t.Errorf("home did not hand its report to the browser (%v)", gotReport)
	}
	if home.handOff != nil {
		t.Error("home still holds the report it handed to the browser")
	}
	if !uitest.Unreachable(handed) {
		t.Error("the unpacked report handed to the browser is still reachable under it")
	}
	wantIn(t, d.View(), "20 devices", "sorted by Device") // the browser shows the devices

	// Back on home: the pass rates are still shown; a browser opened again evaluates the snapshot.
	d.Keys("esc")
	wantIn(t, d.View(), "%", "of", "devices")
	d.Keys("d")
	if b, ok := d.Screen.(common.App).Top().(*browser.Browser); !ok || b.Snapshot() != home.snap || len(gotReport) != 2 || gotReport[1] {
		t.Fatalf("d again should push a browser on home's snapshot, with no report (top %T, %v)", d.Screen.(common.App).Top(), gotReport)
	}
	runtime.KeepAlive(d)
}
