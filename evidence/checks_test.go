package evidence

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"jcconnect/jumpcloud"
)

var collected = time.Date(2026, 8, 1, 10, 0, 0, 0, time.UTC)

func ptr[T any](v T) *T { return &v }

// okSnapshot is a handmade snapshot in which every source was read.
func okSnapshot() *Snapshot {
	s := &Snapshot{CollectedAt: collected, OrgID: "org1", OrgName: "Acme",
		Integrations: Integrations{Endpoint: true, SSO: true}, Insights: map[string][]jumpcloud.InsightRow{}}
	for _, src := range SourceOrder() {
		s.Sources = append(s.Sources, SourceStatus{Source: src, State: StateOK})
	}
	return s
}

func row(system string, cols map[string]any) jumpcloud.InsightRow {
	return jumpcloud.NewInsightRow(system, "2026-08-01T09:00:00Z", cols)
}

func setState(s *Snapshot, source, state string) {
	for i := range s.Sources {
		if s.Sources[i].Source == source {
			s.Sources[i].State = state
		}
	}
}

func deviceResult(t *testing.T, s *Snapshot, id, check string) Result {
	t.Helper()
	rep := Evaluate(s, DefaultThresholds())
	for _, d := range rep.Devices {
		if d.ID == id {
			r := d.Result(check)
			if r.Check == "" {
				t.Fatalf("device %s has no %s result", id, check)
			}
			if r.Reason == "" {
				t.Errorf("%s/%s: %s without a reason", id, check, r.Status)
			}
			return r
		}
	}
	t.Fatalf("device %s not in report", id)
	return Result{}
}

func hasEvidence(r Result, name, value string) bool {
	for _, e := range r.Evidence {
		if e.Name == name && e.Value == value {
			return true
		}
	}
	return false
}

func mac(id string) jumpcloud.System {
	lc := collected.Add(-24 * time.Hour)
	return jumpcloud.System{ID: id, DisplayName: id, OS: "Mac OS X", OSFamily: "darwin", Version: "14.5",
		LastContact: &lc, SystemInsights: &jumpcloud.SystemInsightsState{State: "enabled"}}
}

func win(id string) jumpcloud.System {
	d := mac(id)
	d.OS, d.OSFamily, d.Version = "Windows", "windows", "10.0.22631"
	return d
}

func linux(id string) jumpcloud.System {
	d := mac(id)
	d.OS, d.OSFamily, d.Version = "Ubuntu", "linux", "22.04"
	return d
}

func TestDiskEncryptionOutcomes(t *testing.T) {
	s := okSnapshot()
	fdeOn, fdeOff, siOnly, siOff, noData, lin, winC, winNoC, linSI := mac("fdeOn"), mac("fdeOff"), mac("siOnly"), mac("siOff"), mac("noData"), linux("lin"), win("winC"), win("winNoC"), linux("linSI")
	fdeOn.FDE = &jumpcloud.FDE{Active: true}
	fdeOff.FDE = &jumpcloud.FDE{Active: false}
	s.Devices = jumpcloud.CompactDevices(fdeOn, fdeOff, siOnly, siOff, noData, lin, winC, winNoC, linSI)
	s.Insights[jumpcloud.TableDiskEncryption] = []jumpcloud.InsightRow{
		row("siOnly", map[string]any{"name": "/dev/disk3s1", "encrypted": float64(1)}),
		row("siOff", map[string]any{"name": "/dev/disk3s1", "encrypted": "0"}),
		row("linSI", map[string]any{"name": "/dev/dm-0", "encrypted": float64(1)}),
	}
	s.Insights[jumpcloud.TableBitlockerInfo] = []jumpcloud.InsightRow{
		row("winC", map[string]any{"drive_letter": "C:", "protection_status": float64(1)}),
		row("winC", map[string]any{"drive_letter": "D:", "protection_status": float64(0)}),
		row("winNoC", map[string]any{"drive_letter": "E:", "protection_status": float64(1)}),
		row("winNoC", map[string]any{"drive_letter": "F:", "protection_status": float64(0)}),
	}
	// Encrypted volumes alone never pass a Mac; a Linux host without root-mount evidence and a
	// Windows device without a system-drive row are unknown, not n/a or failed
	// (TestDiskEncryptionFalsePasses has the rules case by case).
	want := map[string]Status{"fdeOn": Pass, "fdeOff": Fail, "siOnly": Unknown, "siOff": Fail, "noData": Unknown,
		"lin": Unknown, "winC": Pass, "winNoC": Unknown, "linSI": Unknown}
	for id, st := range want {
		if got := deviceResult(t, s, id, "disk_encryption"); got.Status != st {
			t.Errorf("%s: disk_encryption = %s (%s), want %s", id, got.Status, got.Reason, st)
		}
	}
	if ev := deviceResult(t, s, "winC", "disk_encryption").Evidence; len(ev) < 3 {
		t.Errorf("raw bitlocker evidence missing: %v", ev)
	}
	// System Insights not permitted: the reason says so.
	setState(s, InsightSource(jumpcloud.TableDiskEncryption), StateNotPermitted)
	r := deviceResult(t, s, "noData", "disk_encryption")
	if r.Status != Unknown || !strings.Contains(r.Reason, "not permitted") {
		t.Errorf("not permitted source: %s %q", r.Status, r.Reason)
	}
}

