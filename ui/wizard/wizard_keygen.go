package wizard

import (
	"strings"

	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/glossary"
	"jcconnect/ui/common"
)

// keygenStep is step 3: generate the API key while signed in as the Read Only admin. The
// warning comes before the click: generating a key again revokes the previous one at once.
type keygenStep struct {
	list checklist
}

func newKeygenStep() *keygenStep {
	return &keygenStep{list: newChecklist(glossary.KeygenSteps...)}
}

func (k *keygenStep) title() string      { return "Generate the API key" }
func (k *keygenStep) keys() help.KeyMap  { return k.list.k }
func (k *keygenStep) capturesBack() bool { return false }
func (k *keygenStep) enter(st *wizardState) tea.Cmd {
	k.list.k.canOpen = !st.isDemo() && canOpenBrowser(st.env)
	return nil
}

func (k *keygenStep) update(msg tea.Msg, st *wizardState) tea.Cmd {
	cmd, enter := k.list.update(msg, st)
	if enter {
		return wizardNext
	}
	return cmd
}

func (k *keygenStep) view(st *wizardState, c common.Common) string {
	s := c.Styles
	var b strings.Builder
	warn := s.Warn.Bold(true).Render("Before you click:") + " generating a key again revokes the previous key " +
		"of that admin immediately; anything using it stops working. For a brand-new admin " +
		"there is no previous key, so this is safe."
	b.WriteString(common.Boxed(s.Box, min(c.Width-2, 84), warn) + "\n\n")
	b.WriteString(k.list.view(s))
	b.WriteString("\n" + s.Muted.Render(glossary.KeyExpiry) + "\n")
	b.WriteString("\n" + s.Muted.Render(glossary.NoAPIKeyPermissionFix) + "\n")
	b.WriteString("\n" + consoleLine(s, st, k.list.k.canOpen, k.list.opened) + "\n")
	return b.String()
}
