package connect

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"jcconnect/store"
)

// Reasons a pasted value is not a key. They say what to do next and never quote the value.
var (
	ErrKeyEmpty     = errors.New("paste the API key first (copy it from My API Key in the JumpCloud console)")
	ErrKeyTooShort  = errors.New("that is too short to be an API key: JumpCloud keys are about 40 characters (jca_… or 40 letters and digits); copy the whole key")
	ErrKeyTooLong   = errors.New("that is too long to be an API key: did you paste more than the key? Copy only the key")
	ErrKeySpaces    = errors.New("there are spaces inside: a key is one word; copy it again without the text around it")
	ErrKeyURL       = errors.New("that is a web address, not a key: open My API Key in the console and copy the key itself")
	ErrKeyJSON      = errors.New("that looks like JSON, not a key: copy only the key value")
	ErrKeyControl   = errors.New("the text contains control characters, so it is not just the key: copy the key again")
	ErrKeyBadSymbol = errors.New("that contains quotes or brackets, so it is not just the key: copy only the key")
)

// CheckKeyShape trims surrounding whitespace and refuses obvious non-keys with the reason: the
// UI's friendlier diagnoses (a web address, JSON, a sentence) first, then the one rule every
// key obeys (store.NormalizeKey), so nothing the wizard accepts is refused by the keyring later.
// It accepts jca_-prefixed keys and legacy 40-character keys; anything else of a plausible shape
// is accepted too (the live verification decides), see LooksLikeJumpCloudKey for a softer hint.
func CheckKeyShape(raw string) (store.Secret, error) {
	k := strings.TrimSpace(raw)
	switch {
	case k == "":
		return store.Secret{}, ErrKeyEmpty
	case strings.IndexFunc(k, unicode.IsControl) >= 0:
		return store.Secret{}, ErrKeyControl
	case strings.HasPrefix(k, "{") || strings.HasPrefix(k, "["):
		return store.Secret{}, ErrKeyJSON
	case strings.Contains(k, "://") || strings.HasPrefix(strings.ToLower(k), "www."):
		return store.Secret{}, ErrKeyURL
	case strings.IndexFunc(k, unicode.IsSpace) >= 0:
		return store.Secret{}, ErrKeySpaces
	case strings.ContainsAny(k, "\"'`<>{}[]"):
		return store.Secret{}, ErrKeyBadSymbol
	case len(k) < store.MinKeyLen:
		return store.Secret{}, ErrKeyTooShort
	case len(k) > store.MaxKeyLen:
		return store.Secret{}, ErrKeyTooLong
	}
	return store.NewKey(k)
}

// LooksLikeJumpCloudKey reports whether k has a known key format: jca_ followed by letters and
// digits, or 40 letters and digits (legacy keys).
func LooksLikeJumpCloudKey(key store.Secret) bool {
	k := key.Reveal() // read here, never shown
	alnum := func(s string) bool {
		for _, c := range s {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
				return false
			}
		}
		return s != ""
	}
	if rest, ok := strings.CutPrefix(k, "jca_"); ok {
		return alnum(rest)
	}
	return len(k) == 40 && alnum(k)
}

// MaxKeyInput bounds what any face reads for a key (and for any answer): a key is about 40
// bytes; more means the wrong file was piped in.
const MaxKeyInput = 4096

// What a face's key read can end with, besides the key: the person canceled (ctrl+c), or gave
// more than a key can be.
var (
	ErrCanceled     = errors.New("canceled")
	ErrInputTooLong = fmt.Errorf("more than %d bytes were given: that is not an API key; give the key alone", MaxKeyInput)
)
