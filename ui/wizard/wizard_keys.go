package wizard

import (
	"github.com/charmbracelet/bubbles/key"

	"jcconnect/ui/common"
)

// welcomeKeys move over the integrations and regions of step 1.
type welcomeKeys struct {
	Up, Down, Toggle, Continue key.Binding
}

func (k welcomeKeys) ShortHelp() []key.Binding { return []key.Binding{k.Up, k.Toggle, k.Continue} }

func (k welcomeKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{k.ShortHelp()}
}

func newWelcomeKeys() welcomeKeys {
	return welcomeKeys{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/↓", "move")),
		Down:     key.NewBinding(key.WithKeys("down", "j")),
		Toggle:   key.NewBinding(key.WithKeys(" ", "x"), key.WithHelp("space", "tick/choose")),
		Continue: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "continue")),
	}
}

// checklistKeys tick the console steps of steps 2 and 3; o opens the console where a browser exists.
type checklistKeys struct {
	Up, Down, Tick, Open, Continue, Back key.Binding
	canOpen                              bool
}

func (k checklistKeys) ShortHelp() []key.Binding {
	b := []key.Binding{k.Up, k.Tick}
	if k.canOpen {
		b = append(b, k.Open)
	}
	return append(b, k.Continue, k.Back)
}

func (k checklistKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

func newChecklistKeys() checklistKeys {
	return checklistKeys{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/↓", "move")),
		Down:     key.NewBinding(key.WithKeys("down", "j")),
		Tick:     key.NewBinding(key.WithKeys(" ", "x"), key.WithHelp("space", "tick")),
		Open:     key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "open the console")),
		Continue: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "next step")),
		Back:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
	}
}

// pasteKeys are the key field's keys, plus tab for the demo's keys.
type pasteKeys struct {
	input    common.KeyInputKeys
	DemoKey  key.Binding
	Back     key.Binding
	showDemo bool
}

func (k pasteKeys) ShortHelp() []key.Binding {
	b := []key.Binding{k.input.Submit, k.input.Reveal, k.input.Clear}
	if k.showDemo {
		b = append([]key.Binding{k.DemoKey}, b...)
	}
	return append(b, k.Back)
}

func (k pasteKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

func newPasteKeys(input common.KeyInputKeys) pasteKeys {
	return pasteKeys{input: input,
		DemoKey: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "demo key")),
		Back:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
	}
}

// saveKeys save, retry after a keyring failure, or go on once saved.
type saveKeys struct {
	Save, Retry, Continue, Back key.Binding
	saved, failed               bool
}

func (k saveKeys) ShortHelp() []key.Binding {
	switch {
	case k.saved:
		return []key.Binding{k.Continue}
	case k.failed:
		return []key.Binding{k.Retry, k.Back}
	}
	return []key.Binding{k.Save, k.Back}
}

func (k saveKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

func newSaveKeys() saveKeys {
	return saveKeys{
		Save:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "save")),
		Retry:    key.NewBinding(key.WithKeys("r", "enter"), key.WithHelp("r", "try again")),
		Continue: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "preview the evidence")),
		Back:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
	}
}

// previewKeys are step 7's actions.
type previewKeys struct {
	Browse, Export, Done, Retry, Cancel key.Binding
	ready, failed, exporting            bool
}

func (k previewKeys) ShortHelp() []key.Binding {
	switch {
	case k.exporting:
		return []key.Binding{k.Cancel}
	case k.ready:
		return []key.Binding{k.Browse, k.Export, k.Done}
	case k.failed:
		return []key.Binding{k.Retry, k.Done}
	}
	return []key.Binding{k.Done}
}

func (k previewKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

func newPreviewKeys() previewKeys {
	return previewKeys{
		Browse: key.NewBinding(key.WithKeys("b"), key.WithHelp("b", "browse devices")),
		Export: key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "export evidence")),
		Done:   key.NewBinding(key.WithKeys("enter", "q"), key.WithHelp("enter", "done")),
		Retry:  key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "try again")),
		Cancel: key.NewBinding(key.WithKeys("esc", "q", "ctrl+c"), key.WithHelp("esc", "cancel export")),
	}
}
