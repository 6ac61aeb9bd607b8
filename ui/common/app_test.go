package common

import (
	"strings"
	"testing"
)

var fitSink string

func TestFitHeightOfAViewThatFitsAllocatesNothing(t *testing.T) {
	for _, v := range []string{
		strings.Repeat("row\n", 50),                           // exactly 50 lines, a trailing newline
		strings.TrimSuffix(strings.Repeat("row\n", 50), "\n"), // exactly 50, none
		strings.Repeat("row\n", 10) + "\n\n",                  // fewer, blank lines after
		"",
	} {
		if allocs := testing.AllocsPerRun(100, func() { fitSink = FitHeight(v, 50) }); allocs != 0 {
			t.Errorf("FitHeight of %d bytes in 50 lines: %v allocations, want 0", len(v), allocs)
		}
	}
}

// FitHeight's cut, pinned as it was before it stopped splitting: trailing newlines dropped, a view
// of more than h lines cut to its first h-1 and the marker, no cut for h <= 0.
func TestFitHeightCutsExactlyAsBefore(t *testing.T) {
	const marker = "… (make the window taller to see the rest)"
	for _, c := range []struct {
		name string
		v    string
		h    int
		want string
	}{
		{"empty", "", 3, ""},
		{"only newlines", "\n\n\n\n", 2, ""},
		{"fewer lines", "a\nb", 3, "a\nb"},
		{"exactly h", "a\nb\nc", 3, "a\nb\nc"},
		{"exactly h, trailing newline", "a\nb\nc\n", 3, "a\nb\nc"},
		{"exactly h, trailing newlines", "a\nb\nc\n\n\n", 3, "a\nb\nc"},
		{"h+1 lines", "a\nb\nc\nd", 3, "a\nb\n" + marker},
		{"h+1 lines, trailing newline", "a\nb\nc\nd\n", 3, "a\nb\n" + marker},
		{"many more", strings.Repeat("x\n", 50), 4, "x\nx\nx\n" + marker},
		{"blank lines inside count", "a\n\n\nb", 3, "a\n\n" + marker},
		{"blank lines inside, exactly h", "a\n\nb", 3, "a\n\nb"},
		{"h 1 keeps only the marker", "a\nb", 1, marker},
		{"h 1, one line", "a\n", 1, "a"},
		{"h 0: no cut", "a\nb\nc\n", 0, "a\nb\nc"},
		{"h < 0: no cut", "a\nb\nc\n", -5, "a\nb\nc"},
		{"wide runes", "é\nü\n✓\n…", 2, "é\n" + marker},
		{"carriage returns are content", "a\r\nb\r\nc\r\n", 2, "a\r\n" + marker},
	} {
		if got := FitHeight(c.v, c.h); got != c.want {
			t.Errorf("%s: FitHeight(%q, %d) = %q, want %q", c.name, c.v, c.h, got, c.want)
		}
	}
}
