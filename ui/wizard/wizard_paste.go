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

// pasteStep is step 4: paste the key into the masked field. In the demo it lists the demo's
// keys (fake, so they may be shown) and tab inserts them in turn, Read Only first.
type pasteStep struct {
	input    common.KeyInput
	demoNext int // which demo key tab inserts next
	k        pasteKeys
	// secret is set on the service-account way: the field takes the Client Secret, with the
	// same input rules and the secret's own shape check.
	secret bool
}

func newPasteStep(c common.Common) *pasteStep {
	in := common.NewKeyInput()
	p := &pasteStep{input: in, k: newPasteKeys(in.Keys())}
	if c.Width > 0 {
		p.setSize(c.Width, c.Height)
	}
	return p
}

// setSize fits the key field to the window; View only draws (the wizard calls this on resize).
func (p *pasteStep) setSize(w, _ int) { p.input.SetWidth(min(62, w)) }

func (p *pasteStep) title() string {
	if p.secret {
		return "Paste the Client Secret"
	}
	return "Paste the key"
}
func (p *pasteStep) keys() help.KeyMap  { return p.k }
func (p *pasteStep) capturesBack() bool { return false }
func (p *pasteStep) enter(st *wizardState) tea.Cmd {
	p.k.showDemo = st.isDemo() && st.demo != nil && len(st.demo.Keys) > 0
	p.secret = st.serviceAccount
	p.input.SetShape(nil)
	if p.secret {
		_, ok := demoSecretFor(st)
		p.k.showDemo = st.isDemo() && ok
		p.input.SetShape(connect.CheckSecretShape)
	}
	p.input.Focus()
	return nil
}

func (p *pasteStep) update(msg tea.Msg, st *wizardState) tea.Cmd {
	switch msg := msg.(type) {
	case common.KeySubmittedMsg:
		if st.key != msg.Key {
			// A different key: whatever was verified or saved was for the old one.
			st.verified, st.saved = nil, false
		}
		st.key = msg.Key
		return wizardNext
	case tea.KeyMsg:
		if p.k.showDemo && p.secret && key.Matches(msg, p.k.DemoKey) {
			sa, _ := demoSecretFor(st)
			p.input.SetValue(sa.Secret)
			return nil
		}
		if p.k.showDemo && key.Matches(msg, p.k.DemoKey) {
			p.input.SetValue(st.demo.Keys[p.demoNext%len(st.demo.Keys)].Key)
			p.demoNext++
			return nil
		}
	}
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	return cmd
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
			" to insert\nthem in turn. Start with the Read Only key: " + s.Key.Render("tab") + " then " + s.Key.Render("enter") + ".\n\n")
		for i, dk := range st.demo.Keys {
			b.WriteString(fmt.Sprintf("  %d. %s  %s\n", i+1, s.Code.Render(dk.Key), dk.Label))
		}
		b.WriteString("\n")
	} else {
		b.WriteString("Paste the key you copied from My API Key. It stays hidden; nothing is sent or stored\n")
		b.WriteString("until you press enter, and it is only stored after it has been checked.\n\n")
	}
	b.WriteString(p.input.View(s) + "\n")
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
		b.WriteString("Paste the Client Secret shown when the service account was activated. It stays hidden;\n")
		b.WriteString("nothing is sent or stored until you press enter, and it is only stored after it has been checked.\n\n")
	}
	b.WriteString(s.Muted.Render("Client ID: "+connect.Clean(st.clientID)) + "\n")
	b.WriteString(p.input.View(s) + "\n")
	return b.String()
}
