package evidence

import (
	"strings"
	"testing"
	"time"

	"jcconnect/jumpcloud"
)

// The rules that passed devices or users they should not have (issue 15), one case per bullet:
// each case builds a snapshot, evaluates one check of one subject and names the status and a
// word the reason must contain.

type deviceCase struct {
	name   string
	check  string
	setup  func(s *Snapshot, d *jumpcloud.System)
	th     func(t *Thresholds)
	want   Status
	reason string // a substring of the reason
}

func runDeviceCases(t *testing.T, base func(id string) jumpcloud.System, cases []deviceCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := okSnapshot()
			d := base("dev")
			if c.setup != nil {
				c.setup(s, &d)
			}
			s.Devices = jumpcloud.CompactDevices(d)
			th := DefaultThresholds()
			if c.th != nil {
				c.th(&th)
			}
			rep := Evaluate(s, th)
			r := rep.Devices[0].Result(c.check)
			if r.Status != c.want || !strings.Contains(r.Reason, c.reason) {
				t.Fatalf("%s = %s (%q), want %s with %q", c.check, r.Status, r.Reason, c.want, c.reason)
			}
			if r.Status == Unknown && rep.Devices[0].Overall == Pass {
				t.Fatalf("a device with an unknown check is compliant overall")
			}
		})
	}
}

func insights(s *Snapshot, table string, rows ...jumpcloud.InsightRow) {
	s.Insights[table] = append(s.Insights[table], rows...)
}

func appleVolumes(s *Snapshot, encrypted any, extra map[string]any) {
	for _, name := range []string{"/dev/disk3s1", "/dev/disk3s5"} {
		cols := map[string]any{"name": name, "encrypted": encrypted, "type": "APFS Encryption"}
		for k, v := range extra {
			cols[k] = v
		}
		insights(s, jumpcloud.TableDiskEncryption, row("dev", cols))
	}
}

