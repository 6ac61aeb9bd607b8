package rotate

import (
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"

	"jcconnect/connect"
	"jcconnect/store"
	"jcconnect/ui/common"
)

// Drawing of the rotation screen (rotate_model.go holds its phases and behaviour).

// View draws the current phase under a title, the stored key's note, and the help line.
func (m *RotateModel) View() string {
	if m.TooSmall() {
		return m.TooSmallView()
	}
	s := m.Styles
	width := min(max(m.Width-4, 20), 90)
	title := m.target.Words().Title
	if m.target.Profile.Name != "" {
		title += " — profile " + m.target.Profile.Name
	}
	body := m.phaseView(width)
	if note := m.target.StoredKeyNote(); note != "" && m.phase != rotateChecking {
		body += "\n" + para(s.Warn.Render, note, width)
	}
	hints := common.HelpLine(s, m.Width, m.Keys.Quit, m.helpKeys().ShortHelp()...)
	return m.scroller().Page(s, m.Width, m.Height, s.Title.Render(title), body, hints)
}

// scroller is the body's scroll, made on first use.
func (m *RotateModel) scroller() *common.Scroll {
	if m.scroll == nil {
		m.scroll = common.NewScroll()
	}
	return m.scroll
}

// para is one wrapped paragraph in a style.
func para(st func(...string) string, text string, width int) string {
	return st(common.Wrap(text, width)) + "\n"
}

// phaseView is the body of the current phase.
func (m *RotateModel) phaseView(width int) string {
	s := m.Styles
	w := m.target.Words()
	switch m.phase {
	case rotateChecking:
		return m.spin.View() + " Checking the stored key with JumpCloud…\n"
	case rotatePrepFailed:
		return m.prepFailedView(width)
	case rotateIntro:
		return m.targetView(width) + "\n" + s.Subtitle.Render("How this works") + "\n" +
			para(s.Text.Render, w.Order, width) +
			"\n" + common.Focus + s.Key.Render("enter") + " " + w.Ready + "\n"
	case rotatePaste:
		return m.pasteView(width)
	case rotateVerify:
		return m.verifyView(width)
	case rotateConfirm:
		return m.confirmView(width)
	case rotateRefused:
		return common.Boxed(s.ErrorBox, width, m.rot.Refusal().Reason) + "\n"
	case rotateSaving:
		return m.spin.View() + " Storing the new " + w.Credential + " in the keyring (the old one stays until the new one is read back)…\n"
	case rotateSaveFailed:
		return m.saveFailedView(width)
	case rotateCheckingOld:
		return s.OK.Render(s.GlyphPass+" The new "+w.Credential+" is stored.") + "\n" +
			m.spin.View() + " Checking whether JumpCloud still accepts the old " + w.Credential + "…\n"
	case rotateDone:
		return m.doneView(width)
	}
	return ""
}

// prepFailedView says why there is nothing to rotate, with the fix.
func (m *RotateModel) prepFailedView(width int) string {
	s := m.Styles
	switch {
	case errors.Is(m.prepErr, store.ErrNoProfile):
		return para(s.Bad.Render, "Nothing is set up yet, so there is no stored key to rotate.", width) +
			para(s.Text.Render, "Run `jcconnect setup` to connect an organisation (or try `jcconnect --demo`).", width)
	case errors.Is(m.prepErr, connect.ErrEnvOnly):
		return para(s.Bad.Render, "No key is stored: "+m.prepErr.Error()+".", width)
	}
	out := para(s.Bad.Render, "The stored connection could not be read: "+m.prepErr.Error(), width)
	if fix := store.Fix(m.prepErr); fix != "" {
		out += para(s.Text.Render, fix, width)
	}
	return out
}

// pasteView is the key field, the demo's keys, and why a paste was refused.
func (m *RotateModel) pasteView(width int) string {
	s := m.Styles
	var b strings.Builder
	b.WriteString(para(s.Text.Render, m.target.Words().Paste, width))
	if keys := m.demoKeys(); len(keys) > 0 {
		b.WriteString(para(s.Muted.Render, m.target.DemoNote(m.demoFresh != ""), width))
		// The label above its key, so neither is cut at 80 columns.
		for _, dk := range keys {
			b.WriteString(common.Wrap("• "+dk.Label, width) + "\n  " + s.Code.Render(dk.Key) + "\n")
		}
	}
	b.WriteString(m.input.View(s) + common.Focus + "\n") // the field stays in view
	if p := m.input.Problem(); p != "" {
		b.WriteString(para(s.Bad.Render, p, width))
	}
	if m.hint != "" {
		b.WriteString(para(s.Warn.Render, m.hint, width))
	}
	return b.String()
}

// verifyView is the live verification; a key of another organisation is explained in the
// rotation's own words under the checks.
func (m *RotateModel) verifyView(width int) string {
	s := m.Styles
	v := m.verify.View()
	if refusedOnOrg(m.verify) {
		// The verification's own advice (pick another organisation, --org-id) is the
		// wizard's; a rotation explains the refusal in its own words under the checks.
		rows, _, _ := strings.Cut(v, "\n\n")
		v = rows + "\n\n" + common.Boxed(s.ErrorBox, width, m.target.OtherOrgRefusal(m.verify.Result().Org)) + "\n"
	}
	return s.Subtitle.Render("Verifying the new "+m.target.Words().Credential) + "\n" + v
}

