package uitest

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
)

// The screen sizes every screen is laid out for and checked at: the advertised minimum, the
// classic terminal and a roomy one.
var Sizes = []struct{ W, H int }{{60, 16}, {80, 24}, {120, 40}}

// SizeName names a size in test and golden file names ("80x24").
func SizeName(w, h int) string { return fmt.Sprintf("%dx%d", w, h) }

// Golden compares a screen, drawn as text (ANSI stripped, trailing spaces dropped), with
// testdata/<test name>.golden. `go test ./ui/... -update` rewrites every golden file (the flag
// is x/exp/golden's, the one teatest uses too, so one flag serves all ui packages).
func Golden(t testing.TB, view string) {
	t.Helper()
	golden.RequireEqual(t, []byte(Plain(view)+"\n"))
}

// Plain is a view as the eye sees it: no escape sequences, no trailing spaces.
func Plain(view string) string {
	lines := strings.Split(ansi.Strip(view), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.TrimRight(strings.Join(lines, "\n"), "\n")
}

// CheckLayout fails when a screen drawn for width×height does not fit it: a line wider than
// the terminal, more lines than it has, an orphan (see Orphans), or no key-hint line at the
// bottom (the last line must contain hint, e.g. "? all keys").
func CheckLayout(t testing.TB, view string, width, height int, hint string) {
	t.Helper()
	plain := Plain(view)
	lines := strings.Split(plain, "\n")
	for i, l := range lines {
		if w := ansi.StringWidth(l); w > width {
			t.Errorf("line %d is %d cells wide in a %d-cell terminal: %q", i+1, w, width, l)
		}
	}
	if len(lines) > height {
		t.Errorf("%d lines in a %d-line terminal", len(lines), height)
	}
	if hint != "" && !strings.Contains(lines[len(lines)-1], hint) {
		t.Errorf("the last line is not the key hints (want %q in it): %q", hint, lines[len(lines)-1])
	}
	for _, o := range Orphans(plain) {
		t.Errorf("orphan line %d: %q (text wrapped twice?)", o+1, lines[o])
	}
	if t.Failed() {
		t.Logf("the screen at %dx%d:\n%s", width, height, plain)
	}
}

// Orphans lists the lines (0-based) that hold a single short word continuing a sentence: the
// line before ends mid-sentence (a letter, a comma, an opening bracket) and the line after goes
// on in lower case. That is the mark of text wrapped twice ("role Read" / "Only" / "admin").
// Box borders are looked through; list items, headings and a paragraph's last line are not
// orphans.
func Orphans(plain string) []int {
	lines := strings.Split(plain, "\n")
	text := make([]string, len(lines))
	for i, l := range lines {
		text[i] = strings.TrimSpace(strings.Trim(strings.TrimSpace(l), "│"))
	}
	var out []int
	for i := 1; i < len(lines)-1; i++ {
		word, prev, next := text[i], text[i-1], text[i+1]
		if word == "" || strings.ContainsAny(word, " ") || ansi.StringWidth(word) > 12 {
			continue
		}
		if !unicode.IsLetter([]rune(word)[0]) {
			continue // a glyph, a number, a bracket: a list or a table, not prose
		}
		if strings.ContainsAny(word[len(word)-1:], ".!?:;") {
			continue // the end of a sentence: the next line starts another
		}
		last := []rune(prev)
		if len(last) == 0 || !(unicode.IsLetter(last[len(last)-1]) || strings.ContainsRune(",(", last[len(last)-1])) {
			continue
		}
		first := []rune(next)
		if len(first) == 0 || !unicode.IsLower(first[0]) {
			continue
		}
		out = append(out, i)
	}
	return out
}

// Stable replaces what changes from run to run in a drawn screen (a sandbox's loopback port,
// calendar dates, clock times) so that a golden file holds only the layout and the words.
func Stable(view string) string {
	for _, r := range stableRules {
		view = r.re.ReplaceAllString(view, r.with)
	}
	return view
}

var stableRules = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`127\.0\.0\.1:\d+`), "127.0.0.1:PORT"},
	{regexp.MustCompile(`"probe-\d+"`), `"probe-PID"`}, // the keyring doctor's probe item, one per process
	{regexp.MustCompile(`\b20\d\d-\d\d-\d\d(T[0-9:.]+Z?)?\b`), "YYYY-MM-DD"},
	{regexp.MustCompile(`\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) 20\d\d\b`), "D Mon YYYY"},
	{regexp.MustCompile(`\b\d\d:\d\d(:\d\d)?\b`), "HH:MM"},
}
