package ui

import (
	"reflect"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"jcconnect/connect"
	"jcconnect/store"
	"jcconnect/ui/common"
)

// The rotation screen driven through its Update with key messages, its commands run for real
// (jctest over HTTP, the memory keyring) by screenDriver.

// screenDriver runs a screen's commands synchronously: each command's message is fed back to
// the screen until none is left. Spinner ticks are dropped (they only animate). With stack
// false, PopMsg, PushMsg and RotationDoneMsg are collected, as the App below the screen would
// receive them; with stack true the screen is an App and gets them. tea.Quit is recorded.
type screenDriver struct {
	t      testing.TB
	screen tea.Model
	stack  bool
	popped int
	pushed []tea.Model
	done   []RotationDoneMsg
	quit   bool
}

func (d *screenDriver) run(cmd tea.Cmd) {
	d.t.Helper()
	queue := []tea.Cmd{cmd}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 5000 {
			d.t.Fatal("the screen's commands never settle")
		}
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := c()
		if cmds, ok := sequenceCmds(msg); ok {
			// tea.Sequence: run in order, each to completion, before what was queued.
			for i := len(cmds) - 1; i >= 0; i-- {
				queue = append([]tea.Cmd{cmds[i]}, queue...)
			}
			continue
		}
		switch msg := msg.(type) {
		case nil, spinner.TickMsg:
			continue
		case tea.BatchMsg:
			queue = append(queue, msg...)
			continue
		case tea.QuitMsg:
			d.quit = true
			continue
		case common.PopMsg:
			d.popped++
			if !d.stack {
				continue
			}
		case common.PushMsg:
			d.pushed = append(d.pushed, msg.Screen)
			if !d.stack {
				continue
			}
		case RotationDoneMsg:
			d.done = append(d.done, msg)
			if !d.stack {
				continue
			}
		}
		var next tea.Cmd
		d.screen, next = d.screen.Update(msg)
		queue = append(queue, next)
	}
}

// sequenceCmds unpacks tea.Sequence's message, whose type bubbletea does not export.
func sequenceCmds(msg tea.Msg) ([]tea.Cmd, bool) {
	v := reflect.ValueOf(msg)
	if !v.IsValid() || v.Kind() != reflect.Slice || v.Type().Elem() != reflect.TypeOf(tea.Cmd(nil)) {
		return nil, false
	}
	if _, batch := msg.(tea.BatchMsg); batch {
		return nil, false
	}
	cmds := make([]tea.Cmd, v.Len())
	for i := range cmds {
		cmds[i] = v.Index(i).Interface().(tea.Cmd)
	}
	return cmds, true
}

// send delivers one message (a key) and runs what follows.
func (d *screenDriver) send(msg tea.Msg) {
	d.t.Helper()
	var cmd tea.Cmd
	d.screen, cmd = d.screen.Update(msg)
	d.run(cmd)
}

func (d *screenDriver) keys(keys ...string) {
	d.t.Helper()
	for _, k := range keys {
		d.send(keyMsg(k))
	}
}

// view is the screen as text: colours stripped, box borders removed and runs of spaces and line
// breaks folded to one space, so assertions do not depend on where a sentence wraps.
func (d *screenDriver) view() string {
	v := ansi.Strip(d.screen.View())
	v = strings.Map(func(r rune) rune {
		if strings.ContainsRune("│╭╮╰╯─", r) {
			return ' '
		}
		return r
	}, v)
	return strings.Join(strings.Fields(v), " ")
}

func keyMsg(k string) tea.KeyMsg {
	switch k {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

func pasteMsg(s string) tea.KeyMsg {
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s), Paste: true}
}

// startRotation opens the rotation screen on f's environment and runs its first check.
func startRotation(t *testing.T, f *day2Fixture) (*screenDriver, *RotateModel) {
	t.Helper()
	c := common.NewCommon(f.Env)
	c.SetSize(100, 40)
	m := NewRotateModel(f.Ctx, c)
	d := &screenDriver{t: t, screen: m}
	d.run(m.Init())
	return d, m
}

