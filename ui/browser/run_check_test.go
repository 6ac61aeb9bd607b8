package browser

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"jcconnect/connect"
	"jcconnect/evidence"
	"jcconnect/jumpcloud/jctest"
)

// The gate against sandbox organisations made for each case, over real HTTP.
func gateServer(t *testing.T, scenario string) *jctest.Server {
	t.Helper()
	srv := jctest.NewServer(jctest.Options{Devices: 120, Seed: 11, Now: devNow, Scenario: scenario})
	t.Cleanup(srv.Close)
	return srv
}

func TestEvidenceCheckExitCodes(t *testing.T) {
	cases := []struct {
		name     string
		scenario string
		key      func(*jctest.Server) string
		flags    CheckFlags
		want     int
		output   string // a substring of stdout
	}{
		{"some device fails disk encryption", "", nil,
			CheckFlags{FailOn: "failing", Only: []string{"disk_encryption"}}, connect.ExitGate, "FAILED disk_encryption"},
		{"no device fails disk encryption", jctest.ScenarioAllEncrypted, nil,
			CheckFlags{FailOn: "failing", Only: []string{"disk_encryption"}}, connect.ExitOK, "OK     disk_encryption"},
		{"every Mac with FileVault off fails the gate", jctest.ScenarioFileVaultOff, nil,
			CheckFlags{Only: []string{"disk_encryption"}}, connect.ExitGate, "FileVault off"},
		{"a pass rate the org meets", jctest.ScenarioAllEncrypted, nil,
			CheckFlags{Only: []string{"disk_encryption"}, MinPassRate: []string{"disk_encryption=95%"}}, connect.ExitOK, "meets the required 95.0%"},
		{"a pass rate the org misses", "", nil,
			CheckFlags{Only: []string{"disk_encryption"}, MinPassRate: []string{"disk_encryption=99.5%"}}, connect.ExitGate, "below the required 99.5%"},
		{"unknown fails with --fail-on unknown", jctest.ScenarioAllEncrypted, nil,
			CheckFlags{FailOn: "unknown", Only: []string{"firewall"}}, connect.ExitGate, "failing or unknown"},
		{"administrators not readable: partial evidence", "", nil,
			CheckFlags{Only: []string{"admin_mfa"}}, connect.ExitPartial, "partial"},
		{"administrators readable: within the gate", "", func(s *jctest.Server) string { return s.Keys.Admin },
			CheckFlags{Only: []string{"admin_mfa_required"}}, connect.ExitOK, "within the gates"},
		{"bad flag", "", nil, CheckFlags{Only: []string{"disk_encrypton"}}, connect.ExitUsage, ""},
		{"bad rate", "", nil, CheckFlags{MinPassRate: []string{"disk_encryption=150%"}}, connect.ExitUsage, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := gateServer(t, c.scenario)
			key := srv.Keys.ReadOnly
			if c.key != nil {
				key = c.key(srv)
			}
			env, out, errb := evEnv(t, srv, key)
			if got := RunCheck(context.Background(), env, c.flags); got != c.want {
				t.Fatalf("exit %d, want %d\n%s%s", got, c.want, out, errb)
			}
			if !strings.Contains(out.String(), c.output) {
				t.Errorf("output lacks %q:\n%s", c.output, out)
			}
			if c.want == connect.ExitUsage && !strings.Contains(errb.String(), "unknown check") && !strings.Contains(errb.String(), "percentage") {
				t.Errorf("the usage error does not say what is wrong: %s", errb)
			}
		})
	}
}

func TestEvidenceCheckOutputs(t *testing.T) {
	srv := gateServer(t, "")
	env, out, errb := evEnv(t, srv, srv.Keys.ReadOnly)
	if code := RunCheck(context.Background(), env, CheckFlags{Output: "json", Only: []string{"disk_encryption", "mfa_enrolled"}}); code != connect.ExitGate {
		t.Fatalf("exit %d: %s", code, errb)
	}
	var g evidence.GateResult
	if err := json.Unmarshal(out.Bytes(), &g); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if len(g.Checks) != 2 || g.Checks[0].Check != "disk_encryption" || g.Checks[0].Controls == "" || g.Checks[0].Severity == "" {
		t.Errorf("json checks: %+v", g.Checks)
	}
	out.Reset()
	if code := RunCheck(context.Background(), env, CheckFlags{Output: "csv", Only: []string{"disk_encryption"}}); code != connect.ExitGate {
		t.Fatalf("exit %d", code)
	}
	rows, err := csv.NewReader(bytes.NewReader(out.Bytes())).ReadAll()
	if err != nil || len(rows) != 2 || strings.Join(rows[0], ",") != strings.Join(evidence.GateColumns, ",") || rows[1][10] != "failed" {
		t.Errorf("csv: %v %v", rows, err)
	}
}
