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
		b.WriteString(st(common.Wrap(text, width)) + "\n")
	}
	switch m.phase {
	case rotateChecking:
		b.WriteString(m.spin.View() + " Checking the stored key with JumpCloud…\n")
	case rotatePrepFailed:
		switch {
		case errors.Is(m.prepErr, store.ErrNoProfile):
			para(s.Bad.Render, "Nothing is set up yet, so there is no stored key to rotate.")
			para(s.Text.Render, "Run `jcconnect setup` to connect an organisation (or try `jcconnect --demo`).")
		case errors.Is(m.prepErr, connect.ErrEnvOnly):
			para(s.Bad.Render, "No key is stored: "+m.prepErr.Error()+".")
		default:
			para(s.Bad.Render, "The stored connection could not be read: "+m.prepErr.Error())
			if fix := store.Fix(m.prepErr); fix != "" {
				para(s.Text.Render, fix)
			}
		}
	case rotateIntro:
		b.WriteString(m.targetView(width))
		b.WriteString("\n" + s.Subtitle.Render("How this works") + "\n")
		para(s.Text.Render, connect.RotationOrder)
		b.WriteString("\n" + s.Key.Render("enter") + " I have the new key (or am about to generate it)\n")
	case rotatePaste:
		para(s.Text.Render, "Paste the new key (generated as the Read Only admin: My API Key ▸ Generate New API Key).")
		if keys := m.demoKeys(); len(keys) > 0 {
			b.WriteString(s.Muted.Render("Demo: there is no console; paste one of these fake keys, or press tab to insert them in turn.") + "\n")
			for _, dk := range keys {
				b.WriteString("  " + s.Code.Render(dk.Key) + "  " + dk.Label + "\n")
			}
		}
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
		if connect.IsPrivileged(m.verified.Owner) {
			msg += "\n" + s.Warn.Render("It is not Read Only. "+connect.LeastPrivilegeWarning)
		}
		msg += "\n\n" + s.Key.Render("y") + " store this key    " + s.Key.Render("n") + " paste another key"
		b.WriteString(s.Box.Width(width).Render(msg) + "\n")
	case rotateRefused:
		b.WriteString(s.ErrorBox.Width(width).Render(m.refusal) + "\n")
	case rotateSaving:
		b.WriteString(m.spin.View() + " Storing the new key in the keyring (the old one stays until the new one is read back)…\n")
	case rotateSaveFailed:
		msg := s.Bad.Bold(true).Render("The new key was not stored: the old key is still stored.") + "\n" +
			common.Wrap(m.saveErr.Error(), width-4)
		if fix := store.Fix(m.saveErr); fix != "" {
			msg += "\n\n" + common.Wrap(fix, width-4)
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
	keys.Phase = m.phase
	var km help.KeyMap = keys
	switch m.phase {
	case rotatePaste:
		km = pasteHelp{k: m.input.Keys(), back: m.keys.Back}
		if len(m.demoKeys()) > 0 {
			km = pasteHelp{k: m.input.Keys(), back: m.keys.Back, demo: &m.keys.DemoKey}
		}
	case rotateVerify:
		km = m.verify.HelpKeys()
	}
	b.WriteString("\n" + m.help.View(km))
	return b.String()
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
	for _, r := range profileRows(t) {
		row(r.label, r.value)
	}
	switch {
	case t.NoStoredKey:
		row("Now", s.Warn.Render("no key in the keyring for this profile: this is a recovery"))
	case t.Recovery:
		row("Now", s.Bad.Render(s.GlyphFail+" JumpCloud refuses this key (revoked or expired)"))
		b.WriteString("\n" + s.Warn.Render(common.Wrap("This is a recovery: the stored key no longer works, so "+
			"nothing can get worse. Generate a new key as the Read Only admin and paste it.", width)) + "\n")
	case t.Check.Valid():
		row("Now", s.OK.Render(s.GlyphPass+" works"))
	default:
		detail := string(t.Check.State)
		if t.Check.Err != nil {
			detail = t.Check.Err.Error()
		}
		row("Now", s.Warn.Render(common.Wrap("? could not be checked: "+detail, width-14)))
	}
	return b.String()
}

func (m *RotateModel) doneView(width int) string {
	s := m.Styles
	var b strings.Builder
	b.WriteString(s.OK.Render(s.GlyphPass+" The new key "+store.Mask(m.verified.Key)+" is stored.") + "\n")
	verdict := m.old.Describe(m.target, connect.Clean(m.verified.Owner.Admin.Email))
	switch m.old.State {
	case connect.OldKeyRevoked, connect.OldKeyAlreadyRevoked:
		b.WriteString(s.OK.Render(common.Wrap(s.GlyphPass+" "+verdict, width)) + "\n")
	default:
		b.WriteString(s.Warn.Render(common.Wrap("! "+verdict, width)) + "\n")
	}
	p := m.after
	b.WriteString("\n")
	row := func(label, value string) {
		if value != "" {
			b.WriteString(s.Muted.Render(fmt.Sprintf("%-13s", label)) + " " + value + "\n")
		}
	}
	row("Key", "…"+p.KeyLast4)
	row("Owner", connect.Clean(p.OwnerEmail))
	row("Role", connect.OrUnknown(connect.Clean(p.Role)))
	row("Expires", connect.Day(p.KeyExpires))
	row("Rotated", connect.Stamp(p.RotatedAt))
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
	if h.demo != nil {
		keys = append(keys, *h.demo)
	}
	return append(keys, h.back)
}
func (h pasteHelp) FullHelp() [][]key.Binding { return [][]key.Binding{h.ShortHelp()} }