func TestRotateScreenHappyPath(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	d, m := startRotation(t, f)

	if m.Phase() != rotateIntro {
		t.Fatalf("phase %v after the first check\n%s", m.Phase(), d.view())
	}
	wantIn(t, d.view(), "Rotate the API key — profile default", store.Mask(f.Srv.Keys.ReadOnly),
		"evidence.reader@", "Read Only", f.Srv.Org().Name, "✓ works", "How this works",
		"the old key stops working", "Keep this open")

	d.keys("enter")
	if m.Phase() != rotatePaste {
		t.Fatalf("phase %v, want paste", m.Phase())
	}
	// Only now does the admin generate the new key in the console: the old one is revoked at once.
	newKey := f.Secret(f.Srv.RotateKey(f.Srv.Keys.ReadOnly))
	d.send(pasteMsg(newKey + "\n"))
	d.keys("enter")
	if m.Phase() != rotateVerify {
		t.Fatalf("phase %v, want verify\n%s", m.Phase(), d.view())
	}
	wantIn(t, d.view(), "Verifying the new key", "Key accepted", "Read Only", "Press enter to continue")
	if f.StoredKey("default") != f.Srv.Keys.ReadOnly {
		t.Fatal("the key was stored before the user continued")
	}

	d.keys("enter")
	if m.Phase() != rotateDone {
		t.Fatalf("phase %v, want done\n%s", m.Phase(), d.view())
	}
	if f.StoredKey("default") != newKey {
		t.Fatal("the new key is not stored")
	}
	v := d.view()
	wantIn(t, v, "The new key "+store.Mask(newKey)+" is stored", "Old key revoked: confirmed", "Rotated")
	wantNotIn(t, v, newKey, f.Srv.Keys.ReadOnly)

	d.keys("enter")
	if d.popped != 1 || len(d.done) != 1 || d.done[0].Profile.Fingerprint != store.Fingerprint(newKey) {
		t.Errorf("leaving: popped %d, done %+v", d.popped, d.done)
	}
}

func TestRotateScreenRecovery(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	newKey := f.Secret(f.Srv.RotateKey(f.Srv.Keys.ReadOnly)) // the stored key is revoked already
	d, m := startRotation(t, f)

	wantIn(t, d.view(), "JumpCloud refuses this key (revoked or expired)", "This is a recovery")
	d.keys("enter")
	d.send(pasteMsg(newKey))
	d.keys("enter", "enter")
	if m.Phase() != rotateDone || f.StoredKey("default") != newKey {
		t.Fatalf("phase %v\n%s", m.Phase(), d.view())
	}
	wantIn(t, d.view(), "already refused it before the swap")
}

func TestRotateScreenRefusesAnotherOrganisation(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	d, m := startRotation(t, f)
	d.keys("enter")
	d.send(pasteMsg(f.Srv.Keys.OtherOrg))
	d.keys("enter")

	v := d.view()
	wantIn(t, v, "belongs to another organisation", "A rotation keeps the same organisation",
		"nothing was changed", "jcconnect setup --profile NEW-NAME")
	wantNotIn(t, v, "--org-id") // the wizard's advice does not apply to a rotation
	if m.Phase() == rotateDone || m.Phase() == rotateSaving {
		t.Fatalf("phase %v", m.Phase())
	}
	if f.StoredKey("default") != f.Srv.Keys.ReadOnly {
		t.Fatal("the stored key changed")
	}
	d.keys("esc")
	if m.Phase() != rotatePaste {
		t.Errorf("esc from a refused key: phase %v, want paste", m.Phase())
	}
}

func TestRotateScreenFullAdminWarnsAndNeedsConfirmation(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	d, m := startRotation(t, f)
	d.keys("enter")
	d.send(pasteMsg(f.Srv.Keys.Admin))
	d.keys("enter")

	wantIn(t, d.view(), "This key is not Read Only", "Least privilege", "continue knowingly")
	if m.Unsaved() == "" {
		t.Error("quitting at the least-privilege question would lose a verified key without asking")
	}
	d.keys("c") // continue knowingly past the least-privilege warning
	if m.Phase() != rotateConfirm {
		t.Fatalf("phase %v, want confirm\n%s", m.Phase(), d.view())
	}
	wantIn(t, d.view(), "different admin or role", "Owner: evidence.reader@", "ops.admin@",
		"Role: Read Only → Administrator", "It is not Read Only")
	if m.Unsaved() == "" {
		t.Error("a verified, unsaved key must make quitting ask first")
	}
	d.keys("n")
	if m.Phase() != rotatePaste || f.StoredKey("default") != f.Srv.Keys.ReadOnly {
		t.Fatalf("declined: phase %v", m.Phase())
	}

	d.keys("enter") // the same pasted key again
	d.keys("c", "y")
	if m.Phase() != rotateDone || f.StoredKey("default") != f.Srv.Keys.Admin {
		t.Fatalf("confirmed: phase %v\n%s", m.Phase(), d.view())
	}
	// Another admin's key does not revoke the old one: reported, with what to do.
	wantIn(t, d.view(), "still works", "JumpCloud has not revoked it")
}

