package common

import (
	"context"
	"io"
	"os"
	"sync"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/term"
)

// ProgramInput is what a full-screen program reads its keys from: on a Linux terminal, the
// terminal read through Go's poller; anywhere else, the input unchanged.
//
// Why: given a terminal *os.File, bubbletea's input reader (muesli/cancelreader) waits in
// epoll_wait(…, -1), a raw blocking system call. It sends each key to the event loop (which
// becomes runnable in the reader's P's runnext) and goes straight back into that system call
// still holding the P. During a collection the other P runs an idle mark worker, which never
// looks at another P's runnext, so the key waits for sysmon (up to 10 ms) or the GC to retake
// the P, and then a fractional mark worker runs first (golang/go#21698); back from the system
// call, the reader may find no P free. A read through the poller parks the goroutine and frees
// its P at once, so the event loop runs as soon as the key is sent
// (BenchmarkBrowserKey(Move|Page)Program50k beside ...ProgramCancelReader50k measure it).
//
// How: O_NONBLOCK must not be set on the shell's own description of the terminal (stdin's open
// file description is shared with the shell, which would be left with a non-blocking terminal
// after we exit), so ProgramInput opens a new description of the same terminal, non-blocking,
// which os.NewFile puts in the poller. bubbletea is handed a plain io.Reader over it: not a
// terminal file to bubbletea (so it neither sets raw mode nor restores it) and not a file to
// cancelreader (so it reads plainly instead of in epoll_wait). Raw mode is therefore ours: set
// when the input is opened, put back by Close. Close also closes the description, which ends a
// read still waiting in the poller (os.File.Close cancels pending reads on a pollable file and
// returns once they have returned), so no goroutine is left reading the terminal and the next
// program of the same process (home → browser → home) gets every key.
//
// Use: open it just before tea.NewProgram, pass Options, and run the program with Run, which
// closes the input as soon as the program ends (before anything is printed: the terminal is raw
// until then), a panic that escapes the program's own recovery included.
type ProgramInput struct {
	reader io.Reader // what bubbletea reads: pollReader over own, or the input unchanged
	own    *os.File  // our pollable description of the terminal; nil on the fallback
	saved  *term.State
	once   sync.Once
}

// OpenProgramInput prepares in for one program's run. It falls back to today's behaviour,
// bubbletea reading in itself (raw mode and cancelreader included), whenever in is not a
// terminal *os.File, the platform is not Linux, or the terminal cannot be opened again,
// shown to be the same device, put in raw mode or polled (openPollableTerminal).
func OpenProgramInput(in io.Reader) *ProgramInput {
	own := openPollableTerminal(in)
	if own == nil {
		return &ProgramInput{reader: in}
	}
	var saved *term.State
	var rawErr error
	ctlErr := controlFd(own, func(fd uintptr) { saved, rawErr = term.MakeRaw(fd) })
	if ctlErr != nil || rawErr != nil {
		_ = own.Close()
		return &ProgramInput{reader: in}
	}
	return &ProgramInput{reader: pollReader{own}, own: own, saved: saved}
}

// Options are the options every full-screen program runs with: the alternate screen, ctx, this
// input and out.
func (p *ProgramInput) Options(ctx context.Context, out io.Writer) []tea.ProgramOption {
	return ProgramOptions(ctx, p.reader, out)
}

// ProgramOptions are Options with in as the input as it is (bubbletea's own reading of a
// terminal: the benchmarks' side-by-side variant).
func ProgramOptions(ctx context.Context, in io.Reader, out io.Writer) []tea.ProgramOption {
	return []tea.ProgramOption{tea.WithAltScreen(), tea.WithContext(ctx), tea.WithInput(in), tea.WithOutput(out)}
}

// Run runs p, made with Options, and closes the input when it returns or panics.
func (p *ProgramInput) Run(prog *tea.Program) (tea.Model, error) {
	defer p.Close()
	return prog.Run()
}

// Polled tells whether the terminal is read through the poller (false: the fallback).
func (p *ProgramInput) Polled() bool { return p.own != nil }

// Close puts the terminal's mode back and ends any read still waiting. It may be called more
// than once; only the first call acts.
func (p *ProgramInput) Close() error {
	var err error
	p.once.Do(func() {
		if p.own == nil {
			return
		}
		var restoreErr error
		if ctlErr := controlFd(p.own, func(fd uintptr) { restoreErr = term.Restore(fd, p.saved) }); ctlErr != nil {
			restoreErr = ctlErr
		}
		closeErr := p.own.Close()
		if restoreErr != nil {
			err = restoreErr
		} else {
			err = closeErr
		}
	})
	return err
}

// pollReader hides the file from bubbletea and cancelreader: it is only an io.Reader, so its
// reads are the file's own, parked in the poller.
type pollReader struct{ f *os.File }

func (r pollReader) Read(b []byte) (int, error) { return r.f.Read(b) }

// controlFd runs fn with f's descriptor without os.File.Fd, which would set a pollable file
// back to blocking mode.
func controlFd(f *os.File, fn func(fd uintptr)) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	return rc.Control(fn)
}
