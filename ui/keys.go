package ui

import "github.com/charmbracelet/bubbles/key"

// All key bindings live in this file so the help line and the behaviour cannot drift apart.
// Screens add their own maps here, each implementing help.KeyMap.

// GlobalKeys work on every screen.
type GlobalKeys struct {
	Quit key.Binding
	Back key.Binding
	Help key.Binding
}

func newGlobalKeys() GlobalKeys {
	return GlobalKeys{
		Quit: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		Back: key.NewBinding(key.WithKeys("esc", "shift+tab"), key.WithHelp("esc", "back")),
		Help: key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "more keys")),
	}
}
