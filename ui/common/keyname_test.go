package common

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// KeyNames gives every key the name tea.Key.String gives it (what key.Matches compares), the
// second time from what it kept for a special key: without an allocation.
func TestKeyNamesNameKeysAsBubbletea(t *testing.T) {
	var names KeyNames
	for _, k := range []tea.KeyMsg{
		{Type: tea.KeyDown}, {Type: tea.KeyPgUp}, {Type: tea.KeyCtrlC}, {Type: tea.KeyEsc},
		{Type: tea.KeyShiftTab}, {Type: tea.KeyDown, Alt: true}, {Type: tea.KeyRunes, Runes: []rune("j")},
		{Type: tea.KeyRunes, Runes: []rune("q"), Alt: true}, {Type: tea.KeyRunes, Runes: []rune("ctrl+c"), Paste: true},
	} {
		for range 2 {
			if got := names.Of(k); string(got) != k.String() || got.String() != k.String() {
				t.Errorf("%#v named %q, bubbletea names it %q", k, got, k.String())
			}
		}
	}
	down := tea.KeyMsg{Type: tea.KeyDown}
	if allocs := testing.AllocsPerRun(100, func() { _ = names.Of(down) }); allocs != 0 {
		t.Errorf("naming down again: %v allocations, want 0", allocs)
	}
}
