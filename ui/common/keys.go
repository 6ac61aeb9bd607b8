package common

import "github.com/charmbracelet/bubbles/key"

// The keys every screen shares. Each screen family keeps its own map in its keys.go, beside the
// screens that use it, each implementing help.KeyMap, so help line and behaviour cannot drift.

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
		Help: key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "all keys")),
	}
}

// The setup wizard's keys (app.go, keyinput.go, verify.go, wizard_*.go). Each map shows in the
// help line only the keys that work in the screen's current state.

// KeyInputKeys are the field's own keys (help line).
type KeyInputKeys struct {
	Submit key.Binding
	Reveal key.Binding
	Clear  key.Binding
}

func newKeyInputKeys() KeyInputKeys {
	return KeyInputKeys{
		Submit: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "check")),
		Reveal: key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "show/hide")),
		Clear:  key.NewBinding(key.WithKeys("ctrl+u"), key.WithHelp("ctrl+u", "clear")),
	}
}

// VerifyKeys are the verify screen's keys.
type VerifyKeys struct {
	Continue   key.Binding
	Retry      key.Binding
	Up, Down   key.Binding
	Pick       key.Binding
	CreateRole key.Binding // go back and create the right admin
	Knowingly  key.Binding // continue with a privileged key
	Back       key.Binding
	Phase      verifyPhase
}

func newVerifyKeys() VerifyKeys {
	return VerifyKeys{
		Continue:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "continue")),
		Retry:      key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "retry")),
		Up:         key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/↓", "choose")),
		Down:       key.NewBinding(key.WithKeys("down", "j")),
		Pick:       key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "use this organisation")),
		CreateRole: key.NewBinding(key.WithKeys("b"), key.WithHelp("b", "go back and create a Read Only admin")),
		Knowingly:  key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "continue knowingly")),
		Back:       key.NewBinding(key.WithKeys("esc", "shift+tab"), key.WithHelp("esc", "back")),
	}
}

// ShortHelp shows the keys that work in the current phase.
func (k VerifyKeys) ShortHelp() []key.Binding {
	switch k.Phase {
	case verifyPickOrg:
		return []key.Binding{k.Up, k.Pick, k.Back}
	case verifyStuck:
		return []key.Binding{k.Retry, k.Back}
	case VerifyRefused:
		return []key.Binding{k.Back}
	case verifyPrivilege:
		return []key.Binding{k.CreateRole, k.Knowingly, k.Back}
	case verifyDone:
		return []key.Binding{k.Continue, k.Back}
	}
	return []key.Binding{k.Back}
}

func (k VerifyKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// appKeys answer the quit confirmation.
type appKeys struct {
	Yes, No key.Binding
}

func newAppKeys() appKeys {
	return appKeys{
		Yes: key.NewBinding(key.WithKeys("y", "Y"), key.WithHelp("y", "quit without saving")),
		No:  key.NewBinding(key.WithKeys("n", "N", "esc"), key.WithHelp("n", "stay")),
	}
}
