package rotate

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

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

// The rotation screen's key handlers, one per phase that takes keys.

// handleKey gives a key to the current phase's handler; the waiting phases take none (ctrl+c is
// the App's).
func (m *RotateModel) handleKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	handlers := map[rotatePhase]func(tea.KeyMsg) (tea.Model, tea.Cmd){
		rotatePrepFailed: m.prepFailedKey, rotateIntro: m.introKey, rotatePaste: m.pasteKey,
		rotateVerify: m.verifyKey, rotateConfirm: m.confirmKey, rotateRefused: m.refusedKey,
		rotateSaveFailed: m.saveFailedKey, rotateDone: m.doneKey,
	}
	if h, ok := handlers[m.phase]; ok {
		return h(msg)
	}
	return m, nil
}

// actOrLeave is the key handler of the phases with one action and esc: do acts, back leaves.
func (m *RotateModel) actOrLeave(msg tea.KeyMsg, do key.Binding, act func() tea.Cmd) (tea.Model, tea.Cmd) {
	switch {
	case key.Matches(msg, do):
		return m, act()
	case key.Matches(msg, m.keys.Back):
		return m.leave()
	}
	return m, nil
}

func (m *RotateModel) prepFailedKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	return m.actOrLeave(msg, m.keys.Retry, func() tea.Cmd {
		m.phase = rotateChecking
		return tea.Batch(m.spin.Tick, m.prepare())
	})
}

func (m *RotateModel) introKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	return m.actOrLeave(msg, m.keys.Continue, func() tea.Cmd {
		m.phase = rotatePaste
		m.input.Focus()
		return m.demoNewKey()
	})
}

func (m *RotateModel) pasteKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	if key.Matches(msg, m.keys.Back) {
		m.phase = rotateIntro
		return m, nil
	}
	if keys := m.demoKeys(); len(keys) > 0 && key.Matches(msg, m.keys.DemoKey) {
		m.input.SetValue(keys[m.demoNext%len(keys)].Key)
		m.demoNext++
		return m, nil
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	return m, cmd
}

// verifyKey: the verification handles its own keys (retry, org pick, b/c on a privileged key);
// esc goes back to the key, which stays as typed.
func (m *RotateModel) verifyKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	if key.Matches(msg, m.keys.Back) {
		m.back()
		return m, nil
	}
	return m.updateVerify(msg)
}

func (m *RotateModel) confirmKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	switch {
	case key.Matches(msg, m.keys.Confirm):
		m.rot.Accept(true)
		return m, m.follow()
	case key.Matches(msg, m.keys.Decline), key.Matches(msg, m.keys.Back):
		m.rot.Accept(false)
		return m, m.follow()
	}
	return m, nil
}

func (m *RotateModel) refusedKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	if key.Matches(msg, m.keys.Back) || key.Matches(msg, m.keys.Continue) {
		m.phase, m.hint = rotatePaste, m.rot.Refusal().Next
	}
	return m, nil
}

func (m *RotateModel) saveFailedKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	return m.actOrLeave(msg, m.keys.Retry, func() tea.Cmd {
		m.rot.Retry()
		return m.follow()
	})
}

func (m *RotateModel) doneKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	if key.Matches(msg, m.keys.Done) {
		return m.leave()
	}
	return m, nil
}
