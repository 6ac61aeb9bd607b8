package connect

import (
	"net/url"
	"strings"
	"unicode"

	"github.com/charmbracelet/x/ansi"
)

// Clean makes text from the API safe to draw: escape sequences (CSI, OSC such as
// "\x1b]52;" clipboard writes, DCS) are removed, and every other control or format character
// (including bidi overrides) becomes a visible "?" so a hostname cannot rewrite the screen or
// hide what it is. Tabs and newlines become spaces: one field, one line.
func Clean(s string) string {
	if printableASCII(s) {
		return s // nothing to strip or replace: most names, and the browser cleans 10,000s of them
	}
	return cleanAll(s)
}

// cleanAll is Clean without its shortcut.
func cleanAll(s string) string {
	s = ansi.Strip(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteByte(' ')
		case r == unicode.ReplacementChar:
			b.WriteRune('?')
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			b.WriteRune('?')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// printableASCII: every byte is a printable ASCII character (space to '~'), which Clean keeps
// as it is: no escape sequence starts without ESC or a C1 byte, and none is a control.
func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

// RedactURL is a base URL as it may be shown: without a user name or password (a password typed
// into --base-url must not be echoed), query or fragment. What cannot be parsed is not shown.
func RedactURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Host == "" && u.Opaque == "") {
		return "the given base URL"
	}
	u.User, u.RawQuery, u.Fragment, u.ForceQuery = nil, "", "", false
	if u.Opaque != "" {
		return u.Scheme + ":…"
	}
	return u.String()
}
