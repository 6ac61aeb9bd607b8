package home

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/connect"
	"jcconnect/evidence"
	"jcconnect/ui/common"
)

// ExportModel is the auditor's export inside the TUI, pushed by the home screen (e): it asks for
// the folder (the Documents folder or home by default, never the working folder), shows the
// collection's progress by pages, and ends on the bundle's absolute path and whether it is
// complete, with o to open the folder. esc or ctrl+c while it runs cancels it: nothing is left
// behind (connect.Export removes a bundle finished as the cancel arrived).
type ExportModel struct {
	common.Common
	ctx   context.Context
	env   connect.Env
	keys  exportKeys
	input textinput.Model

	state   exportState
	cancel  context.CancelFunc
	ended   chan struct{} // closed once the running export has finished with the folder
	events  chan tea.Msg
	bar     common.WorkBar
	outcome connect.ExportOutcome
	err     error
	opened  string // what o did: "" not pressed, else a sentence

	// Open opens a folder in the desktop's file manager (xdg-open, open); tests replace it.
	Open func(ctx context.Context, dir string) error
}

type exportState int

const (
	exportAsking exportState = iota
	exportRunning
	exportDone
	exportFailed
	exportCanceled
)

type (
	// exportStartedMsg: the connection is made; bar measures its sources.
	exportStartedMsg  struct{ bar common.WorkBar }
	exportProgressMsg struct{ ev evidence.ProgressEvent }
	exportDoneMsg     struct {
		out connect.ExportOutcome
		err error
	}
	exportOpenedMsg struct{ err error }
)

type exportKeys struct {
	Start, Cancel, Open, Back key.Binding
}

// NewExportModel builds the export screen for c.Env's profile.
func NewExportModel(ctx context.Context, c common.Common) *ExportModel {
	m := &ExportModel{Common: c, ctx: ctx, Open: OpenFolder, keys: exportKeys{
		Start:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "export here")),
		Cancel: key.NewBinding(key.WithKeys("esc", "ctrl+c"), key.WithHelp("esc", "cancel")),
		Open:   key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "open the folder")),
		Back:   key.NewBinding(key.WithKeys("enter", "esc", "q"), key.WithHelp("enter", "back")),
	}}
	if c.Env != nil {
		m.env = *c.Env
	}
	getenv := m.env.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	m.input = textinput.New()
	m.input.Prompt = "Folder: "
	m.input.SetValue(connect.DefaultExportDir(getenv))
	m.input.CharLimit = 4096
	m.input.Cursor.SetMode(cursor.CursorStatic) // a blinking cursor would be a timer per frame
	m.input.Focus()
	return m
}

func (m *ExportModel) Init() tea.Cmd { return nil }

// CapturesQuit keeps ctrl+c for the export while it runs: it cancels the export instead of
// ending the program with a half-written bundle.
func (m *ExportModel) CapturesQuit() bool { return m.state == exportRunning }

// StopAndWait cancels a running export and returns once it has removed what it had begun
// (common.Stopper: the program ended, by a signal, while this screen was exporting).
func (m *ExportModel) StopAndWait() {
	if m.cancel != nil {
		m.cancel()
		<-m.ended
	}
}

// Folder is the folder the bundle goes in, as typed (~ expanded).
func (m *ExportModel) Folder() string {
	dir := strings.TrimSpace(m.input.Value())
	if dir == "~" || strings.HasPrefix(dir, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			dir = filepath.Join(home, strings.TrimPrefix(dir, "~"))
		}
	}
	return dir
}

func (m *ExportModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.SetSize(msg.Width, msg.Height)
		m.input.Width = max(msg.Width-14, 20)
		return m, nil
	case exportStartedMsg:
		m.bar = msg.bar
		return m, waitExportEvent(m.events)
	case exportProgressMsg:
		m.bar.Add(msg.ev)
		return m, waitExportEvent(m.events)
	case exportDoneMsg:
		return m, m.finished(msg)
	case exportOpenedMsg:
		if msg.err != nil {
			m.opened = "The folder could not be opened (" + connect.Clean(msg.err.Error()) + "): open it yourself, its path is above."
		} else {
			m.opened = "Opened the folder in the file manager."
		}
		return m, nil
	case tea.KeyMsg:
		return m.handleKey(msg)
	}
	if m.state == exportAsking {
		var cmd tea.Cmd
		m.input, cmd = m.input.Update(msg)
		return m, cmd
	}
	return m, nil
}

