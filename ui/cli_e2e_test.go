package ui

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"jcconnect/connect"
	"jcconnect/internal/uitest"
)

// The command line end to end: the built program run as a user runs it, with a private config
// dir and no key in the environment. These cover main.go's wiring (flags, exit codes, the demo)
// that the screens' own tests cannot see.

const demoDeviceCount = 300 // main.go's demoDevices

func runBinary(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runBinaryWithKey(t, "", stdin, args...)
}

// runBinaryWithKey runs the program with key in JUMPCLOUD_API_KEY ("" for none).
func runBinaryWithKey(t *testing.T, key, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(uitest.Binary(t), args...)
	cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+t.TempDir(), "HOME="+t.TempDir(),
		"JUMPCLOUD_API_KEY="+key, "JUMPCLOUD_ORG_ID=", "NO_COLOR=1")
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		code = ee.ExitCode()
	default:
		t.Fatalf("running %v: %v", args, err)
	}
	return code, out.String(), errb.String()
}

func TestCLIUnknownRegionIsAUsageError(t *testing.T) {
	code, _, stderr := runBinary(t, "", "--region", "mars", "status")
	if code != connect.ExitUsage || !strings.Contains(stderr, `unknown region "mars"`) {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
}

func TestCLIHasNoKeyFlag(t *testing.T) {
	// The key must never be a flag value (shell history, ps): no command accepts one.
	for _, args := range [][]string{{"setup", "--key", "x"}, {"rotate", "--api-key", "x"}} {
		code, _, stderr := runBinary(t, "", args...)
		if code != connect.ExitUsage || !strings.Contains(stderr, "unknown flag") {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
}

func TestCLIStatusWithNothingStored(t *testing.T) {
	code, stdout, stderr := runBinary(t, "", "status", "--json")
	if code != connect.ExitNoProfile {
		t.Fatalf("exit %d, want %d; stdout %q stderr %q", code, connect.ExitNoProfile, stdout, stderr)
	}
	var out struct{ State string }
	if err := json.Unmarshal([]byte(stdout), &out); err != nil || out.State != "no_profile" {
		t.Fatalf("status --json: %v, state %q", err, out.State)
	}
}

func TestCLIDemoDevicesAsJSONLines(t *testing.T) {
	code, stdout, stderr := runBinary(t, "", "--demo", "devices", "--json")
	if code != connect.ExitOK {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != demoDeviceCount {
		t.Fatalf("%d rows, want one per demo device (%d)", len(lines), demoDeviceCount)
	}
	var row map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &row); err != nil {
		t.Fatalf("first row is not JSON: %v", err)
	}
	for _, col := range []string{"version", "os_version", "overall"} {
		if _, ok := row[col]; !ok {
			t.Errorf("row has no %q: %v", col, row)
		}
	}
}

func TestCLISetupWithKeyRefusesANonKey(t *testing.T) {
	// Whatever came on stdin is refused before any network call, and never echoed back.
	code, _, stderr := runBinary(t, "not a key\n", "--demo", "setup", "--with-key")
	if code != connect.ExitUsage {
		t.Fatalf("a non-key: exit %d, want %d; stderr %q", code, connect.ExitUsage, stderr)
	}
	if strings.Contains(stderr, "not a key") {
		t.Errorf("the refused input was echoed: %q", stderr)
	}
}

func TestCLIThresholdFlags(t *testing.T) {
	code, _, stderr := runBinary(t, "", "--min-os", "mac=14", "status")
	if code != connect.ExitUsage || !strings.Contains(stderr, `unknown OS family "mac"`) {
		t.Fatalf("--min-os mac=14: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = runBinary(t, "", "--min-os", "darwin=fourteen", "status")
	if code != connect.ExitUsage || !strings.Contains(stderr, "is not a version") {
		t.Fatalf("--min-os darwin=fourteen: exit %d, stderr %q", code, stderr)
	}

	// A stricter stale threshold must reach the checks: more devices fail the check-in check.
	staleFails := func(args ...string) int {
		code, stdout, stderr := runBinary(t, "", append([]string{"--demo"}, append(args, "devices", "--json")...)...)
		if code != connect.ExitOK {
			t.Fatalf("%v: exit %d, stderr %q", args, code, stderr)
		}
		return strings.Count(stdout, `"agent_checkin":"fail"`)
	}
	byDefault, strict := staleFails(), staleFails("--stale-days", "1")
	if strict <= byDefault {
		t.Fatalf("--stale-days 1 failed %d devices, the default %d: the flag did not reach the checks", strict, byDefault)
	}
}
