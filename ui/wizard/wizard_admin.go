package wizard

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/connect"
	"jcconnect/glossary"
	"jcconnect/ui/common"
)

// checklist is a list of console steps the admin ticks as they go (steps 2 and 3 share it).
type checklist struct {
	items  []string
	ticked []bool
	cursor int
	opened string // outcome of the last "open in browser"
	k      checklistKeys
}

func newChecklist(items ...string) checklist {
	return checklist{items: items, ticked: make([]bool, len(items)), k: newChecklistKeys()}
}

// Done counts the ticked items.
func (c checklist) Done() int {
	n := 0
	for _, t := range c.ticked {
		if t {
			n++
		}
	}
	return n
}

// update handles moving and ticking; it reports enter so the step decides what comes next.
func (c *checklist) update(msg tea.Msg, st *wizardState) (cmd tea.Cmd, enter bool) {
	switch msg := msg.(type) {
	case browserOpenedMsg:
		if msg.err != nil {
			c.opened = "Could not open a browser (" + connect.Clean(msg.err.Error()) + "): open " + msg.url + " yourself."
		} else {
			c.opened = "Opened " + msg.url + " in your browser."
		}
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, c.k.Up):
			c.cursor = max(c.cursor-1, 0)
		case key.Matches(msg, c.k.Down):
			c.cursor = min(c.cursor+1, len(c.items)-1)
		case key.Matches(msg, c.k.Tick):
			c.ticked[c.cursor] = !c.ticked[c.cursor]
			// Move on after ticking, as one follows a list on paper.
			if c.ticked[c.cursor] {
				c.cursor = min(c.cursor+1, len(c.items)-1)
			}
		case key.Matches(msg, c.k.Open) && c.k.canOpen && !st.isDemo():
			return openBrowser(st.env, ConsoleURL(st.region)), false
		case key.Matches(msg, c.k.Continue):
			return nil, true
		}
	}
	return nil, false
}

func (c checklist) view(s common.Styles) string {
	var b strings.Builder
	for i, it := range c.items {
		mark := checkbox(c.ticked[i])
		line := fmt.Sprintf("  %s %d. %s", mark, i+1, it)
		if c.ticked[i] {
			line = s.OK.Render(line)
		}
		if i == c.cursor {
			line = common.Focus + s.Selected.Render(fmt.Sprintf("> %s %d. %s", mark, i+1, it))
		}
		b.WriteString(line + "\n")
	}
	b.WriteString(s.Muted.Render(fmt.Sprintf("%d of %d ticked (ticking is for you: enter goes on at any time)", c.Done(), len(c.items))) + "\n")
	return b.String()
}

// consoleLine shows where the console is, and whether it can be opened from here.
func consoleLine(s common.Styles, st *wizardState, canOpen bool, opened string) string {
	if st.isDemo() {
		return s.Warn.Render("Demo: there is no console to visit. The demo organisation already has a Read Only admin with a key; read the steps, then press enter.")
	}
	line := "Console: " + s.Code.Render(ConsoleURL(st.region))
	if canOpen {
		line += s.Muted.Render("  (o opens it in your browser)")
	}
	if opened != "" {
		line += "\n" + s.Muted.Render(opened)
	}
	return line
}

// checklistStep is what the console steps share (create the admin, generate the key, create the
// service account): a checklist whose enter moves on, with "open the console" where a browser
// can open. Each step adds its title and view.
type checklistStep struct {
	list checklist
}

func (c *checklistStep) keys() help.KeyMap  { return c.list.k }
func (c *checklistStep) capturesBack() bool { return false }
func (c *checklistStep) enter(st *wizardState) tea.Cmd {
	c.list.k.canOpen = !st.isDemo() && canOpenBrowser(st.env)
	return nil
}

func (c *checklistStep) update(msg tea.Msg, st *wizardState) tea.Cmd {
	cmd, enter := c.list.update(msg, st)
	if enter {
		return wizardNext
	}
	return cmd
}

// adminStep is step 2: create a Read Only administrator with API access.
type adminStep struct{ checklistStep }

func newAdminStep() *adminStep {
	return &adminStep{checklistStep{list: newChecklist(glossary.AdminSteps...)}}
}

func (a *adminStep) title() string { return "Create a Read Only administrator" }

func (a *adminStep) view(st *wizardState, c common.Common) string {
	s := c.Styles
	var b strings.Builder
	b.WriteString("Why a new admin: an API key has exactly the permissions of the admin who generates " +
		"it. A Read Only admin's key can read the evidence and change nothing.\n\n")
	b.WriteString(a.list.view(s))
	b.WriteString("\n" + s.Muted.Render(glossary.AdminStepsMTP) + "\n")
	b.WriteString("\n" + consoleLine(s, st, a.list.k.canOpen, a.list.opened) + "\n")
	return b.String()
}
