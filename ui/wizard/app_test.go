package wizard

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/connect"
	"jcconnect/ui/common"
)

// stubScreen records what it receives; it stands for any screen pushed on the stack.
type stubScreen struct {
	name    string
	size    tea.WindowSizeMsg
	keys    []string
	unsaved string
}

func (s stubScreen) Init() tea.Cmd { return nil }
func (s stubScreen) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		s.size = msg
	case tea.KeyMsg:
		s.keys = append(s.keys, msg.String())
		if msg.String() == "s" { // "save": the unsaved work is stored
			s.unsaved = ""
		}
	}
	return s, nil
}
func (s stubScreen) View() string {
	return s.name + " " + strings.Join(s.keys, ",") + "\n" + strings.Repeat("line\n", 3)
}
func (s stubScreen) Unsaved() string { return s.unsaved }

func appSend(a *common.App, msgs ...tea.Msg) (*common.App, tea.Cmd) {
	var cmd tea.Cmd
	for _, m := range msgs {
		var next tea.Model
		next, cmd = a.Update(m)
		a = next.(*common.App)
	}
	return a, cmd
}

func isQuit(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	_, ok := cmd().(tea.QuitMsg)
	return ok
}

func TestAppPushPopAndSizeReachEveryScreen(t *testing.T) {
	a := common.NewApp(common.NewCommon(&connect.Env{NoColor: true}), stubScreen{name: "root"})
	a, _ = appSend(a, tea.WindowSizeMsg{Width: 90, Height: 30}, common.PushMsg{Screen: stubScreen{name: "top"}})
	if a.Depth() != 2 || a.Top().(stubScreen).size.Width != 90 {
		t.Fatalf("pushed screen not sized: %+v", a.Top())
	}
	a, _ = appSend(a, tea.WindowSizeMsg{Width: 120, Height: 40}, wizKey("x"))
	if a.Bottom().(stubScreen).size.Width != 120 || a.Top().(stubScreen).size.Height != 40 {
		t.Fatal("a resize must reach every screen on the stack")
	}
	if got := a.Top().(stubScreen).keys; len(got) != 1 || a.Bottom().(stubScreen).keys != nil {
		t.Fatal("keys go to the top screen only")
	}
	wizHas(t, a.View(), "top x")
	a, cmd := appSend(a, common.PopMsg{})
	if a.Depth() != 1 || isQuit(cmd) {
		t.Fatal("pop of a pushed screen")
	}
	wizHas(t, a.View(), "root")
	_, cmd = appSend(a, common.PopMsg{})
	if !isQuit(cmd) {
		t.Fatal("popping the last screen quits")
	}
}

func TestAppTooSmallShowsAMessageAndIgnoresKeys(t *testing.T) {
	a := common.NewApp(common.NewCommon(&connect.Env{NoColor: true}), stubScreen{name: "root"})
	a, _ = appSend(a, tea.WindowSizeMsg{Width: 40, Height: 10}, wizKey("x"))
	v := wizPlain(a.View())
	wizHas(t, v, "Make the window larger", "60×16", "40×10")
	if a.Top().(stubScreen).keys != nil {
		t.Fatal("a key reached a screen the user cannot see")
	}
	a, _ = appSend(a, tea.WindowSizeMsg{Width: 80, Height: 24})
	wizHas(t, a.View(), "root")
}

func TestAppCtrlCConfirmsOnlyWithUnsavedWork(t *testing.T) {
	a := common.NewApp(common.NewCommon(&connect.Env{NoColor: true}), stubScreen{name: "root"})
	a, _ = appSend(a, tea.WindowSizeMsg{Width: 80, Height: 24})
	if _, cmd := appSend(a, wizKey("ctrl+c")); !isQuit(cmd) {
		t.Fatal("nothing unsaved: ctrl+c quits at once")
	}
	a = common.NewApp(common.NewCommon(&connect.Env{NoColor: true}), stubScreen{name: "root", unsaved: "a verified key that is not saved yet"})
	a, _ = appSend(a, tea.WindowSizeMsg{Width: 80, Height: 24})
	a, cmd := appSend(a, wizKey("ctrl+c"))
	if isQuit(cmd) || !a.Confirming() {
		t.Fatal("unsaved work: ctrl+c must ask")
	}
	wizHas(t, a.View(), "Quit without saving?", "a verified key that is not saved yet", "y quit without saving", "n stay")
	a, cmd = appSend(a, wizKey("n"))
	if isQuit(cmd) || a.Confirming() {
		t.Fatal("n stays")
	}
	a, _ = appSend(a, wizKey("ctrl+c"))
	if _, cmd = appSend(a, wizKey("y")); !isQuit(cmd) {
		t.Fatal("y quits")
	}
	if _, cmd = appSend(a, wizKey("ctrl+c")); !isQuit(cmd) {
		t.Fatal("a second ctrl+c quits")
	}
}

