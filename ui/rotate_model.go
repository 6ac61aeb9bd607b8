package ui

import (
	"context"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/store"
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
	Common
	ctx   context.Context
	phase rotatePhase
	keys  RotateKeys
	help  help.Model
	spin  spinner.Model

	target  RotationTarget
	prepErr error

	input    KeyInput
	hint     string // why the user is back at paste (a same key, a refused one)
	verify   VerifyModel
	vgen     int // generation of the current verification; older answers are dropped
	verified Verified
	change   OwnerChange
	refusal  string

	saveErr error
	after   store.Profile
	old     OldKeyVerdict
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
		target RotationTarget
		err    error
	}
	rotateSavedMsg struct {
		after store.Profile
		err   error
	}
	rotateOldCheckedMsg struct{ verdict OldKeyVerdict }
	// rotateVerifyMsg carries a message of the embedded VerifyModel, stamped with the
	// verification it belongs to: going back and pasting another key starts a new VerifyModel,
	// and answers for the previous key must not reach it.
	rotateVerifyMsg struct {
		gen int
		msg tea.Msg
	}
)

// RotationDoneMsg tells the screen below (home) that a rotation finished, so it can refresh.
type RotationDoneMsg struct{ Profile store.Profile }

// NewRotateModel builds the rotation screen for env; Init starts the live check of the stored key.
func NewRotateModel(ctx context.Context, c Common) *RotateModel {
	m := &RotateModel{Common: c, ctx: ctx, keys: newRotateKeys(), help: help.New(),
		spin: spinner.New(spinner.WithSpinner(spinner.Line)), input: NewKeyInput()}
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
		t, err := PrepareRotation(ctx, env)
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
			return rotateVerifyMsg{gen: gen, msg: msg}
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
		if msg.gen != m.vgen || m.phase != rotateVerify {
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
	case KeySubmittedMsg:
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
	m.verify = NewVerifyModel(m.ctx, m.Common, m.target.VerifyRequest(m.Env, newKey))
	m.phase = rotateVerify
	return m, tagVerify(m.vgen, m.verify.Init())
}

// updateVerify forwards to the embedded verification and acts on its outcome.
func (m *RotateModel) updateVerify(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case VerifiedMsg:
		return m.verifiedKey(msg.Verified)
	case VerifyBackMsg:
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
func (m *RotateModel) verifiedKey(v Verified) (tea.Model, tea.Cmd) {
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
		return m, tea.Sequence(Pop(), func() tea.Msg { return RotationDoneMsg{Profile: p} })
	}
	return m, Pop()
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

// View draws the current phase under a title.
func (m *RotateModel) View() string {
	if m.TooSmall() {
		return m.TooSmallView()
	}
	s := m.Styles
	width := min(max(m.Width-4, 20), 90)
	var b strings.Builder
	title := "Rotate the API key"
	if m.target.Profile.Name != "" {
		title += " — profile " + m.target.Profile.Name
	}
	b.WriteString(s.Title.Render(title) + "\n\n")
	para := func(st func(...string) string, text string) {
		b.WriteString(st(wrap(text, width)) + "\n")
	}
	switch m.phase {
	case rotateChecking:
		b.WriteString(m.spin.View() + " Checking the stored key with JumpCloud…\n")
	case rotatePrepFailed:
		para(s.Bad.Render, "The stored connection could not be read: "+m.prepErr.Error())
		if fix := store.Fix(m.prepErr); fix != "" {
			para(s.Text.Render, fix)
		}
	case rotateIntro:
		b.WriteString(m.targetView(width))
		b.WriteString("\n" + s.Subtitle.Render("How this works") + "\n")
		para(s.Text.Render, rotationOrder)
		b.WriteString("\n" + s.Key.Render("enter") + " I have the new key (or am about to generate it)\n")
	case rotatePaste:
		para(s.Text.Render, "Paste the new key (generated as the Read Only admin: My API Key ▸ Generate New API Key).")
		b.WriteString(m.input.View(s) + "\n")
		if p := m.input.Problem(); p != "" {
			para(s.Bad.Render, p)
		}
		if m.hint != "" {
			para(s.Warn.Render, m.hint)
		}
	case rotateVerify:
		b.WriteString(s.Subtitle.Render("Verifying the new key") + "\n")
		v := m.verify.View()
		if refusedOnOrg(m.verify) {
			// The verification's own advice (pick another organisation, --org-id) is the
			// wizard's; a rotation explains the refusal in its own words under the checks.
			rows, _, _ := strings.Cut(v, "\n\n")
			v = rows + "\n\n" + s.ErrorBox.Width(width).Render(m.target.OtherOrgRefusal(m.verify.Result().Org)) + "\n"
		}
		b.WriteString(v)
	case rotateConfirm:
		msg := s.Warn.Bold(true).Render("The new key belongs to a different admin or role:") + "\n"
		for _, l := range m.change.Lines() {
			msg += "  " + l + "\n"
		}
		msg += "\nFrom now on evidence is collected with this admin's permissions."
		if IsPrivileged(m.verified.Owner) {
			msg += "\n" + s.Warn.Render("It is not Read Only. "+LeastPrivilegeWarning)
		}
		msg += "\n\n" + s.Key.Render("y") + " store this key    " + s.Key.Render("n") + " paste another key"
		b.WriteString(s.Box.Width(width).Render(msg) + "\n")
	case rotateRefused:
		b.WriteString(s.ErrorBox.Width(width).Render(m.refusal) + "\n")
	case rotateSaving:
		b.WriteString(m.spin.View() + " Storing the new key in the keyring (the old one stays until the new one is read back)…\n")
	case rotateSaveFailed:
		msg := s.Bad.Bold(true).Render("The new key was not stored: the old key is still stored.") + "\n" +
			wrap(m.saveErr.Error(), width-4)
		if fix := store.Fix(m.saveErr); fix != "" {
			msg += "\n\n" + wrap(fix, width-4)
		}
		msg += "\n\nThe new key is verified and kept here: fix the keyring and press r to store it."
		if m.target.Recovery {
			msg += "\nNote: the stored (old) key is refused by JumpCloud until the new one is stored."
		}
		b.WriteString(s.ErrorBox.Width(width).Render(msg) + "\n")
	case rotateCheckingOld:
		b.WriteString(s.OK.Render(s.GlyphPass+" The new key is stored.") + "\n")
		b.WriteString(m.spin.View() + " Checking whether JumpCloud still accepts the old key…\n")
	case rotateDone:
		b.WriteString(m.doneView(width))
	}
	if note := m.target.StoredKeyNote(); note != "" && m.phase != rotateChecking {
		b.WriteString("\n")
		para(s.Warn.Render, note)
	}
	keys := m.keys
	keys.phase = m.phase
	var km help.KeyMap = keys
	switch m.phase {
	case rotatePaste:
		km = pasteHelp{m.input.Keys(), m.keys.Back}
	case rotateVerify:
		km = m.verify.HelpKeys()
	}
	b.WriteString("\n" + m.help.View(km))
	return b.String()
}

// refusedOnOrg reports whether the verification stopped because the key cannot see the
// profile's organisation: a rotation explains that in its own words.
func refusedOnOrg(v VerifyModel) bool {
	return v.phase == verifyRefused && v.org.State == CheckFailed
}

func (m *RotateModel) targetView(width int) string {
	s := m.Styles
	t, p := m.target, m.target.Profile
	var b strings.Builder
	row := func(label, value string) {
		if value != "" {
			b.WriteString(s.Muted.Render(fmt.Sprintf("%-13s", label)) + " " + value + "\n")
		}
	}
	row("Key", t.Masked)
	row("Organisation", strings.TrimSpace(Clean(p.OrgName)+" ("+p.OrgID+")"))
	row("Owner", Clean(p.OwnerEmail))
	row("Role", Clean(p.Role))
	row("Created", day(p.KeyCreated))
	row("Expires", day(p.KeyExpires))
	switch {
	case t.NoStoredKey:
		row("Now", s.Warn.Render("no key in the keyring for this profile: this is a recovery"))
	case t.Recovery:
		row("Now", s.Bad.Render(s.GlyphFail+" JumpCloud refuses this key (revoked or expired)"))
		b.WriteString("\n" + s.Warn.Render(wrap("This is a recovery: the stored key no longer works, so "+
			"nothing can get worse. Generate a new key as the Read Only admin and paste it.", width)) + "\n")
	case t.Check.Valid():
		row("Now", s.OK.Render(s.GlyphPass+" works"))
	default:
		detail := string(t.Check.State)
		if t.Check.Err != nil {
			detail = t.Check.Err.Error()
		}
		row("Now", s.Warn.Render(wrap("? could not be checked: "+detail, width-14)))
	}
	return b.String()
}

func (m *RotateModel) doneView(width int) string {
	s := m.Styles
	var b strings.Builder
	b.WriteString(s.OK.Render(s.GlyphPass+" The new key "+MaskKey(m.verified.Key)+" is stored.") + "\n")
	verdict := m.old.Describe(m.target, Clean(m.verified.Owner.Admin.Email))
	switch m.old.State {
	case OldKeyRevoked, OldKeyAlreadyRevoked:
		b.WriteString(s.OK.Render(wrap(s.GlyphPass+" "+verdict, width)) + "\n")
	default:
		b.WriteString(s.Warn.Render(wrap("! "+verdict, width)) + "\n")
	}
	p := m.after
	b.WriteString("\n")
	row := func(label, value string) {
		if value != "" {
			b.WriteString(s.Muted.Render(fmt.Sprintf("%-13s", label)) + " " + value + "\n")
		}
	}
	row("Key", "…"+p.KeyLast4)
	row("Owner", Clean(p.OwnerEmail))
	row("Role", orUnknown(Clean(p.Role)))
	row("Expires", day(p.KeyExpires))
	row("Rotated", stamp(p.RotatedAt))
	return b.String()
}

// pasteHelp is the help line while pasting: the field's keys and back.
type pasteHelp struct {
	k    KeyInputKeys
	back key.Binding
}

func (h pasteHelp) ShortHelp() []key.Binding {
	return []key.Binding{h.k.Submit, h.k.Reveal, h.k.Clear, h.back}
}
func (h pasteHelp) FullHelp() [][]key.Binding { return [][]key.Binding{h.ShortHelp()} }

// wrap breaks text at spaces to width columns.
func wrap(text string, width int) string {
	if width < 10 {
		return text
	}
	var out []string
	for _, para := range strings.Split(text, "\n") {
		line := ""
		for _, w := range strings.Fields(para) {
			switch {
			case line == "":
				line = w
			case len([]rune(line))+1+len([]rune(w)) > width:
				out = append(out, line)
				line = w
			default:
				line += " " + w
			}
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// rotateTUI runs the rotation alone: an App whose only screen is the rotation.
func rotateTUI(ctx context.Context, env *Env) int {
	c := NewCommon(env)
	m := NewRotateModel(ctx, c)
	final, err := tea.NewProgram(NewApp(c, m), tea.WithAltScreen(), tea.WithContext(ctx),
		tea.WithInput(env.In), tea.WithOutput(env.Out)).Run()
	if err != nil {
		fmt.Fprintln(env.Err, "jcconnect rotate:", err)
		return ExitFailure
	}
	app, _ := final.(App)
	rm, _ := app.Bottom().(*RotateModel)
	if rm == nil {
		rm = m
	}
	switch rm.phase {
	case rotateDone:
		fmt.Fprintf(env.Out, "Rotated: profile %q now uses key …%s.\n", rm.after.Name, rm.after.KeyLast4)
		fmt.Fprintln(env.Out, rm.old.Describe(rm.target, Clean(rm.verified.Owner.Admin.Email)))
		return ExitOK
	case rotatePrepFailed:
		return reportRotateError(env, rm.prepErr)
	case rotateSaveFailed:
		fmt.Fprintln(env.Err, "jcconnect rotate:", rm.saveErr)
		return ExitCodeFor(rm.saveErr)
	}
	fmt.Fprintln(env.Err, "Rotation stopped: nothing was changed.")
	return ExitFailure
}
