package common

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/connect"
)

// The App's behaviour (the stack, sizes, the quit question) is tested from ui/wizard/app_test.go
// with its screens; here: what App itself costs a key press, and FitHeight's cut.

// stillScreen is a screen whose Update and View allocate nothing: whatever a key through App
// allocates beyond it is App's own. It counts the keys it is given, so a test that measures no
// allocation also shows the key was not dropped on the way.
type stillScreen struct {
	view string
	keys int
}

func (s *stillScreen) Init() tea.Cmd { return nil }
func (s *stillScreen) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(tea.KeyMsg); ok {
		s.keys++
	}
	return s, nil
}
func (s *stillScreen) View() string { return s.view }

// A key press routed to the top screen, through App as bubbletea drives it (a tea.Model whose
// Update returns the next model, then View), allocates nothing App's own. On bd2ab03 it was 4 a
// key: each message boxed an App value (Common and its Styles) as the tea.Model returned,
// FitHeight split and joined a screen that fitted, and the quit check named the key anew.
func TestAppKeyToTheTopScreenAllocatesNothingOfItsOwn(t *testing.T) {
	const height = 30
	screen := &stillScreen{view: strings.Repeat("a row of the screen\n", height)} // exactly fits
	var app tea.Model = NewApp(NewCommon(&connect.Env{NoColor: true}), &stillScreen{view: "root"})
	app, _ = app.Update(tea.WindowSizeMsg{Width: 100, Height: height})
	app, _ = app.Update(PushMsg{Screen: screen}) // the browser's place: pushed on the wizard or home

	for _, k := range []tea.KeyMsg{
		{Type: tea.KeyDown}, {Type: tea.KeyPgDown}, {Type: tea.KeyUp}, {Type: tea.KeyPgUp}, // the browser's keys
		{Type: tea.KeyEnter}, {Type: tea.KeyEsc}, {Type: tea.KeyTab},
	} {
		var msg tea.Msg = k // boxed once, as bubbletea's reader does: not App's
		if own := testing.AllocsPerRun(10, func() { screen.Update(msg); screen.View() }); own != 0 {
			t.Fatalf("the screen itself allocates %v a key", own)
		}
		var v string
		before := screen.keys
		allocs := testing.AllocsPerRun(100, func() {
			app, _ = app.Update(msg)
			v = app.View()
		})
		if screen.keys-before != 101 { // AllocsPerRun runs the function once more to warm up
			t.Fatalf("%v: the screen got %d of 101 keys", k, screen.keys-before)
		}
		if v != strings.TrimRight(screen.view, "\n") {
			t.Fatalf("%v: App's view is not the screen's:\n%q", k, v)
		}
		if allocs != 0 {
			t.Errorf("%v through App.Update and App.View: %v allocations, want 0 (the screen's own are 0)", k, allocs)
		}
	}
}

var fitSink string

func TestFitHeightOfAViewThatFitsAllocatesNothing(t *testing.T) {
	for _, v := range []string{
		strings.Repeat("row\n", 50),                           // exactly 50 lines, a trailing newline
		strings.TrimSuffix(strings.Repeat("row\n", 50), "\n"), // exactly 50, none
		strings.Repeat("row\n", 10) + "\n\n",                  // fewer, blank lines after
		"",
	} {
		if allocs := testing.AllocsPerRun(100, func() { fitSink = FitHeight(v, 50) }); allocs != 0 {
			t.Errorf("FitHeight of %d bytes in 50 lines: %v allocations, want 0", len(v), allocs)
		}
	}
}

// FitHeight's cut, pinned as it was before it stopped splitting: trailing newlines dropped, a view
// of more than h lines cut to its first h-1 and the marker, no cut for h <= 0.
func TestFitHeightCutsExactlyAsBefore(t *testing.T) {
	const marker = "… (make the window taller to see the rest)"
	for _, c := range []struct {
		name string
		v    string
		h    int
		want string
	}{
		{"empty", "", 3, ""},
		{"only newlines", "\n\n\n\n", 2, ""},
		{"fewer lines", "a\nb", 3, "a\nb"},
		{"exactly h", "a\nb\nc", 3, "a\nb\nc"},
		{"exactly h, trailing newline", "a\nb\nc\n", 3, "a\nb\nc"},
		{"exactly h, trailing newlines", "a\nb\nc\n\n\n", 3, "a\nb\nc"},
		{"h+1 lines", "a\nb\nc\nd", 3, "a\nb\n" + marker},
		{"h+1 lines, trailing newline", "a\nb\nc\nd\n", 3, "a\nb\n" + marker},
		{"many more", strings.Repeat("x\n", 50), 4, "x\nx\nx\n" + marker},
		{"blank lines inside count", "a\n\n\nb", 3, "a\n\n" + marker},
		{"blank lines inside, exactly h", "a\n\nb", 3, "a\n\nb"},
		{"h 1 keeps only the marker", "a\nb", 1, marker},
		{"h 1, one line", "a\n", 1, "a"},
		{"h 0: no cut", "a\nb\nc\n", 0, "a\nb\nc"},
		{"h < 0: no cut", "a\nb\nc\n", -5, "a\nb\nc"},
		{"wide runes", "é\nü\n✓\n…", 2, "é\n" + marker},
		{"carriage returns are content", "a\r\nb\r\nc\r\n", 2, "a\r\n" + marker},
	} {
		if got := FitHeight(c.v, c.h); got != c.want {
			t.Errorf("%s: FitHeight(%q, %d) = %q, want %q", c.name, c.v, c.h, got, c.want)
		}
	}
}
