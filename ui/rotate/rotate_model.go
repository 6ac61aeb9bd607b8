package rotate

import (
	"context"
	"fmt"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/connect"
	"jcconnect/store"
	"jcconnect/ui/common"
)

// RotateModel is the interactive rotation, a screen for the App stack (the home screen pushes
// it; `jcconnect rotate` runs it alone). It pops itself when the user leaves.
//
// Phases: the stored key is checked live (checking), then shown with the explanation of the
// order (intro); the new key is pasted (paste) and verified with the wizard's VerifyModel
// (verify); a new owner or role is confirmed (confirm); the key is swapped in (saving); the old
// key is checked (checkingOld); the result is shown (done). A key of another organisation stops
// at refused; a failed swap at saveFailed, with retry, the old key still stored.
type RotateModel struct {
	common.Common
	ctx   context.Context
	phase rotatePhase
	keys  RotateKeys
	help  help.Model
	spin  spinner.Model

	target  connect.RotationTarget
	prepErr error

	input    common.KeyInput
	demoNext int    // the demo key tab inserts next
	hint     string // why the user is back at paste (a same key, a refused one)
	verify   common.VerifyModel
	vgen     int // generation of the current verification; older answers are dropped
	verified connect.Verified
	change   connect.OwnerChange
	refusal  string

	saveErr error
	after   store.Profile
	old     connect.OldKeyVerdict
}

type rotatePhase int

const (
	rotateChecking rotatePhase = iota
	rotatePrepFailed
	rotateIntro
	rotatePaste
	rotateVerify
	rotateConfirm
	rotateRefused
	rotateSaving
	rotateSaveFailed
	rotateCheckingOld
	rotateDone
)

// Messages of the rotation's commands.
type (
	rotatePreparedMsg struct {
		target connect.RotationTarget
		err    error
	}
	rotateSavedMsg struct {
		after store.Profile
		err   error
	}
	rotateOldCheckedMsg struct{ verdict connect.OldKeyVerdict }
	// rotateVerifyMsg carries a message of the embedded VerifyModel, stamped with the
	// verification it belongs to: going back and pasting another key starts a new VerifyModel,
	// and answers for the previous key must not reach it.
	rotateVerifyMsg struct {
		Gen int
		msg tea.Msg
	}
)

// RotationDoneMsg tells the screen below (home) that a rotation finished, so it can refresh.
type RotationDoneMsg struct{ Profile store.Profile }

// NewRotateModel builds the rotation screen for env; Init starts the live check of the stored key.
func NewRotateModel(ctx context.Context, c common.Common) *RotateModel {
	m := &RotateModel{Common: c, ctx: ctx, keys: newRotateKeys(), help: help.New(),
		spin: spinner.New(spinner.WithSpinner(spinner.Line)), input: common.NewKeyInput()}
	m.help.Styles.ShortKey = c.Styles.Key
	m.help.Styles.ShortDesc = c.Styles.Help
	m.help.Styles.ShortSeparator = c.Styles.Help
	return m
}

// Phase is the current phase (for tests).
func (m *RotateModel) Phase() rotatePhase { return m.phase }

// Unsaved implements UnsavedWork: a verified new key not yet stored would be lost, and after
// generating it the old one no longer works.
func (m *RotateModel) Unsaved() string {
	const what = "a verified new key that is not stored yet (the old key may already be revoked, " +
		"and JumpCloud shows a new key only once)"
	switch m.phase {
	case rotateConfirm, rotateSaving, rotateSaveFailed:
		return what
	case rotateVerify:
		if m.verify.Done() {
			return what
		}
	}
	return ""
}

func (m *RotateModel) Init() tea.Cmd { return tea.Batch(m.spin.Tick, m.prepare()) }

func (m *RotateModel) prepare() tea.Cmd {
	ctx, env := m.ctx, m.Env
	return func() tea.Msg {
		t, err := connect.PrepareRotation(ctx, env)
		return rotatePreparedMsg{target: t, err: err}
	}
}

func (m *RotateModel) save() tea.Cmd {
	ctx, env, t, v := m.ctx, m.Env, m.target, m.verified
	return func() tea.Msg {
		after, err := t.ReplaceKey(ctx, env, v)
		return rotateSavedMsg{after: after, err: err}
	}
}

func (m *RotateModel) checkOld() tea.Cmd {
	ctx, env, t := m.ctx, m.Env, m.target
	return func() tea.Msg { return rotateOldCheckedMsg{verdict: t.CheckOldKey(ctx, env)} }
}

