package wizard

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/connect"
	"jcconnect/store"
	"jcconnect/ui/common"
)

// Wizard is the setup wizard: seven steps, each its own model in a wizard_*.go file. All steps
// stay alive for the whole wizard so going back (esc, shift+tab) keeps what was typed and chosen;
// the shared answers live in wizardState. Nothing is stored before the save step.
type Wizard struct {
	common.Common
	st    *wizardState
	steps []wizardStep
	cur   int
	help  help.Model
	// Layout (wizard_view.go): the body scrolls between the header and the key hints, and ?
	// swaps the body for the step's full help.
	scroll   *common.Scroll
	showHelp bool
}

// wizardState holds the answers the steps share.
type wizardState struct {
	ctx          context.Context
	env          *connect.Env
	integrations store.Integrations
	region       string               // "us", "eu", "in" or RegionDemo
	demo         *connect.Demo        // env.Demo, or a demo started when the user chose it
	started      *connect.RunningDemo // a demo the wizard started itself (closed with the wizard)
	key          string               // the submitted key or client secret (never drawn)
	verified     *connect.Verified
	saved        bool
	profileName  string
	exportDir    string // where "export evidence" writes the bundle

	// serviceAccount is the way chosen on step 1: a service account's client id and secret
	// instead of an administrator's API key (wizard_serviceaccount.go); clientID is its id.
	serviceAccount bool
	clientID       string
}

// wizardStep is one screen of the wizard. Steps are pointers and mutate themselves and the
// shared state in update; they move the wizard with the nav messages below.
type wizardStep interface {
	title() string
	enter(st *wizardState) tea.Cmd // the step became current (forward or back)
	update(msg tea.Msg, st *wizardState) tea.Cmd
	view(st *wizardState, c common.Common) string
	keys() help.KeyMap
	// capturesBack reports whether esc belongs to the step right now (a text field, a picker).
	capturesBack() bool
}

// Navigation between steps.
type (
	wizardNextMsg struct{}
	wizardBackMsg struct{}
	wizardGotoMsg struct{ step int }
	// WizardDoneMsg is sent when the user leaves the last step ("done").
	WizardDoneMsg struct{}
)

func wizardNext() tea.Msg { return wizardNextMsg{} }

// Step indices, in order.
const (
	StepWelcome = iota
	StepAdmin
	StepKeygen
	StepPaste
	StepVerify
	StepSave
	StepPreview
	stepCount
)

// NewWizard builds the wizard for env. ctx bounds every API call it makes.
func NewWizard(ctx context.Context, c common.Common, env *connect.Env) *Wizard {
	st := &wizardState{ctx: ctx, env: env, demo: env.Demo,
		integrations: store.Integrations{EndpointManagement: true, SSO: true},
		region:       strings.ToLower(env.Region),
		exportDir:    connect.DefaultExportDir(getenvOf(env)), // never the working folder
		profileName:  connect.SetupProfileName(env.Store, env.Profile)}
	if env.Demo != nil {
		st.region = connect.RegionDemo
	} else if st.region == "" {
		st.region = "us"
	}
	w := &Wizard{Common: c, st: st, help: help.New(), scroll: common.NewScroll()}
	w.help.Styles.ShortKey = c.Styles.Key
	w.help.Styles.ShortDesc = c.Styles.Help
	w.help.Styles.ShortSeparator = c.Styles.Help
	w.steps = []wizardStep{newWelcomeStep(st), byWay(newAdminStep(), newSAConsoleStep()), byWay(newKeygenStep(), newClientIDStep(c)), newPasteStep(c),
		newVerifyStep(c), newSaveStep(c), newPreviewStep(c)}
	return w
}

// Current is the index of the step shown.
func (w *Wizard) Current() int { return w.cur }

// Saved reports whether the key was stored.
func (w *Wizard) Saved() bool { return w.st.saved }

// Verified is the verified key's result, nil before step 5 succeeds.
func (w *Wizard) Verified() *connect.Verified { return w.st.verified }

// Close stops a demo organisation the wizard started itself.
func (w *Wizard) Close() {
	w.StopAndWait()
	if w.st.started != nil {
		w.st.started.Close()
		w.st.started = nil
	}
}

// StopAndWait cancels the preview's export, if one runs, and returns once it has removed what it
// had begun (common.Stopper: the program has ended).
func (w *Wizard) StopAndWait() { w.preview().stopExport() }

// CapturesQuit keeps ctrl+c for the preview's export while it runs: it cancels the export
// instead of ending the program mid-write.
func (w *Wizard) CapturesQuit() bool { return w.preview().export != nil }

func (w *Wizard) preview() *previewStep { return w.steps[StepPreview].(*previewStep) }

// Unsaved implements UnsavedWork: a verified key that is not stored yet would be lost, including
// on step 5, where the key shows as verified before enter hands it on.
func (w *Wizard) Unsaved() string {
	shownVerified := false
	if v, ok := w.steps[StepVerify].(*verifyStep); ok && w.cur == StepVerify && v.started {
		shownVerified = v.model.Done()
	}
	if (w.st.verified != nil || shownVerified) && !w.st.saved {
		return "a verified key that is not saved yet"
	}
	return ""
}

func (w *Wizard) Init() tea.Cmd { return w.steps[w.cur].enter(w.st) }