func TestDiskEncryptionFalsePasses(t *testing.T) {
	fde := func(active, key bool) *jumpcloud.FDE { return &jumpcloud.FDE{Active: active, KeyPresent: key} }
	runDeviceCases(t, mac, []deviceCase{
		{name: "T2 volumes encrypted, FileVault off", check: "disk_encryption", want: Fail, reason: "FileVault off",
			setup: func(s *Snapshot, d *jumpcloud.System) { d.FDE = fde(false, false); appleVolumes(s, float64(1), nil) }},
		{name: "T2 volumes encrypted, no agent state", check: "disk_encryption", want: Unknown, reason: "does not mean FileVault is on",
			setup: func(s *Snapshot, d *jumpcloud.System) { appleVolumes(s, float64(1), nil) }},
		{name: "agent on, filevault_status off: disagreement", check: "disk_encryption", want: Unknown, reason: "FileVault off",
			setup: func(s *Snapshot, d *jumpcloud.System) {
				d.FDE = fde(true, true)
				appleVolumes(s, float64(1), map[string]any{"filevault_status": "off"})
			}},
		{name: "agent on, no volume encrypted: disagreement", check: "disk_encryption", want: Unknown, reason: "no encrypted volume",
			setup: func(s *Snapshot, d *jumpcloud.System) { d.FDE = fde(true, true); appleVolumes(s, "0", nil) }},
		{name: "agent on, filevault_status on", check: "disk_encryption", want: Pass, reason: "FileVault on",
			setup: func(s *Snapshot, d *jumpcloud.System) {
				d.FDE = fde(true, true)
				appleVolumes(s, float64(1), map[string]any{"filevault_status": "on"})
			}},
	})
	runDeviceCases(t, win, []deviceCase{
		{name: "protection_status 2 is unknown", check: "disk_encryption", want: Unknown, reason: "status 2",
			setup: func(s *Snapshot, d *jumpcloud.System) {
				insights(s, jumpcloud.TableBitlockerInfo, row("dev", map[string]any{"drive_letter": "C:", "protection_status": float64(2)}))
			}},
		{name: "agent on, C: off: disagreement", check: "disk_encryption", want: Unknown, reason: "protection off for C:",
			setup: func(s *Snapshot, d *jumpcloud.System) {
				d.FDE = fde(true, true)
				insights(s, jumpcloud.TableBitlockerInfo, row("dev", map[string]any{"drive_letter": "C:", "protection_status": float64(0)}))
			}},
		{name: "data drive encrypted, system drive not", check: "disk_encryption", want: Fail, reason: "off for C:",
			setup: func(s *Snapshot, d *jumpcloud.System) {
				insights(s, jumpcloud.TableBitlockerInfo,
					row("dev", map[string]any{"drive_letter": "C:", "protection_status": float64(0)}),
					row("dev", map[string]any{"drive_letter": "D:", "protection_status": float64(1)}))
			}},
		{name: "system drive protected", check: "disk_encryption", want: Pass, reason: "on for C:",
			setup: func(s *Snapshot, d *jumpcloud.System) {
				insights(s, jumpcloud.TableBitlockerInfo, row("dev", map[string]any{"drive_letter": "C:", "protection_status": "1"}))
			}},
	})
	rootMount := func(s *Snapshot, dev string) {
		insights(s, jumpcloud.TableMounts, row("dev", map[string]any{"path": "/", "device": dev, "device_alias": dev}))
	}
	runDeviceCases(t, linux, []deviceCase{
		{name: "secondary volume encrypted, root not", check: "disk_encryption", want: Fail, reason: "root volume /dev/sda2 not encrypted",
			setup: func(s *Snapshot, d *jumpcloud.System) {
				rootMount(s, "/dev/sda2")
				insights(s, jumpcloud.TableDiskEncryption,
					row("dev", map[string]any{"name": "/dev/sda2", "encrypted": float64(0)}),
					row("dev", map[string]any{"name": "/dev/dm-1", "encrypted": float64(1)}))
			}},
		{name: "root encrypted", check: "disk_encryption", want: Pass, reason: "root volume /dev/dm-0 encrypted",
			setup: func(s *Snapshot, d *jumpcloud.System) {
				rootMount(s, "/dev/dm-0")
				insights(s, jumpcloud.TableDiskEncryption, row("dev", map[string]any{"name": "/dev/dm-0", "encrypted": float64(1)}))
			}},
		{name: "encrypted volume but no root mount row", check: "disk_encryption", want: Unknown, reason: "system volume is not known",
			setup: func(s *Snapshot, d *jumpcloud.System) {
				insights(s, jumpcloud.TableDiskEncryption, row("dev", map[string]any{"name": "/dev/dm-0", "encrypted": float64(1)}))
			}},
		{name: "Linux laptop with no evidence is unknown, not n/a", check: "disk_encryption", want: Unknown, reason: "no fde state"},
	})
	// keyPresent and collection_time are part of the evidence.
	s := okSnapshot()
	d := mac("dev")
	d.FDE = fde(true, true)
	appleVolumes(s, float64(1), nil)
	s.Devices = jumpcloud.CompactDevices(d)
	r := Evaluate(s, DefaultThresholds()).Devices[0].Result("disk_encryption")
	if !hasEvidence(r, "fde.keyPresent", "true") || !strings.Contains(r.Evidence[3].Value, "collection_time=2026-08-01T09:00:00Z") {
		t.Errorf("evidence lacks keyPresent or collection_time: %+v", r.Evidence)
	}
}

// lockPolicy binds one policy of a template to "dev" with the given settings and outcome.
func lockPolicy(s *Snapshot, template, outcome string, settings ...string) {
	p := jumpcloud.Policy{ID: "lock", Name: "Lock", Template: jumpcloud.PolicyTemplate{Name: template}}
	s.Policies = append(s.Policies, p)
	s.PolicyStatuses = append(s.PolicyStatuses, jumpcloud.PolicyResult{PolicyID: "lock", SystemID: "dev", State: outcome})
	det := jumpcloud.PolicyDetail{ID: "lock", Name: "Lock", Template: p.Template}
	for i := 0; i+1 < len(settings); i += 2 {
		det.Settings = append(det.Settings, jumpcloud.PolicySetting{Field: settings[i], Value: settings[i+1]})
	}
	s.PolicyDetails = append(s.PolicyDetails, det)
}

