package browser

import (
	"context"
	"runtime"
	"strings"
	"testing"
	"time"
	"weak"

	"jcconnect/connect"
	"jcconnect/evidence"
	"jcconnect/internal/uitest"
	"jcconnect/ui/common"
)

// A screen that opens the browser on a collection it keeps hands it over as kept
// (BrowserOptions.Shown): the browser shares it, evaluating and packing nothing (its snapshot
// is a shell, whose evaluation would panic), and shows what a browser that collected the same
// snapshot itself shows (its Collect path: the rows built from the whole report, beside the
// packing), both tables.
func TestBrowserShowsTheCollectionItIsHanded(t *testing.T) {
	checksOnly := func(context.Context, connect.ProgressFunc) (*evidence.Snapshot, error) {
		snap := devSnapshot(300)
		snap.PolicyStatusesForChecksOnly = true // as every screen's
		return snap, nil
	}
	c := common.NewCommon(&connect.Env{NoColor: true, Now: func() time.Time { return devNow }})
	want := NewBrowser(c, BrowserOptions{Collect: checksOnly, OutDir: t.TempDir()})
	want.Update(teaSize(120, 30))
	devRun(t, want, want.Init())
	if want.collecting || want.collectErr != nil || want.snap == nil {
		t.Fatalf("the browser that collects did not show its collection: %v", want.collectErr)
	}
	snap, _ := checksOnly(context.Background(), nil)
	k := keptOf(snap, want.thresholds)
	b := NewBrowser(c, BrowserOptions{Shown: k, Collect: checksOnly, OutDir: t.TempDir()})
	b.Update(teaSize(120, 30))
	if b.kept.collection != k || b.snap != k.Snapshot() || !b.snap.RecordsDropped() {
		t.Fatal("the browser should show the collection handed to it, as kept: the snapshot's shell")
	}
	for _, table := range []string{"devices", "users"} {
		if got := plain(b); got != plain(want) {
			t.Errorf("%s: the browser on the collection handed:\n%s\nwant:\n%s", table, got, plain(want))
		}
		press(t, b, "tab")
		press(t, want, "tab")
	}
}

// watchRecords wraps collect so that each snapshot it returns is watched through weak pointers
// to its devices' and users' backing arrays (the records every garbage collection would mark).
func watchRecords(collect Collector, watched *[]weak.Pointer[evidence.Snapshot], records *[]func() bool) Collector {
	return func(ctx context.Context, onProgress connect.ProgressFunc) (*evidence.Snapshot, error) {
		snap, err := collect(ctx, onProgress)
		if snap != nil {
			*watched = append(*watched, weak.Make(snap))
			*records = append(*records, uitest.RecordsGone(snap))
		}
		return snap, err
	}
}

// `jcconnect devices`: once the browser shows its collection (and after a refresh, its next),
// nothing keeps the snapshot's records: not the browser, not env.Recent (which keeps the same
// collection for the screen opened next), not the collection's goroutine. Watched through weak
// pointers: reachability, never sizes or speed. The detail pane still shows its device.
func TestDevicesBrowserKeepsNoRecordsOfItsCollection(t *testing.T) {
	env, conn := evConnected(t, evServer(t, 60))
	var snaps []weak.Pointer[evidence.Snapshot]
	var gone []func() bool
	// As RunDevices opens it.
	b := NewBrowser(common.NewCommon(env), BrowserOptions{Collect: watchRecords(ChecksCollectorFor(env, conn), &snaps, &gone),
		ExportCollect: CollectorFor(env, conn), OutDir: t.TempDir(), KeyFromEnvironment: conn.KeyFromEnvironment()})
	b.Update(teaSize(160, 40))
	devRun(t, b, b.Init())
	for round := range 2 {
		if len(gone) != round+1 || b.snap == nil || !b.snap.RecordsDropped() || b.snap == snaps[round].Value() {
			t.Fatalf("collection %d: the browser should show the collection's shell (%d collections)", round+1, len(gone))
		}
		if !gone[round]() {
			t.Fatalf("collection %d: the snapshot's records are still reachable while the browser shows it", round+1)
		}
		if !uitest.Unreachable(snaps[round]) {
			t.Fatalf("collection %d: the snapshot itself is still reachable", round+1)
		}
		s := b.snap
		if k := env.Recent.For(s.OrgID, s.KeyFingerprint, s.Integrations, connect.ServerRulesFor(env, conn.Profile), b.thresholds, env.Clock()); k == nil || k.Snapshot() != s {
			t.Fatalf("collection %d: env.Recent should keep the collection the browser shows", round+1)
		}
		press(t, b, "enter")
		if v := plain(b); !strings.Contains(v, "Last contact") {
			t.Fatalf("collection %d: the detail pane:\n%s", round+1, v)
		}
		press(t, b, "esc")
		if round == 0 {
			press(t, b, "r") // refresh: the next collection
		}
	}
	runtime.KeepAlive(b)
}