func (w *Wizard) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		w.SetSize(msg.Width, msg.Height)
		w.help.Width = msg.Width
		for _, s := range w.steps {
			if sz, ok := s.(interface{ setSize(w, h int) }); ok {
				sz.setSize(msg.Width, w.bodyHeight())
			}
		}
		return w, nil
	case wizardNextMsg:
		return w, w.goTo(w.cur + 1)
	case wizardBackMsg:
		return w, w.goTo(w.cur - 1)
	case wizardGotoMsg:
		return w, w.goTo(msg.step)
	case WizardDoneMsg:
		// Nothing needs a demo the wizard started once the user is done with it.
		w.Close()
		return w, common.Pop() // back to whoever pushed the wizard; the last screen popped quits
	case tea.KeyMsg:
		if w.layoutKey(msg) {
			return w, nil
		}
		if key.Matches(msg, w.Keys.Back) && !w.steps[w.cur].capturesBack() {
			return w, w.goTo(w.cur - 1)
		}
	}
	// An answer goes to the step that asked for it, even when the user has moved to another
	// step meanwhile: a collection or a save must not lose its result (or stall) because of
	// a look back.
	if owner, ok := stepOwning(msg); ok {
		return w, w.steps[owner].update(msg, w.st)
	}
	return w, w.steps[w.cur].update(msg, w.st)
}

// stepOwning names the step that started the work a message reports on.
func stepOwning(msg tea.Msg) (int, bool) {
	switch msg.(type) {
	case common.VerifyKeyMsg, common.VerifyOwnerMsg, common.VerifySourceMsg, spinner.TickMsg:
		return StepVerify, true
	case demoStartedMsg:
		return StepWelcome, true
	case saveDoneMsg, existingProfileMsg:
		return StepSave, true
	case previewProgressMsg, previewDoneMsg, previewExportedMsg:
		return StepPreview, true
	}
	return 0, false
}

// goTo changes step. Going forward past a step that needs an answer is the step's business (it
// sends wizardNextMsg only when ready); going back is always allowed and keeps every answer.
func (w *Wizard) goTo(i int) tea.Cmd {
	switch {
	case i >= stepCount:
		return func() tea.Msg { return WizardDoneMsg{} }
	case i < 0 || i == w.cur:
		return nil
	}
	w.cur = i
	w.scroll.Reset()
	w.showHelp = false
	return w.steps[i].enter(w.st)
}

// header is the title line and the step indicator, 3 lines.
func (w *Wizard) header() string {
	s := w.Styles
	title := s.Title.Render("jcconnect setup")
	if w.st.region == connect.RegionDemo {
		tag := "[DEMO organisation: nothing real is touched]"
		if w.Width < 64 {
			tag = "[DEMO: nothing real is touched]"
		}
		title += "  " + s.Warn.Render(tag)
	}
	var dots []string
	for i := range w.steps {
		switch {
		case i < w.cur:
			dots = append(dots, s.StepDone.Render(fmt.Sprintf("%d", i+1)))
		case i == w.cur:
			dots = append(dots, s.StepHere.Render(fmt.Sprintf("[%d]", i+1)))
		default:
			dots = append(dots, s.StepTodo.Render(fmt.Sprintf("%d", i+1)))
		}
	}
	progress := strings.Join(dots, " ")
	step := s.Subtitle.Render(fmt.Sprintf("Step %d of %d: %s", w.cur+1, stepCount, w.steps[w.cur].title()))
	return title + "\n" + progress + "   " + step
}

// startDemo starts the built-in demo organisation through the environment's starter when the
// user picks it without --demo (main wires the one starter, package demo). It blocks: the TUI
// runs it in a tea.Cmd (startDemoCmd), the accessible prompts call it directly.
func (st *wizardState) startDemo() error {
	if st.demo != nil {
		return nil
	}
	if st.env.StartDemo == nil {
		return errors.New("this build cannot start the demo organisation; run jcconnect --demo")
	}
	d, err := st.env.StartDemo()
	if err != nil {
		return err
	}
	st.useDemo(d)
	return nil
}

// useDemo adopts a started demo: its keys, its server and its memory store.
func (st *wizardState) useDemo(d *connect.RunningDemo) {
	st.started, st.demo = d, d.Demo
}

// demoStartedMsg reports a demo organisation started by startDemoCmd.
type demoStartedMsg struct {
	demo *connect.RunningDemo
	err  error
}

// startDemoCmd starts the demo organisation off the Update loop (it opens a listener and a
// temporary folder).
func startDemoCmd(start connect.DemoStarter) tea.Cmd {
	return func() tea.Msg {
		if start == nil {
			return demoStartedMsg{err: errors.New("this build cannot start the demo organisation; run jcconnect --demo")}
		}
		d, err := start()
		return demoStartedMsg{demo: d, err: err}
	}
}

// store is where the save step writes: the demo's memory store when the demo was started here,
// else the environment's (which main already made a memory store for --demo).
func (st *wizardState) store() *store.Store {
	if st.isDemo() && st.started != nil {
		return st.started.Store
	}
	return st.env.Store
}

// keptInMemory reports whether a saved key lives only as long as the program (the demo).
func (st *wizardState) keptInMemory() bool { return st.isDemo() || st.env.Demo != nil }

// isDemo reports whether the wizard talks to the demo organisation.
func (st *wizardState) isDemo() bool { return st.region == connect.RegionDemo }

// verifyRequest is the request for the submitted key in the chosen region (connect's one table).
func (st *wizardState) verifyRequest() connect.VerifyRequest {
	// The paste field checked the text with the same rule, so it is not refused here.
	key, _ := connect.CredentialShape(st.serviceAccount)(st.key)
	f := connect.VerifyFor{Key: key, Region: st.region, Demo: st.demo, Integrations: st.integrations}
	if st.serviceAccount {
		f.ClientID = st.clientID
	}
	return connect.NewVerifyRequest(st.env, f)
}

// getenvOf is env's Getenv, else the process environment.
func getenvOf(env *connect.Env) func(string) string {
	if env != nil && env.Getenv != nil {
		return env.Getenv
	}
	return os.Getenv
}
