package store

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Keys used in tests: shaped like JumpCloud's, obviously fake.
const (
	testKeyOld = "jca_0ld0ld0ld0ld0ld0ld0ld0ld0ld0ld0ld0111"
	testKeyNew = "jca_n3wn3wn3wn3wn3wn3wn3wn3wn3wn3wn3w2222"
)

type env map[string]string

func (e env) get(k string) string { return e[k] }

// newTestStore opens a Store on a fresh folder and a Memory keyring, with an empty environment.
func newTestStore(t *testing.T) (*Store, *Memory, env) {
	t.Helper()
	mem := newMemory()
	e := env{}
	s, err := Open(Options{Keyring: mem, Dir: filepath.Join(t.TempDir(), "jcconnect"), Getenv: e.get})
	if err != nil {
		t.Fatal(err)
	}
	return s, mem, e
}

func testProfile(name string) Profile {
	verified := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	return Profile{Name: name, Region: "us", OrgID: "5f0c1e2d3a4b5c6d7e8f9a0b", OrgName: "Acme Ltd",
		Integrations: Integrations{EndpointManagement: true, SSO: true},
		OwnerEmail:   "readonly@acme.example", Role: "Read Only", VerifiedAt: &verified}
}

// assertKind checks the typed outcome and that it carries a fix.
func assertKind(t *testing.T, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("error = %v; want %v", err, want)
	}
	if Fix(err) == "" {
		t.Fatalf("error %v has no Fix", err)
	}
}

// assertNoSecret checks that no test key leaks into a message or a file.
func assertNoSecret(t *testing.T, where, text string) {
	t.Helper()
	for _, k := range []string{testKeyOld, testKeyNew} {
		if strings.Contains(text, k) || strings.Contains(text, k[4:20]) {
			t.Fatalf("%s contains a key: %q", where, text)
		}
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
