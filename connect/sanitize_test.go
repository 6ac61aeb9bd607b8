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
