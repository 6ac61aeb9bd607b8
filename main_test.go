package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"jcconnect/ui"
)

// runMain runs the program as a user would, with a fresh config dir and no key in the
// environment, and returns the exit code and both streams.
func runMain(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	t.Setenv("JUMPCLOUD_API_KEY", "")
	t.Setenv("JUMPCLOUD_ORG_ID", "")
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestUnknownRegionIsAUsageError(t *testing.T) {
	code, _, stderr := runMain(t, "", "--region", "mars", "status")
	if code != ui.ExitUsage || !strings.Contains(stderr, `unknown region "mars"`) {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
}

func TestNoKeyFlagExists(t *testing.T) {
	// The key must never be a flag value (shell history, ps): no command accepts one.
	for _, args := range [][]string{{"setup", "--key", "x"}, {"rotate", "--api-key", "x"}} {
		code, _, stderr := runMain(t, "", args...)
		if code != ui.ExitUsage || !strings.Contains(stderr, "unknown flag") {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
}

func TestStatusWithNothingStored(t *testing.T) {
	code, stdout, stderr := runMain(t, "", "status", "--json")
	if code != ui.ExitNoProfile {
		t.Fatalf("exit %d, want %d; stdout %q stderr %q", code, ui.ExitNoProfile, stdout, stderr)
	}
}

func TestDemoDevicesAsJSONLines(t *testing.T) {
	code, stdout, stderr := runMain(t, "", "--demo", "devices", "--json")
	if code != ui.ExitOK {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != demoDevices {
		t.Fatalf("%d rows, want one per demo device (%d)", len(lines), demoDevices)
	}
	var row map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &row); err != nil {
		t.Fatalf("first row is not JSON: %v", err)
	}
	if _, ok := row["overall"]; !ok {
		t.Errorf("row has no overall status: %v", row)
	}
}

func TestSetupWithKeyRefusesANonKey(t *testing.T) {
	// Whatever came on stdin is refused before any network call, and never echoed back.
	code, _, stderr := runMain(t, "not a key\n", "--demo", "setup", "--with-key")
	if code != ui.ExitUsage {
		t.Fatalf("a non-key: exit %d, want %d; stderr %q", code, ui.ExitUsage, stderr)
	}
	if strings.Contains(stderr, "not a key") {
		t.Errorf("the refused input was echoed: %q", stderr)
	}
}

func TestThresholdFlags(t *testing.T) {
	code, _, stderr := runMain(t, "", "--min-os", "mac=14", "status")
	if code != ui.ExitUsage || !strings.Contains(stderr, `unknown OS family "mac"`) {
		t.Fatalf("--min-os mac=14: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = runMain(t, "", "--min-os", "darwin=fourteen", "status")
	if code != ui.ExitUsage || !strings.Contains(stderr, "is not a version") {
		t.Fatalf("--min-os darwin=fourteen: exit %d, stderr %q", code, stderr)
	}

	// A stricter stale threshold must reach the checks: more devices fail the check-in check.
	staleFails := func(args ...string) int {
		code, stdout, stderr := runMain(t, "", append([]string{"--demo"}, append(args, "devices", "--json")...)...)
		if code != ui.ExitOK {
			t.Fatalf("%v: exit %d, stderr %q", args, code, stderr)
		}
		return strings.Count(stdout, `"agent_checkin":"fail"`)
	}
	byDefault, strict := staleFails(), staleFails("--stale-days", "1")
	if strict <= byDefault {
		t.Fatalf("--stale-days 1 failed %d devices, the default %d: the flag did not reach the checks", strict, byDefault)
	}
}