func screensaverKeys(s *Snapshot, kv ...string) {
	for i := 0; i+1 < len(kv); i += 2 {
		insights(s, jumpcloud.TableManagedPolicies, row("dev", map[string]any{"domain": "com.apple.screensaver", "name": kv[i], "value": kv[i+1]}))
	}
}

func TestScreenLockReadsTheSettings(t *testing.T) {
	runDeviceCases(t, mac, []deviceCase{
		{name: "3600 s lock policy", check: "screen_lock", want: Fail, reason: "3600 s, over the 900 s limit",
			setup: func(s *Snapshot, d *jumpcloud.System) {
				lockPolicy(s, "screen_lock_darwin", "success", "idleTime", "3600", "askForPassword", "1")
			}},
		{name: "3600 s passes when the limit is raised", check: "screen_lock", want: Pass, reason: "3600 s",
			th: func(t *Thresholds) { t.MaxLockSeconds = 3600 },
			setup: func(s *Snapshot, d *jumpcloud.System) {
				lockPolicy(s, "screen_lock_darwin", "success", "idleTime", "3600", "askForPassword", "1")
			}},
		{name: "no password asked", check: "screen_lock", want: Fail, reason: "no password",
			setup: func(s *Snapshot, d *jumpcloud.System) {
				lockPolicy(s, "screen_lock_darwin", "success", "idleTime", "300", "askForPassword", "false")
			}},
		{name: "password optional by flag", check: "screen_lock", want: Pass, reason: "300 s",
			th: func(t *Thresholds) { t.LockPasswordOptional = true },
			setup: func(s *Snapshot, d *jumpcloud.System) {
				lockPolicy(s, "screen_lock_darwin", "success", "idleTime", "300", "askForPassword", "false")
			}},
		{name: "grace delay counts toward the limit", check: "screen_lock", want: Fail, reason: "960 s",
			setup: func(s *Snapshot, d *jumpcloud.System) {
				lockPolicy(s, "screen_lock_darwin", "success", "idleTime", "900", "askForPasswordDelay", "60", "askForPassword", "1")
			}},
		{name: "password switch not stated", check: "screen_lock", want: Unknown, reason: "not stated",
			setup: func(s *Snapshot, d *jumpcloud.System) {
				lockPolicy(s, "screen_lock_darwin", "success", "idleTime", "300")
			}},
		{name: "within the limit with a password", check: "screen_lock", want: Pass, reason: "600 s",
			setup: func(s *Snapshot, d *jumpcloud.System) {
				lockPolicy(s, "screen_lock_darwin", "success", "idleTime", "600", "askForPassword", "1")
			}},
		{name: "template not on the allow-list", check: "screen_lock", want: Unknown, reason: "cannot read",
			setup: func(s *Snapshot, d *jumpcloud.System) {
				lockPolicy(s, "custom_lock_screen_darwin", "success", "idleTime", "60", "askForPassword", "1")
			}},
		{name: "settings not read", check: "screen_lock", want: Unknown, reason: "not permitted",
			setup: func(s *Snapshot, d *jumpcloud.System) {
				lockPolicy(s, "screen_lock_darwin", "success", "idleTime", "600", "askForPassword", "1")
				s.PolicyDetails = nil
				setState(s, SourcePolicySettings, StateNotPermitted)
			}},
		{name: "macOS managed keys within the limit", check: "screen_lock", want: Pass, reason: "managed screen saver",
			setup: func(s *Snapshot, d *jumpcloud.System) {
				screensaverKeys(s, "idleTime", "600", "askForPassword", "1", "askForPasswordDelay", "0")
			}},
		{name: "macOS managed keys over the limit", check: "screen_lock", want: Fail, reason: "1800 s",
			setup: func(s *Snapshot, d *jumpcloud.System) { screensaverKeys(s, "idleTime", "1800", "askForPassword", "1") }},
	})
	runDeviceCases(t, win, []deviceCase{
		{name: "a Windows lock screen always asks for the password", check: "screen_lock", want: Pass, reason: "600 s",
			setup: func(s *Snapshot, d *jumpcloud.System) {
				lockPolicy(s, "screen_lock_windows", "success", "timeout", "600")
			}},
		{name: "Windows screen saver without a password", check: "screen_lock", want: Fail, reason: "no password",
			setup: func(s *Snapshot, d *jumpcloud.System) {
				lockPolicy(s, "screensaver_windows", "success", "screenSaveTimeOut", "600", "screenSaverIsSecure", "0")
			}},
	})
}

