package home

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/evidence"
	"jcconnect/internal/uitest"
	"jcconnect/jumpcloud/jctest"
	"jcconnect/ui/common"
)

// Issue 11 item 10: the export inside the TUI, against jctest over real HTTP: e on home pushes
// the export screen, which asks for the folder (Documents or home by default, never the
// working folder), exports for real, and ends on the absolute path, the completeness verdict
// and o to open the folder.

// exportFixture is a stored Read Only key and a private home folder.
func exportFixture(t *testing.T) *day2Fixture {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	f.Vars["HOME"] = t.TempDir()
	return f
}

// openExport opens home, presses e and returns the driver and the export screen.
func openExport(t *testing.T, f *day2Fixture) (*uitest.Driver, *ExportModel) {
	t.Helper()
	d, _ := openHome(t, f)
	d.Keys("e")
	v := d.View()
	if !strings.Contains(v, "Folder: ") {
		t.Fatalf("e did not open the export screen:\n%s", v)
	}
	return d, topScreen(t, d).(*ExportModel)
}

func topScreen(t *testing.T, d *uitest.Driver) tea.Model {
	t.Helper()
	app, ok := d.Screen.(interface{ Top() tea.Model })
	if !ok {
		t.Fatalf("not an app: %T", d.Screen)
	}
	return app.Top()
}

// setFolder replaces the folder field's text.
func setFolder(d *uitest.Driver, dir string) {
	d.Send(tea.KeyMsg{Type: tea.KeyCtrlU})
	d.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(dir)})
}

func TestExportScreenDefaultsToDocumentsThenHomeNeverTheWorkingFolder(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	home := t.TempDir()
	f.Vars["HOME"] = home

	_, m := openExport(t, f)
	if got := m.Folder(); got != home {
		t.Errorf("without a Documents folder the default is %q, want home %q", got, home)
	}
	docs := filepath.Join(home, "Documents")
	if err := os.Mkdir(docs, 0o700); err != nil {
		t.Fatal(err)
	}
	d, m := openExport(t, f)
	if got := m.Folder(); got != docs {
		t.Errorf("the default is %q, want the Documents folder %q", got, docs)
	}
	uitest.WantIn(t, d.View(), "Folder: "+docs, "enter export here")
	wd, _ := os.Getwd()
	if strings.HasPrefix(m.Folder(), wd) {
		t.Errorf("the default %q is inside the working folder %q", m.Folder(), wd)
	}
	// esc goes back to home without writing anything.
	d.Keys("esc")
	uitest.WantIn(t, d.View(), "Actions")
	if entries, _ := os.ReadDir(docs); len(entries) != 0 {
		t.Errorf("esc wrote %d files", len(entries))
	}
}

func TestExportScreenWritesACompleteBundleAndOpensTheFolder(t *testing.T) {
	f := exportFixture(t)
	out := filepath.Join(t.TempDir(), "audit 2026") // does not exist yet: it is created

	d, m := openExport(t, f)
	var opened []string
	m.Open = func(_ context.Context, dir string) error { opened = append(opened, dir); return nil }
	setFolder(d, out)
	d.Keys("enter") // runs the real collection and export to the end

	v := d.View()
	uitest.WantIn(t, v, "✓ Complete: every source was read in full.", "Folder", "Zip",
		"each listed with its SHA-256 in manifest.json", "o open the folder")
	uitest.WantNotIn(t, v, "INCOMPLETE", "127.0.0.1")
	res := m.outcome.Result
	if !filepath.IsAbs(res.Dir) || !filepath.IsAbs(res.Zip) || filepath.Dir(res.Dir) != out {
		t.Errorf("paths are not absolute in %s: %q %q", out, res.Dir, res.Zip)
	}
	// The whole paths are on screen, at 100 columns and at the smallest window, split over
	// lines when longer than the window rather than cut at its edge.
	for _, w := range []int{100, 60} {
		d.Send(tea.WindowSizeMsg{Width: w, Height: 40})
		for _, p := range []string{res.Dir, res.Zip} {
			if !strings.Contains(noSpace(d.View()), noSpace(p)) {
				t.Errorf("at %d columns the screen lacks the path %s:\n%s", w, p, m.View())
			}
		}
	}
	d.Send(tea.WindowSizeMsg{Width: 100, Height: 50})
	man := readManifest(t, res.Dir)
	if !man.Evidence.Complete || man.OrgID != f.Srv.Org().ID {
		t.Errorf("manifest: complete %v org %q", man.Evidence.Complete, man.OrgID)
	}
	if _, err := os.Stat(res.Zip); err != nil {
		t.Errorf("zip: %v", err)
	}
	// Every policy status was read: the bundle is evidence, not the checks-only view.
	if m.outcome.Snapshot.PolicyStatusesForChecksOnly {
		t.Error("the export's snapshot read only the checks' policy statuses")
	}

	d.Keys("o")
	if len(opened) != 1 || opened[0] != res.Dir {
		t.Errorf("o opened %v, want %s", opened, res.Dir)
	}
	uitest.WantIn(t, d.View(), "Opened the folder in the file manager.")

	// A file manager that cannot be started: said, and the path stays on screen.
	m.Open = func(context.Context, string) error { return errors.New("xdg-open: executable file not found in $PATH") }
	d.Keys("o")
	uitest.WantIn(t, d.View(), "The folder could not be opened (xdg-open: executable file not found")
	if !strings.Contains(noSpace(d.View()), noSpace(res.Dir)) {
		t.Error("the path is gone after the opener failed")
	}

	d.Keys("enter")
	uitest.WantIn(t, d.View(), "Actions")
}

