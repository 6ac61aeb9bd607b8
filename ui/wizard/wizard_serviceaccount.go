package wizard

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/connect"
	"jcconnect/store"
	"jcconnect/ui/common"
)

// The service-account way through the wizard (chosen on step 1): step 2 is the console
// checklist for a service account, step 3 the Client ID (visible), step 4 the Client Secret in
// the same masked field as a key (pasteStep), then the same verification, save and preview.

// wayStep is a step that differs by the way chosen on step 1: an API key or a service account.
// shown is the one the wizard last entered (title, keys and capturesBack take no state).
type wayStep struct{ key, sa, shown wizardStep }

func byWay(key, sa wizardStep) *wayStep { return &wayStep{key: key, sa: sa, shown: key} }

func (w *wayStep) pick(st *wizardState) wizardStep {
	if st != nil && st.serviceAccount {
		return w.sa
	}
	return w.key
}

func (w *wayStep) enter(st *wizardState) tea.Cmd {
	w.shown = w.pick(st)
	return w.shown.enter(st)
}
func (w *wayStep) title() string                                { return w.shown.title() }
func (w *wayStep) keys() help.KeyMap                            { return w.shown.keys() }
func (w *wayStep) capturesBack() bool                           { return w.shown.capturesBack() }
func (w *wayStep) update(msg tea.Msg, st *wizardState) tea.Cmd  { return w.pick(st).update(msg, st) }
func (w *wayStep) view(st *wizardState, c common.Common) string { return w.pick(st).view(st, c) }

// setSize passes the window's size to both ways' steps.
func (w *wayStep) setSize(width, h int) {
	for _, s := range []wizardStep{w.key, w.sa} {
		if sz, ok := s.(interface{ setSize(w, h int) }); ok {
			sz.setSize(width, h)
		}
	}
}

// saConsoleStep is step 2 of the service-account way: create it in the console. The facts are
// JumpCloud's (Settings ▸ Service Accounts, issue 12's "Console" notes). It is a console
// checklist like the admin and key steps, with its own items and words.
type saConsoleStep struct{ checklistStep }

func newSAConsoleStep() *saConsoleStep {
	return &saConsoleStep{checklistStep{list: newChecklist(
		"Sign in as an Administrator with Billing (only it can create service accounts); open Settings ▸ Service Accounts",
		"Click + New and give it a name (e.g. Evidence collection)",
		"Role: choose Read Only",
		"Key Type: Client Secret, then Configure",
		"Pick the Secret Lifetime, then Activate",
		"Copy the Client ID and the Client Secret now: JumpCloud shows the secret only once",
	)}}
}

func (a *saConsoleStep) title() string { return "Create a service account" }

func (a *saConsoleStep) view(st *wizardState, c common.Common) string {
	s := c.Styles
	var b strings.Builder
	b.WriteString("Why a service account: it is not tied to a person, so evidence collection does not stop " +
		"when an admin leaves. It has exactly its role's permissions: Read Only reads and changes nothing.\n")
	b.WriteString(s.Muted.Render("Each holds two client secrets, so one can be rotated while the other works; JumpCloud e-mails 7 days before a secret expires.") + "\n\n")
	b.WriteString(a.list.view(s))
	b.WriteString("\n" + consoleLine(s, st, a.list.k.canOpen, a.list.opened) + "\n")
	return b.String()
}

// clientIDStep is step 3 of the service-account way: the Client ID, shown as typed (it names the
// account and is not secret), checked by the store's rule. In the demo tab inserts the demo's ids.
type clientIDStep struct{ pasteField }

func newClientIDStep(c common.Common) *clientIDStep {
	p := &clientIDStep{newPasteField(c, true)}
	p.input.SetShape(common.ShapeOf(store.NormalizeClientID))
	p.input.SetLabel("Client ID")
	return p
}

func (p *clientIDStep) title() string { return "Paste the Client ID" }
func (p *clientIDStep) enter(st *wizardState) tea.Cmd {
	p.k.showDemo = len(p.demoValues(st)) > 0
	p.input.Focus()
	return nil
}

// demoValues are the demo's Client IDs, which tab inserts in turn.
func (p *clientIDStep) demoValues(st *wizardState) []string {
	if !st.isDemo() || st.demo == nil {
		return nil
	}
	var ids []string
	for _, sa := range st.demo.ServiceAccounts {
		ids = append(ids, sa.ClientID)
	}
	return ids
}

func (p *clientIDStep) update(msg tea.Msg, st *wizardState) tea.Cmd {
	return p.updateField(msg, st, &st.clientID, p.demoValues(st))
}

func (p *clientIDStep) view(st *wizardState, c common.Common) string {
	s := c.Styles
	var b strings.Builder
	if p.k.showDemo {
		b.WriteString("Paste one of the demo organisation's Client IDs, or press " + s.Key.Render("tab") +
			" to insert them in turn. Start with the Read Only one: " + s.Key.Render("tab") + " then " + s.Key.Render("enter") + ".\n\n")
		for i, sa := range st.demo.ServiceAccounts {
			b.WriteString(fmt.Sprintf("  %d. %s  %s\n", i+1, s.Code.Render(sa.ClientID), sa.Label))
		}
		b.WriteString("\n")
	} else {
		b.WriteString("Paste the service account's Client ID (Settings ▸ Service Accounts). It is not secret, " +
			"so it is shown; the Client Secret comes next, in a hidden field.\n\n")
	}
	b.WriteString(p.input.View(s) + common.Focus + "\n") // the field stays in view
	return b.String()
}

// demoSecretFor is the demo secret of the service account whose client id was entered, so tab
// on the secret step inserts the matching one.
func demoSecretFor(st *wizardState) (connect.DemoServiceAccount, bool) {
	if st.demo == nil {
		return connect.DemoServiceAccount{}, false
	}
	for _, sa := range st.demo.ServiceAccounts {
		if sa.ClientID == st.clientID {
			return sa, true
		}
	}
	return connect.DemoServiceAccount{}, false
}
