package home

import "github.com/charmbracelet/bubbles/key"

// HomeKeys are the home screen's keys.
type HomeKeys struct {
	Up, Down   key.Binding
	Select     key.Binding
	Devices    key.Binding
	Users      key.Binding
	Export     key.Binding
	Rotate     key.Binding
	AddOrg     key.Binding
	Disconnect key.Binding
	Collect    key.Binding
	Profile    key.Binding
	Quit       key.Binding
	Help       key.Binding // ? lists every key: at 60 columns the hint line cannot
	Yes, No    key.Binding
	confirming bool
}

func newHomeKeys() HomeKeys {
	return HomeKeys{
		Up:         key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/↓", "choose")),
		Down:       key.NewBinding(key.WithKeys("down", "j")),
		Select:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "do it")),
		Devices:    key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "devices")),
		Users:      key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "users")),
		Export:     key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "export")),
		Rotate:     key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "rotate")),
		AddOrg:     key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "add organisation")),
		Disconnect: key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "disconnect")),
		Collect:    key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "collect again")),
		Profile:    key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "next profile")),
		Quit:       key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		Help:       key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "all keys")),
		Yes:        key.NewBinding(key.WithKeys("y", "Y"), key.WithHelp("y", "disconnect")),
		No:         key.NewBinding(key.WithKeys("n", "N", "esc"), key.WithHelp("n", "keep it")),
	}
}

func (k HomeKeys) ShortHelp() []key.Binding {
	if k.confirming {
		return []key.Binding{k.Yes, k.No}
	}
	return []key.Binding{k.Up, k.Select, k.Rotate, k.Collect, k.Profile, k.Quit}
}

func (k HomeKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }
