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
	if s == "" {
		return s
	}
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
