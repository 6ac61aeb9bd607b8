package wizard

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/connect"
	"jcconnect/evidence"
	"jcconnect/internal/uitest"
	"jcconnect/store"
	"jcconnect/ui/browser"
	"jcconnect/ui/common"
)

func TestPreviewSummarisesTheFirstSnapshot(t *testing.T) {
	srv := wizSandbox(t)
	h := toSave(t, newWizHarness(t, wizEnv(t, srv, nil))).keys("enter", "enter")
	h.at(StepPreview)
	org := srv.Org()
	v := h.view()
	wizHas(t, v, "Step 7 of 7: Preview the evidence", "Connected: "+org.Name,
		fmt.Sprintf("Devices %d (", org.Devices), "compliant", "Disk encryption", "Firewall",
		fmt.Sprintf("Policies %d; results:", org.Policies), fmt.Sprintf("Users %d; SSO applications: %d", org.Users, org.Applications),
		"MFA coverage", "b browse devices", "e export evidence", "enter done")
	// The glossary's words: "unknown", never "undecided"; OS families named, never "darwin".
	wizHas(t, v, " unknown", "macOS")
	wizLacks(t, v, "undecided", "darwin", "not_applicable")
	h.keys("enter")
	if len(h.Out) != 1 {
		t.Fatalf("done sent %v", h.Out)
	}
	if _, ok := h.Out[0].(common.PopMsg); !ok {
		t.Fatalf("done sent %T, want PopMsg", h.Out[0])
	}
}

func TestPreviewProgressCountsPages(t *testing.T) {
	p := newPreviewStep(common.Common{Styles: common.NewStyles(true)})
	p.Gen, p.running = 1, true
	p.counts = map[string]evidence.ProgressEvent{}
	integ := evidence.Integrations{SSO: true}
	p.bar = common.NewWorkBar(common.NewStyles(true), integ)
	st := &wizardState{verified: &connect.Verified{Integrations: store.Integrations{SSO: true}}}
	p.update(previewProgressMsg{Gen: 1, ev: evidence.ProgressEvent{Source: "users", Pages: 5, Items: 50, Total: 100}}, st)
	p.update(previewProgressMsg{Gen: 1, ev: evidence.ProgressEvent{Source: "sso applications", Pages: 1, Items: 6, Total: 6, Done: true}}, st)
	p.update(previewProgressMsg{Gen: 0, ev: evidence.ProgressEvent{Source: "users", Items: 100, Total: 100, Done: true}}, st) // stale
	// By pages: users 5 of 10, applications 1 of 1, each source not begun one page.
	chosen := len(evidence.ChosenSources(integ))
	want := 6.0 / float64(10+1+chosen-2)
	if got := p.bar.Work().Fraction; got != want {
		t.Fatalf("fraction %v, want %v", got, want)
	}
	v := wizPlain(p.view(st, common.Common{Styles: common.NewStyles(true), Width: 100}))
	wizHas(t, v, "Collecting a first snapshot", fmt.Sprintf("pages 6 of ~%d", 10+1+chosen-2), "users 50 / 100", "sso applications 6 / 6 ✓")
}

func TestPreviewRevokedMidwayOffersRetry(t *testing.T) {
	srv := wizSandbox(t)
	h := toSave(t, newWizHarness(t, wizEnv(t, srv, nil))).keys("enter")
	srv.RevokeKey(srv.Keys.ReadOnly)
	h.keys("enter")
	h.at(StepPreview)
	wizHas(t, h.view(), "Collection stopped", "The key is saved; r collects again", "r try again")
}