func TestFirewallAntivirusOutcomes(t *testing.T) {
	s := okSnapshot()
	mNone := mac("m-none")
	mNone.SystemInsights = &jumpcloud.SystemInsightsState{State: "disabled"}
	s.Devices = jumpcloud.CompactDevices(mac("m-on"), mac("m-off"), mNone, win("w-good"), win("w-poor"), win("w-none"), linux("l"))
	s.Insights[jumpcloud.TableALF] = []jumpcloud.InsightRow{
		row("m-on", map[string]any{"global_state": float64(2)}),
		row("m-off", map[string]any{"global_state": "0"}),
	}
	s.Insights[jumpcloud.TableWindowsSecurityCenter] = []jumpcloud.InsightRow{
		row("w-good", map[string]any{"firewall": "Good", "antivirus": "Good"}),
		row("w-poor", map[string]any{"firewall": "Poor", "antivirus": "Snoozed"}),
	}
	fw := map[string]Status{"m-on": Pass, "m-off": Fail, "m-none": Unknown, "w-good": Pass, "w-poor": Fail, "w-none": Unknown, "l": Unknown}
	av := map[string]Status{"m-on": NotApplicable, "w-good": Pass, "w-poor": Fail, "w-none": Unknown, "l": NotApplicable}
	for id, st := range fw {
		if got := deviceResult(t, s, id, "firewall"); got.Status != st {
			t.Errorf("%s: firewall = %s (%s), want %s", id, got.Status, got.Reason, st)
		}
	}
	for id, st := range av {
		if got := deviceResult(t, s, id, "antivirus"); got.Status != st {
			t.Errorf("%s: antivirus = %s (%s), want %s", id, got.Status, got.Reason, st)
		}
	}
	if r := deviceResult(t, s, "m-none", "firewall"); !strings.Contains(r.Reason, "disabled") {
		t.Errorf("reason should say System Insights is disabled: %q", r.Reason)
	}
	if r := deviceResult(t, s, "w-poor", "antivirus"); !strings.Contains(r.Reason, "Snoozed") {
		t.Errorf("reason should carry the raw value: %q", r.Reason)
	}
}

