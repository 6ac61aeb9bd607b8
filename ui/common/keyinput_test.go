package common

import (
	"errors"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"jcconnect/connect"
	"jcconnect/store"
)

const (
	sampleJCAKey    = "jca_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7c" // made up, the documented shape
	sampleLegacyKey = "0123456789abcdefABCDEF0123456789abcdefAB" // 40 alphanumerics
)

func typeRunes(m KeyInput, s string) KeyInput {
	for _, r := range s {
		m, _ = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	return m
}

func pasteText(m KeyInput, s string) KeyInput {
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s), Paste: true})
	return m
}

func submit(t *testing.T, m KeyInput) (KeyInput, *KeySubmittedMsg) {
	t.Helper()
	m, cmd := m.Update(tea.KeyMsg{Type: tea.KeyEnter})
	if cmd == nil {
		return m, nil
	}
	msg, ok := cmd().(KeySubmittedMsg)
	if !ok {
		t.Fatalf("submit produced %T", cmd())
	}
	return m, &msg
}

func TestCheckKeyShapeAcceptsKnownFormats(t *testing.T) {
	for _, k := range []string{sampleJCAKey, sampleLegacyKey, "  " + sampleJCAKey + "\r\n", "\t" + sampleLegacyKey + "\n"} {
		got, err := connect.CheckKeyShape(k)
		if err != nil {
			t.Fatalf("refused a valid key shape: %v", err)
		}
		if got.Reveal() != strings.TrimSpace(k) {
			t.Fatalf("not trimmed")
		}
		if !connect.LooksLikeJumpCloudKey(got) {
			t.Fatalf("known format not recognised")
		}
	}
}

func TestCheckKeyShapeRefusesObviousNonKeys(t *testing.T) {
	cases := []struct {
		in   string
		want error
	}{
		{"", connect.ErrKeyEmpty},
		{"   \n", connect.ErrKeyEmpty},
		{"jca_short", connect.ErrKeyTooShort},
		{"jca_Ab3dEf6hIj9k Lm2nOp5qRs8tUv1wXy4zAb7c", connect.ErrKeySpaces},
		{"https://console.jumpcloud.com/#/home", connect.ErrKeyURL},
		{"www.jumpcloud.com/settings/apikey/abc", connect.ErrKeyURL},
		{`{"apiKey":"jca_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7c"}`, connect.ErrKeyJSON},
		{`["jca_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7c"]`, connect.ErrKeyJSON},
		{"jca_Ab3dEf6hIj9k\x1b[31mLm2nOp5qRs8tUv1wXy4z", connect.ErrKeyControl},
		{"\"jca_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7c\"", connect.ErrKeyBadSymbol},
		{strings.Repeat("a", 201), connect.ErrKeyTooLong},
	}
	for _, c := range cases {
		_, err := connect.CheckKeyShape(c.in)
		if !errors.Is(err, c.want) {
			t.Errorf("CheckKeyShape(%q) = %v, want %v", c.in, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "Ab3dEf") {
			t.Errorf("the reason quotes the key: %v", err)
		}
	}
}

func TestLooksLikeJumpCloudKeyHintsOtherShapes(t *testing.T) {
	if connect.LooksLikeJumpCloudKey(store.MustSecret("abcdefghijklmnopqrstuvwxyz-0123", false)) {
		t.Fatal("a 31-char key with a dash is not a known format")
	}
}

func TestKeyInputIsMaskedUntilRevealed(t *testing.T) {
	st := NewStyles(true)
	m := typeRunes(NewKeyInput(), sampleJCAKey)
	v := ansi.Strip(m.View(st))
	if strings.Contains(v, "Ab3dEf6h") {
		t.Fatalf("masked view shows the key:\n%s", v)
	}
	if !strings.Contains(v, "Ab7c") || !strings.Contains(v, "hidden") {
		t.Fatalf("masked view should show only the last 4 and say it is hidden:\n%s", v)
	}
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyCtrlR})
	if !m.Revealed() || !strings.Contains(ansi.Strip(m.View(st)), "Ab3dEf6h") {
		t.Fatalf("ctrl+r should reveal:\n%s", ansi.Strip(m.View(st)))
	}
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyCtrlR})
	if m.Revealed() || strings.Contains(ansi.Strip(m.View(st)), "Ab3dEf6h") {
		t.Fatal("ctrl+r again should hide")
	}
}

func TestKeyInputPasteTrimsAndSubmits(t *testing.T) {
	m := pasteText(NewKeyInput(), "\n  "+sampleJCAKey+"\r\n")
	if m.Value() != sampleJCAKey {
		t.Fatalf("paste not trimmed: %d chars", len(m.Value()))
	}
	_, msg := submit(t, m)
	if msg == nil || msg.Key != sampleJCAKey {
		t.Fatal("enter did not submit the trimmed key")
	}
}

