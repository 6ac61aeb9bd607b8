package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"jcconnect/internal/sandboxtest"
	"jcconnect/internal/uitest"
	"jcconnect/jumpcloud/jctest"
)

// `jcconnect devices` in a real terminal: e exports the checks-only snapshot shown, which first
// reads every policy status again (held here, over real HTTP, by a gate armed once the table is
// whole). ctrl+c then cancels the export instead of quitting mid-way: the browser stays, says
// nothing was written, and the export folder holds nothing; q then quits, exit 0.
func TestE2ETmuxBrowserCtrlCCancelsTheExport(t *testing.T) {
	uitest.RequireTmux(t)
	bin := uitest.Binary(t)
	srv := jctest.NewServer(jctest.Options{Devices: 120, Seed: 4})
	t.Cleanup(srv.Close)
	gate := sandboxtest.NewIdleGate("/policystatuses")
	t.Cleanup(gate.Open)
	front := gatedFront(t, srv, gate)
	dir := t.TempDir()
	out := filepath.Join(dir, "Documents")
	if err := os.Mkdir(out, 0o700); err != nil {
		t.Fatal(err)
	}
	tt := devicesInTmux(t, bin, front, srv.Keys.ReadOnly, dir, "jcexport", "export", "XDG_DOCUMENTS_DIR="+out)

	waitGone(tt, "Still reading")
	gate.Arm()
	tt.Send("e")
	screen := tt.WaitFor("esc cancel export")
	if !strings.Contains(screen, "Exporting: reading every policy status first") {
		t.Errorf("the export does not say what it does:\n%s", screen)
	}
	select {
	case <-gate.Holding():
	case <-time.After(30 * time.Second):
		t.Fatal("the export read no policy status: the test shows nothing")
	}
	tt.Send("C-c")
	screen = tt.WaitForAny("Export canceled", "EXIT=")
	t.Logf("after ctrl+c:\n%s", screen)
	if !strings.Contains(screen, "Export canceled: nothing was written.") || strings.Contains(screen, "EXIT=") {
		t.Fatal("ctrl+c during the export must cancel it and keep the browser")
	}
	if !strings.Contains(screen, "120 of 120") || !strings.Contains(screen, "esc back") {
		t.Errorf("the browser is not back to browsing:\n%s", screen)
	}
	uitest.AssertDirEmpty(t, out)
	tt.Send("q")
	if screen = tt.WaitFor("EXIT="); !strings.Contains(screen, "EXIT=0") {
		t.Errorf("q after the canceled export: %s", screen)
	}
	uitest.AssertDirEmpty(t, out)
}
