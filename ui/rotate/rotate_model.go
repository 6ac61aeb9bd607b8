package rotate

import (
	"context"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/connect"
	"jcconnect/store"
	"jcconnect/ui/common"
)

// RotateModel is the interactive rotation, a screen for the App stack (the home screen pushes
// it; `jcconnect rotate` runs it alone). It pops itself when the user leaves.
//
// The rotation's rules are connect.Rotation's: this screen is one more face of it. A bubbletea
// model cannot block on a question, so the screen does what the rotation's Step asks, running its
// I/O in a tea.Cmd, and hands each answer back (GiveKey, KeyVerified, Accept, Swapped,
// OldChecked); follow then shows the step the rotation has moved to. Only the first phases are
// the screen's own: the stored key is checked live (checking), then shown with the explanation of
// the order (intro). The new key is verified with the wizard's VerifyModel.
type RotateModel struct {
	common.Common
	ctx   context.Context
	phase rotatePhase
	keys  RotateKeys
	help  help.Model
	spin  spinner.Model
	// scroll: a phase taller than the window scrolls between title and key hints (rotate_view.go)
	scroll *common.Scroll

	target  connect.RotationTarget
	rot     *connect.Rotation // nil until the stored key is checked
	prepErr error

	input     common.KeyInput
	demoFresh string // the demo's fresh key for this rotation (connect.RotationTarget.DemoNewKey)
	demoNext  int    // the demo key tab inserts next
	hint      string // why the user is back at paste (a same key, a refused one)
	verify    common.VerifyModel
	vgen      int // generation of the current verification; older answers are dropped
}

type rotatePhase int

const (
	rotateChecking rotatePhase = iota
	rotatePrepFailed
	rotateIntro
	rotatePaste       // connect.StepReadKey
	rotateVerify      // connect.StepVerify
	rotateConfirm     // connect.StepConfirm
	rotateRefused     // connect.StepReadKey after a refusal of a verified key
	rotateSaving      // connect.StepSwap
	rotateSaveFailed  // connect.StepSwapFailed
	rotateCheckingOld // connect.StepCheckOld
	rotateDone        // connect.StepDone
)

// Messages of the rotation's commands.
type (
	rotatePreparedMsg struct {
		target connect.RotationTarget
		err    error
	}
	rotateSwappedMsg    struct{ apply func(*connect.Rotation) }
	rotateOldCheckedMsg struct{ verdict connect.OldKeyVerdict }
	rotateDemoKeyMsg    struct{ key string }
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
	if m.rot == nil {
		return ""
	}
	if !m.rot.Unsaved() && (m.phase != rotateVerify || !m.verify.Done()) {
		return ""
	}
	if m.target.Profile.IsServiceAccount() {
		return "a verified new client secret that is not stored yet (JumpCloud shows it only once)"
	}
	return "a verified new key that is not stored yet (the old key may already be revoked, " +
		"and JumpCloud shows a new key only once)"
}

func (m *RotateModel) Init() tea.Cmd { return tea.Batch(m.spin.Tick, m.prepare()) }

// The rotation's I/O, each in a command.

func (m *RotateModel) prepare() tea.Cmd {
	ctx, env := m.ctx, m.Env
	return func() tea.Msg {
		t, err := connect.PrepareRotation(ctx, env)
		return rotatePreparedMsg{target: t, err: err}
	}
}

func (m *RotateModel) swap() tea.Cmd {
	ctx, env, t, v := m.ctx, m.Env, m.target, m.rot.Verified()
	return func() tea.Msg {
		after, err := t.ReplaceKey(ctx, env, v)
		return rotateSwappedMsg{apply: func(r *connect.Rotation) { r.Swapped(after, err) }}
	}
}

func (m *RotateModel) checkOld() tea.Cmd {
	ctx, env, t := m.ctx, m.Env, m.target
	return func() tea.Msg { return rotateOldCheckedMsg{verdict: t.CheckOldKey(ctx, env)} }
}

// demoNewKey plays the console in the demo: it generates the new key once per rotation.
func (m *RotateModel) demoNewKey() tea.Cmd {
	if m.Env == nil || m.Env.Demo == nil || m.demoFresh != "" {
		return nil
	}
	t, d := m.target, m.Env.Demo
	return func() tea.Msg { return rotateDemoKeyMsg{key: t.DemoNewKey(d)} }
}

// demoKeys are the keys the demo offers to paste (they are fake and shown on purpose), the
// fresh one first; none outside the demo.
func (m *RotateModel) demoKeys() []connect.DemoKey {
	if m.Env == nil {
		return nil
	}
	return m.target.DemoChoices(m.Env.Demo, m.demoFresh)
}