func TestScreenLockAndPolicies(t *testing.T) {
	s := okSnapshot()
	counters := mac("counters")
	counters.PolicyStats = &jumpcloud.PolicyStats{Total: 3, Success: 2, Failed: 1}
	s.Devices = jumpcloud.CompactDevices(mac("ok"), mac("failed"), mac("pending"), mac("unbound"), counters, mac("none"))
	s.Policies = []jumpcloud.Policy{
		{ID: "p1", Name: "Screen Lock", Template: jumpcloud.PolicyTemplate{Name: "screen_lock_darwin"}},
		{ID: "p2", Name: "Updates", Template: jumpcloud.PolicyTemplate{Name: "os_updates_darwin"}},
	}
	res := func(pol, sys, state string) jumpcloud.PolicyResult {
		return jumpcloud.PolicyResult{PolicyID: pol, SystemID: sys, State: state}
	}
	s.PolicyStatuses = []jumpcloud.PolicyResult{
		res("p1", "ok", "Success"), res("p2", "ok", "success"),
		res("p1", "failed", "failed"), res("p2", "failed", "success"),
		res("p1", "pending", "pending"),
		res("p2", "unbound", "error"),
	}
	s.PolicyDetails = []jumpcloud.PolicyDetail{{ID: "p1", Name: "Screen Lock", Template: s.Policies[0].Template,
		Settings: []jumpcloud.PolicySetting{{Field: "idleTime", Value: "600"}, {Field: "askForPassword", Value: "true"}}}}
	lock := map[string]Status{"ok": Pass, "failed": Fail, "pending": Unknown, "unbound": Fail, "none": Fail}
	pols := map[string]Status{"ok": Pass, "failed": Fail, "pending": Unknown, "unbound": Fail, "counters": Fail, "none": NotApplicable}
	for id, st := range lock {
		if got := deviceResult(t, s, id, "screen_lock"); got.Status != st {
			t.Errorf("%s: screen_lock = %s (%s), want %s", id, got.Status, got.Reason, st)
		}
	}
	for id, st := range pols {
		if got := deviceResult(t, s, id, "policies_applied"); got.Status != st {
			t.Errorf("%s: policies_applied = %s (%s), want %s", id, got.Status, got.Reason, st)
		}
	}
	s.Insights[jumpcloud.TableManagedPolicies] = []jumpcloud.InsightRow{
		row("ok", map[string]any{"domain": "com.apple.screensaver", "name": "askForPassword", "value": "1"}),
	}
	if r := deviceResult(t, s, "ok", "screen_lock"); !hasEvidence(r, "managed_policies com.apple.screensaver askForPassword", "1") {
		t.Errorf("managed policy keys not shown as evidence: %+v", r.Evidence)
	}
	if r := deviceResult(t, s, "failed", "policies_applied"); !strings.Contains(r.Reason, "Screen Lock") {
		t.Errorf("failing policy not named: %q", r.Reason)
	}
	// Statuses not permitted: screen lock is unknown, not failed.
	setState(s, string(jumpcloud.SourcePolicyResults), StateNotPermitted)
	s.PolicyStatuses = nil
	if r := deviceResult(t, s, "none", "screen_lock"); r.Status != Unknown {
		t.Errorf("screen lock without statuses = %s, want unknown", r.Status)
	}
}

