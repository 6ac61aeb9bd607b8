package browser

import (
	"reflect"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/evidence"
)

// The browser keeps the whole snapshot's report with its devices packed and nothing of them
// unpacked, the early snapshot's as the collection made it (shared, not packed: the collection
// keeps it until it ends), and Report gives each back whole: the report the snapshot shown
// evaluates to.
func TestBrowserKeepsTheDevicesPacked(t *testing.T) {
	srv := evServer(t, 40)
	b, _, _, gate := earlyBrowser(t, srv, srv.Keys.ReadOnly)
	pending := runUntil(t, b, b.Init(), func() bool { return b.snap != nil })
	<-gate.Holding()
	kept := func(when string, packed int) {
		t.Helper()
		if len(b.rep.Devices)+packed != srv.Org().Devices || b.devices.Len() != packed {
			t.Fatalf("%s: %d devices unpacked, %d packed", when, len(b.rep.Devices), b.devices.Len())
		}
		got, want := b.Report(), evidence.Evaluate(b.snap, b.thresholds)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: Report is not the report of the snapshot shown", when)
		}
		if got.Devices == nil || len(b.rep.Devices)+packed != srv.Org().Devices {
			t.Fatalf("%s: Report gave no devices, or changed the report kept", when)
		}
		if !reflect.DeepEqual(b.kept().device(3), want.Devices[3]) {
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
