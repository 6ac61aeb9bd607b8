package common

import (
	"errors"
	"strconv"
	"strings"
	"unicode"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/store"
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
	width   int // of the bordered field; 0 means 60
}

// NewKeyInput returns an empty, focused, masked field.
func NewKeyInput() KeyInput { return KeyInput{focused: true, keys: newKeyInputKeys()} }

// KeySubmittedMsg is sent when enter is pressed on a value that has the shape of a key.
// Key is trimmed and checked; pass it to the verification, never print it.
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
		k, err := CheckKeyShape(string(m.value))
		if err != nil {
			m.problem = err.Error()
			return m, nil
		}
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
	// Long keys are elided on the left so the field stays one line: the border, padding, label
	// and cursor take 14 cells.
	width := boxWidth - 14
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
	field := s.Box.Width(boxWidth - 2).Render("API key: " + b.String())
	status := s.Muted.Render("(hidden — ctrl+r shows it)")
	if m.revealed {
		status = s.Warn.Render("(shown — ctrl+r hides it)")
	}
	out := field + "\n" + status
	if len(m.value) > 0 {
		out += s.Muted.Render("  " + strconv.Itoa(len([]rune(strings.TrimSpace(string(m.value))))) + " characters")
	}
	if m.problem != "" {
		out += "\n" + s.Bad.Render(s.GlyphFail+" "+m.problem)
	}
	return out
}

// Reasons a pasted value is not a key. They say what to do next and never quote the value.
var (
	ErrKeyEmpty     = errors.New("paste the API key first (copy it from My API Key in the JumpCloud console)")
	ErrKeyTooShort  = errors.New("that is too short to be an API key: JumpCloud keys are about 40 characters (jca_… or 40 letters and digits); copy the whole key")
	ErrKeyTooLong   = errors.New("that is too long to be an API key: did you paste more than the key? Copy only the key")
	ErrKeySpaces    = errors.New("there are spaces inside: a key is one word; copy it again without the text around it")
	ErrKeyURL       = errors.New("that is a web address, not a key: open My API Key in the console and copy the key itself")
	ErrKeyJSON      = errors.New("that looks like JSON, not a key: copy only the key value")
	ErrKeyControl   = errors.New("the text contains control characters, so it is not just the key: copy the key again")
	ErrKeyBadSymbol = errors.New("that contains quotes or brackets, so it is not just the key: copy only the key")
)

// CheckKeyShape trims surrounding whitespace and refuses obvious non-keys with the reason: the
// UI's friendlier diagnoses (a web address, JSON, a sentence) first, then the one rule every
// key obeys (store.NormalizeKey), so nothing the wizard accepts is refused by the keyring later.
// It accepts jca_-prefixed keys and legacy 40-character keys; anything else of a plausible shape
// is accepted too (the live verification decides), see LooksLikeJumpCloudKey for a softer hint.
func CheckKeyShape(raw string) (string, error) {
	k := strings.TrimSpace(raw)
	switch {
	case k == "":
		return "", ErrKeyEmpty
	case strings.IndexFunc(k, unicode.IsControl) >= 0:
		return "", ErrKeyControl
	case strings.HasPrefix(k, "{") || strings.HasPrefix(k, "["):
		return "", ErrKeyJSON
	case strings.Contains(k, "://") || strings.HasPrefix(strings.ToLower(k), "www."):
		return "", ErrKeyURL
	case strings.IndexFunc(k, unicode.IsSpace) >= 0:
		return "", ErrKeySpaces
	case strings.ContainsAny(k, "\"'`<>{}[]"):
		return "", ErrKeyBadSymbol
	case len(k) < store.MinKeyLen:
		return "", ErrKeyTooShort
	case len(k) > store.MaxKeyLen:
		return "", ErrKeyTooLong
	}
	return store.NormalizeKey(k)
}

// LooksLikeJumpCloudKey reports whether k has a known key format: jca_ followed by letters and
// digits, or 40 letters and digits (legacy keys).
func LooksLikeJumpCloudKey(k string) bool {
	alnum := func(s string) bool {
		for _, c := range s {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
				return false
			}
		}
		return s != ""
	}
	if rest, ok := strings.CutPrefix(k, "jca_"); ok {
		return alnum(rest)
	}
	return len(k) == 40 && alnum(k)
}
