package common

import (
	"strings"
	"unicode"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/connect"
	"jcconnect/glossary"
)

// KeyInput is the masked API key field shared by the setup wizard and rotation. It is a small
// hand-made field rather than bubbles/textinput because textinput silently drops or rewrites
// control characters and newlines; here a paste with control characters is refused with a
// reason, surrounding whitespace of a paste is trimmed, and the value is checked for the shape
// of a JumpCloud key before anything is sent anywhere.
//
// The key is never drawn in clear unless the user asks (Reveal), and never put in an error.
type KeyInput struct {
	value    []rune
	cursor   int // insert position in value
	revealed bool
	focused  bool
	// Problem is why the last paste was refused or why Submit failed ("" when none).
	problem string
	keys    KeyInputKeys
	width   int                // of the bordered field; 0 means 60
	shape   func(string) error // nil: connect.CheckKeyShape
	label   string             // what the field holds; "" is "API key"
}

// NewKeyInput returns an empty, focused, masked field.
func NewKeyInput() KeyInput { return KeyInput{focused: true, keys: newKeyInputKeys()} }

// KeySubmittedMsg is sent when enter is pressed on a value that has the shape of a key.
// Key is the trimmed text that passed the check; the core makes it a store.Secret through the
// same rule (connect.CredentialShape, Rotation.GiveKey). Never print it.
type KeySubmittedMsg struct{ Key string }

// Keys returns the field's bindings, for the help line of the screen embedding it.
func (m KeyInput) Keys() KeyInputKeys { return m.keys }

// Value is the raw text typed so far (untrimmed).
func (m KeyInput) Value() string { return string(m.value) }

// SetValue replaces the text (for example the demo's "insert the Read Only key").
func (m *KeyInput) SetValue(s string) {
	m.value = []rune(s)
	m.cursor = len(m.value)
	m.problem = ""
}

// Problem is the reason the last paste or submit was refused, "" when none.
func (m KeyInput) Problem() string { return m.problem }

// Revealed reports whether the key is currently shown in clear.
func (m KeyInput) Revealed() bool { return m.revealed }

// SetWidth sets the field's width including its border (at least 24).
func (m *KeyInput) SetWidth(w int) { m.width = max(w, 24) }

// SetLabel names what the field holds ("Client secret"); the default is "API key".
func (m *KeyInput) SetLabel(label string) { m.label = label }

// SetShape sets the check a submitted value must pass (default connect.CheckKeyShape): a
// service account's client secret (ShapeOf(connect.CheckSecretShape)) or client id use the
// same field. It returns why a value is refused, nil when it may be submitted.
func (m *KeyInput) SetShape(shape func(string) error) { m.shape = shape }

// ShapeOf makes a core rule (connect.CredentialShape, store.NormalizeClientID) the field's
// check; the core makes the store.Secret again from the submitted text with the same rule.
func ShapeOf[T any](rule func(string) (T, error)) func(string) error {
	return func(s string) error { _, err := rule(s); return err }
}

// Show draws the value in clear, for a value that is not secret (a client id).
func (m *KeyInput) Show() { m.revealed = true }

func (m *KeyInput) Focus() { m.focused = true }
func (m *KeyInput) Blur()  { m.focused = false }