func TestOSVersionCheckinSystemInsights(t *testing.T) {
	s := okSnapshot()
	old, newer, win10, lin, odd, stale, never, siOff, siNil := mac("old"), mac("new"), win("win10"), linux("lin"), mac("odd"), mac("stale"), mac("never"), mac("siOff"), mac("siNil")
	old.Version = "13.6.1"
	win10.Version = "10.0.19041"
	odd.Version = "Sonoma"
	s.Insights[jumpcloud.TableOSVersion] = []jumpcloud.InsightRow{
		row("new", map[string]any{"version": "15.7.2", "major": float64(15), "minor": float64(7)}),
	}
	long := collected.Add(-45 * 24 * time.Hour)
	stale.LastContact = &long
	never.LastContact = nil
	siOff.SystemInsights = &jumpcloud.SystemInsightsState{State: "deferred"}
	siNil.SystemInsights = nil
	s.Devices = jumpcloud.CompactDevices(old, newer, win10, lin, odd, stale, never, siOff, siNil)
	osv := map[string]Status{"old": Fail, "new": Pass, "win10": Fail, "lin": Pass, "odd": Unknown}
	for id, st := range osv {
		if got := deviceResult(t, s, id, "os_version"); got.Status != st {
			t.Errorf("%s: os_version = %s (%s), want %s", id, got.Status, got.Reason, st)
		}
	}
	seen := map[string]Status{"new": Pass, "stale": Fail, "never": Unknown}
	for id, st := range seen {
		if got := deviceResult(t, s, id, "agent_checkin"); got.Status != st {
			t.Errorf("%s: agent_checkin = %s (%s), want %s", id, got.Status, got.Reason, st)
		}
	}
	si := map[string]Status{"new": Pass, "siOff": Fail, "siNil": Unknown}
	for id, st := range si {
		if got := deviceResult(t, s, id, "system_insights"); got.Status != st {
			t.Errorf("%s: system_insights = %s (%s), want %s", id, got.Status, got.Reason, st)
		}
	}
	// System Insights off for the whole organisation is named as the reason.
	off := false
	s.Settings = &jumpcloud.OrganizationSettings{SystemInsightsEnabled: &off}
	if r := deviceResult(t, s, "siOff", "system_insights"); r.Status != Fail || !strings.Contains(r.Reason, "whole organisation") {
		t.Errorf("org-wide System Insights off: %s %q", r.Status, r.Reason)
	}
	s.Settings = nil
	// Thresholds are configurable.
	th := DefaultThresholds()
	th.StaleDays = 60
	th.MinOSVersion = map[string]string{"darwin": "13.0"}
	rep := Evaluate(s, th)
	for _, d := range rep.Devices {
		if d.ID == "stale" && d.Result("agent_checkin").Status != Pass {
			t.Errorf("60 stale days: stale device should pass")
		}
		if d.ID == "old" && d.Result("os_version").Status != Pass {
			t.Errorf("minimum 13.0: 13.6.1 should pass")
		}
		if r := d.Result("os_version"); d.ID == "win10" && (r.Status != Fail || !strings.Contains(r.Reason, "support table")) {
			t.Errorf("no windows minimum: the end-of-support table decides, got %s %q", r.Status, r.Reason)
		}
	}
	if !strings.Contains(rep.Thresholds.Describe(), "60 days") {
		t.Errorf("thresholds not described: %s", rep.Thresholds.Describe())
	}
}

func TestCompareVersions(t *testing.T) {
	cases := []struct {
		a, b  string
		cmp   int
		valid bool
	}{
		{"14.5", "14.0", 1, true}, {"14", "14.0.0", 0, true}, {"10.0.19041", "10.0.19045", -1, true},
		{"10.0.22631.3447", "10.0.19045", 1, true}, {"v1.2", "1.10", -1, true}, {"", "1", 0, false},
		{"Sonoma", "14", 0, false}, {"22.04 LTS", "22.04", 0, true},
	}
	for _, c := range cases {
		cmp, ok := CompareVersions(c.a, c.b)
		if cmp != c.cmp || ok != c.valid {
			t.Errorf("CompareVersions(%q,%q) = %d,%v want %d,%v", c.a, c.b, cmp, ok, c.cmp, c.valid)
		}
	}
}

func TestOverallDevice(t *testing.T) {
	if overall([]Result{{Status: Pass}, {Status: NotApplicable}}) != Pass {
		t.Error("pass + n/a should be compliant")
	}
	if overall([]Result{{Status: Pass}, {Status: Unknown}}) != Unknown {
		t.Error("pass + unknown should be unknown")
	}
	if overall([]Result{{Status: Unknown}, {Status: Fail}}) != Fail {
		t.Error("any fail should fail")
	}
	if overall([]Result{{Status: NotApplicable}}) != NotApplicable {
		t.Error("nothing applicable")
	}
}