// demoKeys are the demo organisation's keys other than the stored one, to paste in the demo
// (they are fake and shown on purpose); none outside the demo.
func (m *RotateModel) demoKeys() []connect.DemoKey {
	if m.Env == nil || m.Env.Demo == nil {
		return nil
	}
	var out []connect.DemoKey
	for _, dk := range m.Env.Demo.Keys {
		if !m.target.SameKey(dk.Key) {
			out = append(out, dk)
		}
	}
	return out
}

// tagVerify stamps every message a VerifyModel command produces with gen, through batches.
func tagVerify(gen int, cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() tea.Msg {
		switch msg := cmd().(type) {
		case tea.BatchMsg:
			out := make(tea.BatchMsg, len(msg))
			for i, c := range msg {
				out[i] = tagVerify(gen, c)
			}
			return out
		case spinner.TickMsg:
			return msg // spinners tell their ticks apart by id; Update routes them
		default:
			return rotateVerifyMsg{Gen: gen, msg: msg}
		}
	}
}

func (m *RotateModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.SetSize(msg.Width, msg.Height)
		m.verify.SetSize(msg.Width, msg.Height)
		m.help.Width = msg.Width
		return m, nil
	case spinner.TickMsg:
		if m.phase == rotateVerify {
			var cmd tea.Cmd
			m.verify, cmd = m.verify.Update(msg)
			return m, tagVerify(m.vgen, cmd)
		}
		if m.phase != rotateChecking && m.phase != rotateSaving && m.phase != rotateCheckingOld {
			return m, nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	case rotatePreparedMsg:
		m.target, m.prepErr = msg.target, msg.err
		if msg.err != nil {
			m.phase = rotatePrepFailed
		} else {
			m.phase = rotateIntro
		}
		return m, nil
	case rotateVerifyMsg:
		if msg.Gen != m.vgen || m.phase != rotateVerify {
			return m, nil
		}
		return m.updateVerify(msg.msg)
	case rotateSavedMsg:
		if msg.err != nil {
			m.saveErr, m.phase = msg.err, rotateSaveFailed
			return m, nil
		}
		m.after, m.phase = msg.after, rotateCheckingOld
		return m, tea.Batch(m.spin.Tick, m.checkOld())
	case rotateOldCheckedMsg:
		m.old, m.phase = msg.verdict, rotateDone
		return m, nil
	case common.KeySubmittedMsg:
		if m.phase == rotatePaste {
			return m.startVerify(msg.Key)
		}
		return m, nil
	case tea.KeyMsg:
		return m.handleKey(msg)
	}
	return m, nil
}

// startVerify verifies a pasted key, unless it is the key already stored.
func (m *RotateModel) startVerify(newKey string) (tea.Model, tea.Cmd) {
	if m.target.SameKey(newKey) {
		m.hint = "This is the key already stored. Generate a new key in the console and paste that one."
		return m, nil
	}
	m.hint = ""
	m.vgen++
	m.verify = common.NewVerifyModel(m.ctx, m.Common, m.target.VerifyRequest(m.Env, newKey))
	m.phase = rotateVerify
	return m, tagVerify(m.vgen, m.verify.Init())
}

// updateVerify forwards to the embedded verification and acts on its outcome.
func (m *RotateModel) updateVerify(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case common.VerifiedMsg:
		return m.verifiedKey(msg.Verified)
	case common.VerifyBackMsg:
		m.phase = rotatePaste
		m.hint = "Paste the key of the right admin."
		if msg.CreateAdmin {
			m.hint = "Create a Read Only administrator with API access (Settings ▸ Administrators ▸ + Admin), " +
				"sign in as that admin, generate its key (My API Key) and paste it here."
		}
		return m, nil
	}
	var cmd tea.Cmd
	m.verify, cmd = m.verify.Update(msg)
	return m, tagVerify(m.vgen, cmd)
}

// verifiedKey applies the rotation's own rules to a verified key: same organisation, a changed
// owner or role confirmed; then the swap.
func (m *RotateModel) verifiedKey(v connect.Verified) (tea.Model, tea.Cmd) {
	m.verified = v
	if m.target.OrgMismatch(v) {
		m.refusal, m.phase = m.target.OtherOrgRefusal(v.Org), rotateRefused
		return m, nil
	}
	m.change = m.target.CompareOwner(v)
	if m.change.Any() {
		m.phase = rotateConfirm
		return m, nil
	}
	m.phase = rotateSaving
	return m, tea.Batch(m.spin.Tick, m.save())
}