func TestFamiliesAndNotApplicable(t *testing.T) {
	device := func(os, fam string) jumpcloud.System {
		d := mac("dev")
		d.OS, d.OSFamily = os, fam
		return d
	}
	for _, c := range []struct{ os, fam, want string }{
		{"iPadOS", "ios", jumpcloud.FamilyIPadOS}, {"iOS", "ios", jumpcloud.FamilyIOS}, {"Android", "", jumpcloud.FamilyAndroid},
		{"Mac OS X", "", jumpcloud.FamilyDarwin}, {"Windows", "", jumpcloud.FamilyWindows}, {"Ubuntu", "", jumpcloud.FamilyLinux},
		{"Rocky", "", jumpcloud.FamilyLinux}, {"Haiku", "", jumpcloud.FamilyUnknown}, {"", "", jumpcloud.FamilyUnknown},
	} {
		if got := device(c.os, c.fam).Family(); got != c.want {
			t.Errorf("os %q osFamily %q: family %q, want %q", c.os, c.fam, got, c.want)
		}
	}
	ipad := func(string) jumpcloud.System { return device("iPadOS", "ios") }
	runDeviceCases(t, ipad, []deviceCase{
		{name: "iPad screen lock is n/a, with why", check: "screen_lock", want: NotApplicable, reason: "mobile device (ipados)"},
		{name: "iPad disk encryption is n/a, with why", check: "disk_encryption", want: NotApplicable, reason: "MDM"},
	})
	server := func(id string) jumpcloud.System {
		d := linux(id)
		d.DesktopCapable = ptr(false)
		return d
	}
	runDeviceCases(t, server, []deviceCase{
		{name: "server screen lock is n/a", check: "screen_lock", want: NotApplicable, reason: "desktopCapable=false"},
		{name: "server disk encryption still applies", check: "disk_encryption", want: Unknown, reason: "no fde state"},
	})
	unknown := func(string) jumpcloud.System { return device("Haiku", "") }
	runDeviceCases(t, unknown, []deviceCase{
		{name: "unknown family: encryption unknown", check: "disk_encryption", want: Unknown, reason: "family"},
		{name: "unknown family: firewall unknown", check: "firewall", want: Unknown, reason: "family"},
	})
	// Missing evidence is never compliant overall.
	s := okSnapshot()
	s.Devices = jumpcloud.CompactDevices(linux("bare"))
	if o := Evaluate(s, DefaultThresholds()).Devices[0].Overall; o == Pass || o == NotApplicable {
		t.Errorf("a Linux host with no evidence is %s overall", o)
	}
}

