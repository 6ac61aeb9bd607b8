package browser

import (
	"reflect"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/evidence"
)

// The browser keeps the whole snapshot's report with its devices packed and nothing of them
// unpacked, the early snapshot's as the collection made it (shared, not packed: the collection
// keeps it until it ends), and gives each back whole (keptReport.whole, what an export writes):
// the report the snapshot shown evaluates to.
func TestBrowserKeepsTheDevicesPacked(t *testing.T) {
	srv := evServer(t, 40)
	b, _, _, gate := earlyBrowser(t, srv, srv.Keys.ReadOnly)
	pending := runUntil(t, b, b.Init(), func() bool { return b.snap != nil })
	<-gate.Holding()
	kept := func(when string, packed int) {
		t.Helper()
		if b.kept.packed != (packed > 0) || len(b.kept.rep.Devices)+packed != srv.Org().Devices || b.kept.devices.Len() != packed {
			t.Fatalf("%s: packed %v, %d devices unpacked, %d packed", when, b.kept.packed, len(b.kept.rep.Devices), b.kept.devices.Len())
		}
		got, want := b.kept.whole(), evidence.Evaluate(b.snap, b.thresholds)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: the whole report is not the report of the snapshot shown", when)
		}
		if got.Devices == nil || len(b.kept.rep.Devices)+packed != srv.Org().Devices {
			t.Fatalf("%s: whole gave no devices, or changed the report kept", when)
		}
		if !reflect.DeepEqual(b.kept.device(3), want.Devices[3]) {
			t.Fatalf("%s: the detail's device is not the report's", when)
		}
	}
	kept("early", 0)
	gate.Open()
	devRun(t, b, tea.Batch(pending...))
	if b.collecting || len(b.snap.Reading()) > 0 {
		t.Fatalf("the collection did not end: %v", b.collectErr)
	}
	kept("whole", srv.Org().Devices)
}

// Whether a kept report's devices are packed is said (keptReport.packed), not guessed from
// rep.Devices: a shared report with no devices (nil) is given back as it is, not taken for a
// packed one, and either kind gives back every device as the report had it.
func TestKeptReportSaysWhetherItIsPacked(t *testing.T) {
	empty := evidence.Evaluate(devSnapshot(0), evidence.DefaultThresholds())
	empty.Devices = nil
	if got := sharedReport(empty).whole(); got != empty {
		t.Errorf("a shared report with no devices was given back as another (%p, kept %p)", got, empty)
	}
	if got := keepReport(empty).whole(); got == empty || !reflect.DeepEqual(got, empty) {
		t.Errorf("a packed report with no devices: %+v, want a copy of %+v", got, empty)
	}
	rep := evidence.Evaluate(devSnapshot(7), evidence.DefaultThresholds())
	for _, k := range []keptReport{sharedReport(rep), keepReport(rep)} {
		for i := range rep.Devices {
			if got := k.device(i); !reflect.DeepEqual(got, rep.Devices[i]) {
				t.Fatalf("packed %v: device %d is %+v, want %+v", k.packed, i, got, rep.Devices[i])
			}
		}
		if got := k.whole(); !reflect.DeepEqual(got, rep) {
			t.Errorf("packed %v: the whole report differs from the one kept", k.packed)
		}
	}
}
