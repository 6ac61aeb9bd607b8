package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// A Secret is made only through the one rule, and however it is printed (a format verb, a
// wrapped error, a struct in a test failure, JSON) shows its mask, never itself.
func TestSecretPrintsOnlyItsMask(t *testing.T) {
	raw := "jca_" + strings.Repeat("Ab3", 12)
	k, err := NewKey("  " + raw + "\n")
	if err != nil {
		t.Fatal(err)
	}
	if k.Reveal() != raw || k.Mask() != Mask(raw) || k.Last4() != Last4(raw) || k.Fingerprint() != Fingerprint(raw) {
		t.Fatalf("mask %q, last 4 %q, fingerprint %q: not the one masker and fingerprint", k.Mask(), k.Last4(), k.Fingerprint())
	}
	holder := struct {
		Name string
		Key  Secret
	}{"p", k}
	printed := []string{
		fmt.Sprint(k), fmt.Sprintf("%s %v %+v %#v %q %x %d", k, k, k, k, k, k, k),
		fmt.Sprintf("%v %+v %#v", holder, holder, &holder),
		fmt.Errorf("verify %v: %w", k, errors.New("refused")).Error(),
	}
	for _, p := range printed {
		if strings.Contains(p, raw) || strings.Contains(p, raw[4:16]) {
			t.Fatalf("the secret was printed: %s", p)
		}
		if !strings.Contains(p, k.Mask()) {
			t.Errorf("no mask in %q", p)
		}
	}
	if b, err := json.Marshal(holder); err == nil || strings.Contains(string(b), raw) {
		t.Errorf("a secret was encoded to JSON: %s (%v)", b, err)
	}
}

func TestSecretConstructorsApplyTheRule(t *testing.T) {
	for _, raw := range []string{"", "short", "jca_abc def" + strings.Repeat("x", 20), "jca_\u201c" + strings.Repeat("x", 30)} {
		if s, err := NewKey(raw); err == nil || !s.IsZero() {
			t.Errorf("NewKey(%q) accepted", raw)
		}
	}
	// A client secret has no documented minimum; a key has.
	if _, err := NewClientSecret("s3cr3t"); err != nil {
		t.Errorf("a short client secret: %v", err)
	}
	if _, err := NewKey("s3cr3t"); err == nil {
		t.Error("a 6-character key was accepted")
	}
	a, b := MustSecret("jca_"+strings.Repeat("a", 36), false), MustSecret("jca_"+strings.Repeat("a", 36), false)
	if !a.Equal(b) || a.Equal(Secret{}) {
		t.Error("Equal")
	}
	defer func() {
		if recover() == nil {
			t.Error("MustSecret accepted a value the rule refuses")
		}
	}()
	MustSecret("no", false)
}