func TestExportScreenSaysWhichSourcesAreMissing(t *testing.T) {
	f := exportFixture(t)
	f.Srv.Inject(jctest.Fault{PathPrefix: "/api/systemusers", Kind: jctest.FaultStatus, Status: 500})

	d, m := openExport(t, f)
	setFolder(d, t.TempDir())
	d.Keys("enter")

	v := d.View()
	uitest.WantIn(t, v, "INCOMPLETE: not read in full: users (failed)", "summary.md", "Folder ")
	uitest.WantNotIn(t, v, "Complete: every source")
	if m.outcome.Complete() || m.outcome.Code == 0 {
		t.Errorf("outcome complete %v code %d", m.outcome.Complete(), m.outcome.Code)
	}
	if man := readManifest(t, m.outcome.Result.Dir); man.Evidence.Complete {
		t.Error("the manifest says complete")
	}
}

func TestExportScreenEscCancelsAndLeavesNothing(t *testing.T) {
	f := exportFixture(t)
	out := t.TempDir()
	d, m := openExport(t, f)
	setFolder(d, out)
	// The device list never answers until the request is canceled: the export is surely
	// running when ctrl+c arrives, whatever the machine's speed.
	f.Srv.Inject(jctest.Fault{PathPrefix: "/api/systems", Kind: jctest.FaultLatency, Delay: time.Hour})
	// enter, then the first progress event only: the collection is under way.
	var wait tea.Cmd
	d.Screen, wait = d.Screen.Update(uitest.KeyMsg("enter"))
	d.Screen, wait = d.Screen.Update(wait())
	uitest.WantIn(t, d.View(), "Collecting every source", "esc cancel", "pages")
	if !m.CapturesQuit() {
		t.Error("ctrl+c would end the program in the middle of an export")
	}
	// ctrl+c goes to the export (it cancels), not to the app (it would quit).
	d.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	if d.Quit {
		t.Fatal("ctrl+c quit the program during the export")
	}
	d.Run(wait)

	uitest.WantIn(t, d.View(), "Export canceled: export canceled; nothing was written.")
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("left behind in the folder: %s", e.Name())
	}
	d.Keys("esc")
	uitest.WantIn(t, d.View(), "Actions")
}

// The program ended by a signal while the export screen was writing the bundle: the host's
// common.StopScreens on what Run returned cancels the export and returns only once the half
// written bundle is gone, before the process exits. The writing is held after its first file
// (evidence.OnBundleFile) until the program's context ends: no timing.
func TestExportScreenProgramEndDuringTheWriteLeavesNothing(t *testing.T) {
	f := exportFixture(t)
	out := t.TempDir()
	program, signal := context.WithCancel(f.Ctx)
	defer signal()
	writing := make(chan struct{})
	var once sync.Once
	f.Ctx = evidence.OnBundleFile(program, func(string) {
		once.Do(func() { close(writing) })
		<-program.Done()
	})
	d, _ := openExport(t, f)
	setFolder(d, out)
	d.Screen, _ = d.Screen.Update(uitest.KeyMsg("enter"))
	select {
	case <-writing:
	case <-time.After(time.Minute): // a guard against a hang, not a timing: the write comes first
		t.Fatal("the export never began writing its bundle")
	}
	signal()
	common.StopScreens(d.Screen)
	uitest.AssertDirEmpty(t, out)
}

func TestExportScreenBadFolderIsSaidWithTheFix(t *testing.T) {
	f := exportFixture(t)
	file := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	d, _ := openExport(t, f)
	f.Srv.ResetCounts()
	setFolder(d, file)
	d.Keys("enter")
	uitest.WantIn(t, d.View(), "The export failed:", "is not a folder")
	if n := f.Srv.Stats().Requests; n != 0 {
		t.Errorf("%d requests before the folder was found unusable", n)
	}
}

func readManifest(t *testing.T, dir string) evidence.Manifest {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m evidence.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func noSpace(s string) string { return strings.Join(strings.Fields(s), "") }