func (m *RotateModel) leave() (tea.Model, tea.Cmd) {
	if m.phase == rotateDone {
		p := m.after
		// In order: the screen below is on top again when it hears that the rotation is done.
		return m, tea.Sequence(common.Pop(), func() tea.Msg { return RotationDoneMsg{Profile: p} })
	}
	return m, common.Pop()
}

func (m *RotateModel) handleKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	switch m.phase {
	case rotateChecking, rotateSaving, rotateCheckingOld:
		return m, nil // nothing to do but wait; ctrl+c is the App's
	case rotatePrepFailed:
		switch {
		case key.Matches(msg, m.keys.Retry):
			m.phase = rotateChecking
			return m, tea.Batch(m.spin.Tick, m.prepare())
		case key.Matches(msg, m.keys.Back):
			return m.leave()
		}
	case rotateIntro:
		switch {
		case key.Matches(msg, m.keys.Continue):
			m.phase = rotatePaste
			m.input.Focus()
		case key.Matches(msg, m.keys.Back):
			return m.leave()
		}
	case rotatePaste:
		if key.Matches(msg, m.keys.Back) {
			m.phase = rotateIntro
			return m, nil
		}
		if keys := m.demoKeys(); len(keys) > 0 && key.Matches(msg, m.keys.DemoKey) {
			m.input.SetValue(keys[m.demoNext%len(keys)].Key)
			m.demoNext++
			return m, nil
		}
		var cmd tea.Cmd
		m.input, cmd = m.input.Update(msg)
		return m, cmd
	case rotateVerify:
		// The verification handles its own keys (retry, org pick, b/c on a privileged key);
		// esc goes back to the key, which stays as typed.
		if key.Matches(msg, m.keys.Back) {
			m.vgen++ // drop whatever the abandoned verification still answers
			m.phase = rotatePaste
			return m, nil
		}
		return m.updateVerify(msg)
	case rotateConfirm:
		switch {
		case key.Matches(msg, m.keys.Confirm):
			m.phase = rotateSaving
			return m, tea.Batch(m.spin.Tick, m.save())
		case key.Matches(msg, m.keys.Decline), key.Matches(msg, m.keys.Back):
			m.phase = rotatePaste
			m.hint = "Nothing was changed. Paste the key of the admin that should own this integration."
		}
	case rotateRefused:
		if key.Matches(msg, m.keys.Back) || key.Matches(msg, m.keys.Continue) {
			m.phase, m.hint = rotatePaste, "Nothing was changed. Paste a key of the same organisation."
		}
	case rotateSaveFailed:
		switch {
		case key.Matches(msg, m.keys.Retry):
			m.phase = rotateSaving
			return m, tea.Batch(m.spin.Tick, m.save())
		case key.Matches(msg, m.keys.Back):
			return m.leave()
		}
	case rotateDone:
		if key.Matches(msg, m.keys.Done) {
			return m.leave()
		}
	}
	return m, nil
}

// rotateTUI runs the rotation alone: an App whose only screen is the rotation.
func rotateTUI(ctx context.Context, env *connect.Env) int {
	c := common.NewCommon(env)
	m := NewRotateModel(ctx, c)
	final, err := tea.NewProgram(common.NewApp(c, m), tea.WithAltScreen(), tea.WithContext(ctx),
		tea.WithInput(env.In), tea.WithOutput(env.Out)).Run()
	if err != nil {
		fmt.Fprintln(env.Err, "jcconnect rotate:", err)
		return connect.ExitFailure
	}
	app, _ := final.(common.App)
	rm, _ := app.Bottom().(*RotateModel)
	if rm == nil {
		rm = m
	}
	switch rm.phase {
	case rotateDone:
		fmt.Fprintf(env.Out, "Rotated: profile %q now uses key …%s.\n", rm.after.Name, rm.after.KeyLast4)
		fmt.Fprintln(env.Out, rm.old.Describe(rm.target, connect.Clean(rm.verified.Owner.Admin.Email)))
		return connect.ExitOK
	case rotatePrepFailed:
		return connect.ReportRotateError(env, rm.prepErr)
	case rotateSaveFailed:
		fmt.Fprintln(env.Err, "jcconnect rotate:", rm.saveErr)
		return connect.ExitCodeFor(rm.saveErr)
	}
	fmt.Fprintln(env.Err, "Rotation stopped: nothing was changed.")
	return connect.ExitFailure
}