// Update handles typing, pasting, editing and submit.
func (m KeyInput) Update(msg tea.Msg) (KeyInput, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok || !m.focused {
		return m, nil
	}
	switch {
	case km.Type == tea.KeyRunes && km.Paste:
		m.paste(string(km.Runes))
		return m, nil
	case key.Matches(km, m.keys.Submit):
		shape := m.shape
		if shape == nil {
			shape = ShapeOf(connect.CheckKeyShape)
		}
		if err := shape(string(m.value)); err != nil {
			m.problem = err.Error()
			return m, nil
		}
		k := strings.TrimSpace(string(m.value))
		m.problem = ""
		return m, func() tea.Msg { return KeySubmittedMsg{Key: k} }
	case key.Matches(km, m.keys.Reveal):
		m.revealed = !m.revealed
	case key.Matches(km, m.keys.Clear):
		m.SetValue("")
	}
	switch km.Type {
	case tea.KeyRunes, tea.KeySpace:
		r := km.Runes
		if km.Type == tea.KeySpace {
			r = []rune{' '}
		}
		for _, c := range r {
			if unicode.IsControl(c) {
				m.problem = "control characters are not part of a key: copy the key again"
				return m, nil
			}
		}
		m.insert(r)
		m.problem = ""
	case tea.KeyBackspace:
		if m.cursor > 0 {
			m.value = append(m.value[:m.cursor-1], m.value[m.cursor:]...)
			m.cursor--
		}
		m.problem = ""
	case tea.KeyDelete:
		if m.cursor < len(m.value) {
			m.value = append(m.value[:m.cursor], m.value[m.cursor+1:]...)
		}
	case tea.KeyLeft:
		m.cursor = max(m.cursor-1, 0)
	case tea.KeyRight:
		m.cursor = min(m.cursor+1, len(m.value))
	case tea.KeyHome, tea.KeyCtrlA:
		m.cursor = 0
	case tea.KeyEnd, tea.KeyCtrlE:
		m.cursor = len(m.value)
	}
	return m, nil
}

// paste inserts a bracketed paste: surrounding whitespace and newlines are trimmed (a key copied
// from a browser often carries a trailing newline); control characters refuse the whole paste.
func (m *KeyInput) paste(s string) {
	s = strings.TrimSpace(s)
	for _, c := range s {
		if unicode.IsControl(c) {
			m.problem = "the pasted text contains control characters or line breaks, so it is not just the key: copy the key again"
			return
		}
	}
	m.insert([]rune(s))
	m.problem = ""
}

func (m *KeyInput) insert(r []rune) {
	v := make([]rune, 0, len(m.value)+len(r))
	v = append(v, m.value[:m.cursor]...)
	v = append(v, r...)
	v = append(v, m.value[m.cursor:]...)
	m.value = v
	m.cursor += len(r)
}

// View draws the field: "API key: ••••••••…9f2c" masked, or the text when revealed, with a block
// cursor. Masked, only the last 4 characters are shown so the user can tell which key it is.
func (m KeyInput) View(s Styles) string {
	shown := make([]rune, len(m.value))
	for i, c := range m.value {
		switch {
		case m.revealed:
			shown[i] = c
		case i >= len(m.value)-4 && len(m.value) >= 12:
			shown[i] = c
		default:
			shown[i] = '•'
		}
	}
	boxWidth := 60
	if m.width > 0 {
		boxWidth = m.width
	}
	label := m.label
	if label == "" {
		label = "API key"
	}
	// Long keys are elided on the left so the field stays one line: the border, padding and
	// cursor take 5 cells, the label the rest.
	width := boxWidth - 5 - len([]rune(label+": "))
	start := 0
	if len(shown) > width {
		start = len(shown) - width
	}
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	for i := start; i <= len(shown); i++ {
		if i == m.cursor && m.focused {
			c := " "
			if i < len(shown) {
				c = string(shown[i])
			}
			b.WriteString(s.Selected.Reverse(true).Render(c))
			continue
		}
		if i < len(shown) {
			b.WriteRune(shown[i])
		}
	}
	field := s.Box.Width(boxWidth - 2).Render(label + ": " + b.String())
	status := s.Muted.Render("(hidden — ctrl+r shows it)")
	if m.revealed {
		status = s.Warn.Render("(shown — ctrl+r hides it)")
	}
	out := field + "\n" + status
	if len(m.value) > 0 {
		out += s.Muted.Render("  " + glossary.Count(len([]rune(strings.TrimSpace(string(m.value)))), "character"))
	}
	if m.problem != "" {
		out += "\n" + s.Bad.Render(s.GlyphFail+" "+m.problem)
	}
	return out
}
