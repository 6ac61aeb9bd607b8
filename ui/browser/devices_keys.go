package browser

import "github.com/charmbracelet/bubbles/key"

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
		Help:     key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "all keys and legend")),
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