func TestPreviewBrowsePushesTheEvidenceBrowser(t *testing.T) {
	srv := wizSandbox(t)
	env := wizEnv(t, srv, nil)
	env.Recent = &connect.RecentSnapshots{} // as main sets it: what it keeps counts too
	h := toSave(t, newWizHarness(t, env))
	var gone []func() bool // per collection: are its devices' and users' records garbage
	h.w.st.ctx = connect.WithCollected(h.w.st.ctx, func(s *evidence.Snapshot) { gone = append(gone, uitest.RecordsGone(s)) })
	h.keys("enter", "enter")
	p := h.w.preview()
	if p.shown == nil || !p.shown.Snapshot().RecordsDropped() || len(gone) != 1 {
		t.Fatalf("the preview should keep its collection's shell and report (%d collections)", len(gone))
	}
	// The preview keeps what its summary shows, counted, and the collection as every screen
	// keeps it (connect.Shown): nothing keeps the snapshot's records (watched through weak
	// pointers: reachability, not sizes or speed), neither the preview nor env.Recent.
	if !gone[0]() {
		t.Fatal("the preview alone: its snapshot's records are still reachable")
	}
	before := h.view()
	h.keys("b")
	if len(h.Out) != 1 {
		t.Fatalf("b sent %v", h.Out)
	}
	push, ok := h.Out[0].(common.PushMsg)
	if !ok {
		t.Fatalf("b sent %T", h.Out[0])
	}
	b, ok := push.Screen.(*browser.Browser)
	if !ok {
		t.Fatalf("pushed %T, want the evidence browser", push.Screen)
	}
	// The browser shows the preview's collection, shared (BrowserOptions.Shown), and under it
	// the records stay unreachable.
	if b.Snapshot() != p.shown.Snapshot() {
		t.Error("the browser does not show the preview's collection")
	}
	if !gone[0]() {
		t.Error("the snapshot's records are reachable under the browser")
	}
	if after := h.view(); after != before {
		t.Errorf("the preview's summary changed once the browser was opened:\n%s\nwas:\n%s", after, before)
	}
	if len(gone) != 1 {
		t.Errorf("browsing collected again (%d collections)", len(gone))
	}
	runtime.KeepAlive(b)
}

// A folder name is the user's text: the note that names the bundle written carries it cleaned,
// never an escape sequence for the terminal.
func TestPreviewExportNoteCleansTheFolderName(t *testing.T) {
	srv := wizSandbox(t)
	h := toSave(t, newWizHarness(t, wizEnv(t, srv, nil))).keys("enter", "enter")
	dir := filepath.Join(t.TempDir(), "evil\x1b[2Jdir")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	h.w.st.exportDir = dir
	h.keys("e")
	wizHas(t, h.view(), "Exported the auditor's bundle")
	// The note itself, not only the screen drawn from it (lipgloss happens to drop the escape
	// when it renders): the note must not carry it anywhere it is shown.
	if note := h.w.preview().note; strings.ContainsRune(note, '\x1b') {
		t.Fatalf("the folder's escape sequence is in the note: %q", note)
	}
}

func TestPreviewExportWritesTheBundle(t *testing.T) {
	srv := wizSandbox(t)
	h := toSave(t, newWizHarness(t, wizEnv(t, srv, nil))).keys("enter", "enter")
	dir := t.TempDir()
	h.w.st.exportDir = dir
	h.keys("e")
	wizHas(t, h.view(), "Exported the auditor's bundle", dir)
	zips, _ := filepath.Glob(filepath.Join(dir, "*.zip"))
	if len(zips) != 1 {
		t.Fatalf("bundle zips: %v", zips)
	}
	if _, err := os.Stat(zips[0]); err != nil {
		t.Fatal(err)
	}
	// The preview read only the checks' policy statuses; the bundle holds every one of them.
	raw, _ := filepath.Glob(filepath.Join(dir, "*", "raw", "policy_statuses.json"))
	if len(raw) != 1 {
		t.Fatalf("raw/policy_statuses.json: %v", raw)
	}
	b, err := os.ReadFile(raw[0])
	if err != nil {
		t.Fatal(err)
	}
	var statuses []json.RawMessage
	if err := json.Unmarshal(b, &statuses); err != nil {
		t.Fatal(err)
	}
	if want := srv.Org().Statuses; len(statuses) != want {
		t.Errorf("the bundle holds %d policy statuses, the organisation has %d", len(statuses), want)
	}
	h.keys("e") // the same snapshot again: refused, said plainly
	wizHas(t, h.view(), "Export failed", "already exists")
}

func TestPreviewKeepsCollectingWhileTheUserLooksBack(t *testing.T) {
	srv := wizSandbox(t)
	h := toSave(t, newWizHarness(t, wizEnv(t, srv, nil))).keys("enter")
	// Enter the preview without running its commands, step back, then deliver the collection.
	var cmd tea.Cmd
	h.w, cmd = wizardUpdate(h.w, wizardNextMsg{})
	h.at(StepPreview)
	h.keys("esc")
	h.at(StepSave)
	h.run(cmd) // the collection's messages arrive while the save step is shown
	h.keys("enter")
	h.at(StepPreview)
	wizHas(t, h.view(), "Connected: "+srv.Org().Name)
}

