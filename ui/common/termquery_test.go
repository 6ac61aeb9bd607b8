//go:build unix

package common

import "testing"

func TestParseBackground(t *testing.T) {
	for _, c := range []struct {
		answer   string
		dark, ok bool
	}{
		{"\x1b]11;rgb:0000/0000/0000\x1b\\\x1b[1;1R", true, true},
		{"\x1b]11;rgb:ffff/ffff/ffff\a\x1b[3;7R", false, true},
		{"\x1b]11;rgb:fd/f6/e3\x1b\\", false, true},
		{"\x1b[1;1R", true, false}, // OSC 11 ignored: only the cursor answer came
		{"", true, false},          // no answer at all
		{"\x1b]11;rgb:zz/00/00\x1b\\", true, false},
	} {
		dark, ok := parseBackground(c.answer)
		if dark != c.dark || ok != c.ok {
			t.Errorf("%q: dark %v ok %v, want %v %v", c.answer, dark, ok, c.dark, c.ok)
		}
	}
}
