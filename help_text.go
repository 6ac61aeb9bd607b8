// Help texts built from the glossary, so `setup --help` says what the wizard says.

package main

import (
	"strings"
	"unicode/utf8"

	"jcconnect/glossary"
)

// helpWidth is the width --help paragraphs are wrapped to (cobra prints Long as it is).
const helpWidth = 96

// setupTroubleshooting is the console troubleshooting of `setup --help`: the glossary's
// paragraphs, wrapped.
var setupTroubleshooting = "In the JumpCloud console:\n" + helpParagraphs(glossary.ConsoleTroubleshooting()...)

// helpParagraphs wraps each paragraph to helpWidth with a two-space indent, a blank line between.
func helpParagraphs(paras ...string) string {
	out := make([]string, len(paras))
	for i, p := range paras {
		out[i] = "  " + strings.Join(wrapWords(p, helpWidth-2), "\n  ")
	}
	return strings.Join(out, "\n\n")
}

// wrapWords breaks text into lines of at most width columns at spaces only (never inside a flag
// such as --org-id); a longer word gets a line of its own.
func wrapWords(text string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		switch {
		case line == "":
			line = w
		case utf8.RuneCountInString(line)+1+utf8.RuneCountInString(w) > width:
			lines = append(lines, line)
			line = w
		default:
			line += " " + w
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}
