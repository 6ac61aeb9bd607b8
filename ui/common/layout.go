package common

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// Focus marks the line a screen wants kept in view: the cursor's line, or the question waiting
// for an answer. It is an APC escape sequence, so it takes no cells, wrapping and ansi.Strip
// ignore it, and Scroll.Frame removes it before anything reaches the terminal.
const Focus = "\x1b_jcfocus\x1b\\"

// Scroll shows a screen's body in the lines the window leaves it (bubbles/viewport), so a long
// screen scrolls instead of being cut: the title and the key hints stay put around it. The
// focus line (marked with Focus) is brought into view whenever it moves; pgup/pgdown scroll
// freely between moves. A pointer, so that screens drawn by value keep the offset.
type Scroll struct {
	vp        viewport.Model
	lastFocus int
	keys      ScrollKeys
}

// ScrollKeys page the body. Only the page keys: arrows, space and j/k belong to the screens.
type ScrollKeys struct {
	Up, Down key.Binding
}

// NewScroll is a scroll at the top.
func NewScroll() *Scroll {
	return &Scroll{vp: viewport.New(0, 0), lastFocus: -1, keys: ScrollKeys{
		Up:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "scroll up")),
		Down: key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "scroll down")),
	}}
}

// Update pages on pgup/pgdown and reports whether it used msg.
func (s *Scroll) Update(msg tea.Msg) bool {
	km, ok := msg.(tea.KeyMsg)
	if !ok || s == nil {
		return false
	}
	switch {
	case key.Matches(km, s.keys.Up):
		s.vp.PageUp()
	case key.Matches(km, s.keys.Down):
		s.vp.PageDown()
	default:
		return false
	}
	return true
}

// Reset goes back to the top (a new screen or step).
func (s *Scroll) Reset() {
	s.vp.SetYOffset(0)
	s.lastFocus = -1
}

// Frame fits body into height lines of width cells. It returns the visible lines and a one-line
// note of what is hidden ("↓ 6 more lines: pgdn"), "" when everything shows: the caller puts
// the note beside the key hints, which are never part of the body.
func (s *Scroll) Frame(body string, width, height int) (view, more string) {
	lines := strings.Split(strings.TrimRight(body, "\n"), "\n")
	focus := -1
	for i, l := range lines {
		if strings.Contains(l, Focus) {
			focus = i
			lines[i] = strings.ReplaceAll(l, Focus, "")
		}
	}
	height = max(height, 1)
	if len(lines) <= height {
		s.vp.SetYOffset(0)
		s.lastFocus = focus
		return strings.Join(lines, "\n"), ""
	}
	s.vp.Width, s.vp.Height = width, height
	s.vp.SetContent(strings.Join(lines, "\n"))
	if focus >= 0 && focus != s.lastFocus {
		// Show the focus line, with the line after it when there is one (a question's answer).
		switch top := s.vp.YOffset; {
		case focus < top:
			s.vp.SetYOffset(focus)
		case focus+1 >= top+height:
			s.vp.SetYOffset(min(focus+2, len(lines)) - height)
		}
	}
	s.lastFocus = focus
	s.vp.SetYOffset(s.vp.YOffset) // clamp after a resize
	top := s.vp.YOffset
	visible := lines[top:min(top+height, len(lines))]
	below := len(lines) - top - len(visible)
	switch {
	case top > 0 && below > 0:
		more = fmt.Sprintf("↑ %s above, ↓ %d below: pgup/pgdn", lineCount(top), below)
	case below > 0:
		more = fmt.Sprintf("↓ %s below: pgdn", lineCount(below))
	case top > 0:
		more = fmt.Sprintf("↑ %s above: pgup", lineCount(top))
	}
	for i, l := range visible {
		visible[i] = ansi.Truncate(l, width, "…")
	}
	return strings.Join(visible, "\n"), more
}

// Keys are the page keys, for the full help.
func (s *Scroll) Keys() []key.Binding { return []key.Binding{s.keys.Up, s.keys.Down} }

func lineCount(n int) string {
	if n == 1 {
		return "1 line"
	}
	return fmt.Sprintf("%d lines", n)
}

// MaxTextWidth is the widest a screen's running text is wrapped to.
const MaxTextWidth = 100

// Page lays out a screen in height lines of width cells: the header (title lines), a blank
// line, the body wrapped once and scrolled (Frame), a line that is blank or says what is
// scrolled out of view, and the key hints, which therefore always show. A nil Scroll cuts
// instead of scrolling.
func (s *Scroll) Page(st Styles, width, height int, header, body, hints string) string {
	header = Wrap(strings.TrimRight(header, "\n"), width)
	// Prose wider than about 100 columns is hard to read: a wide window gets margin, not longer lines.
	body = Wrap(strings.TrimRight(body, "\n"), min(width, MaxTextWidth))
	hints = strings.TrimRight(hints, "\n")
	room := height - strings.Count(header, "\n") - 1 - 2 - strings.Count(hints, "\n") - 1
	if s == nil {
		s = NewScroll()
	}
	view, more := s.Frame(body, width, room)
	if more != "" {
		more = st.Muted.Render(more)
	}
	return header + "\n\n" + view + "\n" + more + "\n" + hints
}

// Boxed draws text in a bordered style (Box, ErrorBox) as st.Width(width).Render would, but
// with the text wrapped once, here, with hanging indents, rather than by lipgloss (which breaks
// after any hyphen: "setup --" / "profile NEW-NAME").
func Boxed(st lipgloss.Style, width int, text string) string {
	return st.Width(width).Render(Wrap(text, width-st.GetHorizontalPadding()))
}
