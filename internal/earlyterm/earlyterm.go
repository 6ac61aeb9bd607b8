// Package earlyterm stops the terminal colour query that bubbletea v1 makes in its package init
// (tea_init.go calls lipgloss.HasDarkBackground). On a terminal that never answers, that query
// stalled every command, even `jcconnect --help`, for termenv's 5 s timeout, and it wrote
// ESC]11;? and ESC[6n to output that was not a screen at all.
//
// It is a module of its own with a path that sorts before "github.com/...": the Go spec
// (since 1.21) initialises packages in import-path order whenever their imports allow, so this
// init runs after lipgloss and termenv and before bubbletea. A package inside jcconnect
// ("jcconnect/...") would run too late. main imports it for its side effect only.
//
// After this, nothing asks the terminal at start. ui/common asks once, with a short timeout of
// its own, only when it is about to draw the TUI in colour (common.NewCommon).
package earlyterm

import "github.com/charmbracelet/lipgloss"

func init() {
	// An explicit background means the default renderer never queries; dark is lipgloss's own
	// fallback when a terminal does not answer.
	lipgloss.SetHasDarkBackground(true)
}
