package store

import (
	"strings"
	"testing"
)

func TestNormalizeKeyTrimsSurroundingWhitespace(t *testing.T) {
	for _, raw := range []string{testKeyOld + "\n", "  " + testKeyOld + "\r\n", "\t" + testKeyOld + " "} {
		got, err := NormalizeKey(raw)
		if err != nil || got != testKeyOld {
			t.Errorf("NormalizeKey(%q) = %q, %v; want the trimmed key", raw, got, err)
		}
	}
}

func TestNormalizeKeyRefusesBadKeysWithoutEchoingThem(t *testing.T) {
	cases := map[string]struct{ raw, mention string }{
		"empty":          {"  \n", "empty"},
		"inner space":    {"jca_0ld0ld0 ld0ld0ld0ld", "space"},
		"inner newline":  {"jca_0ld0ld0\nld0ld0ld0ld", "line break"},
		"escape":         {"jca_0ld0ld0\x1b[31mld0ld0", "control character (U+001B)"},
		"NUL":            {"jca_0ld0ld0\x00ld0ld0", "control character (U+0000)"},
		"zero width":     {"jca_0ld0ld0\u200bld0ld0", "U+200B"},
		"smart quote":    {"\u201cjca_0ld0ld0ld0ld0\u201d", "non-ASCII"},
		"broken utf8":    {"jca_0ld\xff0ld0", "UTF-8"},
		"a whole file":   {strings.Repeat("a", 300), "far longer"},
		"DEL":            {"jca_0ld0ld0\x7fld0ld0", "U+007F"},
		"tab in between": {"jca_0ld0ld0\tld0ld0", "space"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := NormalizeKey(c.raw)
			assertKind(t, err, ErrInvalidKey)
			if !strings.Contains(err.Error(), c.mention) {
				t.Errorf("message %q does not mention %q", err, c.mention)
			}
			if len(c.raw) > 8 && strings.Contains(err.Error(), strings.TrimSpace(c.raw)[:8]) {
				t.Errorf("message %q echoes the key", err)
			}
		})
	}
}

func TestMask(t *testing.T) {
	cases := map[string]string{
		testKeyOld: "jca_…0111",
		"0123456789abcdef0123456789abcdef01239f2c": "…9f2c",
		"":                      "",
		"short":                 "…",
		"jca_tiny":              "jca_…",
		" " + testKeyNew + "\n": "jca_…2222",
	}
	for key, want := range cases {
		if got := Mask(key); got != want {
			t.Errorf("Mask(%q) = %q; want %q", key, got, want)
		}
	}
	if Last4(testKeyNew) != "2222" || Last4("short") != "" {
		t.Errorf("Last4 = %q, %q", Last4(testKeyNew), Last4("short"))
	}
}

func TestFingerprintIsShortStableAndDistinct(t *testing.T) {
	a, b := Fingerprint(testKeyOld), Fingerprint(testKeyNew)
	if len(a) != 12 || strings.Trim(a, "0123456789abcdef") != "" {
		t.Fatalf("Fingerprint = %q; want 12 hex characters", a)
	}
	if a == b || a != Fingerprint(testKeyOld) {
		t.Fatalf("fingerprints not distinct/stable: %q %q", a, b)
	}
	// SHA-256("abc") starts with ba7816bf8f01.
	if got := Fingerprint("abc"); got != "ba7816bf8f01" {
		t.Fatalf("Fingerprint(abc) = %q", got)
	}
	if Fingerprint("") != "" {
		t.Fatal("an empty key has no fingerprint")
	}
}