func TestRotateScreenKeyringFailureKeepsOldKeyThenRetry(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	d, m := startRotation(t, f)
	newKey := f.Secret(f.Srv.RotateKey(f.Srv.Keys.ReadOnly))
	f.Ring.Inject(func(c store.Call) error {
		if c.Op == store.OpSet {
			return store.ErrKeyringLocked
		}
		return nil
	})
	d.keys("enter")
	d.send(pasteMsg(newKey))
	d.keys("enter", "enter")

	if m.Phase() != rotateSaveFailed {
		t.Fatalf("phase %v, want saveFailed\n%s", m.Phase(), d.view())
	}
	wantIn(t, d.view(), "The new key was not stored: the old key is still stored", "press r")
	if f.StoredKey("default") != f.Srv.Keys.ReadOnly {
		t.Fatal("the old key is gone")
	}
	if m.Unsaved() == "" {
		t.Error("quitting now would lose the verified key: Unsaved must say so")
	}

	f.Ring.Inject(nil) // the user unlocks the keyring
	d.keys("r")
	if m.Phase() != rotateDone || f.StoredKey("default") != newKey {
		t.Fatalf("after retry: phase %v\n%s", m.Phase(), d.view())
	}
}

func TestRotateScreenSameKeyAndBadPasteStayOnPaste(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	d, m := startRotation(t, f)
	d.keys("enter")
	d.send(pasteMsg(f.Srv.Keys.ReadOnly))
	d.keys("enter")
	if m.Phase() != rotatePaste {
		t.Fatalf("phase %v", m.Phase())
	}
	wantIn(t, d.view(), "This is the key already stored")

	d.send(keyMsg("esc"))
	d.keys("enter")
	d.send(pasteMsg("https://console.jumpcloud.com"))
	d.keys("enter")
	if m.Phase() != rotatePaste {
		t.Fatalf("a URL was accepted as a key: phase %v", m.Phase())
	}
}

func TestRotateScreenDropsAnswersOfAnAbandonedVerification(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	d, m := startRotation(t, f)
	d.keys("enter")
	d.send(pasteMsg(f.Srv.Keys.Admin))
	// Submit, but keep the verification's first command instead of running it.
	var cmd tea.Cmd
	d.screen, cmd = d.screen.Update(keyMsg("enter"))
	submitted := cmd()
	d.screen, cmd = d.screen.Update(submitted) // KeySubmittedMsg starts the verification
	d.keys("esc")                              // the user goes back before any answer
	d.run(cmd)                                 // the abandoned verification answers now
	if m.Phase() != rotatePaste {
		t.Fatalf("a stale answer moved the screen: phase %v\n%s", m.Phase(), d.view())
	}
}

func TestRotateScreenNothingStored(t *testing.T) {
	f := newDay2Fixture(t)
	d, m := startRotation(t, f)
	if m.Phase() != rotatePrepFailed {
		t.Fatalf("phase %v", m.Phase())
	}
	wantIn(t, d.view(), "Nothing is set up yet, so there is no stored key to rotate", "jcconnect setup")
	d.keys("esc")
	if d.popped != 1 {
		t.Error("esc did not leave the screen")
	}
}

func TestRotateScreenTooSmall(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	d, _ := startRotation(t, f)
	d.send(tea.WindowSizeMsg{Width: 40, Height: 10})
	wantIn(t, d.view(), "Make the window larger")
}

func TestRotateScreenInTheDemoOffersTheDemoKeys(t *testing.T) {
	f := newDay2Fixture(t)
	f.Env.Demo = &connect.Demo{BaseURL: f.Srv.URL, Keys: []connect.DemoKey{
		{Label: "Read Only admin (the right key)", Key: f.Srv.Keys.ReadOnly},
		{Label: "Full Administrator", Key: f.Srv.Keys.Admin},
	}}
	f.Save("default", f.Srv.Keys.ReadOnly)
	d, m := startRotation(t, f)
	d.keys("enter")
	v := d.view()
	wantIn(t, v, "Demo: there is no console", "Full Administrator", "tab insert a demo key")
	wantNotIn(t, v, "Read Only admin (the right key)") // the stored key is not offered
	d.send(tea.KeyMsg{Type: tea.KeyTab})
	if m.input.Value() != f.Srv.Keys.Admin {
		t.Fatal("tab did not insert the demo key")
	}
	d.keys("enter")
	wantIn(t, d.view(), "This key is not Read Only")
}