func TestKeyInputPasteWithControlCharactersIsRefused(t *testing.T) {
	m := pasteText(NewKeyInput(), "jca_abc\x1b]52;c;ZXZpbA==\x07def")
	if m.Value() != "" {
		t.Fatal("a paste with control characters must not be inserted")
	}
	if !strings.Contains(m.Problem(), "control characters") {
		t.Fatalf("no reason given: %q", m.Problem())
	}
	if !strings.Contains(ansi.Strip(m.View(NewStyles(true))), "copy the key again") {
		t.Fatal("the reason is not drawn")
	}
	// A paste with a line break inside is not one key either.
	m = pasteText(NewKeyInput(), "jca_abcdefghij\nklmnopqrstuvwxyz")
	if m.Value() != "" || m.Problem() == "" {
		t.Fatal("multi-line paste accepted")
	}
}

func TestKeyInputSubmitRefusesNonKeysWithReason(t *testing.T) {
	for in, want := range map[string]error{
		"":                                connect.ErrKeyEmpty,
		"hello":                           connect.ErrKeyTooShort,
		"https://console.jumpcloud.com/x": connect.ErrKeyURL,
		`{"key":"value-that-is-long"}`:    connect.ErrKeyJSON,
		"jca_abcdefgh ijklmnopqrstuvwxyz": connect.ErrKeySpaces,
	} {
		m := pasteText(NewKeyInput(), in)
		m, msg := submit(t, m)
		if msg != nil {
			t.Fatalf("%q was submitted", in)
		}
		if m.Problem() != want.Error() {
			t.Fatalf("%q: problem %q, want %q", in, m.Problem(), want)
		}
	}
}

func TestKeyInputEditing(t *testing.T) {
	m := typeRunes(NewKeyInput(), "abcd")
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyLeft})
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyBackspace})
	if m.Value() != "abd" {
		t.Fatalf("backspace in the middle: %q", m.Value())
	}
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyHome})
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyDelete})
	if m.Value() != "bd" {
		t.Fatalf("delete at start: %q", m.Value())
	}
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyCtrlU})
	if m.Value() != "" {
		t.Fatal("ctrl+u should clear")
	}
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{0x07}})
	if m.Value() != "" || m.Problem() == "" {
		t.Fatal("a typed control character must be refused")
	}
	// A blurred field ignores keys.
	m.Blur()
	m = typeRunes(m, "x")
	if m.Value() != "" {
		t.Fatal("blurred field took input")
	}
}

func TestKeyInputFitsItsWidth(t *testing.T) {
	m := typeRunes(NewKeyInput(), strings.Repeat("k", 150))
	for _, w := range []int{30, 60, 80} {
		m.SetWidth(w)
		for _, line := range strings.Split(ansi.Strip(m.View(NewStyles(true))), "\n")[:3] {
			if n := ansi.StringWidth(line); n > w {
				t.Fatalf("width %d: line of %d cells: %q", w, n, line)
			}
		}
	}
}

// The wizard's shape check ends with the store's rule: a key the keyring would refuse (a smart
// quote, a zero-width space) is refused at the paste, not after a live verification.
func TestCheckKeyShapeFollowsTheStoresRule(t *testing.T) {
	for _, raw := range []string{"jca_abcdefghijklmnop\u201cqrstuvwxyz", "jca_abcdefghij\u200bklmnopqrstuvwxyz"} {
		_, shapeErr := connect.CheckKeyShape(raw)
		_, storeErr := store.NormalizeKey(raw)
		if shapeErr == nil || storeErr == nil {
			t.Errorf("%q: shape check %v, store %v; both must refuse it", raw, shapeErr, storeErr)
		}
	}
	k := "jca_" + strings.Repeat("a", 36)
	if got, err := connect.CheckKeyShape(" " + k + "\n"); err != nil || got.Reveal() != k {
		t.Fatalf("a plain key: %q, %v", got, err)
	}
}

// The count under the field agrees with its number: "1 character", never "1 characters".
func TestKeyInputCountsInWords(t *testing.T) {
	st := NewStyles(true)
	m := pasteText(NewKeyInput(), "x")
	if v := ansi.Strip(m.View(st)); !strings.Contains(v, "1 character") || strings.Contains(v, "1 characters") {
		t.Fatalf("one character:\n%s", v)
	}
}

// A labelled field (a client secret) names what it holds, and a long value still fits on one
// line of the box: the label's width is taken from the room for the value.
func TestKeyInputLabelKeepsTheFieldOnOneLine(t *testing.T) {
	m := NewKeyInput()
	m.SetLabel("Client secret")
	m.SetShape(ShapeOf(connect.CheckSecretShape))
	m = pasteText(m, strings.Repeat("s3cr3t", 10))
	view := ansi.Strip(m.View(NewStyles(true)))
	lines := strings.Split(view, "\n")
	if !strings.Contains(lines[1], "Client secret: …") || strings.Contains(view, "API key") {
		t.Fatalf("field:\n%s", view)
	}
	if !strings.HasPrefix(lines[2], "╰") {
		t.Fatalf("the field takes more than one line:\n%s", view)
	}
}
