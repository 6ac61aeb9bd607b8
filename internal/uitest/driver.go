package uitest

import (
	"reflect"
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
	queue := []tea.Cmd{cmd}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 5000 {
			d.T.Fatal("the screen's commands never settle")
		}
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := c()
		if cmds, ok := sequenceCmds(msg); ok {
			// tea.Sequence: run in order, each to completion, before what was queued.
			for i := len(cmds) - 1; i >= 0; i-- {
				queue = append([]tea.Cmd{cmds[i]}, queue...)
			}
			continue
		}
		switch msg := msg.(type) {
		case nil, spinner.TickMsg:
			continue
		case tea.BatchMsg:
			queue = append(queue, msg...)
			continue
		case tea.QuitMsg:
			d.Quit = true
			continue
		case common.PopMsg:
			d.Popped++
			if !d.Stack {
				continue
			}
		case common.PushMsg:
			d.Pushed = append(d.Pushed, msg.Screen)
			if !d.Stack {
				continue
			}
		default:
			if d.Collect != nil && d.Collect(msg) {
				d.Done = append(d.Done, msg)
				if !d.Stack {
					continue
				}
			}
		}
		var next tea.Cmd
		d.Screen, next = d.Screen.Update(msg)
		queue = append(queue, next)
	}
}

// sequenceCmds unpacks tea.Sequence's message, whose type bubbletea does not export.
func sequenceCmds(msg tea.Msg) ([]tea.Cmd, bool) {
	v := reflect.ValueOf(msg)
	if !v.IsValid() || v.Kind() != reflect.Slice || v.Type().Elem() != reflect.TypeOf(tea.Cmd(nil)) {
		return nil, false
	}
	if _, batch := msg.(tea.BatchMsg); batch {
		return nil, false
	}
	cmds := make([]tea.Cmd, v.Len())
	for i := range cmds {
		cmds[i] = v.Index(i).Interface().(tea.Cmd)
	}
	return cmds, true
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
