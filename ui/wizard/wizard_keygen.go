package wizard

import (
	"strings"

	"jcconnect/glossary"
	"jcconnect/ui/common"
)

// keygenStep is step 3: generate the API key while signed in as the Read Only admin. The
// warning comes before the click: generating a key again revokes the previous one at once.
type keygenStep struct{ checklistStep }

func newKeygenStep() *keygenStep {
	return &keygenStep{checklistStep{list: newChecklist(glossary.KeygenSteps...)}}
}

func (k *keygenStep) title() string { return "Generate the API key" }

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
