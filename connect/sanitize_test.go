package connect

import (
	"testing"
)

func TestCleanRemovesEscapesAndControls(t *testing.T) {
	cases := map[string]string{
		"mbp-jane":                       "mbp-jane",
		"evil\x1b]52;c;aGVsbG8=\x07host": "evilhost",
		"red\x1b[31mtext\x1b[0m":         "redtext",
		"bell\x07name":                   "bell?name",
		"tab\there\nnext":                "tab here next",
		"bidi\u202eexe.txt":              "bidi?exe.txt",
		"café-ПК":                        "café-ПК",
		"\x1bP+q544e\x1b\\dcs":           "dcs",
		"nul\x00byte":                    "nul?byte",
	}
	for in, want := range cases {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}

// Clean's shortcut for printable ASCII changes nothing: it gives what the whole cleaning gives,
// for any text.
func FuzzCleanShortcutIsTheWholeCleaning(f *testing.F) {
	for _, s := range []string{"", "ada-MacBook-Pro", "a\x1b[31mred", "tab\there", "~\x7f", " !~", "é", "\u202e", "x\x9b2J"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Clean(s), cleanAll(s); got != want {
			t.Errorf("Clean(%q) = %q, the whole cleaning gives %q", s, got, want)
		}
	})
}
