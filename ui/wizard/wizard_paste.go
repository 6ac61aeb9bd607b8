package wizard

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/connect"
	"jcconnect/ui/common"
)

// pasteField is the one text field of the paste steps (the key, the Client Secret, the Client
// ID): the input with its rules, its keys, and tab inserting the demo's values in turn.
type pasteField struct {
	input    common.KeyInput
	demoNext int // which demo value tab inserts next
	k        pasteKeys
}

func newPasteField(c common.Common, visible bool) pasteField {
	in := common.NewKeyInput()
	if visible {
		in.Show()
	}
	f := pasteField{input: in, k: newPasteKeys(in.Keys())}
	if c.Width > 0 {
		f.setSize(c.Width, c.Height)
	}
	return f
}

// setSize fits the field to the window; View only draws (the wizard calls this on resize).
func (f *pasteField) setSize(w, _ int)   { f.input.SetWidth(min(62, w)) }
func (f *pasteField) keys() help.KeyMap  { return f.k }
func (f *pasteField) capturesBack() bool { return false }

// updateField hands a submitted value to answer (the field's place in the wizard's answers) and
// moves on; tab inserts the next of demo when the demo's values are offered.
func (f *pasteField) updateField(msg tea.Msg, st *wizardState, answer *string, demo []string) tea.Cmd {
	switch msg := msg.(type) {
	case common.KeySubmittedMsg:
		if *answer != msg.Key {
			// Another value: whatever was verified or saved was for the old one.
			st.verified, st.saved = nil, false
		}
		*answer = msg.Key
		return wizardNext
	case tea.KeyMsg:
		if f.k.showDemo && len(demo) > 0 && key.Matches(msg, f.k.DemoKey) {
			f.input.SetValue(demo[f.demoNext%len(demo)])
			f.demoNext++
			return nil
		}
	}
	var cmd tea.Cmd
	f.input, cmd = f.input.Update(msg)
	return cmd
}

// pasteStep is step 4: paste the key into the masked field. In the demo it lists the demo's
// keys (fake, so they may be shown) and tab inserts them in turn, Read Only first.
type pasteStep struct {
	pasteField
	// secret is set on the service-account way: the field takes the Client Secret, with the
	// same input rules and the secret's own shape check.
	secret bool
}

func newPasteStep(c common.Common) *pasteStep { return &pasteStep{pasteField: newPasteField(c, false)} }

func (p *pasteStep) title() string {
	if p.secret {
		return "Paste the Client Secret"
	}
	return "Paste the key"
}

func (p *pasteStep) enter(st *wizardState) tea.Cmd {
	p.secret = st.serviceAccount
	p.k.showDemo = len(p.demoValues(st)) > 0
	p.input.SetShape(common.ShapeOf(connect.CredentialShape(p.secret)))
	p.input.SetLabel("API key")
	if p.secret {
		p.input.SetLabel("Client secret") // the field names what the console called it
	}
	p.input.Focus()
	return nil
}

// demoValues are what tab inserts: the demo's keys, or the secret of the demo service account
// whose Client ID was entered.
func (p *pasteStep) demoValues(st *wizardState) []string {
	if !st.isDemo() || st.demo == nil {
		return nil
	}
	var vals []string
	if p.secret {
		if sa, ok := demoSecretFor(st); ok {
			vals = append(vals, sa.Secret)
		}
		return vals
	}
	for _, dk := range st.demo.Keys {
		vals = append(vals, dk.Key)
	}
	return vals
}

func (p *pasteStep) update(msg tea.Msg, st *wizardState) tea.Cmd {
	return p.updateField(msg, st, &st.key, p.demoValues(st))
}

// demoKeyShown is the label of the demo key now in the field ("" when none).
func (p *pasteStep) demoKeyShown(st *wizardState) string {
	if st.demo == nil {
		return ""
	}
	for _, dk := range st.demo.Keys {
		if dk.Key == strings.TrimSpace(p.input.Value()) {
			return dk.Label
		}
	}
	return ""
}

func (p *pasteStep) view(st *wizardState, c common.Common) string {
	s := c.Styles
	var b strings.Builder
	if p.secret {
		return p.secretView(st, c)
	}
	if p.k.showDemo {
		b.WriteString("Paste one of the demo organisation's keys (they are fake), or press " + s.Key.Render("tab") +
			" to insert them in turn. Start with the Read Only key: " + s.Key.Render("tab") + " then " + s.Key.Render("enter") + ".\n\n")
		for i, dk := range st.demo.Keys {
			b.WriteString(fmt.Sprintf("  %d. %s  %s\n", i+1, s.Code.Render(dk.Key), dk.Label))
		}
		b.WriteString("\n")
	} else {
		b.WriteString("Paste the key you copied from My API Key. It stays hidden; nothing is sent or stored " +
			"until you press enter, and it is only stored after it has been checked.\n\n")
	}
	b.WriteString(p.input.View(s) + common.Focus + "\n") // the field stays in view
	if l := p.demoKeyShown(st); l != "" {
		b.WriteString(s.Muted.Render("In the field: the demo's "+l) + "\n")
	} else if k, err := connect.CheckKeyShape(p.input.Value()); err == nil && !connect.LooksLikeJumpCloudKey(k) {
		b.WriteString(s.Warn.Render("This does not look like a JumpCloud key (jca_… or 40 letters and digits); enter checks it anyway.") + "\n")
	}
	return b.String()
}

// secretView is the step on the service-account way.
func (p *pasteStep) secretView(st *wizardState, c common.Common) string {
	s := c.Styles
	var b strings.Builder
	if sa, ok := demoSecretFor(st); ok && p.k.showDemo {
		b.WriteString("Demo: press " + s.Key.Render("tab") + " to insert the Client Secret of " + sa.Label + " (fake), then " + s.Key.Render("enter") + ".\n\n")
	} else {
		b.WriteString("Paste the Client Secret shown when the service account was activated. It stays hidden; " +
			"nothing is sent or stored until you press enter, and it is only stored after it has been checked.\n\n")
	}
	b.WriteString(s.Muted.Render("Client ID: "+connect.Clean(st.clientID)) + "\n")
	b.WriteString(p.input.View(s) + common.Focus + "\n") // the field stays in view
	return b.String()
}