func TestAppClipsTallViewsToTheWindow(t *testing.T) {
	got := common.FitHeight(strings.Repeat("x\n", 50), 20)
	if n := len(strings.Split(got, "\n")); n != 20 || !strings.Contains(got, "make the window taller") {
		t.Fatalf("%d lines", n)
	}
}

func TestWizardResizeRedraws(t *testing.T) {
	srv := wizSandbox(t)
	h := newWizHarness(t, wizEnv(t, srv, nil))
	h.send(tea.WindowSizeMsg{Width: 50, Height: 12})
	wizHas(t, h.view(), "Make the window larger")
	h.send(tea.WindowSizeMsg{Width: 70, Height: 20})
	v := h.view()
	wizHas(t, v, "Step 1 of 7")
	for _, line := range strings.Split(v, "\n") {
		if w := len([]rune(line)); w > 70 {
			t.Fatalf("line wider than the window (%d): %q", w, line)
		}
	}
	if n := len(strings.Split(v, "\n")); n > 20 {
		t.Fatalf("%d lines in a 20-line window", n)
	}
}

// Finishing (popping the last screen) and ctrl+c both end the app, but only ctrl+c means "stop
// here": `jcconnect` goes on from a finished wizard to the home screen, never after ctrl+c.
func TestAppTellsCtrlCFromFinishing(t *testing.T) {
	a := common.NewApp(common.NewCommon(&connect.Env{NoColor: true}), stubScreen{name: "root"})
	a, _ = appSend(a, tea.WindowSizeMsg{Width: 80, Height: 24})
	done, cmd := appSend(a, common.PopMsg{})
	if !isQuit(cmd) || done.Interrupted() {
		t.Fatalf("popping the last screen: quit %v, interrupted %v; want a quit that is not an interrupt", isQuit(cmd), done.Interrupted())
	}
	stopped, cmd := appSend(a, wizKey("ctrl+c"))
	if !isQuit(cmd) || !stopped.Interrupted() {
		t.Fatal("ctrl+c must quit and be reported as an interrupt")
	}
}

// Answering "n" to "Quit without saving?" must leave nothing behind: finishing afterwards is a
// finish (home screen next), not an interrupt (exit 130).
func TestAppStayingAfterTheQuitQuestionIsNotAnInterrupt(t *testing.T) {
	a := common.NewApp(common.NewCommon(&connect.Env{NoColor: true}), stubScreen{name: "root", unsaved: "a verified key that is not saved yet"})
	a, _ = appSend(a, tea.WindowSizeMsg{Width: 80, Height: 24})
	a, _ = appSend(a, wizKey("ctrl+c"), wizKey("n"))
	if a.Interrupted() || a.Confirming() {
		t.Fatalf("after n: interrupted %v, confirming %v; want neither", a.Interrupted(), a.Confirming())
	}
	done, cmd := appSend(a, wizKey("s"), common.PopMsg{}) // save, then finish
	if !isQuit(cmd) || done.Interrupted() {
		t.Fatalf("finishing after n: quit %v, interrupted %v; want a plain finish", isQuit(cmd), done.Interrupted())
	}
}

// Step 5 shows a verified key before enter hands it on: ctrl+c there loses it, so it asks.
func TestCtrlCOnAVerifiedKeyAtStep5Asks(t *testing.T) {
	srv := wizSandbox(t)
	h := newWizHarness(t, wizEnv(t, srv, nil)).toPaste()
	h.keys("tab", "enter") // the demo's Read Only key
	h.at(StepVerify)
	wizHas(t, h.view(), "Step 5 of 7")
	a := common.NewApp(wizCommon(h.env), h.w)
	a, _ = appSend(a, tea.WindowSizeMsg{Width: 100, Height: 40})
	a, cmd := appSend(a, wizKey("ctrl+c"))
	if isQuit(cmd) || !a.Confirming() {
		t.Fatalf("a verified, unsaved key on step 5: ctrl+c must ask first:\n%s", wizPlain(a.View()))
	}
}
