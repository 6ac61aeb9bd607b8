package browser

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"jcconnect/evidence"
	"jcconnect/jumpcloud"
)

// colourBrowser is devBrowser with the styles the table draws with in colour, so that the
// selected row's escape codes are drawn as a terminal would get them.
func colourBrowser(t *testing.T, snap *evidence.Snapshot, w, h int) *Browser {
	t.Helper()
	b := devBrowser(t, snap, w, h)
	r := lipgloss.NewRenderer(nil)
	r.SetColorProfile(termenv.TrueColor)
	s := &b.Styles
	for _, st := range []*lipgloss.Style{&s.Selected, &s.Title, &s.Muted, &s.Header, &s.OK, &s.Bad, &s.Warn, &s.Key, &s.Help} {
		*st = st.Renderer(r)
	}
	if !strings.Contains(s.Selected.Render("x"), "\x1b[") {
		t.Fatal("the selected style draws no colour: the test would not see its escape codes")
	}
	return b
}

// freshView is the screen drawn with nothing kept from earlier draws.
func freshView(b *Browser) string {
	kept := b.frame
	b.frame = frame{}
	v := b.View()
	b.frame = kept
	return v
}

// The parts of the screen View keeps between draws (layout, title, status, header, hints,
// message, the selected style's codes) are never stale: after every kind of change the screen
// is the one drawn from scratch.
func TestViewKeepsNothingStale(t *testing.T) {
	b := colourBrowser(t, devSnapshot(120), 160, 30)
	check := func(what string) {
		t.Helper()
		if got, want := b.View(), freshView(b); got != want {
			t.Fatalf("after %s the screen differs from one drawn afresh:\n%s\nafresh:\n%s", what, got, want)
		}
	}
	check("the first draw")
	for _, step := range []struct {
		what string
		do   func()
	}{
		{"a move", func() { press(t, b, "down", "down") }},
		{"a page", func() { press(t, b, "pgdown") }},
		{"a resize narrower", func() { b.Update(tea.WindowSizeMsg{Width: 90, Height: 20}) }},
		{"a resize wider", func() { b.Update(tea.WindowSizeMsg{Width: 200, Height: 44}) }},
		{"a sort", func() { press(t, b, "s") }},
		{"a reversed sort", func() { press(t, b, "S") }},
		{"a filter being typed", func() { press(t, b, "/", "h", "o") }},
		{"a filter kept", func() { press(t, b, "enter") }},
		{"failing only", func() { press(t, b, "f") }},
		{"stale only", func() { press(t, b, "t") }},
		{"the filters cleared", func() { press(t, b, "esc") }},
		{"the users tab", func() { press(t, b, "tab") }},
		{"the devices tab", func() { press(t, b, "tab") }},
		{"a message", func() { b.setMessage("Exported 9 files", false) }},
		{"an error message", func() { b.setMessage("Export failed: disk full", true) }},
		{"no message", func() { b.setMessage("", false) }},
	} {
		step.do()
		check(step.what)
	}
}

// When a collection brings new data (the early table's statuses filled in, a refresh), the
// screen shows it at once: the kept title, status and rows are the new snapshot's.
func TestViewShowsTheDataFilledIn(t *testing.T) {
	early := devSnapshot(60)
	for i := range early.Sources {
		if early.Sources[i].Source == string(jumpcloud.SourcePolicyResults) {
			early.Sources[i].State = evidence.StateReading
		}
	}
	b := colourBrowser(t, early, 160, 30)
	b.collecting, b.collectGen = true, 1
	press(t, b, "down", "s")
	before := b.View()

	final := devSnapshot(80)
	final.OrgName = "Acme Filled"
	rep := evidence.Evaluate(final, b.thresholds)
	kept := evidence.Keep(final, rep)
	b.Update(collectDoneMsg{Gen: 1, snap: kept.Snapshot(), kept: keptReport{collection: kept}, tabs: buildTabs(sharedReport(rep), b.tabs, devNow)})
	after := b.View()
	if after == before {
		t.Fatal("the screen did not change with the new snapshot")
	}
	if got, want := after, freshView(b); got != want {
		t.Fatalf("after the fill-in the screen differs from one drawn afresh:\n%s\nafresh:\n%s", got, want)
	}
	for _, want := range []string{"Acme Filled", "80 devices", "80 of 80"} {
		if !strings.Contains(plain(b), want) {
			t.Errorf("the filled-in screen does not show %q:\n%s", want, plain(b))
		}
	}
}

// A move or page key draws the screen into the kept buffer: the screen's string is its one
// allocation, so a key press neither starts a garbage collection nor is made to assist one.
func TestMoveKeysAllocateOnlyTheScreen(t *testing.T) {
	b := colourBrowser(t, devSnapshot(3000), 160, 50)
	for _, k := range []tea.KeyMsg{{Type: tea.KeyDown}, {Type: tea.KeyUp}, {Type: tea.KeyPgDown}, {Type: tea.KeyPgUp}} {
		b.Update(k)
		_ = b.View() // the first draw keeps what later ones reuse
		if n := testing.AllocsPerRun(200, func() {
			b.Update(k)
			_ = b.View()
		}); n != 1 {
			t.Errorf("%s: %v allocations per key press, want 1 (the screen)", k, n)
		}
	}
}
