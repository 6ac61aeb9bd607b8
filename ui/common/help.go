package common

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/x/ansi"
)

// HelpLine is the one line of key hints under a screen: the keys in the order given (most
// important first), as many as fit in width, always ending with "? all keys" when more exists.
// Nothing is cut mid-word: a key that does not fit is left to the full help (?).
func HelpLine(s Styles, width int, all key.Binding, bindings ...key.Binding) string {
	const sep = " • "
	tail := hint(s, all)
	var parts []string
	used := ansi.StringWidth(tail)
	for _, b := range bindings {
		if !b.Enabled() || b.Help().Key == "" {
			continue
		}
		h := hint(s, b)
		w := ansi.StringWidth(h) + ansi.StringWidth(sep)
		if used+w > width {
			continue // a shorter key further on may still fit
		}
		parts = append(parts, h)
		used += w
	}
	return strings.Join(append(parts, tail), s.Help.Render(sep))
}

func hint(s Styles, b key.Binding) string {
	return s.Key.Render(b.Help().Key) + " " + s.Help.Render(b.Help().Desc)
}

// FullHelpView lists every key of a screen, one per line, in groups with a heading each: what
// ? shows. Groups with no enabled key are left out.
func FullHelpView(s Styles, width int, groups ...HelpGroup) string {
	keyW := 0
	for _, g := range groups {
		for _, b := range g.Keys {
			keyW = max(keyW, ansi.StringWidth(b.Help().Key))
		}
	}
	var b strings.Builder
	for _, g := range groups {
		var rows []string
		for _, k := range g.Keys {
			if !k.Enabled() || k.Help().Key == "" {
				continue
			}
			prefix := "  " + s.Key.Render(k.Help().Key) + strings.Repeat(" ", keyW-ansi.StringWidth(k.Help().Key)+2)
			rows = append(rows, Hang(prefix, k.Help().Desc, width))
		}
		if len(rows) == 0 {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		b.WriteString(s.Subtitle.Render(g.Title) + "\n" + strings.Join(rows, "\n") + "\n")
	}
	return b.String()
}

// HelpGroup is a heading and its keys in the full help.
type HelpGroup struct {
	Title string
	Keys  []key.Binding
}