func TestOSVersionEndOfSupport(t *testing.T) {
	at := func(y int, m time.Month, d int) func(s *Snapshot, _ *jumpcloud.System) {
		return func(s *Snapshot, _ *jumpcloud.System) { s.CollectedAt = time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	}
	winOS := func(name, version string, when func(*Snapshot, *jumpcloud.System)) func(*Snapshot, *jumpcloud.System) {
		return func(s *Snapshot, d *jumpcloud.System) {
			when(s, d)
			recent := s.CollectedAt.Add(-time.Hour)
			d.LastContact = &recent
			d.Version = version
			d.OSVersionDetail = &jumpcloud.OSVersionDetail{OSName: name}
		}
	}
	runDeviceCases(t, win, []deviceCase{
		{name: "Windows 10 22H2 Pro after October 2025", check: "os_version", want: Fail, reason: "reached end of support on 2025-10-14",
			setup: winOS("Microsoft Windows 10 Pro", "10.0.19045", at(2026, 8, 1))},
		{name: "Windows 11 23H2 Enterprise after November 2026", check: "os_version", want: Fail, reason: "2026-11-10",
			setup: winOS("Microsoft Windows 11 Enterprise", "10.0.22631", at(2026, 12, 1))},
		{name: "Windows 11 23H2 Enterprise before November 2026", check: "os_version", want: Pass, reason: "until 2026-11-10",
			setup: winOS("Microsoft Windows 11 Enterprise", "10.0.22631", at(2026, 8, 1))},
		{name: "Windows 10 Enterprise LTSC 2021 until January 2027", check: "os_version", want: Pass, reason: "2027-01-12",
			setup: winOS("Microsoft Windows 10 Enterprise LTSC 2021", "10.0.19044", at(2026, 12, 1))},
	})
	runDeviceCases(t, mac, []deviceCase{
		{name: "unpatched macOS 14.0", check: "os_version", want: Fail, reason: "below its latest security release 14.8.2",
			setup: func(s *Snapshot, d *jumpcloud.System) { d.Version = "14.0" }},
		{name: "patched macOS 14.8.2", check: "os_version", want: Pass, reason: "Sonoma",
			setup: func(s *Snapshot, d *jumpcloud.System) { d.Version = "14.8.2" }},
		{name: "macOS 13 out of support", check: "os_version", want: Fail, reason: "no longer receives security updates",
			setup: func(s *Snapshot, d *jumpcloud.System) { d.Version = "13.7.8" }},
		{name: "--min-os still overrides", check: "os_version", want: Pass, reason: "meets the minimum 14.0",
			th:    func(t *Thresholds) { t.MinOSVersion = map[string]string{"darwin": "14.0"} },
			setup: func(s *Snapshot, d *jumpcloud.System) { d.Version = "14.0" }},
	})
	runDeviceCases(t, linux, []deviceCase{
		{name: "Ubuntu 20.04 past standard support", check: "os_version", want: Fail, reason: "2025-05-31",
			setup: func(s *Snapshot, d *jumpcloud.System) { d.Version = "20.04" }},
		{name: "a distribution the table lacks is unknown", check: "os_version", want: Unknown, reason: "--min-os linux",
			setup: func(s *Snapshot, d *jumpcloud.System) { d.OS, d.Version = "Gentoo", "2.17" }},
	})
	if !strings.Contains(DefaultThresholds().Describe(), "end-of-support table as of "+OSSupport().AsOf) {
		t.Errorf("the table's date is not stated: %s", DefaultThresholds().Describe())
	}
}

func TestOSSupportTableIsValid(t *testing.T) {
	tab := OSSupport()
	if _, err := time.Parse("2006-01-02", tab.AsOf); err != nil {
		t.Fatalf("asOf: %v", err)
	}
	var dates []string
	for _, w := range tab.Windows {
		dates = append(dates, w.Consumer, w.Enterprise, w.LTSC)
	}
	for _, m := range tab.Darwin {
		dates = append(dates, m.EndOfSupport)
	}
	for _, l := range tab.Linux {
		dates = append(dates, l.EndOfSupport)
	}
	for _, d := range dates {
		if _, err := supportedOn(d, time.Now()); err != nil {
			t.Errorf("bad date %q: %v", d, err)
		}
	}
	for _, k := range []string{"windows", "darwin", "linux"} {
		if tab.Sources[k] == "" {
			t.Errorf("no source for the %s dates", k)
		}
	}
}

func TestFreshnessFirewallAntivirusNoise(t *testing.T) {
	stale := func(s *Snapshot, d *jumpcloud.System) {
		old := s.CollectedAt.Add(-200 * 24 * time.Hour)
		d.LastContact = &old
	}
	oldRow := func(system string, age time.Duration, cols map[string]any) jumpcloud.InsightRow {
		return jumpcloud.NewInsightRow(system, collected.Add(-age).Format(time.RFC3339), cols)
	}
	runDeviceCases(t, mac, []deviceCase{
		{name: "stale device: encryption on old data is unknown", check: "disk_encryption", want: Unknown, reason: "200 days ago",
			setup: func(s *Snapshot, d *jumpcloud.System) { stale(s, d); d.FDE = &jumpcloud.FDE{Active: true} }},
		{name: "SI rows older than the limit are not evidence", check: "firewall", want: Unknown, reason: "more than 7 days",
			setup: func(s *Snapshot, d *jumpcloud.System) {
				insights(s, jumpcloud.TableALF, oldRow("dev", 10*24*time.Hour, map[string]any{"global_state": float64(1)}))
			}},
		{name: "SI row age limit is a flag", check: "firewall", want: Pass, reason: "on",
			th: func(t *Thresholds) { t.InsightsMaxAgeDays = 30 },
			setup: func(s *Snapshot, d *jumpcloud.System) {
				insights(s, jumpcloud.TableALF, oldRow("dev", 10*24*time.Hour, map[string]any{"global_state": float64(1)}))
			}},
		{name: "macOS 15 ALF 0 is unknown", check: "firewall", want: Unknown, reason: "osquery before 5.14",
			setup: func(s *Snapshot, d *jumpcloud.System) {
				d.Version = "15.7.2"
				insights(s, jumpcloud.TableALF, row("dev", map[string]any{"global_state": float64(0)}))
			}},
		{name: "macOS 15 ALF 0 confirmed by a firewall policy", check: "firewall", want: Pass, reason: "firewall policy applied",
			setup: func(s *Snapshot, d *jumpcloud.System) {
				d.Version = "15.7.2"
				insights(s, jumpcloud.TableALF, row("dev", map[string]any{"global_state": float64(0)}))
				s.Policies = []jumpcloud.Policy{{ID: "fw", Name: "Firewall", Template: jumpcloud.PolicyTemplate{Name: "firewall_darwin"}}}
				s.PolicyStatuses = []jumpcloud.PolicyResult{{PolicyID: "fw", SystemID: "dev", State: "success"}}
			}},
		{name: "macOS 14 ALF 0 fails", check: "firewall", want: Fail, reason: "off",
			setup: func(s *Snapshot, d *jumpcloud.System) {
				insights(s, jumpcloud.TableALF, row("dev", map[string]any{"global_state": float64(0)}))
			}},
		{name: "macOS antivirus: XProtect stated", check: "antivirus", want: NotApplicable, reason: "XProtect"},
	})
	wsc := func(fw, av string) func(*Snapshot, *jumpcloud.System) {
		return func(s *Snapshot, _ *jumpcloud.System) {
			insights(s, jumpcloud.TableWindowsSecurityCenter, row("dev", map[string]any{"firewall": fw, "antivirus": av}))
		}
	}
	runDeviceCases(t, win, []deviceCase{
		{name: "firewall Not Monitored", check: "firewall", want: Unknown, reason: "does not monitor", setup: wsc("Not Monitored", "Good")},
		{name: "firewall Error", check: "firewall", want: Unknown, reason: "Error", setup: wsc("Error", "Good")},
		{name: "antivirus Not Monitored", check: "antivirus", want: Unknown, reason: "does not monitor", setup: wsc("Good", "Not Monitored")},
		{name: "antivirus Poor still fails", check: "antivirus", want: Fail, reason: "Poor", setup: wsc("Good", "Poor")},
		{name: "fewer statuses than policyStats.total", check: "policies_applied", want: Unknown, reason: "5 policies are bound",
			setup: func(s *Snapshot, d *jumpcloud.System) {
				d.PolicyStats = &jumpcloud.PolicyStats{Total: 5, Success: 2}
				s.Policies = []jumpcloud.Policy{{ID: "a", Name: "A"}, {ID: "b", Name: "B"}}
				s.PolicyStatuses = []jumpcloud.PolicyResult{{PolicyID: "a", SystemID: "dev", State: "success"},
					{PolicyID: "b", SystemID: "dev", State: "success"}}
			}},
	})
}

func TestUserRulesIssue15(t *testing.T) {
	s := okSnapshot()
	past, future := collected.Add(-24*time.Hour), collected.Add(30*24*time.Hour)
	s.Users = []jumpcloud.SystemUser{
		{ID: "excluded-enrolled", TOTPEnabled: ptr(true), MFA: &jumpcloud.MFA{Configured: true, Exclusion: true, ExclusionUntil: &future}},
		{ID: "exclusion-over", TOTPEnabled: ptr(true), MFA: &jumpcloud.MFA{Configured: true, Exclusion: true, ExclusionUntil: &past}},
		{ID: "staged", State: "STAGED", TOTPEnabled: ptr(false)},
		{ID: "locked-but-mfa", AccountLocked: true, TOTPEnabled: ptr(true)},
	}
	rep := Evaluate(s, DefaultThresholds())
	byID := map[string]UserReport{}
	for _, u := range rep.Users {
		byID[u.ID] = u
	}
	if r := byID["excluded-enrolled"].Result("mfa_enrolled"); r.Status != Fail || !strings.Contains(r.Reason, "excluded") {
		t.Errorf("an excluded user passes MFA: %s %q", r.Status, r.Reason)
	}
	if r := byID["exclusion-over"].Result("mfa_enrolled"); r.Status != Pass {
		t.Errorf("an expired exclusion still fails: %s %q", r.Status, r.Reason)
	}
	for _, r := range byID["staged"].Results {
		if r.Status != NotApplicable || !strings.Contains(r.Reason, "staged") {
			t.Errorf("staged user %s = %s (%q), want n/a", r.Check, r.Status, r.Reason)
		}
	}
	if u := byID["locked-but-mfa"]; u.Result("account_locked").Status != Fail || u.Overall != Pass {
		t.Errorf("hygiene counted in the overall verdict: account_locked %s, overall %s", u.Result("account_locked").Status, u.Overall)
	}

	// Admin MFA: requireAdminMFA on means enableMultiFactor=false does not fail an enrolled admin.
	s.Admins = []jumpcloud.Admin{{ID: "sso-admin", TOTPEnrolled: ptr(true), EnableMultiFactor: ptr(false)}}
	for _, c := range []struct {
		require bool
		want    Status
	}{{true, Pass}, {false, Fail}} {
		s.Settings = &jumpcloud.OrganizationSettings{RequireAdminMFA: ptr(c.require)}
		if got := Evaluate(s, DefaultThresholds()).Admins[0].Result("admin_mfa").Status; got != c.want {
			t.Errorf("requireAdminMFA=%t: admin_mfa %s, want %s", c.require, got, c.want)
		}
	}

	// Password policy: enableMinLength and passwordCompliance decide; the enable* flags are shown.
	org := func(settings jumpcloud.OrganizationSettings) Result {
		s.Settings = &settings
		return findResult(Evaluate(s, DefaultThresholds()).Org, "password_policy")
	}
	r := org(jumpcloud.OrganizationSettings{PasswordCompliance: "custom",
		PasswordPolicy: &jumpcloud.PasswordPolicy{MinLength: ptr(14), EnableMinLength: ptr(false)}})
	if r.Status != Fail || !strings.Contains(r.Reason, "enableMinLength") || !hasEvidence(r, "enableMinLength", "false") {
		t.Errorf("minLength not enforced: %s %q %+v", r.Status, r.Reason, r.Evidence)
	}
	if r := org(jumpcloud.OrganizationSettings{PasswordCompliance: "pci3",
		PasswordPolicy: &jumpcloud.PasswordPolicy{MinLength: ptr(14), EnableMinLength: ptr(true)}}); r.Status != Unknown {
		t.Errorf("a preset's rules are not in the API: %s %q", r.Status, r.Reason)
	}
	if r := org(jumpcloud.OrganizationSettings{PasswordCompliance: "custom",
		PasswordPolicy: &jumpcloud.PasswordPolicy{MinLength: ptr(14), EnableMinLength: ptr(true)}}); r.Status != Pass {
		t.Errorf("custom 14 enforced: %s %q", r.Status, r.Reason)
	}

	// MFA required by conditional access: enabled, MFA, user portal, every user.
	mfaPolicy := func(disabled bool, groups *jumpcloud.AuthnInclusions) jumpcloud.AuthnPolicy {
		p := jumpcloud.AuthnPolicy{Name: "portal", Disabled: disabled, Type: "user_portal"}
		p.Effect.Action = "allow"
		p.Effect.Obligations.MFA = &struct {
			Required bool `json:"required"`
		}{true}
		p.Targets.UserGroups = groups
		return p
	}
	for _, c := range []struct {
		name string
		pol  jumpcloud.AuthnPolicy
		want Status
	}{
		{"enabled, all users", mfaPolicy(false, nil), Pass},
		{"disabled", mfaPolicy(true, nil), Fail},
		{"one group only", mfaPolicy(false, &jumpcloud.AuthnInclusions{Inclusions: []string{"g1"}}), Fail},
		{"a group excluded", mfaPolicy(false, &jumpcloud.AuthnInclusions{Exclusions: []string{"g2"}}), Fail},
	} {
		s.AuthnPolicies = []jumpcloud.AuthnPolicy{c.pol}
		if got := findResult(Evaluate(s, DefaultThresholds()).Org, "mfa_required"); got.Status != c.want {
			t.Errorf("mfa_required %s: %s (%q), want %s", c.name, got.Status, got.Reason, c.want)
		}
	}
	setState(s, string(jumpcloud.SourceAuthnPolicies), StateNotPermitted)
	if got := findResult(Evaluate(s, DefaultThresholds()).Org, "mfa_required"); got.Status != Unknown {
		t.Errorf("mfa_required without conditional access: %s", got.Status)
	}
}

// One table gives every check its severity and control references; the CSV and the summary read
// it.
func TestEveryCheckHasAControl(t *testing.T) {
	for _, c := range AllChecks() {
		ctl := ControlOf(c.ID)
		if ctl.Severity == "" || len(ctl.SOC2) == 0 || len(ctl.ISO27001) == 0 || len(ctl.Sources) == 0 {
			t.Errorf("%s: incomplete control row %+v", c.ID, ctl)
		}
		if !strings.Contains(ControlsHelp(), c.ID) {
			t.Errorf("%s missing from --help", c.ID)
		}
	}
	if len(Controls) != len(AllChecks()) {
		t.Errorf("%d control rows for %d checks", len(Controls), len(AllChecks()))
	}
	s := okSnapshot()
	s.Devices = jumpcloud.CompactDevices(mac("m"))
	rep := Evaluate(s, DefaultThresholds())
	rows := CheckRows(rep)
	if got := rows[0][len(CheckColumns)-3:]; got[0] == "" || !strings.Contains(got[1], "SOC 2") {
		t.Errorf("checks.csv lacks severity/controls: %v", got)
	}
	if sum := Summary(s, rep); !strings.Contains(sum, "A.8.24") || !strings.Contains(sum, "dated "+OSSupport().AsOf) {
		t.Error("the summary lacks the control references or the table's date")
	}
}
