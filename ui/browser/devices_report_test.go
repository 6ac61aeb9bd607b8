package browser

import (
	"reflect"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/evidence"
)

// The browser keeps its reports' devices packed and nothing of them unpacked, the early
// snapshot's and the whole one's alike, and Report gives each back whole: the report the
// snapshot shown evaluates to.
func TestBrowserKeepsTheDevicesPacked(t *testing.T) {
	srv := evServer(t, 40)
	b, _, _, gate := earlyBrowser(t, srv, srv.Keys.ReadOnly)
	pending := runUntil(t, b, b.Init(), func() bool { return b.snap != nil })
	<-gate.Holding()
	kept := func(when string) {
		t.Helper()
		if b.rep.Devices != nil || b.devices.Len() != srv.Org().Devices {
			t.Fatalf("%s: %d devices unpacked, %d packed", when, len(b.rep.Devices), b.devices.Len())
		}
		got, want := b.Report(), evidence.Evaluate(b.snap, b.thresholds)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: Report is not the report of the snapshot shown", when)
		}
		if got.Devices == nil || b.rep.Devices != nil {
			t.Fatalf("%s: Report gave no devices, or changed the report kept", when)
		}
	}
	kept("early")
	if !reflect.DeepEqual(b.Report().Devices[0].Results, b.devices.Device(0).Results) {
		t.Fatal("the detail's device is not the report's")
	}
	gate.Open()
	devRun(t, b, tea.Batch(pending...))
	if b.collecting || len(b.snap.Reading()) > 0 {
		t.Fatalf("the collection did not end: %v", b.collectErr)
	}
	kept("whole")
}
