package home

import (
	"slices"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/ui/common"
)

// ? on home: the hint line keeps what fits (at 60 columns "c collect again" and "p next
// profile" do not), so every key is one ? away, as on the wizard's steps.

var closeHelp = key.NewBinding(key.WithKeys("?", "esc"), key.WithHelp("?/esc", "close this help"))

// helpKey opens or closes the full help; while it shows, every other key is swallowed so a
// stray letter does not start an action the person cannot see. It reports whether it used msg.
func (m *HomeModel) helpKey(msg tea.KeyMsg) bool {
	switch {
	case m.showHelp:
		if key.Matches(msg, closeHelp) {
			m.showHelp = false
			m.scroller().Reset()
		}
		return true
	case !m.confirming && key.Matches(msg, m.keys.Help):
		m.showHelp = true
		m.scroller().Reset()
		return true
	}
	return false
}

// fullHelpView is every action the profile offers, then the keys that work everywhere on home.
func (m *HomeModel) fullHelpView() string {
	var actions []key.Binding
	for _, it := range m.items() {
		actions = append(actions, it.key)
	}
	k := m.keys
	var everywhere []key.Binding
	for _, b := range append(append([]key.Binding{k.Up, k.Select, k.Collect, k.Profile}, m.scroller().Keys()...), k.Help, k.Quit) {
		if !slices.ContainsFunc(actions, func(a key.Binding) bool { return a.Help().Key == b.Help().Key }) {
			everywhere = append(everywhere, b) // once: quit is also an action
		}
	}
	return common.FullHelpView(m.Styles, min(m.Width, common.MaxTextWidth),
		common.HelpGroup{Title: "Actions", Keys: actions},
		common.HelpGroup{Title: "Keys on the home screen", Keys: everywhere})
}
