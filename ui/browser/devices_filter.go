package browser

import (
	"strings"
	"unicode"

	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/connect"
	"jcconnect/ui/common"
)

// filterInput is the one-line `/` filter field. It is hand-made (bubbles/textinput pulls in a
// clipboard module this project does not carry) and small: typing, paste, backspace, ctrl+w
// (delete a word) and ctrl+u (clear). Control characters are never inserted.
type filterInput struct {
	value       []rune
	placeholder string
	prompt      string
}

// Value is the current text.
func (f *filterInput) Value() string { return string(f.value) }

// SetValue replaces the text.
func (f *filterInput) SetValue(s string) { f.value = []rune(s) }

// Update edits the text for one key; it reports whether the key was an edit.
func (f *filterInput) Update(msg tea.KeyMsg) bool {
	switch msg.Type {
	case tea.KeyBackspace:
		if len(f.value) > 0 {
			f.value = f.value[:len(f.value)-1]
		}
		return true
	case tea.KeyCtrlU:
		f.value = nil
		return true
	case tea.KeyCtrlW:
		v := strings.TrimRightFunc(string(f.value), unicode.IsSpace)
		if i := strings.LastIndexFunc(v, unicode.IsSpace); i >= 0 {
			v = v[:i+1]
		} else {
			v = ""
		}
		f.value = []rune(v)
		return true
	case tea.KeySpace:
		f.value = append(f.value, ' ')
		return true
	case tea.KeyRunes:
		for _, r := range msg.Runes {
			if unicode.IsPrint(r) && len(f.value) < 200 {
				f.value = append(f.value, r)
			}
		}
		return true
	}
	return false
}

// View draws the field with a block cursor at the end.
func (f *filterInput) View(c common.Common) string {
	s := c.Styles
	text := connect.Clean(string(f.value))
	if text == "" {
		return s.Key.Render(f.prompt) + "█" + s.Muted.Render(" "+f.placeholder)
	}
	return fit(s.Key.Render(f.prompt)+text+"█", c.Width)
}