// follow shows the step the rotation has moved to and starts that step's I/O.
func (m *RotateModel) follow() tea.Cmd {
	switch m.rot.Step() {
	case connect.StepReadKey:
		m.phase = rotatePaste
		if ref := m.rot.Refusal(); ref != nil && ref.Verified {
			m.phase = rotateRefused
		} else if ref != nil {
			m.hint = ref.Error()
		}
		m.input.Focus()
	case connect.StepVerify:
		return m.startVerify()
	case connect.StepConfirm:
		m.phase = rotateConfirm
	case connect.StepSwap:
		m.phase = rotateSaving
		return tea.Batch(m.spin.Tick, m.swap())
	case connect.StepSwapFailed:
		m.phase = rotateSaveFailed
	case connect.StepCheckOld:
		m.phase = rotateCheckingOld
		return tea.Batch(m.spin.Tick, m.checkOld())
	case connect.StepDone:
		m.phase = rotateDone
	}
	return nil
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
		return m.tick(msg)
	case rotatePreparedMsg:
		return m.prepared(msg)
	case rotateDemoKeyMsg:
		m.demoFresh = msg.key
		return m, nil
	case rotateVerifyMsg:
		if msg.Gen != m.vgen || m.phase != rotateVerify {
			return m, nil
		}
		return m.updateVerify(msg.msg)
	case rotateSwappedMsg:
		msg.apply(m.rot)
		return m, m.follow()
	case rotateOldCheckedMsg:
		m.rot.OldChecked(msg.verdict)
		return m, m.follow()
	case common.KeySubmittedMsg:
		if m.phase == rotatePaste {
			m.rot.GiveKey(msg.Key)
			return m, m.follow()
		}
		return m, nil
	case tea.KeyMsg:
		if m.scroller().Update(msg) {
			return m, nil
		}
		return m.handleKey(msg)
	}
	return m, nil
}

// tick moves the spinner of the phase that waits: the verification's or the screen's.
func (m *RotateModel) tick(msg spinner.TickMsg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch m.phase {
	case rotateVerify:
		m.verify, cmd = m.verify.Update(msg)
		return m, tagVerify(m.vgen, cmd)
	case rotateChecking, rotateSaving, rotateCheckingOld:
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	}
	return m, nil
}

// prepared starts the rotation of the stored key just checked, or says why there is none.
func (m *RotateModel) prepared(msg rotatePreparedMsg) (tea.Model, tea.Cmd) {
	m.target, m.prepErr = msg.target, msg.err
	if msg.err != nil {
		m.phase = rotatePrepFailed
		return m, nil
	}
	m.rot = connect.NewRotation(msg.target)
	m.input.SetShape(common.ShapeOf(msg.target.Shape()))
	if msg.target.Profile.IsServiceAccount() {
		m.input.SetLabel("Client secret")
	}
	m.phase = rotateIntro
	return m, nil
}

// startVerify verifies the key the rotation accepted, in a new VerifyModel.
func (m *RotateModel) startVerify() tea.Cmd {
	m.hint = ""
	m.vgen++
	m.verify = common.NewVerifyModel(m.ctx, m.Common, m.rot.VerifyRequest(m.Env))
	m.phase = rotateVerify
	return tagVerify(m.vgen, m.verify.Init())
}

// updateVerify forwards to the embedded verification and hands its outcome to the rotation.
func (m *RotateModel) updateVerify(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case common.VerifiedMsg:
		m.rot.KeyVerified(msg.Verified, nil)
		return m, m.follow()
	case common.VerifyBackMsg:
		m.back()
		m.hint = m.target.Words().PasteRight
		if msg.CreateAdmin {
			m.hint = "Create a Read Only administrator with API access (Settings ▸ Administrators ▸ + Admin), " +
				"sign in as that admin, generate its key (My API Key) and paste it here."
			if m.target.Profile.IsServiceAccount() {
				m.hint = "Give the service account the Read Only role (Settings ▸ Service Accounts), then paste its second client secret here."
			}
		}
		return m, nil
	}
	var cmd tea.Cmd
	m.verify, cmd = m.verify.Update(msg)
	return m, tagVerify(m.vgen, cmd)
}

// back returns to the paste field from a verification or a question: nothing was changed.
func (m *RotateModel) back() {
	m.vgen++ // drop whatever an abandoned verification still answers
	m.rot.Back()
	m.phase = rotatePaste
	m.input.Focus()
}

func (m *RotateModel) leave() (tea.Model, tea.Cmd) {
	if m.phase == rotateDone {
		p := m.rot.After()
		// In order: the screen below is on top again when it hears that the rotation is done.
		return m, tea.Sequence(common.Pop(), func() tea.Msg { return RotationDoneMsg{Profile: p} })
	}
	return m, common.Pop()
}
