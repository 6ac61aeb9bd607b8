package wizard

import (
	"bytes"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"jcconnect/connect"
	"jcconnect/jumpcloud/jctest"
	"jcconnect/store"
	"jcconnect/ui/common"
)

// Flow tests: the whole wizard in a real bubbletea program (teatest) against jctest over HTTP,
// waiting on rendered text, never on sleeps.

type wizFlow struct {
	t   *testing.T
	tm  *teatest.TestModel
	srv *jctest.Server
	env *connect.Env

	seen []byte // everything drawn so far
	pos  int    // where the next waitFor starts looking
}

func startFlow(t *testing.T, kr store.Keyring) *wizFlow {
	t.Helper()
	lipgloss.SetColorProfile(termenv.Ascii)
	srv := wizSandbox(t)
	env := wizEnv(t, srv, kr)
	c := common.NewCommon(env)
	w := NewWizard(wizCtx, c, env)
	t.Cleanup(w.Close)
	tm := teatest.NewTestModel(t, common.NewApp(c, w), teatest.WithInitialTermSize(100, 40))
	t.Cleanup(func() { tm.Quit() })
	f := &wizFlow{t: t, tm: tm, srv: srv, env: env}
	f.waitFor("Step 1 of 7")
	return f
}

// waitFor waits until text is drawn after the previous match. Output already read is kept, so
// text that arrived in the same frame as the previous match is found too.
func (f *wizFlow) waitFor(text string) {
	f.t.Helper()
	want := []byte(text)
	var last []byte
	teatest.WaitFor(f.t, f.tm.Output(), func(b []byte) bool {
		last = b
		hay := append(append([]byte{}, f.seen[f.pos:]...), b...)
		return bytes.Contains(hay, want)
	}, teatest.WithDuration(15*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
	f.seen = append(f.seen, last...)
	f.pos += bytes.Index(f.seen[f.pos:], want) + len(want)
}

func (f *wizFlow) press(names ...string) {
	for _, n := range names {
		f.tm.Send(wizKey(n))
	}
}

// toPaste goes through steps 1-3 with enter and puts the n-th demo key (1-based) in the field.
func (f *wizFlow) pasteDemoKey(n int) {
	f.t.Helper()
	f.press("enter")
	f.waitFor("Step 2 of 7")
	f.press("enter")
	f.waitFor("Step 3 of 7")
	f.press("enter")
	f.waitFor("Step 4 of 7")
	for i := 0; i < n; i++ {
		f.press("tab")
	}
	f.waitFor("In the field: the demo's " + f.env.Demo.Keys[n-1].Label)
	f.press("enter")
	f.waitFor("Step 5 of 7")
}

func (f *wizFlow) wizard() *Wizard {
	f.t.Helper()
	return f.tm.FinalModel(f.t, teatest.WithFinalTimeout(15*time.Second)).(*common.App).Bottom().(*Wizard)
}

func (f *wizFlow) storedKey() (string, bool) {
	cred, err := f.env.Store.Key(wizCtx, "")
	return cred.Key.Reveal(), err == nil
}

func TestFlowReadOnlyKeyAllTheWayToSaved(t *testing.T) {
	f := startFlow(t, nil)
	f.pasteDemoKey(1)
	f.waitFor("The key works")
	f.press("enter")
	f.waitFor("Press enter to save")
	if _, ok := f.storedKey(); ok {
		t.Fatal("stored before the save step")
	}
	f.press("enter")
	f.waitFor("Saved.")
	f.press("enter")
	f.waitFor("Connected: " + f.srv.Org().Name)
	f.press("enter") // done
	w := f.wizard()
	if !w.Saved() {
		t.Fatal("wizard not saved")
	}
	if k, ok := f.storedKey(); !ok || k != f.srv.Keys.ReadOnly {
		t.Fatal("the Read Only key is not stored")
	}
}

func TestFlowFullAdminKeyWarning(t *testing.T) {
	f := startFlow(t, nil)
	f.pasteDemoKey(2)
	f.waitFor("This key is not Read Only")
	f.waitFor("continue knowingly")
	f.press("c")
	f.waitFor("Step 6 of 7")
	f.press("ctrl+c")
	f.waitFor("Quit without saving?")
	f.press("y")
	if w := f.wizard(); w.Verified() == nil || !w.Verified().AcceptedPrivileged {
		t.Fatal("the choice to continue knowingly was not kept")
	}
}

func TestFlowRevokedKey(t *testing.T) {
	f := startFlow(t, nil)
	f.pasteDemoKey(3)
	f.waitFor("refused: JumpCloud does not know this key")
	f.press("esc")
	f.waitFor("Step 4 of 7")
	f.press("ctrl+c") // nothing verified: quits at once
	if w := f.wizard(); w.Verified() != nil || w.Saved() {
		t.Fatal("a revoked key was verified or saved")
	}
	if _, ok := f.storedKey(); ok {
		t.Fatal("something was stored")
	}
}

func TestFlowMultiTenantPick(t *testing.T) {
	f := startFlow(t, nil)
	f.pasteDemoKey(4)
	f.waitFor("Which organisation is this integration for?")
	f.press("down", "enter")
	f.waitFor("chosen from 3")
	f.waitFor("The key works")
	f.press("enter")
	f.waitFor("Press enter to save")
	f.press("enter")
	f.waitFor("Saved.")
	f.press("ctrl+c")
	w := f.wizard()
	p, err := f.env.Store.Profile("")
	if err != nil || p.OrgID == "" || p.OrgID != w.Verified().Org.ID {
		t.Fatalf("profile org %q (%v), picked %q", p.OrgID, err, w.Verified().Org.ID)
	}
}

func TestFlowKeyringFailureWithRetry(t *testing.T) {
	kr := &wizFlakyKeyring{Keyring: store.NewMemory(), failSets: 2, err: store.ErrKeyringLocked}
	f := startFlow(t, kr)
	f.pasteDemoKey(1)
	f.waitFor("The key works")
	f.press("enter")
	f.waitFor("Press enter to save")
	f.press("enter")
	f.waitFor("The key could not be stored")
	f.waitFor("JUMPCLOUD_API_KEY")
	f.press("r")
	f.waitFor("Saved.")
	f.press("ctrl+c")
	if w := f.wizard(); !w.Saved() {
		t.Fatal("not saved after the retry")
	}
	if k, ok := f.storedKey(); !ok || k != f.srv.Keys.ReadOnly {
		t.Fatal("the retry did not store the key")
	}
}

func TestFlowCtrlCBeforeSaveLeavesNothingStored(t *testing.T) {
	f := startFlow(t, nil)
	f.pasteDemoKey(1)
	f.waitFor("The key works")
	f.press("enter")
	f.waitFor("Press enter to save")
	f.press("ctrl+c")
	f.waitFor("Quit without saving?")
	f.press("n")
	f.waitFor("Press enter to save")
	f.press("ctrl+c")
	f.waitFor("Quit without saving?")
	f.press("y")
	w := f.wizard()
	if w.Saved() {
		t.Fatal("saved")
	}
	if _, ok := f.storedKey(); ok {
		t.Fatal("ctrl+c before save left a key stored")
	}
	if _, err := f.env.Store.Profile(""); err == nil {
		t.Fatal("ctrl+c before save left a profile")
	}
	var _ tea.Model = w
}
