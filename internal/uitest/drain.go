package uitest

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// The one loop every model test uses to run a bubbletea model's commands: the browser's
// runCommands, the wizard's wizDrain and Driver.Run below differ only in the options they pass
// (how many steps, what becomes of which message, when to stop early), so they cannot drift
// apart in how they expand batches and sequences or in whether a model that never settles fails.

// Fate is what a drain does with one message a command returned.
type Fate int

const (
	// Feed gives the message to the update function, and queues the command it returns.
	Feed Fate = iota
	// Drop discards the message: e.g. spinner ticks, which only animate and would re-arm forever.
	Drop
	// Hand keeps the message for the caller (Drained.Out) instead of feeding it: what a screen
	// sends to the app above it (PopMsg, PushMsg, tea.Quit) when the test plays that app.
	Hand
)

// DefaultDrainSteps is the step limit of a DrainOptions without one.
const DefaultDrainSteps = 10000

// DrainOptions are the ways the drains of the model tests differ.
type DrainOptions struct {
	// MaxSteps is how many commands may run; a drain that needs more fails
	// the test, since a model whose commands never settle is a bug, never a pass. 0 means
	// DefaultDrainSteps.
	MaxSteps int
	// Route says what becomes of each message (nil ones are always dropped; batches and
	// sequences are always expanded); nil feeds every message. It may record what it sees.
	Route func(tea.Msg) Fate
	// Until, when set, stops the drain before the next command once it holds; the commands
	// not yet run are returned in Drained.Left.
	Until func() bool
}

// Drained is what a drain leaves.
type Drained struct {
	Out  []tea.Msg // the messages routed Hand, in the order they came
	Left []tea.Cmd // the commands not run because Until held (empty when everything settled)
}

// Drain runs cmd and every command it leads to as the bubbletea runtime would, but one at a time
// in this goroutine: a command's message goes to update (after Route), whose command is queued;
// a tea.Batch's commands are queued after what is queued; a tea.Sequence's run in order before
// what is queued (what they lead to is queued after it, as in the runtime, which does not wait
// for it either). It ends when nothing is left or Until holds, and fails
// the test loudly when MaxSteps is passed.
func Drain(t testing.TB, cmd tea.Cmd, update func(tea.Msg) tea.Cmd, o DrainOptions) Drained {
	t.Helper()
	d, err := drain(cmd, update, o)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// drain is Drain, returning the step limit's failure instead of failing a test (its own tests
// look at it).
func drain(cmd tea.Cmd, update func(tea.Msg) tea.Cmd, o DrainOptions) (Drained, error) {
	limit := o.MaxSteps
	if limit <= 0 {
		limit = DefaultDrainSteps
	}
	var d Drained
	var recent []string // the last messages' types, to say what kept the model busy
	queue := []tea.Cmd{cmd}
	for steps := 0; len(queue) > 0; {
		if o.Until != nil && o.Until() {
			d.Left = queue
			return d, nil
		}
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		if steps == limit {
			return d, fmt.Errorf("the model's commands never settle: %d run and %d more queued (the step limit); the last messages: %s",
				steps, len(queue)+1, strings.Join(recent, ", "))
		}
		steps++
		msg := c()
		if msg == nil {
			continue
		}
		if len(recent) == 5 {
			recent = recent[1:]
		}
		recent = append(recent, fmt.Sprintf("%T", msg))
		if cmds, ok := sequenceCmds(msg); ok {
			queue = append(cmds, queue...)
			continue
		}
		if batch, ok := msg.(tea.BatchMsg); ok {
			queue = append(queue, batch...)
			continue
		}
		fate := Feed
		if o.Route != nil {
			fate = o.Route(msg)
		}
		switch fate {
		case Drop:
		case Hand:
			d.Out = append(d.Out, msg)
		default:
			if next := update(msg); next != nil {
				queue = append(queue, next)
			}
		}
	}
	return d, nil
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
