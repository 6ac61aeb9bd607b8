package rotate

import "github.com/charmbracelet/bubbles/key"

// RotateKeys are the rotation screen's keys; phase selects what the help line shows.
type RotateKeys struct {
	Continue key.Binding
	Confirm  key.Binding
	Decline  key.Binding
	Retry    key.Binding
	Back     key.Binding
	Done     key.Binding
	DemoKey  key.Binding // the demo only: insert its keys in turn while pasting
	Phase    rotatePhase
}

func newRotateKeys() RotateKeys {
	return RotateKeys{
		Continue: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "continue")),
		Confirm:  key.NewBinding(key.WithKeys("y", "Y"), key.WithHelp("y", "yes, store it")),
		Decline:  key.NewBinding(key.WithKeys("n", "N"), key.WithHelp("n", "no, paste another")),
		Retry:    key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "try again")),
		Back:     key.NewBinding(key.WithKeys("esc", "shift+tab"), key.WithHelp("esc", "back")),
		Done:     key.NewBinding(key.WithKeys("enter", "esc", "q"), key.WithHelp("enter", "done")),
		DemoKey:  key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "insert a demo key")),
	}
}

// ShortHelp shows the keys that work in the current phase.
func (k RotateKeys) ShortHelp() []key.Binding {
	switch k.Phase {
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
