package browser

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/connect"
	"jcconnect/evidence"
	"jcconnect/internal/sandboxtest"
	"jcconnect/internal/uitest"
	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
	"jcconnect/ui/common"
)

// The export from the browser of its checks-only snapshot first reads every policy status again
// (minutes at scale), then writes the bundle: esc, q and ctrl+c cancel it at either point, the
// browser stays, says "Export canceled: nothing was written." and the folder holds nothing. The
// export is held at a known point over real HTTP (a sandboxtest.Gate on the statuses, armed once
// the browser's own collection is done) or inside the writing (evidence.OnBundleFile): no timing.

// writeHold is an evidence.OnBundleFile hook that stops the writing after its first file until
// released (or until the program's context ends).
type writeHold struct {
	writing  chan struct{} // closed when the first file is written
	release  chan struct{}
	program  context.Context
	once     atomic.Bool
	released atomic.Bool
}

func newWriteHold(program context.Context) *writeHold {
	return &writeHold{writing: make(chan struct{}), release: make(chan struct{}), program: program}
}

func (h *writeHold) file(string) {
	if !h.once.CompareAndSwap(false, true) {
		return
	}
	close(h.writing)
	select {
	case <-h.release:
	case <-h.program.Done():
	}
}

func (h *writeHold) let() {
	if h.released.CompareAndSwap(false, true) {
		close(h.release)
	}
}

type exportFixture struct {
	srv  *jctest.Server
	b    *Browser
	gate *sandboxtest.Gate
	hold *writeHold
	out  string
	stop context.CancelFunc // ends the program's context (a signal)
}

// exportFixture is a browser showing the checks-only snapshot of a 60-device organisation,
// exporting to its own empty folder.
func newExportFixture(t *testing.T) *exportFixture {
	t.Helper()
	srv := evServer(t, 60)
	env, _, errb := evEnv(t, srv, srv.Keys.ReadOnly)
	gate := sandboxtest.NewIdleGate("/policystatuses") // armed for the export's own collection
	t.Cleanup(gate.Open)
	env.NewClient = func(cfg jumpcloud.Config) (*jumpcloud.Client, error) {
		cfg.RetryBaseDelay, cfg.MaxRetryDelay = time.Millisecond, 20*time.Millisecond
		cfg.Transport, cfg.Timeout = gate, time.Minute
		return jumpcloud.New(cfg)
	}
	conn, code := evidenceConnection(context.Background(), env, "devices")
	if code != connect.ExitOK {
		t.Fatalf("connection: exit %d: %s", code, errb)
	}
	program, stop := context.WithCancel(context.Background())
	t.Cleanup(stop)
	hold := newWriteHold(program)
	t.Cleanup(hold.let)
	f := &exportFixture{srv: srv, gate: gate, hold: hold, out: t.TempDir(), stop: stop}
	f.b = NewBrowser(common.NewCommon(env), BrowserOptions{Collect: ChecksCollectorFor(env, conn),
		ExportCollect: CollectorFor(env, conn), OutDir: f.out, Context: evidence.OnBundleFile(program, hold.file)})
	f.b.Update(teaSize(160, 30))
	devRun(t, f.b, f.b.Init())
	if f.b.snap == nil || !f.b.snap.PolicyStatusesForChecksOnly {
		t.Fatalf("the browser should show a checks-only snapshot: %v", f.b.collectErr)
	}
	return f
}

// startExport presses e and returns the export's command, not run yet.
func (f *exportFixture) startExport(t *testing.T) tea.Cmd {
	t.Helper()
	_, cmd := f.b.Update(devKey("e"))
	if cmd == nil || !f.b.CapturesQuit() {
		t.Fatalf("e started no export:\n%s", plain(f.b))
	}
	if v := plain(f.b); !strings.Contains(v, "Exporting") || !strings.Contains(v, "esc cancel export") {
		t.Errorf("while exporting the screen must say so and name the cancel key:\n%s", v)
	}
	return cmd
}

// assertCanceled runs the export's command to its end and checks what the browser and the
// folder are left with.
func (f *exportFixture) assertCanceled(t *testing.T, cmd tea.Cmd) {
	t.Helper()
	if v := plain(f.b); !strings.Contains(v, "Canceling the export") {
		t.Errorf("the cancel is not acknowledged:\n%s", v)
	}
	devRun(t, f.b, cmd)
	v := plain(f.b)
	if !strings.Contains(v, "Export canceled: nothing was written.") {
		t.Errorf("after the cancel:\n%s", v)
	}
	if !strings.Contains(v, "esc back") || strings.Contains(v, "cancel export") || f.b.CapturesQuit() {
		t.Errorf("the browser still acts as if exporting:\n%s", v)
	}
	uitest.AssertDirEmpty(t, f.out)
	// The browser is still usable: it moves, and exports again.
	before := f.b.tab().cursor
	press(t, f.b, "down")
	if f.b.tab().cursor != before+1 {
		t.Error("the browser does not move after a canceled export")
	}
}

