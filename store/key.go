package store

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The length bounds of a key. JumpCloud keys are 40 hex characters, or "jca_" and about 36
// more; the reference leaves the new format's exact length open, so anything plausible goes to
// the live check, which is the real judge. Shorter is a fragment; longer is something else (a
// whole file, a log) and must not reach the keyring.
const (
	MinKeyLen = 20
	MaxKeyLen = 200
)

// maxSecretLen is far above any client secret or client id: a longer paste is something else
// and must not reach the keyring. (They have no minimum: their formats are not documented.)
const maxSecretLen = 256

// NormalizeKey is the one rule for a key, wherever it comes from (a paste in the wizard or the
// rotation, stdin, JUMPCLOUD_API_KEY, the keyring): surrounding whitespace and newlines are
// trimmed; a key with control characters, inner spaces or non-ASCII characters, or outside the
// length bounds, is refused. Errors say where the problem is, never what the key is. The UI adds
// friendlier diagnoses (a URL, JSON) in front of it, never a different rule.
func NormalizeKey(raw string) (string, error) {
	return normalizeSecret(raw, "key", "a JumpCloud API key", "", MinKeyLen, MaxKeyLen)
}

// NormalizeClientSecret is NormalizeKey for a service account's client secret: the same rules
// (a secret is a key by another name), with messages that say "client secret".
func NormalizeClientSecret(raw string) (string, error) {
	return normalizeSecret(raw, "client secret", "a client secret",
		"Copy the Client Secret again (it is shown once, when generated in Settings ▸ Service Accounts; a lost one cannot be shown again: generate a new one) and paste only the secret.",
		0, maxSecretLen)
}

// NormalizeClientID is the same check for a service account's client id. The id is not secret,
// but it travels in the same HTTP Basic header and is pasted the same way.
func NormalizeClientID(raw string) (string, error) {
	id, err := normalizeSecret(raw, "client id", "a client id",
		"Copy the Client ID again from Settings ▸ Service Accounts and paste only the id.", 0, maxSecretLen)
	if err == nil && strings.Contains(id, ":") {
		return "", &StoreError{Kind: kindInvalidKey, Detail: "the client id contains a colon, which a client id does not",
			fix: "Copy the Client ID again from Settings ▸ Service Accounts and paste only the id."}
	}
	return id, err
}

// normalizeSecret holds the rules of NormalizeKey; what names the value in messages, longest
// names what it is compared to, fix replaces the generic fix ("" keeps it), and the length must
// be within [minLen, maxLen].
func normalizeSecret(raw, what, longest, fix string, minLen, maxLen int) (string, error) {
	key := strings.TrimSpace(raw)
	bad := func(detail string) error { return &StoreError{Kind: kindInvalidKey, Detail: detail, fix: fix} }
	if key == "" {
		return "", bad("the " + what + " is empty: nothing was pasted")
	}
	if !utf8.ValidString(key) {
		return "", bad("the " + what + " is not valid text (it contains broken UTF-8)")
	}
	if len(key) > maxLen {
		return "", bad(fmt.Sprintf("the %s is %d characters long, far longer than %s: check that only the %s was pasted", what, len(key), longest, what))
	}
	pos := 0
	for _, r := range key {
		pos++
		switch {
		case unicode.IsSpace(r):
			return "", bad(fmt.Sprintf("the %s contains a space or line break at character %d: paste only the %s", what, pos, what))
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			// Cf catches zero-width and direction marks that copy-paste from web pages can add.
			return "", bad(fmt.Sprintf("the %s contains an invisible control character (%U) at character %d", what, r, pos))
		case r > unicode.MaxASCII:
			// Keys are ASCII; a non-ASCII character is almost always a "smart" quote or dash.
			return "", bad(fmt.Sprintf("the %s contains a non-ASCII character (%U) at character %d, often a quote added by a word processor", what, r, pos))
		}
	}
	if len(key) < minLen {
		return "", bad(fmt.Sprintf("the %s is only %d characters long: JumpCloud keys are about 40; copy the whole %s", what, len(key), what))
	}
	return key, nil
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
