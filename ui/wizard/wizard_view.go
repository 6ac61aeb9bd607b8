package wizard

import (
	"slices"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/ui/common"
)

// Drawing of the wizard: the header, the step's body wrapped once to the window and scrolled
// between the header and the key hints (which always show), and ? for every key of the step.

// wizardChromeLines is what the wizard draws around a step's body: header (2), a blank line,
// the line above the key hints (blank, or what is scrolled out of view) and the key hints.
const wizardChromeLines = 5

func (w *Wizard) bodyHeight() int { return max(w.Height-wizardChromeLines, 3) }

// layoutKey handles the keys that belong to the layout rather than to a step: ? (full help) and
// pgup/pgdown (scroll). It reports whether it used msg.
func (w *Wizard) layoutKey(msg tea.KeyMsg) bool {
	switch {
	case key.Matches(msg, w.Keys.Help):
		w.showHelp = !w.showHelp
		w.scroll.Reset()
		return true
	case w.showHelp && key.Matches(msg, w.Keys.Back):
		w.showHelp = false
		w.scroll.Reset()
		return true
	}
	return w.scroll.Update(msg)
}

// ShowingHelp reports whether ? has swapped the step for its full help.
func (w *Wizard) ShowingHelp() bool { return w.showHelp }

func (w *Wizard) View() string {
	if w.TooSmall() {
		return w.TooSmallView()
	}
	var body string
	if w.showHelp {
		body = w.fullHelpView()
	} else {
		body = w.steps[w.cur].view(w.st, w.Common)
	}
	return w.scroll.Page(w.Styles, w.Width, w.Height, w.header(), body, w.helpLine())
}

// helpLine is the step's keys that fit in one line, then quit, then "? all keys".
func (w *Wizard) helpLine() string {
	if w.showHelp {
		return common.HelpLine(w.Styles, w.Width, key.NewBinding(key.WithKeys("?", "esc"), key.WithHelp("?/esc", "close this help")))
	}
	var b []key.Binding
	if km := w.steps[w.cur].keys(); km != nil {
		b = km.ShortHelp()
	}
	return common.HelpLine(w.Styles, w.Width, w.Keys.Help, append(b, w.Keys.Quit)...)
}

// fullHelpView is every key of the current step, then the wizard's own.
func (w *Wizard) fullHelpView() string {
	var stepKeys []key.Binding
	if km := w.steps[w.cur].keys(); km != nil {
		for _, g := range km.FullHelp() {
			stepKeys = append(stepKeys, g...)
		}
	}
	var wizardKeys []key.Binding
	for _, k := range append(append([]key.Binding{w.Keys.Back}, w.scroll.Keys()...), w.Keys.Help, w.Keys.Quit) {
		if !slices.ContainsFunc(stepKeys, func(b key.Binding) bool { return b.Help().Key == k.Help().Key }) {
			wizardKeys = append(wizardKeys, k) // once: esc is often the step's own "back" too
		}
	}
	return common.FullHelpView(w.Styles, min(w.Width, common.MaxTextWidth),
		common.HelpGroup{Title: "Keys on this step (" + w.steps[w.cur].title() + ")", Keys: stepKeys},
		common.HelpGroup{Title: "Everywhere in setup", Keys: wizardKeys})
}