func TestUserChecks(t *testing.T) {
	s := okSnapshot()
	s.Users = []jumpcloud.SystemUser{
		{ID: "totp", TOTPEnabled: ptr(true)},
		{ID: "mfa", MFA: &jumpcloud.MFA{Configured: true}},
		{ID: "enrolled", MFAEnrollment: &jumpcloud.MFAEnrollment{OverallStatus: "ENROLLED"}},
		{ID: "none", TOTPEnabled: ptr(false), MFA: &jumpcloud.MFA{}},
		{ID: "excluded", MFA: &jumpcloud.MFA{Exclusion: true}},
		{ID: "nofields"},
		{ID: "susp", Suspended: true},
		{ID: "susplocked", State: "SUSPENDED", AccountLocked: true},
		{ID: "expired", PasswordExpired: true, TOTPEnabled: ptr(true)},
		{ID: "locked", AccountLocked: true, TOTPEnabled: ptr(true)},
	}
	rep := Evaluate(s, DefaultThresholds())
	want := map[string][4]Status{
		"totp":       {Pass, NotApplicable, Pass, Pass},
		"mfa":        {Pass, NotApplicable, Pass, Pass},
		"enrolled":   {Pass, NotApplicable, Pass, Pass},
		"none":       {Fail, NotApplicable, Pass, Pass},
		"excluded":   {Fail, NotApplicable, Pass, Pass},
		"nofields":   {Unknown, NotApplicable, Pass, Pass},
		"susp":       {NotApplicable, Fail, NotApplicable, NotApplicable},
		"susplocked": {NotApplicable, Pass, NotApplicable, NotApplicable},
		"expired":    {Pass, NotApplicable, Fail, Pass},
		"locked":     {Pass, NotApplicable, Pass, Fail},
	}
	// suspended_not_locked and account_locked are hygiene: reported, not in the overall verdict.
	overallWant := map[string]Status{"totp": Pass, "none": Fail, "nofields": Unknown, "susplocked": NotApplicable, "susp": NotApplicable}
	for _, u := range rep.Users {
		w, ok := want[u.ID]
		if !ok {
			t.Fatalf("unexpected user %s", u.ID)
		}
		for i, c := range UserChecks {
			if got := u.Result(c.ID); got.Status != w[i] || got.Reason == "" {
				t.Errorf("%s: %s = %s (%q), want %s", u.ID, c.ID, got.Status, got.Reason, w[i])
			}
		}
		if o, ok := overallWant[u.ID]; ok && u.Overall != o {
			t.Errorf("%s overall = %s, want %s", u.ID, u.Overall, o)
		}
	}
	if r := rep.Users[4].Result("mfa_enrolled"); !strings.Contains(r.Reason, "excluded") {
		t.Errorf("exclusion reason: %q", r.Reason)
	}
}

func TestAdminAndOrgChecks(t *testing.T) {
	s := okSnapshot()
	s.Admins = []jumpcloud.Admin{
		{ID: "a1", TOTPEnrolled: ptr(true), EnableMultiFactor: ptr(true)},
		{ID: "a2", TOTPEnrolled: ptr(false), EnableMultiFactor: ptr(false)},
		{ID: "a3"},
		{ID: "a4", Suspended: true},
		{ID: "a5", TOTPEnrolled: ptr(true), EnableMultiFactor: ptr(false)},
	}
	s.Settings = &jumpcloud.OrganizationSettings{RequireAdminMFA: ptr(true),
		PasswordPolicy: &jumpcloud.PasswordPolicy{MinLength: ptr(14)}}
	rep := Evaluate(s, DefaultThresholds())
	// a5: multi-factor disabled per admin, but the organisation requires admin MFA and TOTP is enrolled.
	want := []Status{Pass, Fail, Unknown, NotApplicable, Pass}
	for i, a := range rep.Admins {
		if got := a.Result("admin_mfa").Status; got != want[i] {
			t.Errorf("admin %s: %s, want %s", a.ID, got, want[i])
		}
	}
	if rep.Org[0].Status != Pass || rep.Org[1].Status != Pass {
		t.Errorf("org checks: %+v", rep.Org)
	}
	s.Settings = &jumpcloud.OrganizationSettings{RequireAdminMFA: ptr(false),
		PasswordPolicy: &jumpcloud.PasswordPolicy{MinLength: ptr(8)}}
	rep = Evaluate(s, DefaultThresholds())
	if rep.Org[0].Status != Fail || rep.Org[1].Status != Fail || !strings.Contains(rep.Org[0].Reason, "8") {
		t.Errorf("weak org: %+v", rep.Org)
	}
	s.Settings = &jumpcloud.OrganizationSettings{}
	rep = Evaluate(s, DefaultThresholds())
	if rep.Org[0].Status != Unknown || rep.Org[1].Status != Unknown {
		t.Errorf("empty settings: %+v", rep.Org)
	}
	s.Settings = nil
	setState(s, SourceOrganization, StateNotPermitted)
	rep = Evaluate(s, DefaultThresholds())
	if rep.Org[0].Status != Unknown || !strings.Contains(rep.Org[0].Reason, "not permitted") {
		t.Errorf("no settings: %+v", rep.Org)
	}
}

