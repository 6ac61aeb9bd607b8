package uitest

import (
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"jcconnect/ui/common"
)

// Driver runs a screen's commands synchronously: each command's message is fed back to
// the screen until none is left. Spinner ticks are dropped (they only animate). With Stack
// false, PopMsg, PushMsg and the messages Collect picks are collected, as the App below the screen would
// receive them; with stack true the screen is an App and gets them. tea.Quit is recorded.
type Driver struct {
	T      testing.TB
	Screen tea.Model
	Stack  bool // Screen is an App: push and pop messages go to it too
	Popped int
	Pushed []tea.Model
	// Collect says which messages the test keeps in Done (a screen's "I am finished").
	Collect func(tea.Msg) bool
	Done    []tea.Msg
	Quit    bool
}

func (d *Driver) Run(cmd tea.Cmd) {
	d.T.Helper()
	Drain(d.T, cmd, func(msg tea.Msg) tea.Cmd {
		var next tea.Cmd
		d.Screen, next = d.Screen.Update(msg)
		return next
	}, DrainOptions{MaxSteps: 5000, Route: d.route})
}

// route records what the screen sends to the app below it and says whether the screen gets it.
func (d *Driver) route(msg tea.Msg) Fate {
	switch msg := msg.(type) {
	case spinner.TickMsg:
		return Drop
	case tea.QuitMsg:
		d.Quit = true
		return Drop
	case common.PopMsg:
		d.Popped++
	case common.PushMsg:
		d.Pushed = append(d.Pushed, msg.Screen)
	default:
		if d.Collect == nil || !d.Collect(msg) {
			return Feed
		}
		d.Done = append(d.Done, msg)
	}
	if d.Stack {
		return Feed
	}
	return Drop
}

// Send delivers one message (a key) and runs what follows.
func (d *Driver) Send(msg tea.Msg) {
	d.T.Helper()
	var cmd tea.Cmd
	d.Screen, cmd = d.Screen.Update(msg)
	d.Run(cmd)
}

func (d *Driver) Keys(keys ...string) {
	d.T.Helper()
	for _, k := range keys {
		d.Send(KeyMsg(k))
	}
}

// View is the screen as text: colours stripped, box borders removed and runs of spaces and line
// breaks folded to one space, so assertions do not depend on where a sentence wraps.
func (d *Driver) View() string {
	v := ansi.Strip(d.Screen.View())
	v = strings.Map(func(r rune) rune {
		if strings.ContainsRune("│╭╮╰╯─", r) {
			return ' '
		}
		return r
	}, v)
	return strings.Join(strings.Fields(v), " ")
}

// KeyMsg is the key message for a key name ("enter", "esc") or typed text.
func KeyMsg(k string) tea.KeyMsg {
	switch k {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// PasteMsg is a bracketed paste of s.
func PasteMsg(s string) tea.KeyMsg {
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s), Paste: true}
}
