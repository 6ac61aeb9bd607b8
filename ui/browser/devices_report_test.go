package browser

import (
	"context"
	"reflect"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/evidence"
)

// The browser keeps the whole snapshot's collection as every screen keeps it (evidence.Kept: the
// shell, the devices packed, nothing of them unpacked), the early snapshot's report as the
// collection made it (shared, not packed: the collection keeps it until it ends), and gives each
// back whole (keptReport.whole, what an export writes): the report the snapshot shown evaluates
// to.
func TestBrowserKeepsTheDevicesPacked(t *testing.T) {
	srv := evServer(t, 40)
	b, _, _, gate := earlyBrowser(t, srv, srv.Keys.ReadOnly)
	pending := runUntil(t, b, b.Init(), func() bool { return b.snap != nil })
	<-gate.Holding()
	kept := func(when string, want *evidence.Report) {
		t.Helper()
		packed := b.kept.kept != nil
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
	if b.kept.kept != nil {
		t.Fatal("the early report should be shared, not packed")
	}
	gate.Open()
	devRun(t, b, tea.Batch(pending...))
	if b.collecting || len(b.snap.Reading()) > 0 {
		t.Fatalf("the collection did not end: %v", b.collectErr)
	}
	if b.kept.kept == nil || !b.snap.RecordsDropped() || b.kept.kept.Snapshot() != b.snap {
		t.Fatal("the whole snapshot should be kept as the screens keep it: its shell, the devices packed")
	}
	again, err := b.collect(context.Background(), nil) // the same organisation, evaluated anew
	if err != nil {
		t.Fatal(err)
	}
	kept("whole", evidence.Evaluate(again, b.thresholds))
}

// A shared report and a kept one give back every device as the report had them; a shared report
// with no devices (nil) is given back as it is.
func TestKeptReportGivesBackTheReport(t *testing.T) {
	empty := evidence.Evaluate(devSnapshot(0), evidence.DefaultThresholds())
	empty.Devices = nil
	if got := sharedReport(empty).whole(); got != empty {
		t.Errorf("a shared report with no devices was given back as another (%p, kept %p)", got, empty)
	}
	if got := (keptReport{kept: evidence.Keep(devSnapshot(0), empty)}).whole(); got == empty || !reflect.DeepEqual(got, empty) {
		t.Errorf("a kept report with no devices: %+v, want a copy of %+v", got, empty)
	}
	snap := devSnapshot(700) // more than one block of All
	rep := evidence.Evaluate(snap, evidence.DefaultThresholds())
	for _, k := range []keptReport{sharedReport(rep), {kept: evidence.Keep(snap, rep)}} {
		if k.devices() != len(rep.Devices) {
			t.Fatalf("kept %v: %d devices, want %d", k.kept != nil, k.devices(), len(rep.Devices))
		}
		for i := range rep.Devices {
			if got := k.device(i); !reflect.DeepEqual(got, rep.Devices[i]) {
				t.Fatalf("kept %v: device %d is %+v, want %+v", k.kept != nil, i, got, rep.Devices[i])
			}
		}
		for i, d := range k.allDevices() {
			if !reflect.DeepEqual(*d, rep.Devices[i]) {
				t.Fatalf("kept %v: device %d, in order, is %+v", k.kept != nil, i, *d)
			}
		}
		if got := k.whole(); !reflect.DeepEqual(got, rep) {
			t.Errorf("kept %v: the whole report differs from the one kept", k.kept != nil)
		}
	}
}