// confirmView asks to accept a different admin or role (and says when it is not Read Only).
func (m *RotateModel) confirmView(width int) string {
	s := m.Styles
	w, v := m.target.Words(), m.rot.Verified()
	owner := "admin"
	if m.target.Profile.IsServiceAccount() {
		owner = "service account"
	}
	var msg string
	if m.rot.Asks().OwnerChange {
		msg = s.Warn.Bold(true).Render("The new "+w.Credential+" belongs to a different "+owner+" or role:") + "\n"
		for _, l := range m.rot.Change().Lines() {
			msg += "  " + l + "\n"
		}
		msg += "\nFrom now on evidence is collected with this " + owner + "'s permissions.\n"
	}
	if connect.IsPrivileged(v.Owner) {
		msg += s.Warn.Render("It is not Read Only. " + v.LeastPrivilege())
	}
	msg += "\n\n" + s.Key.Render("y") + " store this " + w.Credential + "    " + s.Key.Render("n") + " paste another"
	return common.Boxed(s.Box, width, msg) + common.Focus + "\n"
}

// saveFailedView says the old key is still stored, why the new one was not, and how to retry.
func (m *RotateModel) saveFailedView(width int) string {
	s := m.Styles
	cred, err := m.target.Words().Credential, m.rot.SaveErr()
	head := "The new " + cred + " was not stored: the old " + cred + " is still stored."
	if store.PreviousKeyUncertain(err) {
		head = "The new " + cred + " was not stored, and the old " + cred + " may not be stored any more."
	}
	msg := s.Bad.Bold(true).Render(head) + "\n" +
		"Why: " + connect.Clean(store.Cause(err)) // one sentence of cause, then the fix (issue 11 item 4)
	if fix := store.Fix(err); fix != "" {
		msg += "\n\n" + fix
	}
	msg += "\n\nThe new " + cred + " is verified and kept here: fix the keyring and press r to store it."
	if m.target.Recovery {
		msg += "\nNote: the stored (old) " + cred + " is refused by JumpCloud until the new one is stored."
	}
	return common.Boxed(s.ErrorBox, width, msg) + common.Focus + "\n" // its r to retry stays in view
}

// helpKeys are the keys of the current phase for the help line.
func (m *RotateModel) helpKeys() help.KeyMap {
	switch m.phase {
	case rotatePaste:
		if len(m.demoKeys()) > 0 {
			return pasteHelp{k: m.input.Keys(), back: m.keys.Back, demo: &m.keys.DemoKey}
		}
		return pasteHelp{k: m.input.Keys(), back: m.keys.Back}
	case rotateVerify:
		return m.verify.HelpKeys()
	}
	keys := m.keys
	keys.Phase = m.phase
	return keys
}

// refusedOnOrg reports whether the verification stopped because the key cannot see the
// profile's organisation: a rotation explains that in its own words.
func refusedOnOrg(v common.VerifyModel) bool {
	return v.Phase == common.VerifyRefused && v.Org.State == connect.CheckFailed
}

func (m *RotateModel) targetView(width int) string {
	s := m.Styles
	t := m.target
	var b strings.Builder
	row := func(label, value string) {
		if value != "" {
			b.WriteString(s.Muted.Render(fmt.Sprintf("%-13s", label)) + " " + value + "\n")
		}
	}
	for _, r := range connect.ProfileRows(t) {
		row(r.Label, r.Value)
	}
	switch {
	case t.NoStoredKey:
		row("Now", s.Warn.Render("nothing in the keyring for this profile: this is a recovery"))
	case t.Recovery:
		row("Now", s.Bad.Render(s.GlyphFail+" JumpCloud refuses this "+t.Words().Credential))
		b.WriteString("\n" + s.Warn.Render(common.Wrap(t.RecoveryNote(), width)) + "\n")
	case t.Check.Valid():
		row("Now", s.OK.Render(s.GlyphPass+" works"))
	default:
		detail := string(t.Check.State)
		if t.Check.Err != nil {
			detail = t.Check.Err.Error()
		}
		row("Now", s.Warn.Render("? could not be checked: "+detail))
	}
	return b.String()
}

func (m *RotateModel) doneView(width int) string {
	s := m.Styles
	var b strings.Builder
	b.WriteString(s.OK.Render(s.GlyphPass+" The new "+m.target.Words().Credential+" "+m.rot.NewKeyMasked()+" is stored.") + "\n")
	verdict := m.rot.Outcome()
	switch m.rot.Old().State {
	case connect.OldKeyRevoked, connect.OldKeyAlreadyRevoked:
		b.WriteString(s.OK.Render(common.Wrap(s.GlyphPass+" "+verdict, width)) + "\n")
	default:
		b.WriteString(s.Warn.Render(common.Wrap("! "+verdict, width)) + "\n")
	}
	b.WriteString("\n")
	for _, r := range connect.RotatedRows(m.rot.After()) {
		if r.Value != "" {
			b.WriteString(s.Muted.Render(fmt.Sprintf("%-13s", r.Label)) + " " + r.Value + "\n")
		}
	}
	return b.String()
}

// pasteHelp is the help line while pasting: the field's keys and back.
type pasteHelp struct {
	k    common.KeyInputKeys
	back key.Binding
	demo *key.Binding // the demo's "insert a demo key", when in the demo
}

func (h pasteHelp) ShortHelp() []key.Binding {
	keys := []key.Binding{h.k.Submit, h.k.Reveal, h.k.Clear}
	if h.demo != nil { // first: in the demo it is how a key gets into the field
		keys = append([]key.Binding{*h.demo}, keys...)
	}
	return append(keys, h.back)
}
func (h pasteHelp) FullHelp() [][]key.Binding { return [][]key.Binding{h.ShortHelp()} }
