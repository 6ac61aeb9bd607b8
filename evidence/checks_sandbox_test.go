package evidence

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
)

func collectSandbox(t *testing.T, opt jctest.Options) (*Snapshot, *Report) {
	t.Helper()
	srv := newServer(t, opt)
	snap, err := Collect(context.Background(), newClient(t, srv, srv.Keys.ReadOnly, nil), both())
	if err != nil {
		t.Fatal(err)
	}
	return snap, Evaluate(snap, DefaultThresholds())
}

// With every Mac reporting FileVault off, no Mac passes disk encryption, whatever System Insights
// says of its (hardware-encrypted) volumes.
func TestSandboxFileVaultOffNoMacPasses(t *testing.T) {
	snap, rep := collectSandbox(t, jctest.Options{Devices: 300, Seed: 7, Scenario: jctest.ScenarioFileVaultOff})
	encryptedVolumes := map[string]bool{}
	for _, row := range snap.Insights[jumpcloud.TableDiskEncryption] {
		if n, _ := row.Int("encrypted"); n == 1 {
			encryptedVolumes[row.SystemID()] = true
		}
	}
	macs, withVolumes := 0, 0
	for _, d := range rep.Devices {
		if d.Family != jumpcloud.FamilyDarwin {
			continue
		}
		macs++
		if encryptedVolumes[d.ID] {
			withVolumes++
		}
		if r := d.Result("disk_encryption"); r.Status == Pass {
			t.Errorf("%s passes disk encryption with FileVault off: %s", d.Name, r.Reason)
		}
	}
	t.Logf("%d Macs, %d with encrypted volumes in System Insights, none passes", macs, withVolumes)
	if macs < 100 || withVolumes < macs/2 {
		t.Fatalf("the case did not happen: %d Macs, %d with encrypted volumes", macs, withVolumes)
	}
}

// No device with missing evidence is compliant overall, in the mixed sandbox fleet; the cases
// the fleet carries (iPads, servers, stale rows, the 3600 s lock policy) show with their reasons.
func TestSandboxMissingEvidenceIsNeverCompliant(t *testing.T) {
	snap, rep := collectSandbox(t, jctest.Options{Devices: 300, Seed: 7})
	seen := map[string]bool{}
	for _, d := range rep.Devices {
		for _, r := range d.Results {
			if r.Status == Unknown && !IsHygiene(r.Check) && d.Overall == Pass {
				t.Errorf("%s is compliant with %s unknown (%s)", d.Name, r.Check, r.Reason)
			}
			if r.Status == NotApplicable && r.Reason == "" {
				t.Errorf("%s: %s n/a without a reason", d.Name, r.Check)
			}
			for _, want := range []string{"over the 900 s limit", "mobile device (ipados)", "desktopCapable=false",
				"more than 7 days", "osquery before 5.14", "policyStats.total", "does not monitor"} {
				if strings.Contains(r.Reason, want) || (want == "policyStats.total" && strings.Contains(r.Reason, "reported a status")) {
					seen[want] = true
				}
			}
		}
	}
	for _, want := range []string{"over the 900 s limit", "mobile device (ipados)", "desktopCapable=false",
		"more than 7 days", "osquery before 5.14", "policyStats.total", "does not monitor"} {
		if !seen[want] {
			t.Errorf("the sandbox shows no device whose reason says %q", want)
		}
	}
	if len(snap.PolicyDetails) == 0 {
		t.Fatal("no screen-lock policy settings were collected")
	}
}

// A value the API marks sensitive never reaches the snapshot or the bundle.
func TestSandboxSensitivePolicyValueIsNeverKept(t *testing.T) {
	snap, rep := collectSandbox(t, jctest.Options{Devices: 40, Seed: 3})
	found := false
	for _, d := range snap.PolicyDetails {
		for _, s := range d.Settings {
			if s.Sensitive {
				found = true
				if s.Value != "" {
					t.Errorf("%s: sensitive %s kept its value", d.Name, s.Field)
				}
			}
		}
	}
	if !found {
		t.Fatal("the sandbox served no sensitive value: the case did not happen")
	}
	j, _ := json.Marshal(snap)
	if strings.Contains(string(j), jctest.SensitivePolicyValue) {
		t.Error("the snapshot holds the sensitive value")
	}
	res, err := Export(context.Background(), snap, rep, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	filepath.Walk(res.Dir, func(path string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			if b, _ := os.ReadFile(path); strings.Contains(string(b), jctest.SensitivePolicyValue) {
				t.Errorf("%s holds the sensitive value", path)
			}
		}
		return err
	})
}
