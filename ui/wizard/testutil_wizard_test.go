package wizard

import (
	"bytes"
	"context"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"jcconnect/connect"
	"jcconnect/demo"
	"jcconnect/internal/sandboxtest"
	"jcconnect/internal/uitest"
	"jcconnect/jumpcloud/jctest"
	"jcconnect/store"
	"jcconnect/ui/common"
)

// Shared fixtures of the wizard and verification tests: a jctest organisation over real HTTP, an
// Env with a memory keyring in a temporary config dir, and a driver that runs a model's commands
// synchronously (dropping spinner animation ticks, which would only wait).

// wizSandbox and wizClient are the shared test support's (internal/sandboxtest), the same the
// core's tests use.
func wizSandbox(t *testing.T) *jctest.Server { return sandboxtest.Sandbox(t) }

var wizClient = sandboxtest.NoRetryClient

// wizFlakyKeyring fails Set with err the first n times, then behaves like the wrapped keyring.
type wizFlakyKeyring struct {
	store.Keyring
	mu       sync.Mutex
	failSets int
	err      error
	sets     int
}

func (f *wizFlakyKeyring) Set(service, user, secret string) error {
	f.mu.Lock()
	f.sets++
	fail := f.failSets > 0
	if fail {
		f.failSets--
	}
	f.mu.Unlock()
	if fail {
		return f.err
	}
	return f.Keyring.Set(service, user, secret)
}

// Unwrap lets the store see the memory keyring behind, as it does through its own wrappers.
func (f *wizFlakyKeyring) Unwrap() store.Keyring { return f.Keyring }

// wizEnv is an Env against srv (as --demo wires it) with its own memory keyring.
func wizEnv(t *testing.T, srv *jctest.Server, kr store.Keyring) *connect.Env {
	t.Helper()
	st := sandboxtest.MemoryStore(t, kr, nil)
	env := &connect.Env{In: strings.NewReader(""), Out: &bytes.Buffer{}, Err: &bytes.Buffer{},
		Store: st, Getenv: sandboxtest.NoEnv, Now: time.Now, NewClient: wizClient, NoColor: true, StartDemo: demo.Start}
	if srv != nil {
		env.Demo = demo.FromServer(srv)
		env.BaseURL = srv.URL
	}
	return env
}

// wizOutbound says which messages a driver hands back instead of feeding to the model.
type wizOutbound func(tea.Msg) bool

// wizDrain runs cmd and every command it leads to, feeding results to update, until none is left
// (uitest.Drain). Messages for which out is true are collected and returned instead. Spinner
// ticks are dropped.
func wizDrain[M any](t *testing.T, m M, cmd tea.Cmd, update func(M, tea.Msg) (M, tea.Cmd), out wizOutbound) (M, []tea.Msg) {
	t.Helper()
	d := uitest.Drain(t, cmd, func(msg tea.Msg) tea.Cmd {
		var next tea.Cmd
		m, next = update(m, msg)
		return next
	}, uitest.DrainOptions{MaxSteps: 10000, Route: func(msg tea.Msg) uitest.Fate {
		switch {
		case isSpinnerTick(msg):
			return uitest.Drop
		case out != nil && out(msg):
			return uitest.Hand
		}
		return uitest.Feed
	}})
	return m, d.Out
}

func isSpinnerTick(msg tea.Msg) bool {
	_, tick := msg.(spinner.TickMsg)
	return tick
}

func wizKey(s string) tea.KeyMsg {
	switch s {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	case "shift+tab":
		return tea.KeyMsg{Type: tea.KeyShiftTab}
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "space":
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	case "ctrl+r":
		return tea.KeyMsg{Type: tea.KeyCtrlR}
	case "ctrl+u":
		return tea.KeyMsg{Type: tea.KeyCtrlU}
	case "backspace":
		return tea.KeyMsg{Type: tea.KeyBackspace}
	}
	if len([]rune(s)) != 1 {
		panic("wizKey: unknown key name " + s)
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

func wizPaste(s string) tea.KeyMsg {
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s), Paste: true}
}

