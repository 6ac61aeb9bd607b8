package uitest

import (
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/ui/common"
)

// word is a test message; emit is the command that returns it.
type word string

func emit(w string) tea.Cmd { return func() tea.Msg { return word(w) } }

// recorder is an update function that notes each message and answers from follow (a message's
// follow-up command, or none).
type recorder struct {
	seen   []string
	follow map[string]tea.Cmd
}

func (r *recorder) update(msg tea.Msg) tea.Cmd {
	r.seen = append(r.seen, fmt.Sprint(msg))
	if w, ok := msg.(word); ok {
		return r.follow[string(w)]
	}
	return nil
}

func TestDrainRunsBatchesAfterWhatIsQueuedAndSequencesBefore(t *testing.T) {
	r := &recorder{follow: map[string]tea.Cmd{
		"a": emit("a2"), // queued after b: a batch's commands all run before what they lead to
		"x": emit("x2"), // queued after y and c: a sequence does not wait for what x leads to
	}}
	cmd := tea.Batch(emit("a"), tea.Sequence(emit("x"), emit("y")), emit("b"), tea.Batch(emit("c"), emit("d")))
	d := Drain(t, cmd, r.update, DrainOptions{})
	// Queue: a, seq, b, batch(c, d) → a (a2 queued), seq expands to x, y before b → x (x2 queued), y, b,
	// batch(c, d) → c and d queued after a2 and x2.
	want := []string{"a", "x", "y", "b", "a2", "x2", "c", "d"}
	if !reflect.DeepEqual(r.seen, want) {
		t.Fatalf("update saw %v, want %v", r.seen, want)
	}
	if len(d.Out) != 0 || len(d.Left) != 0 {
		t.Fatalf("nothing was to be handed back or left: %+v", d)
	}
}

func TestDrainDropsAndHandsBackWhatRouteSays(t *testing.T) {
	r := &recorder{}
	nilMsg := func() tea.Msg { return nil }
	tick := func() tea.Msg { return spinner.TickMsg{} }
	cmd := tea.Batch(emit("keep"), tick, nilMsg, common.Pop(), emit("drop"), tea.Quit, emit("last"))
	d := Drain(t, cmd, r.update, DrainOptions{Route: func(msg tea.Msg) Fate {
		switch msg := msg.(type) {
		case spinner.TickMsg:
			return Drop
		case word:
			if msg == "drop" {
				return Drop
			}
		case common.PopMsg, tea.QuitMsg:
			return Hand
		}
		return Feed
	}})
	if want := []string{"keep", "last"}; !reflect.DeepEqual(r.seen, want) {
		t.Fatalf("update saw %v, want %v (ticks, nil and dropped messages never reach it)", r.seen, want)
	}
	if len(d.Out) != 2 {
		t.Fatalf("handed back %v, want the PopMsg and the QuitMsg", d.Out)
	}
	if _, ok := d.Out[0].(common.PopMsg); !ok {
		t.Errorf("first handed back %T, want common.PopMsg", d.Out[0])
	}
	if _, ok := d.Out[1].(tea.QuitMsg); !ok {
		t.Errorf("second handed back %T, want tea.QuitMsg", d.Out[1])
	}
}

func TestDrainStopsWhenUntilHoldsAndReturnsWhatIsLeft(t *testing.T) {
	r := &recorder{follow: map[string]tea.Cmd{"1": emit("2"), "2": emit("3")}}
	d := Drain(t, tea.Batch(emit("1"), emit("other")), r.update, DrainOptions{
		Until: func() bool { return len(r.seen) > 0 && r.seen[len(r.seen)-1] == "2" }})
	if want := []string{"1", "other", "2"}; !reflect.DeepEqual(r.seen, want) {
		t.Fatalf("update saw %v, want %v", r.seen, want)
	}
	if len(d.Left) != 1 || d.Left[0]() != word("3") {
		t.Fatalf("left %d commands, want the one that leads to 3", len(d.Left))
	}
}

// chain is n messages, each the follow-up of the one before: n commands to run.
func chain(n int) (tea.Cmd, func(tea.Msg) tea.Cmd) {
	next := func(i int) tea.Cmd { return func() tea.Msg { return i } }
	return next(1), func(msg tea.Msg) tea.Cmd {
		if i := msg.(int); i < n {
			return next(i + 1)
		}
		return nil
	}
}

func TestDrainStepLimitCountsCommandsRun(t *testing.T) {
	cmd, update := chain(50)
	if _, err := drain(cmd, update, DrainOptions{MaxSteps: 50}); err != nil {
		t.Fatalf("50 commands within a limit of 50: %v", err)
	}
	cmd, update = chain(51)
	_, err := drain(cmd, update, DrainOptions{MaxSteps: 50})
	if err == nil || !strings.Contains(err.Error(), "never settle") || !strings.Contains(err.Error(), "50 run") ||
		!strings.Contains(err.Error(), "int") {
		t.Fatalf("51 commands with a limit of 50: err = %v, want one that says they never settle, how many ran and what kept coming", err)
	}
	cmd, update = chain(DefaultDrainSteps + 1)
	if _, err := drain(cmd, update, DrainOptions{}); err == nil {
		t.Fatal("no MaxSteps: the default limit was not applied")
	}
}

// fatalTB records a Fatal and stops the goroutine, as testing.T does.
type fatalTB struct {
	testing.TB
	fatal string
}

func (f *fatalTB) Helper() {}
func (f *fatalTB) Fatal(args ...any) {
	f.fatal = fmt.Sprint(args...)
	runtime.Goexit()
}

// A model that never settles (a tick re-arming forever) fails its test; it never passes silently.
func TestDrainPastItsLimitFailsTheTest(t *testing.T) {
	forever := func() tea.Msg { return word("tick") }
	tb := &fatalTB{}
	returned := false
	done := make(chan struct{})
	go func() {
		defer close(done)
		Drain(tb, forever, func(tea.Msg) tea.Cmd { return forever }, DrainOptions{MaxSteps: 100})
		returned = true
	}()
	<-done
	if returned || !strings.Contains(tb.fatal, "never settle") || !strings.Contains(tb.fatal, "uitest.word") {
		t.Fatalf("Drain past its limit: returned %v, Fatal %q; want the test stopped with what kept coming", returned, tb.fatal)
	}
}
