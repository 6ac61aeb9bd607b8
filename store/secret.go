package store

import (
	"errors"
	"fmt"
	"io"
)

// Secret is an API key or a service account's client secret that has passed the one rule
// (NormalizeKey, NormalizeClientSecret): outside this package it is made only by NewKey and
// NewClientSecret. It is masked, last-4'd and fingerprinted by its own methods, and printing
// it in any way (%s, %v, %#v, %q, a log line, an error) shows the mask, never the secret.
// Reveal is the one way to the raw value: for the HTTP header and the keyring, nothing else.
type Secret struct{ v string }

// NewKey is an API key checked by NormalizeKey.
func NewKey(raw string) (Secret, error) {
	k, err := NormalizeKey(raw)
	return Secret{k}, err
}

// NewClientSecret is a client secret checked by NormalizeClientSecret.
func NewClientSecret(raw string) (Secret, error) {
	k, err := NormalizeClientSecret(raw)
	return Secret{k}, err
}

// MustSecret is NewKey, or NewClientSecret for a service account's secret, for a value known
// to pass (a test's sandbox key, a fixed placeholder): it panics when the rule refuses it, as
// regexp.MustCompile does.
func MustSecret(raw string, serviceAccount bool) Secret {
	s, err := NewKey(raw)
	if serviceAccount {
		s, err = NewClientSecret(raw)
	}
	if err != nil {
		panic(err)
	}
	return s
}

// Reveal is the raw secret, for the request header and the keyring only.
func (s Secret) Reveal() string { return s.v }

// IsZero reports whether there is no secret.
func (s Secret) IsZero() bool { return s.v == "" }

// Equal reports whether s and o are the same secret.
func (s Secret) Equal(o Secret) bool { return s.v == o.v }

// Mask is the secret as "jca_…9f2c" (Mask).
func (s Secret) Mask() string { return Mask(s.v) }

// Last4 is the secret's last four characters (Last4).
func (s Secret) Last4() string { return Last4(s.v) }

// Fingerprint is the secret's short, non-reversible identifier (Fingerprint).
func (s Secret) Fingerprint() string { return Fingerprint(s.v) }

// String, GoString and Format print the mask, so a secret that reaches a format string, a log
// or a test failure shows what Mask shows.
func (s Secret) String() string   { return s.Mask() }
func (s Secret) GoString() string { return "store.Secret(" + s.Mask() + ")" }
func (s Secret) Format(f fmt.State, verb rune) {
	if verb == 'q' {
		fmt.Fprintf(f, "%q", s.Mask())
		return
	}
	_, _ = io.WriteString(f, s.Mask())
}

// errSecretNotEncoded: a secret is never written to JSON or text (a profile records its
// fingerprint and last 4 characters instead).
var errSecretNotEncoded = errors.New("store: a secret is never encoded; record its Fingerprint or Last4")

func (s Secret) MarshalText() ([]byte, error) { return nil, errSecretNotEncoded }
