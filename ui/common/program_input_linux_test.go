package common

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/term"
	"github.com/muesli/cancelreader"
	"golang.org/x/sys/unix"

	"jcconnect/internal/ptytest"
)

// On a terminal, the program's input is a new non-blocking description of it in Go's poller,
// handed to bubbletea as a plain reader: not a terminal file (bubbletea leaves raw mode to us)
// and not a cancelreader.File (no epoll_wait). The shell's description stays blocking, the
// terminal is raw while the input is open and exactly as before once it is closed.
func TestProgramInputReadsATerminalThroughThePoller(t *testing.T) {
	_, tty := ptytest.Open(t)
	before := ptytest.Termios(t, tty)
	in := OpenProgramInput(tty)
	defer in.Close()
	if !in.Polled() {
		t.Fatal("a terminal's input fell back to bubbletea's own reading")
	}
	if _, ok := in.reader.(cancelreader.File); ok {
		t.Error("bubbletea is handed a cancelreader.File: cancelreader would wait in epoll_wait")
	}
	if _, ok := in.reader.(term.File); ok {
		t.Error("bubbletea is handed a terminal file: it would set and restore raw mode itself")
	}
	if !ptytest.NonBlocking(t, in.own) {
		t.Error("our description of the terminal is blocking: its reads would not park in the poller")
	}
	if ptytest.NonBlocking(t, tty) {
		t.Error("the shell's description of the terminal was made non-blocking")
	}
	if err := in.own.SetReadDeadline(time.Time{}); err != nil {
		t.Errorf("our description is not in the poller: %v", err)
	}
	if raw := ptytest.Termios(t, tty); raw.Lflag&(unix.ICANON|unix.ECHO|unix.ISIG) != 0 {
		t.Errorf("the terminal is not raw while the input is open: lflag %#o", raw.Lflag)
	}
	if err := in.Close(); err != nil {
		t.Fatal(err)
	}
	if after := ptytest.Termios(t, tty); after != before {
		t.Errorf("the terminal's mode was not put back:\nbefore %+v\nafter  %+v", before, after)
	}
}

// Anything but a terminal file is handed to bubbletea as it is, as before this input existed.
func TestProgramInputFallsBackForWhatIsNotATerminal(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	for name, src := range map[string]io.Reader{"a pipe": r, "a buffer": bytes.NewBufferString("q")} {
		in := OpenProgramInput(src)
		if in.Polled() || in.reader != src {
			t.Errorf("%s: not handed to bubbletea as it is (polled %v)", name, in.Polled())
		}
		if err := in.Close(); err != nil {
			t.Errorf("%s: Close: %v", name, err)
		}
	}
}

// quitter quits on q and ctrl+c, panics on p, and records the runes it was sent.
type quitter struct{ runes *strings.Builder }

func (quitter) Init() tea.Cmd { return nil }

func (m quitter) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok {
		switch k.String() {
		case "q", "ctrl+c":
			return m, tea.Quit
		case "p":
			panic("a model's bug")
		}
		m.runes.WriteString(string(k.Runes))
	}
	return m, nil
}

func (quitter) View() string { return "" }

// runOnTerminal runs a quitter on tty with the program's input, types keys on master (and
// cancels the program's context when cancel is set), and returns Run's error and the runes the
// model saw.
func runOnTerminal(t *testing.T, master, tty *os.File, keys string, cancel bool) (string, error) {
	t.Helper()
	ctx, stop := context.WithTimeout(context.Background(), 20*time.Second) // a program that hangs fails
	defer stop()
	in := OpenProgramInput(tty)
	defer in.Close()
	if !in.Polled() {
		t.Fatal("the terminal fell back to bubbletea's own reading")
	}
	var runes strings.Builder
	p := tea.NewProgram(quitter{&runes}, append(in.Options(ctx, io.Discard), tea.WithoutSignalHandler())...)
	if _, err := master.WriteString(keys); err != nil {
		t.Fatal(err)
	}
	if cancel {
		stop()
	}
	_, err := in.Run(p) // closes the input, as at the call sites
	if ctx.Err() != nil && !cancel {
		t.Fatalf("the program did not end on %q", keys)
	}
	return runes.String(), err
}

// readingTerminal tells whether a goroutine is still inside a read of the program's input.
func readingTerminal() bool {
	buf := make([]byte, 1<<20)
	return strings.Contains(string(buf[:runtime.Stack(buf, true)]), "common.pollReader.Read")
}

// However the program ends (quit, ctrl+c, a panic bubbletea recovers, its context canceled),
// the terminal's mode is as it was before, and no goroutine is left reading the terminal.
func TestProgramOnATerminalPutsItBackOnEveryExit(t *testing.T) {
	for _, tc := range []struct {
		name   string
		keys   string
		cancel bool
		want   error
	}{
		{"q", "q", false, nil},
		{"ctrl+c", "\x03", false, nil},
		{"a panic", "p", false, tea.ErrProgramPanic},
		{"the context canceled", "", true, tea.ErrProgramKilled},
	} {
		t.Run(tc.name, func(t *testing.T) {
			master, tty := ptytest.Open(t)
			before := ptytest.Termios(t, tty)
			_, err := runOnTerminal(t, master, tty, tc.keys, tc.cancel)
			if (tc.want == nil) != (err == nil) || (tc.want != nil && !errors.Is(err, tc.want)) {
				t.Errorf("Run: %v, want %v", err, tc.want)
			}
			if after := ptytest.Termios(t, tty); after != before {
				t.Errorf("the terminal's mode was not put back:\nbefore %+v\nafter  %+v", before, after)
			}
			// Close returns once the pending read has (os.File.Close on a pollable file); the
			// goroutine then leaves pollReader.Read within instructions.
			for deadline := time.Now().Add(10 * time.Second); readingTerminal(); time.Sleep(time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatal("a goroutine is still reading the terminal after the program ended")
				}
			}
		})
	}
}

// home → browser → home runs one program after another on the same terminal: the first
// program's reader must be gone, or it takes the next program's keys.
func TestTheNextProgramGetsEveryKey(t *testing.T) {
	master, tty := ptytest.Open(t)
	if _, err := runOnTerminal(t, master, tty, "q", false); err != nil {
		t.Fatal(err)
	}
	runes, err := runOnTerminal(t, master, tty, "xyz\x03", false) // runes then ctrl+c: two messages
	if err != nil {
		t.Fatal(err)
	}
	if runes != "xyz" {
		t.Errorf("the second program saw %q of the keys xyz", runes)
	}
}