func (m *ExportModel) handleKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	switch m.state {
	case exportAsking:
		switch {
		case key.Matches(msg, m.keys.Start):
			if m.Folder() == "" {
				m.err = errors.New("type the folder to write the bundle in")
				return m, nil
			}
			return m, m.start()
		case msg.String() == "esc":
			return m, common.Pop()
		}
		var cmd tea.Cmd
		m.input, cmd = m.input.Update(msg)
		return m, cmd
	case exportRunning:
		if key.Matches(msg, m.keys.Cancel) && m.cancel != nil {
			m.cancel() // the export ends with a canceled error, after its cleanup
		}
		return m, nil
	case exportDone:
		if key.Matches(msg, m.keys.Open) {
			dir, open, ctx := m.outcome.Result.Dir, m.Open, m.ctx
			return m, func() tea.Msg { return exportOpenedMsg{err: open(ctx, dir)} }
		}
	}
	if key.Matches(msg, m.keys.Back) {
		return m, common.Pop()
	}
	return m, nil
}

// start runs the export in a goroutine (the connection first: it reads the keyring) and streams
// its progress to the screen.
func (m *ExportModel) start() tea.Cmd {
	ctx, cancel := context.WithCancel(m.ctx)
	m.state, m.cancel, m.err, m.opened = exportRunning, cancel, nil, ""
	m.events, m.ended = make(chan tea.Msg, 256), make(chan struct{})
	env, dir, events, ended := m.env, m.Folder(), m.events, m.ended
	m.bar = common.WorkBar{} // set by exportStartedMsg, when the profile's sources are known
	styles := m.Styles
	go func() {
		defer close(events)
		defer cancel()
		var out connect.ExportOutcome
		conn, err := connect.EvidenceConnection(ctx, &env) // the keyring: never in Update
		if err == nil {
			select {
			case events <- exportStartedMsg{bar: common.NewWorkBar(styles, connect.IntegrationsOf(conn))}:
			case <-ctx.Done():
			}
			out, err = connect.Export(ctx, &env, connect.ExportRequest{OutDir: dir,
				Collect: connect.CollectorFor(&env, conn, false),
				OnProgress: func(ev evidence.ProgressEvent) {
					if ev.Done { // never dropped: the bar counts finished sources
						select {
						case events <- exportProgressMsg{ev: ev}:
						case <-ctx.Done():
						}
						return
					}
					select {
					case events <- exportProgressMsg{ev: ev}:
					default: // the screen is behind: the next page's event says more
					}
				}})
		}
		// Canceled reading the keyring, say, before Export began: still "nothing was written".
		err = connect.CanceledExport(ctx, err)
		close(ended) // before the message: once the program has ended, nobody reads it
		events <- exportDoneMsg{out: out, err: err}
	}()
	return waitExportEvent(events)
}

func waitExportEvent(events <-chan tea.Msg) tea.Cmd {
	return func() tea.Msg {
		msg, ok := <-events
		if !ok {
			return nil
		}
		return msg
	}
}

func (m *ExportModel) finished(msg exportDoneMsg) tea.Cmd {
	m.cancel = nil
	m.outcome, m.err = msg.out, msg.err
	switch {
	case msg.err == nil:
		m.state = exportDone
	case errors.Is(msg.err, context.Canceled):
		m.state = exportCanceled
	default:
		m.state = exportFailed
	}
	return nil
}

// OpenFolder opens dir in the desktop's file manager: xdg-open on Linux and the BSDs, open on
// macOS, explorer on Windows. It waits at most 10 s for the opener to hand over.
func OpenFolder(ctx context.Context, dir string) error {
	name := "xdg-open"
	switch runtime.GOOS {
	case "darwin":
		name = "open"
	case "windows":
		name = "explorer"
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, dir)
	// The opener must not draw over the TUI.
	cmd.Stdin, cmd.Stdout, cmd.Stderr = nil, nil, nil
	if err := cmd.Run(); err != nil {
		return errors.New(name + ": " + err.Error())
	}
	return nil
}
