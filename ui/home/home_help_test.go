package home

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// At 60 columns the hint line has no room for "c collect again" or "p next profile": ? lists
// them, swallows other keys while open, and esc closes it.
func TestHomeQuestionMarkListsTheKeysTheHintLineDrops(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	d, m := openHome(t, f)
	d.Send(tea.WindowSizeMsg{Width: 60, Height: 16})
	hints := lastLine(d.Screen.View())
	if strings.Contains(hints, "collect again") || !strings.Contains(hints, "? all keys") {
		t.Fatalf("at 60 columns the hint line is %q: this test needs a dropped key and ?", hints)
	}

	d.Keys("?")
	if !strings.Contains(d.Screen.View(), "lines below: pgdn") {
		t.Fatalf("at 60x16 the key list should scroll:\n%s", d.Screen.View())
	}
	d.Send(tea.WindowSizeMsg{Width: 60, Height: 40}) // all of it at once
	view := d.Screen.View()
	for _, want := range []string{"collect again", "next profile", "devices", "export", "close this help"} {
		if !strings.Contains(view, want) {
			t.Errorf("? lacks %q:\n%s", want, view)
		}
	}
	d.Keys("d") // would open the device browser: not while the help shows
	if m.Action != "" || !m.showHelp {
		t.Fatalf("a key under the help started %q (help open: %v)", m.Action, m.showHelp)
	}
	d.Keys("esc")
	if m.showHelp || !strings.Contains(lastLine(d.Screen.View()), "? all keys") {
		t.Fatalf("esc did not close the help:\n%s", d.Screen.View())
	}
}

func lastLine(view string) string {
	lines := strings.Split(strings.TrimRight(view, "\n"), "\n")
	return lines[len(lines)-1]
}

// A service account's banners speak of its client secret and its role. Rotating a secret keeps
// the role, so a role that is not Read Only is fixed in the console, not with r.
func TestHomeBannerOfAServiceAccountNamesItsRoleAndSecret(t *testing.T) {
	f := newDay2Fixture(t)
	f.SaveServiceAccount("default", f.Srv.ServiceAccounts.Admin)
	d, _ := openHome(t, f)
	d.Send(tea.WindowSizeMsg{Width: 120, Height: 40})
	view := strings.Join(strings.Fields(d.Screen.View()), " ")
	wantIn(t, view, "This service account is not Read Only: its role is Administrator.",
		"Give the service account the Read", "in Settings ▸ Service Accounts.")
	wantNotIn(t, view, "admin's key", "its admin's role")
}
