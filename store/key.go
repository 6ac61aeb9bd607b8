package store

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxKeyLen is far above any JumpCloud key (40 hex characters, or "jca_" and about 36 more): a
// longer paste is something else (a whole file, a log) and must not reach the keyring.
const maxKeyLen = 256

// NormalizeKey trims surrounding whitespace and newlines, and refuses keys containing control
// characters or inner spaces. Errors say where the problem is, never what the key is.
func NormalizeKey(raw string) (string, error) {
	key := strings.TrimSpace(raw)
	if key == "" {
		return "", invalidKey("the key is empty: nothing was pasted")
	}
	if !utf8.ValidString(key) {
		return "", invalidKey("the key is not valid text (it contains broken UTF-8)")
	}
	if len(key) > maxKeyLen {
		return "", invalidKey(fmt.Sprintf("the key is %d characters long, far longer than a JumpCloud API key: check that only the key was pasted", len(key)))
	}
	pos := 0
	for _, r := range key {
		pos++
		switch {
		case unicode.IsSpace(r):
			return "", invalidKey(fmt.Sprintf("the key contains a space or line break at character %d: paste only the key", pos))
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			// Cf catches zero-width and direction marks that copy-paste from web pages can add.
			return "", invalidKey(fmt.Sprintf("the key contains an invisible control character (%U) at character %d", r, pos))
		case r > unicode.MaxASCII:
			// Keys are ASCII; a non-ASCII character is almost always a "smart" quote or dash.
			return "", invalidKey(fmt.Sprintf("the key contains a non-ASCII character (%U) at character %d, often a quote added by a word processor", r, pos))
		}
	}
	return key, nil
}

func invalidKey(detail string) error {
	return &StoreError{Kind: kindInvalidKey, Detail: detail}
}

// Mask shows a key as "jca_…9f2c" (prefix when jca_, and the last 4). Keys too short to spare four
// characters show as "…" only.
func Mask(key string) string {
	key = strings.TrimSpace(key)
	if key == "" {
		return ""
	}
	prefix := ""
	if strings.HasPrefix(key, "jca_") {
		prefix = "jca_"
	}
	if len(key)-len(prefix) < 12 {
		return prefix + "…"
	}
	return prefix + "…" + key[len(key)-4:]
}

// Last4 is the key's last four characters, recorded in the metadata to help the user recognise
// the key in the JumpCloud console ("" for keys too short to spare them).
func Last4(key string) string {
	m := Mask(key)
	if i := strings.LastIndex(m, "…"); i >= 0 {
		return m[i+len("…"):]
	}
	return ""
}

// Fingerprint is a short, non-reversible identifier of a key (first 12 hex of SHA-256), safe to
// print, store and export. The store compares it to tell which key the keyring holds.
func Fingerprint(key string) string {
	if key == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])[:12]
}