func wizPlain(s string) string { return ansi.Strip(s) }

// wizFlat removes box borders and collapses whitespace, so assertions survive word wrapping.
func wizFlat(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune("│╭╮╰╯─", r) {
			return ' '
		}
		return r
	}, ansi.Strip(s))
	return strings.Join(strings.Fields(s), " ")
}

func wizHas(t *testing.T, view string, want ...string) {
	t.Helper()
	flat := wizFlat(view)
	for _, w := range want {
		if !strings.Contains(flat, wizFlat(w)) {
			t.Fatalf("view lacks %q:\n%s", w, view)
		}
	}
}

func wizLacks(t *testing.T, view string, bad ...string) {
	t.Helper()
	flat := wizFlat(view)
	for _, b := range bad {
		if strings.Contains(flat, wizFlat(b)) {
			t.Fatalf("view shows %q:\n%s", b, view)
		}
	}
}

func wizCommon(env *connect.Env) common.Common {
	c := common.NewCommon(env)
	c.SetSize(100, 40)
	return c
}

var wizCtx = context.Background()

// wizHarness drives a whole Wizard through its commands.
type wizHarness struct {
	t   *testing.T
	w   *Wizard
	env *connect.Env
	Out []tea.Msg // PopMsg and friends: what the wizard sends to the app above it
}

func newWizHarness(t *testing.T, env *connect.Env) *wizHarness {
	t.Helper()
	h := &wizHarness{t: t, env: env, w: NewWizard(wizCtx, wizCommon(env), env)}
	t.Cleanup(h.w.Close)
	h.send(tea.WindowSizeMsg{Width: 100, Height: 40})
	h.run(h.w.Init())
	return h
}

func wizardUpdate(w *Wizard, msg tea.Msg) (*Wizard, tea.Cmd) {
	m, cmd := w.Update(msg)
	return m.(*Wizard), cmd
}

func wizardOut(msg tea.Msg) bool {
	switch msg.(type) {
	case common.PopMsg, common.PushMsg, tea.QuitMsg:
		return true
	}
	return false
}

func (h *wizHarness) run(cmd tea.Cmd) {
	h.t.Helper()
	var out []tea.Msg
	h.w, out = wizDrain(h.t, h.w, cmd, wizardUpdate, wizardOut)
	h.Out = append(h.Out, out...)
}

// send delivers messages one by one, running what each leads to.
func (h *wizHarness) send(msgs ...tea.Msg) *wizHarness {
	h.t.Helper()
	for _, m := range msgs {
		var cmd tea.Cmd
		h.w, cmd = wizardUpdate(h.w, m)
		h.run(cmd)
	}
	return h
}

// keys presses keys by name (see wizKey).
func (h *wizHarness) keys(names ...string) *wizHarness {
	h.t.Helper()
	for _, n := range names {
		h.send(wizKey(n))
	}
	return h
}

func (h *wizHarness) view() string { return wizPlain(h.w.View()) }

func (h *wizHarness) at(step int) {
	h.t.Helper()
	if h.w.Current() != step {
		h.t.Fatalf("at step %d, want %d:\n%s", h.w.Current()+1, step+1, h.view())
	}
}

// toPaste walks from the welcome screen to the paste step with the defaults.
func (h *wizHarness) toPaste() *wizHarness {
	h.t.Helper()
	h.keys("enter", "enter", "enter")
	h.at(StepPaste)
	return h
}

func wizBoth() store.Integrations { return store.Integrations{EndpointManagement: true, SSO: true} }

func wizRequest(srv *jctest.Server, k string) connect.VerifyRequest {
	return connect.VerifyRequest{Key: store.MustSecret(k, false), Region: connect.RegionDemo, BaseURL: srv.URL, Integrations: wizBoth(), NewClient: wizClient}
}

const sampleJCAKey = "jca_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7c" // made up, the documented shape

func TestMain(m *testing.M) {
	code := m.Run()
	uitest.RemoveBinary()
	os.Exit(code)
}
