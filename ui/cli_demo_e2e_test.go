package ui

import (
	"encoding/json"
	"strings"
	"testing"

	"jcconnect/connect"
)

// Issue 11 item 16: `status --demo` said "no profile… try it with --demo". With nothing set
// up it checks the demo organisation's Read Only key, as `devices --demo` uses it, and never
// shows the demo's internal loopback address.
func TestCLIStatusDemoChecksTheDemoOrganisation(t *testing.T) {
	code, stdout, stderr := runBinary(t, "", "--demo", "status")
	if code != connect.ExitOK {
		t.Fatalf("exit %d, want 0; stdout %q stderr %q", code, stdout, stderr)
	}
	for _, want := range []string{"built-in demo organisation", "Northwind Health", "Read Only", "✓ valid", "the demo organisation (built in)"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("status --demo lacks %q:\n%s", want, stdout)
		}
	}
	for _, bad := range []string{"no profile", "--demo", "127.0.0.1", "JUMPCLOUD_API_KEY"} {
		if strings.Contains(stdout+stderr, bad) {
			t.Errorf("status --demo says %q:\n%s%s", bad, stdout, stderr)
		}
	}

	code, stdout, _ = runBinary(t, "", "--demo", "status", "--json")
	var r connect.StatusReport
	if err := json.Unmarshal([]byte(stdout), &r); err != nil || code != connect.ExitOK {
		t.Fatalf("status --demo --json: exit %d, %v\n%s", code, err, stdout)
	}
	if r.State != connect.StateValid || len(r.Profiles) != 1 || !r.Profiles[0].Demo {
		t.Errorf("status --demo --json: %+v", r)
	}
}