// The preview names the OS families as people write them: "iPadOS", never the internal "ipados".
func TestPreviewNamesOSFamiliesAsPeopleWriteThem(t *testing.T) {
	srv := wizSandbox(t)
	h := toSave(t, newWizHarness(t, wizEnv(t, srv, nil))).keys("enter", "enter")
	h.at(StepPreview)
	v := h.view()
	wizHas(t, v, "macOS ", "Windows ", "Linux ", "iPadOS ")
	if strings.Contains(v, "ipados") || strings.Contains(v, "darwin") {
		t.Errorf("the preview shows an internal family name:\n%s", v)
	}
}

// previewExportHeld is the preview ready to export to an empty folder, its export's writing held
// after the first file of the bundle (evidence.OnBundleFile) until release is closed or the
// program's context ends (stop): the cancel keys are pressed at a known point, with no timing.
func previewExportHeld(t *testing.T) (h *wizHarness, dir string, writing, release chan struct{}, stop context.CancelFunc) {
	t.Helper()
	srv := wizSandbox(t)
	h = toSave(t, newWizHarness(t, wizEnv(t, srv, nil))).keys("enter", "enter")
	h.at(StepPreview)
	dir = t.TempDir()
	h.w.st.exportDir = dir
	writing, release = make(chan struct{}), make(chan struct{})
	program, stop := context.WithCancel(h.w.st.ctx)
	t.Cleanup(stop)
	var first sync.Once
	h.w.st.ctx = evidence.OnBundleFile(program, func(string) {
		first.Do(func() {
			close(writing)
			select {
			case <-release:
			case <-program.Done():
			}
		})
	})
	return h, dir, writing, release, stop
}

// esc while the preview exports cancels the export (it does not go back a step): nothing is
// written, the step says so, and e exports again.
func TestPreviewEscCancelsTheExport(t *testing.T) {
	h, dir, writing, release, _ := previewExportHeld(t)
	var cmd tea.Cmd
	h.w, cmd = wizardUpdate(h.w, wizKey("e"))
	wizHas(t, h.view(), "Exporting", "esc cancel export")
	<-writing
	h.keys("esc")
	h.at(StepPreview)
	wizHas(t, h.view(), "Canceling the export")
	close(release)
	h.run(cmd)
	wizHas(t, h.view(), "Export canceled: nothing was written.", "e export evidence")
	uitest.AssertDirEmpty(t, dir)
	h.keys("e")
	wizHas(t, h.view(), "Exported the auditor's bundle", dir)
}

// ctrl+c while the preview exports is the export's: it cancels it instead of quitting mid-write;
// once it has ended, ctrl+c quits.
func TestPreviewCtrlCCancelsTheExportThenQuits(t *testing.T) {
	h, dir, writing, release, _ := previewExportHeld(t)
	app := common.NewApp(h.w.Common, h.w)
	var cmd tea.Cmd
	h.w, cmd = wizardUpdate(h.w, wizKey("e"))
	<-writing
	if _, quit := app.Update(tea.KeyMsg{Type: tea.KeyCtrlC}); quit != nil {
		if _, ok := quit().(tea.QuitMsg); ok {
			t.Fatal("ctrl+c during the export quit the program mid-write")
		}
	}
	close(release)
	h.run(cmd)
	wizHas(t, h.view(), "Export canceled: nothing was written.")
	uitest.AssertDirEmpty(t, dir)
	if _, quit := app.Update(tea.KeyMsg{Type: tea.KeyCtrlC}); quit == nil {
		t.Fatal("ctrl+c after the export does not quit")
	} else if _, ok := quit().(tea.QuitMsg); !ok {
		t.Fatal("ctrl+c after the export does not quit")
	}
}

// The program ended by a signal mid-export: Close (deferred by runSetupTUI) returns only once the
// export has removed what it had begun.
func TestPreviewCloseDuringTheExportLeavesNothing(t *testing.T) {
	h, dir, writing, _, stop := previewExportHeld(t)
	h.w, _ = wizardUpdate(h.w, wizKey("e"))
	<-writing
	if entries, _ := os.ReadDir(dir); len(entries) == 0 {
		t.Fatal("nothing was being written: the test shows nothing")
	}
	stop()
	h.w.Close()
	uitest.AssertDirEmpty(t, dir)
}
