package common

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// App is the root model: a stack of screens driven by PushMsg and PopMsg (the wizard at the
// bottom, the device browser or an export pushed on top). It owns what every screen shares: the
// window size (forwarded to every screen on the stack, so a screen popped back to is already laid
// out), the "make the window larger" guard, and ctrl+c, which asks for confirmation while any
// screen reports unsaved work (a verified key not yet stored).
//
// App is used by pointer: Update changes it in place and returns the same *App, so a key press
// boxes nothing (an App value, Common and its Styles inside, would be copied to the heap as a
// tea.Model on every message: about 10 KB a key in the 50k browser).
type App struct {
	Common
	stack      []tea.Model
	confirming bool   // the quit confirmation is showing
	interrupt  bool   // the user quit with ctrl+c (not by finishing)
	unsaved    string // what would be lost, shown in the confirmation
	keys       appKeys
	keyNames   KeyNames // names each key once, for the quit check on every key
}

// PushMsg puts a screen on top of the stack.
type PushMsg struct{ Screen tea.Model }

// PopMsg removes the top screen; popping the last one quits.
type PopMsg struct{}

// Push returns a command that pushes s.
func Push(s tea.Model) tea.Cmd { return func() tea.Msg { return PushMsg{Screen: s} } }

// Pop returns a command that pops the top screen.
func Pop() tea.Cmd { return func() tea.Msg { return PopMsg{} } }

// QuitCapturer is a screen that handles ctrl+c itself while CapturesQuit is true (an export
// running: ctrl+c cancels it, and the program stays, instead of ending mid-write).
type QuitCapturer interface{ CapturesQuit() bool }

func capturesQuit(s tea.Model) bool {
	c, ok := s.(QuitCapturer)
	return ok && c.CapturesQuit()
}

// Stopper is a screen with work running in the background that must end before the process
// exits (an export removing what it had begun): StopAndWait ends it and returns only when it
// has. The name is the contract: a screen's other Stop methods (that cancel and return at once)
// do not make it one by accident.
type Stopper interface{ StopAndWait() }

// StopScreens stops every Stopper on the stack of final, the model a program's Run returned (a
// program ended by a signal leaves its screens as they were).
func StopScreens(final tea.Model) {
	if a, ok := final.(*App); ok {
		for _, s := range a.stack {
			if st, ok := s.(Stopper); ok {
				st.StopAndWait()
			}
		}
	}
}

// UnsavedWork is implemented by screens that hold something the user would lose by quitting.
// Unsaved returns what ("a verified key that is not saved yet"), or "" when nothing.
type UnsavedWork interface{ Unsaved() string }

// NewApp starts the app with root as its first screen.
func NewApp(c Common, root tea.Model) *App {
	return &App{Common: c, stack: []tea.Model{root}, keys: newAppKeys()}
}

// Top is the screen on top of the stack (for tests and RunSetup's outcome).
func (a *App) Top() tea.Model { return a.stack[len(a.stack)-1] }

// Bottom is the first screen (the wizard).
func (a *App) Bottom() tea.Model { return a.stack[0] }

// Depth is how many screens are stacked.
func (a *App) Depth() int { return len(a.stack) }

// Interrupted reports whether the app ended because the user pressed ctrl+c, as opposed to
// finishing (popping the last screen): the caller then stops instead of going on to a next screen.
func (a *App) Interrupted() bool { return a.interrupt }

// Confirming reports whether the quit confirmation is showing.
func (a *App) Confirming() bool { return a.confirming }

func (a *App) Init() tea.Cmd { return a.stack[0].Init() }

func (a *App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.SetSize(msg.Width, msg.Height)
		var cmds []tea.Cmd
		for i, s := range a.stack {
			var cmd tea.Cmd
			a.stack[i], cmd = s.Update(msg)
			cmds = append(cmds, cmd)
		}
		return a, tea.Batch(cmds...)
	case PushMsg:
		if msg.Screen == nil {
			return a, nil
		}
		a.stack = append(a.stack, msg.Screen)
		size := tea.WindowSizeMsg{Width: a.Width, Height: a.Height}
		var cmd tea.Cmd
		a.stack[len(a.stack)-1], cmd = msg.Screen.Update(size)
		return a, tea.Batch(msg.Screen.Init(), cmd)
	case PopMsg:
		if len(a.stack) <= 1 {
			return a.quit(false)
		}
		a.stack = a.stack[:len(a.stack)-1]
		return a, nil
	case tea.KeyMsg:
		if a.confirming {
			switch {
			case key.Matches(msg, a.keys.Yes), key.Matches(msg, a.Keys.Quit):
				a.interrupt = true
				return a, tea.Quit
			case key.Matches(msg, a.keys.No):
				a.confirming = false
			}
			return a, nil
		}
		if key.Matches(a.keyNames.Of(msg), a.Keys.Quit) && !capturesQuit(a.Top()) {
			return a.quit(true)
		}
		if a.TooSmall() {
			return a, nil // nothing the user cannot see happens
		}
	}
	top := len(a.stack) - 1
	var cmd tea.Cmd
	a.stack[top], cmd = a.stack[top].Update(msg)
	return a, cmd
}

// quit asks first when a screen holds unsaved work. interrupt (ctrl+c) is recorded only when the
// app really quits: a question answered "n" leaves no trace.
func (a *App) quit(interrupt bool) (tea.Model, tea.Cmd) {
	for _, s := range a.stack {
		if u, ok := s.(UnsavedWork); ok {
			if what := u.Unsaved(); what != "" {
				a.confirming, a.unsaved = true, what
				return a, nil
			}
		}
	}
	a.interrupt = interrupt
	return a, tea.Quit
}

func (a *App) View() string {
	if a.TooSmall() {
		return a.TooSmallView()
	}
	if a.confirming {
		s := a.Styles
		msg := s.Warn.Bold(true).Render("Quit without saving?") + "\n\n" +
			"You have " + a.unsaved + ".\nQuitting now stores nothing; you would paste and verify the key again next time.\n\n" +
			s.Key.Render("y") + " quit without saving    " + s.Key.Render("n") + " stay"
		return Boxed(s.Box, min(a.Width-2, 70), msg)
	}
	return FitHeight(a.stack[len(a.stack)-1].View(), a.Height)
}

// FitHeight keeps a view inside the window: extra lines are cut with a marker instead of
// scrolling the terminal and breaking the layout. Trailing newlines are dropped and do not count.
// A view that fits (every key's screen, in practice) comes back as itself, less those newlines,
// with no copy: the lines are counted, not split and joined.
func FitHeight(v string, h int) string {
	v = strings.TrimRight(v, "\n")
	if h <= 0 || strings.Count(v, "\n") < h { // lines = newlines + 1 <= h
		return v
	}
	keep := 0 // the bytes of the first h-1 lines, each with its newline
	for range h - 1 {
		keep += strings.IndexByte(v[keep:], '\n') + 1 // there are at least h newlines
	}
	return v[:keep] + tooTallMarker
}

// tooTallMarker is the last line of a view cut by FitHeight.
const tooTallMarker = "… (make the window taller to see the rest)"
