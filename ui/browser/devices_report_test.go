package browser

import (
	"context"
	"reflect"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/evidence"
)

// The browser keeps the whole snapshot's collection as every screen keeps it (evidence.Kept: the
// shell, the device and user reports packed, nothing of them unpacked), the early snapshot's
// report as the collection made it (shared, not packed: the collection keeps it until it ends),
// and gives each back whole (keptReport.whole, what an export writes): the report the snapshot
// shown evaluates to.
func TestBrowserKeepsTheDevicesPacked(t *testing.T) {
	srv := evServer(t, 40)
	b, _, _, gate := earlyBrowser(t, srv, srv.Keys.ReadOnly)
	collections := watchCollections(b)
	pending := runUntil(t, b, b.Init(), func() bool { return b.snap != nil })
	<-gate.Holding()
	kept := func(when string, want *evidence.Report) {
		t.Helper()
		packed := b.kept.collection != nil
		if b.kept.devices() != srv.Org().Devices || packed != (b.kept.shared == nil) || (packed && b.kept.report().Devices != nil) {
			t.Fatalf("%s: packed %v, %d devices, %d of them unpacked", when, packed, b.kept.devices(), len(b.kept.report().Devices))
		}
		got := b.kept.whole()
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: the whole report is not the report of the snapshot shown", when)
		}
		if got.Devices == nil || (packed && b.kept.report().Devices != nil) {
			t.Fatalf("%s: whole gave no devices, or changed the report kept", when)
		}
		if !reflect.DeepEqual(b.kept.device(3), want.Devices[3]) {
			t.Fatalf("%s: the detail's device is not the report's", when)
		}
	}
	kept("early", evidence.Evaluate(b.snap, b.thresholds))
	if b.kept.collection != nil {
		t.Fatal("the early report should be shared, not packed")
	}
	gate.Open()
	devRun(t, b, tea.Batch(pending...))
	if b.collecting || len(b.snap.Reading()) > 0 {
		t.Fatalf("the collection did not end: %v", b.collectErr)
	}
	if b.kept.collection == nil || !b.snap.RecordsDropped() || b.kept.collection.Snapshot() != b.snap {
		t.Fatal("the whole snapshot should be kept as the screens keep it: its shell, the reports packed")
	}
	kept("whole", collections.shown(t).rep) // the snapshot shown, evaluated anew
}

// A shared report and a kept one give back every device as the report had them; a shared report
// with no devices (nil) is given back as it is.
func TestKeptReportGivesBackTheReport(t *testing.T) {
	empty := evidence.Evaluate(devSnapshot(0), evidence.DefaultThresholds())
	empty.Devices = nil
	if got := sharedReport(empty).whole(); got != empty {
		t.Errorf("a shared report with no devices was given back as another (%p, kept %p)", got, empty)
	}
	if got := (keptReport{collection: evidence.Keep(devSnapshot(0), empty)}).whole(); got == empty || !reflect.DeepEqual(got, empty) {
		t.Errorf("a kept report with no devices: %+v, want a copy of %+v", got, empty)
	}
	snap := devSnapshot(700)
	rep := evidence.Evaluate(snap, evidence.DefaultThresholds())
	for _, k := range []keptReport{sharedReport(rep), {collection: evidence.Keep(snap, rep)}} {
		if k.devices() != len(rep.Devices) {
			t.Fatalf("kept %v: %d devices, want %d", k.collection != nil, k.devices(), len(rep.Devices))
		}
		for i := range rep.Devices {
			if got := k.device(i); !reflect.DeepEqual(got, rep.Devices[i]) {
				t.Fatalf("kept %v: device %d is %+v, want %+v", k.collection != nil, i, got, rep.Devices[i])
			}
		}
		if got := k.whole(); !reflect.DeepEqual(got, rep) {
			t.Errorf("kept %v: the whole report differs from the one kept", k.collection != nil)
		}
	}
}

// A kept collection's tables (rows made from the packed devices and users, their results'
// reasons and evidence never unpacked) are the tables of the report it keeps, and the detail
// pane's user is the report's: for a sandbox organisation with hostile names, collected, and
// for a handmade snapshot of over two blocks of devices. The users are sorted by email,
// descending, as a tab's sort kept from the collection before.
func TestTablesOfAKeptCollectionAreTheReportsTables(t *testing.T) {
	env, conn := evConnected(t, evServer(t, 120))
	collected, err := ChecksCollectorFor(env, conn)(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, snap := range []*evidence.Snapshot{collected, devSnapshot(1100)} {
		rep := evidence.Evaluate(snap, evidence.DefaultThresholds())
		if len(rep.Users) == 0 || len(rep.Devices) == 0 {
			t.Fatalf("the sample has %d users and %d devices", len(rep.Users), len(rep.Devices))
		}
		var prev [2]tabState
		prev[modeDevices].cols, prev[modeUsers].cols = deviceColumns(), userColumns()
		prev[modeUsers].spec = viewSpec{sortCol: 1, desc: true}
		want := buildTabs(sharedReport(rep), prev, devNow)
		k := keptReport{collection: evidence.Keep(snap, rep)}
		if got := buildTabs(k, prev, devNow); !reflect.DeepEqual(got, want) {
			t.Fatalf("%d devices: the tables of the kept collection differ from the report's", len(rep.Devices))
		}
		if k.users() != len(rep.Users) {
			t.Fatalf("%d users kept, %d in the report", k.users(), len(rep.Users))
		}
		for i := range rep.Users {
			if got := k.user(i); !reflect.DeepEqual(got, rep.Users[i]) {
				t.Fatalf("user %d is %+v, want %+v", i, got, rep.Users[i])
			}
		}
	}
}
