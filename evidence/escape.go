package evidence

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Machine output (devices --json/--csv, the bundle's JSON and CSV files) keeps API text as data,
// but a few characters are dangerous even as data: the bidi overrides and isolates (U+202A–U+202E,
// U+2066–U+2069) reorder what a reader sees ("invoice\u202efdp.exe" displays as "invoiceexe.pdf"),
// and the C1 controls (U+0080–U+009F) include CSI (U+009B), which some terminals obey like ESC [.
// encoding/json leaves both raw. They are written as visible \u202e-style escapes: in JSON that is
// the same string to a parser, and in CSV the reader sees that the character was there.
// This is the one escaper for both.

// invisible reports the characters written as \uXXXX escapes.
func invisible(r rune) bool {
	return (r >= 0x80 && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

// EscapeInvisible replaces bidi overrides, isolates and C1 controls in s with \uXXXX text.
func EscapeInvisible(s string) string {
	if strings.IndexFunc(s, invisible) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if invisible(r) {
			fmt.Fprintf(&b, `\u%04x`, r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// EscapeJSON does the same to encoded JSON. Outside strings JSON is ASCII, so every such
// character is inside a string, where \uXXXX is its exact escape: the document decodes to the
// same values.
func EscapeJSON(b []byte) []byte {
	i := 0
	for i < len(b) && !startsInvisible(b[i:]) {
		i++
	}
	if i == len(b) {
		return b
	}
	out := append([]byte(nil), b[:i]...)
	for i < len(b) {
		r, size := utf8.DecodeRune(b[i:])
		if invisible(r) {
			out = fmt.Appendf(out, `\u%04x`, r)
		} else {
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	return out
}

// startsInvisible is a cheap test on the first bytes: C1 controls are C2 80–C2 9F in UTF-8, the
// bidi characters E2 80 AA–AE and E2 81 A6–A9.
func startsInvisible(b []byte) bool {
	if b[0] != 0xc2 && b[0] != 0xe2 {
		return false
	}
	r, _ := utf8.DecodeRune(b)
	return invisible(r)
}