func TestEvaluateIsPureAndSummarises(t *testing.T) {
	s := okSnapshot()
	a := mac("a")
	a.FDE = &jumpcloud.FDE{Active: true}
	s.Devices = jumpcloud.CompactDevices(a, win("b"), linux("c"))
	s.Users = []jumpcloud.SystemUser{{ID: "u", TOTPEnabled: ptr(true)}}
	r1, _ := json.Marshal(Evaluate(s, DefaultThresholds()))
	r2, _ := json.Marshal(Evaluate(s, DefaultThresholds()))
	if string(r1) != string(r2) {
		t.Fatal("Evaluate is not deterministic")
	}
	rep := Evaluate(s, DefaultThresholds())
	var fde CheckSummary
	for _, c := range rep.Summary {
		if c.Check == "disk_encryption" {
			fde = c
		}
	}
	if fde.Pass != 1 || fde.Unknown != 2 || fde.NotApplicable != 0 {
		t.Errorf("disk_encryption summary = %+v", fde)
	}
	if rate, ok := fde.PassRate(); !ok || rate != 1 {
		t.Errorf("pass rate = %v %v", rate, ok)
	}
	// Only the chosen integrations are evaluated.
	s.Integrations = Integrations{Endpoint: true}
	rep = Evaluate(s, DefaultThresholds())
	if rep.Users != nil || len(rep.Devices) != 3 {
		t.Errorf("endpoint only: users=%v devices=%d", rep.Users, len(rep.Devices))
	}
	for _, c := range rep.Summary {
		if c.Subject == "user" {
			t.Errorf("user summary without SSO: %+v", c)
		}
	}
	if !reflect.DeepEqual(rep.Thresholds, DefaultThresholds()) {
		t.Errorf("thresholds not recorded: %+v", rep.Thresholds)
	}
}

// Without System Insights the agent's version string is the evidence as the admin knows it:
// Ubuntu's "24.04" must not be rebuilt from its parts as "24.4.0".
func TestDeviceVersionPrefersTheAgentsVersionString(t *testing.T) {
	ix := newIndex(&Snapshot{}, DefaultThresholds())
	sys := jumpcloud.System{ID: "u1", OSFamily: "linux", Version: "24.04",
		OSVersionDetail: &jumpcloud.OSVersionDetail{Version: "24.04", Major: "24", Minor: "4", Patch: "0"}}
	d := jumpcloud.CompactDevice(sys)
	if got := deviceVersion(ix, &d); got != "24.04" {
		t.Fatalf("deviceVersion = %q, want 24.04", got)
	}
	sys.OSVersionDetail = &jumpcloud.OSVersionDetail{Major: "14", Minor: "7", Patch: "2"}
	d = jumpcloud.CompactDevice(sys)
	if got := deviceVersion(ix, &d); got != "14.7.2" {
		t.Fatalf("without a version string: %q, want 14.7.2 from the parts", got)
	}
}