func TestBrowserEscCancelsTheExportWhileItReadsEveryStatus(t *testing.T) {
	f := newExportFixture(t)
	f.gate.Arm()
	cmd := f.startExport(t)
	<-f.gate.Holding() // the export's own collection is reading the statuses
	if _, back := f.b.Update(devKey("esc")); back != nil {
		t.Fatal("esc during the export must cancel it, not leave the browser")
	}
	// The gate stays shut: the export can only end by giving up its held requests.
	f.assertCanceled(t, cmd)
	f.gate.Open()
	f.hold.let()
	press(t, f.b, "e")
	if !strings.Contains(plain(f.b), "Exported") {
		t.Fatalf("an export after a canceled one:\n%s", plain(f.b))
	}
}

func TestBrowserQCancelsTheExportWhileItWritesTheBundle(t *testing.T) {
	f := newExportFixture(t)
	cmd := f.startExport(t)
	<-f.hold.writing // the first file of the bundle is on disk
	if _, back := f.b.Update(devKey("q")); back != nil {
		t.Fatal("q during the export must cancel it, not leave the browser")
	}
	f.hold.let()
	f.assertCanceled(t, cmd)
}

// ctrl+c goes to the app, which would quit mid-write: while the export runs it is the browser's,
// and cancels it; once the export has ended, ctrl+c quits.
func TestBrowserCtrlCDuringTheExportCancelsItThenQuits(t *testing.T) {
	f := newExportFixture(t)
	app := common.NewApp(f.b.Common, f.b)
	cmd := f.startExport(t)
	<-f.hold.writing
	if _, quit := app.Update(tea.KeyMsg{Type: tea.KeyCtrlC}); quit != nil {
		if _, ok := quit().(tea.QuitMsg); ok {
			t.Fatal("ctrl+c during the export quit the program mid-write")
		}
	}
	f.hold.let()
	f.assertCanceled(t, cmd)
	_, quit := app.Update(tea.KeyMsg{Type: tea.KeyCtrlC})
	if quit == nil {
		t.Fatal("ctrl+c after the export does not quit")
	}
	if _, ok := quit().(tea.QuitMsg); !ok {
		t.Fatal("ctrl+c after the export does not quit")
	}
}

// The program ended by a signal while the bundle is written (its context canceled, the export's
// command never run): StopExport, as RunDevices calls it, returns only once nothing is left.
func TestBrowserProgramEndDuringTheExportLeavesNothing(t *testing.T) {
	f := newExportFixture(t)
	f.startExport(t)
	<-f.hold.writing
	if entries, _ := os.ReadDir(f.out); len(entries) == 0 {
		t.Fatal("nothing was being written: the test shows nothing")
	}
	f.stop() // the signal: the program's context ends, the hook lets the writing go on
	f.b.StopExport()
	uitest.AssertDirEmpty(t, f.out)
}

// A second export of the snapshot shown answers as it always did: refused while the bundle is
// there (without reading the organisation again: nothing of the first collection is kept, only
// where its bundle went), and written anew once it was moved away.
func TestBrowserExportAgainAnswersAsBefore(t *testing.T) {
	f := newExportFixture(t)
	f.hold.let()
	press(t, f.b, "e")
	if !strings.Contains(plain(f.b), "Exported") {
		t.Fatalf("export:\n%s", plain(f.b))
	}
	first, _ := os.ReadDir(f.out)
	if len(first) != 2 {
		t.Fatalf("the export wrote %d entries", len(first))
	}
	f.srv.ResetCounts()
	press(t, f.b, "e")
	if msg := f.b.message; !f.b.bad || !strings.HasPrefix(msg, "Export failed: ") || !strings.Contains(msg, first[0].Name()+" already exists") ||
		!strings.Contains(msg, "move it or pass another --out") {
		t.Errorf("the same snapshot exported again: %q", msg)
	}
	if n := len(f.srv.Seen()); n != 0 {
		t.Errorf("the refusal read the organisation again: %d requests", n)
	}
	moved := t.TempDir()
	for _, e := range first {
		if err := os.Rename(filepath.Join(f.out, e.Name()), filepath.Join(moved, e.Name())); err != nil {
			t.Fatal(err)
		}
	}
	press(t, f.b, "e")
	if v := plain(f.b); !strings.Contains(v, "Exported") {
		t.Errorf("exported again once the bundle was moved away:\n%s", v)
	}
	if again, _ := os.ReadDir(f.out); len(again) != 2 {
		t.Errorf("the export wrote %d entries", len(again))
	}
}

// The browser pushed by home or the wizard: the program ended by a signal mid-export, the host's
// common.StopScreens on what Run returned returns only once nothing is left.
func TestBrowserPushedProgramEndDuringTheExportLeavesNothing(t *testing.T) {
	f := newExportFixture(t)
	app := common.NewApp(f.b.Common, NewBrowser(f.b.Common, BrowserOptions{})) // home's place
	final, _ := app.Update(common.PushMsg{Screen: f.b})
	f.startExport(t)
	<-f.hold.writing
	f.stop()
	common.StopScreens(final)
	uitest.AssertDirEmpty(t, f.out)
}
