package common

import (
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

func TestWrapHangsListItemsAndRowsUnderTheirText(t *testing.T) {
	in := "  [ ] 1. Sign in as an Administrator with Billing; open Settings ▸ Administrators tab\n" +
		"  Devices            24 (Linux 1, Windows 7, iPadOS 1, macOS 15): 2 compliant, 19 failing"
	got := Wrap(in, 60)
	want := "  [ ] 1. Sign in as an Administrator with Billing; open\n" +
		"         Settings ▸ Administrators tab\n" +
		"  Devices            24 (Linux 1, Windows 7, iPadOS 1, macOS\n" +
		"                     15): 2 compliant, 19 failing"
	if got != want {
		t.Fatalf("Wrap:\n%s\nwant:\n%s", got, want)
	}
}

func TestWrapKeepsStylesAndLeavesFittingLinesAlone(t *testing.T) {
	styled := "\x1b[31mThe key could not be stored because the keyring is locked; unlock it and press r.\x1b[0m"
	got := Wrap(styled, 40)
	if ansi.Strip(got) != "The key could not be stored because the\nkeyring is locked; unlock it and press\nr." {
		t.Fatalf("Wrap lost words or wrapped badly:\n%s", ansi.Strip(got))
	}
	if !strings.Contains(got, "\x1b[") {
		t.Fatal("Wrap dropped the style")
	}
	short := "fits\n  [x] also fits"
	if Wrap(short, 40) != short {
		t.Fatal("Wrap changed lines that fit")
	}
}

func TestHangPutsTheTextUnderThePrefixWhenNoRoomIsLeft(t *testing.T) {
	got := Hang("✓ A very long check name here  ", "detail that goes on", 40)
	if got != "✓ A very long check name here\n    detail that goes on" {
		t.Fatalf("Hang = %q", got)
	}
}

func TestScrollKeepsTheFocusLineInViewAndPages(t *testing.T) {
	var lines []string
	for i := range 30 {
		l := "line " + string(rune('a'+i%26))
		if i == 25 {
			l = Focus + "> cursor"
		}
		lines = append(lines, l)
	}
	sc := NewScroll()
	view, more := sc.Frame(strings.Join(lines, "\n"), 40, 10)
	if !strings.Contains(view, "> cursor") || strings.Contains(view, Focus) {
		t.Fatalf("the focus line is not in view (or its mark leaked):\n%s", view)
	}
	if strings.Count(view, "\n") != 9 || more != "↑ 17 lines above, ↓ 3 below: pgup/pgdn" {
		t.Fatalf("view %d lines, note %q", strings.Count(view, "\n")+1, more)
	}
	// pgup moves away from the focus, and the next frame (same focus) stays where the user went.
	if !sc.Update(tea.KeyMsg{Type: tea.KeyPgUp}) {
		t.Fatal("pgup not handled")
	}
	view, _ = sc.Frame(strings.Join(lines, "\n"), 40, 10)
	if strings.Contains(view, "> cursor") || !strings.HasPrefix(view, "line h") {
		t.Fatalf("pgup did not scroll up:\n%s", view)
	}
	// Short content: no note, nothing cut.
	if v, more := sc.Frame("a\nb", 40, 10); v != "a\nb" || more != "" {
		t.Fatalf("short content: %q %q", v, more)
	}
}

func TestHelpLineFitsAndAlwaysOffersAllKeys(t *testing.T) {
	s := NewStyles(true)
	all := key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "all keys"))
	b := func(k, d string) key.Binding { return key.NewBinding(key.WithKeys(k), key.WithHelp(k, d)) }
	line := HelpLine(s, 40, all, b("enter", "continue"), b("b", "go back and create a Read Only admin"), b("esc", "back"))
	if ansi.StringWidth(line) > 40 || !strings.HasSuffix(line, "? all keys") ||
		!strings.Contains(line, "enter continue") || !strings.Contains(line, "esc back") || strings.Contains(line, "go back") {
		t.Fatalf("HelpLine = %q", line)
	}
}
