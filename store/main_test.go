package store

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// Some tests run this test binary again as a child process: one that is killed between the
// steps of a key replacement, several that save at once, or one inside a D-Bus session with no
// bus, no Secret Service or a locked keyring. childRoleEnv selects the role; TestMain runs it
// instead of the tests.
const childRoleEnv = "JCCONNECT_STORE_TEST_CHILD"

func TestMain(m *testing.M) {
	if role := os.Getenv(childRoleEnv); role != "" {
		os.Exit(runChild(role))
	}
	os.Exit(m.Run())
}

func runChild(role string) int {
	run, ok := childRoles[role]
	if !ok {
		fmt.Fprintf(os.Stderr, "unknown child role %q\n", role)
		return 2
	}
	if err := run(); err != nil {
		fmt.Fprintf(os.Stderr, "child %s: %v\n", role, err)
		return 1
	}
	return 0
}

// childRoles is filled by the test files that use children (init functions).
var childRoles = map[string]func() error{}

// childCommand prepares this test binary to run role with extra environment.
func childCommand(t *testing.T, role string, extraEnv ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), append([]string{childRoleEnv + "=" + role}, extraEnv...)...)
	return cmd
}

// childOutcomes runs cmd and parses its "name=value" lines.
func childOutcomes(t *testing.T, cmd *exec.Cmd) map[string]string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	go func() { <-ctx.Done(); cmd.Process.Kill() }()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("child %v failed: %v\nstdout:\n%s\nstderr:\n%s", cmd.Args, err, out, stderr.String())
	}
	got := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok {
			got[k] = v
		}
	}
	return got
}

// outcome names an error's kind for a child's report ("ok" for nil).
func outcome(err error) string {
	var ke *KeyringError
	var se *StoreError
	switch {
	case err == nil:
		return "ok"
	case errors.As(err, &ke):
		return ke.Kind
	case errors.As(err, &se):
		return se.Kind
	}
	return "untyped: " + err.Error()
}
