package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"jcconnect/glossary"
)

func helpOf(t *testing.T, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	if code := run(append(args, "--help"), strings.NewReader(""), &out, &errOut); code != 0 {
		t.Fatalf("%v --help: exit %d: %s", args, code, errOut.String())
	}
	return out.String()
}

// Every command that can fail lists its exit codes, from the one table in exitcodes.go.
func TestHelpListsExitCodesForEveryCommand(t *testing.T) {
	for _, cmd := range [][]string{{"setup"}, {"rotate"}, {"logout"}, {"doctor"}, {"status"}, {"devices"},
		{"evidence", "export"}, {"evidence", "check"}} {
		h := helpOf(t, cmd...)
		if !strings.Contains(h, "Exit codes:\n  0  ") || !strings.Contains(h, "\n  2  ") {
			t.Errorf("%v --help lists no exit codes:\n%s", cmd, h)
		}
	}
	if h := helpOf(t, "setup"); !strings.Contains(h, "\n  3  the key was refused") || !strings.Contains(h, "\n  130  ") {
		t.Errorf("setup --help misses codes 3 or 130:\n%s", h)
	}
	if h := helpOf(t, "rotate"); !strings.Contains(h, "\n  4  no profile is set up") {
		t.Errorf("rotate --help misses code 4:\n%s", h)
	}
}

// `setup --help` and the README carry the console troubleshooting the wizard shows.
func TestSetupHelpAndReadmeCarryTheConsoleTroubleshooting(t *testing.T) {
	flat := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	h := flat(helpOf(t, "setup"))
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	r := flat(string(readme))
	for _, para := range glossary.ConsoleTroubleshooting() {
		if !strings.Contains(h, flat(para)) {
			t.Errorf("setup --help lacks %q", para)
		}
		if !strings.Contains(r, flat(para)) {
			t.Errorf("README.md lacks %q", para)
		}
	}
	for _, want := range []string{glossary.NoAPIKeyPermission, "Enable API access", "90 days", "Organization Access"} {
		if !strings.Contains(h, want) {
			t.Errorf("setup --help lacks %q", want)
		}
	}
}

// --fail-on speaks of "unknown", the glossary's word, not "undecided".
func TestFailOnHelpSaysUnknown(t *testing.T) {
	h := helpOf(t, "evidence", "check")
	if strings.Contains(h, "undecided") {
		t.Errorf("evidence check --help still says undecided:\n%s", h)
	}
}
