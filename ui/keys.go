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

// RotateKeys are the rotation screen's keys; phase selects what the help line shows.
type RotateKeys struct {
	Continue key.Binding
	Confirm  key.Binding
	Decline  key.Binding
	Retry    key.Binding
	Back     key.Binding
	Done     key.Binding
	phase    rotatePhase
}

func newRotateKeys() RotateKeys {
	return RotateKeys{
		Continue: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "continue")),
		Confirm:  key.NewBinding(key.WithKeys("y", "Y"), key.WithHelp("y", "yes, store this key")),
		Decline:  key.NewBinding(key.WithKeys("n", "N"), key.WithHelp("n", "no, paste another key")),
		Retry:    key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "try again")),
		Back:     key.NewBinding(key.WithKeys("esc", "shift+tab"), key.WithHelp("esc", "back")),
		Done:     key.NewBinding(key.WithKeys("enter", "esc", "q"), key.WithHelp("enter", "done")),
	}
}

// ShortHelp shows the keys that work in the current phase.
func (k RotateKeys) ShortHelp() []key.Binding {
	switch k.phase {
	case rotateIntro:
		return []key.Binding{k.Continue, k.Back}
	case rotateConfirm:
		return []key.Binding{k.Confirm, k.Decline}
	case rotateSaveFailed, rotatePrepFailed:
		return []key.Binding{k.Retry, k.Back}
	case rotateRefused:
		return []key.Binding{k.Back}
	case rotateDone:
		return []key.Binding{k.Done}
	}
	return []key.Binding{k.Back}
}

func (k RotateKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// BrowserKeys are the evidence browser's keys (devices and users).
type BrowserKeys struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	Filter, Failing, Group, Flag            key.Binding
	Sort, Reverse, Detail, Switch           key.Binding
	Refresh, Export, Back, Help             key.Binding
}

func newBrowserKeys() BrowserKeys {
	return BrowserKeys{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+f", " "), key.WithHelp("pgdn", "page down")),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "first")),
		Bottom:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "last")),
		Filter:   key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Failing:  key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "failing only")),
		Group:    key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "by OS")),
		Flag:     key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "stale only")),
		Sort:     key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sort column")),
		Reverse:  key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "reverse sort")),
		Detail:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "details")),
		Switch:   key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "devices/users")),
		Refresh:  key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh")),
		Export:   key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "export")),
		Back:     key.NewBinding(key.WithKeys("esc", "q"), key.WithHelp("esc", "back")),
		Help:     key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "more keys")),
	}
}

func (k BrowserKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Filter, k.Failing, k.Sort, k.Detail, k.Refresh, k.Export, k.Back, k.Help}
}

func (k BrowserKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Filter, k.Failing, k.Group, k.Flag},
		{k.Sort, k.Reverse, k.Detail, k.Switch},
		{k.Refresh, k.Export, k.Back, k.Help},
	}
}
