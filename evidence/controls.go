package evidence

import (
	"fmt"
	"sort"
	"strings"

	"jcconnect/jumpcloud"
)

// Severity ranks how much a failed check matters to an auditor.
type Severity string

const (
	Critical Severity = "critical"
	High     Severity = "high"
	Medium   Severity = "medium"
	Low      Severity = "low"
)

// Control is what an auditor names a check by: its severity, the SOC 2 (2017 Trust Services
// Criteria) and ISO/IEC 27001:2022 Annex A controls it is evidence for, whether it is hygiene
// (reported, kept out of the overall verdict), and the sources it is decided on (the gate calls
// evidence partial when one of them was not read).
type Control struct {
	Check    string
	Severity Severity
	SOC2     []string
	ISO27001 []string
	Hygiene  bool
	Sources  []string
}

// Controls is the one table every output takes severities and control references from: the
// CSVs, the summary, `evidence check` and --help.
var Controls = func() []Control {
	dev := string(jumpcloud.SourceDevices)
	pol, res := string(jumpcloud.SourcePolicies), string(jumpcloud.SourcePolicyResults)
	si := InsightSource
	users, admins := string(jumpcloud.SourceUsers), string(jumpcloud.SourceAdmins)
	return []Control{
		{"disk_encryption", High, []string{"CC6.1", "CC6.7"}, []string{"A.8.1", "A.8.24"}, false,
			[]string{dev, si(jumpcloud.TableDiskEncryption), si(jumpcloud.TableBitlockerInfo), si(jumpcloud.TableMounts)}},
		{"firewall", Medium, []string{"CC6.6"}, []string{"A.8.20"}, false,
			[]string{dev, si(jumpcloud.TableALF), si(jumpcloud.TableWindowsSecurityCenter), pol, res}},
		{"antivirus", High, []string{"CC6.8"}, []string{"A.8.7"}, false, []string{dev, si(jumpcloud.TableWindowsSecurityCenter)}},
		{"screen_lock", Medium, []string{"CC6.1"}, []string{"A.7.7", "A.8.1"}, false,
			[]string{dev, pol, res, SourcePolicySettings, si(jumpcloud.TableManagedPolicies)}},
		{"policies_applied", Medium, []string{"CC7.1", "CC8.1"}, []string{"A.8.9"}, false, []string{dev, pol, res}},
		{"os_version", High, []string{"CC7.1"}, []string{"A.8.8"}, false, []string{dev, si(jumpcloud.TableOSVersion)}},
		{"agent_checkin", Medium, []string{"CC7.1"}, []string{"A.8.1", "A.8.16"}, false, []string{dev}},
		{"system_insights", Low, []string{"CC7.2"}, []string{"A.8.16"}, true, []string{dev}},
		{"mfa_enrolled", High, []string{"CC6.1"}, []string{"A.8.5"}, false, []string{users}},
		{"suspended_not_locked", Low, []string{"CC6.2"}, []string{"A.5.18"}, true, []string{users}},
		{"password_expired", Medium, []string{"CC6.1"}, []string{"A.5.17"}, false, []string{users}},
		{"account_locked", Low, []string{"CC6.1"}, []string{"A.5.18"}, true, []string{users}},
		{"admin_mfa", Critical, []string{"CC6.1", "CC6.3"}, []string{"A.8.2", "A.8.5"}, false, []string{admins, SourceOrganization}},
		{"password_policy", Medium, []string{"CC6.1"}, []string{"A.5.17"}, false, []string{SourceOrganization}},
		{"admin_mfa_required", High, []string{"CC6.1"}, []string{"A.8.5"}, false, []string{SourceOrganization}},
		{"mfa_required", High, []string{"CC6.1"}, []string{"A.8.5"}, false, []string{string(jumpcloud.SourceAuthnPolicies)}},
	}
}()

// ControlOf returns a check's row of Controls (zero Control when the check is unknown).
func ControlOf(check string) Control {
	for _, c := range Controls {
		if c.Check == check {
			return c
		}
	}
	return Control{}
}

// IsHygiene reports whether a check is hygiene or coverage: reported, but not part of the
// overall verdict of its device or user.
func IsHygiene(check string) bool { return ControlOf(check).Hygiene }

// References is "SOC 2 CC6.1, CC6.7; ISO 27001 A.8.1, A.8.24".
func (c Control) References() string {
	var parts []string
	if len(c.SOC2) > 0 {
		parts = append(parts, "SOC 2 "+strings.Join(c.SOC2, ", "))
	}
	if len(c.ISO27001) > 0 {
		parts = append(parts, "ISO 27001 "+strings.Join(c.ISO27001, ", "))
	}
	return strings.Join(parts, "; ")
}

// AllChecks lists every check id in output order (devices, users, administrators, organisation).
func AllChecks() []CheckInfo {
	var out []CheckInfo
	for _, list := range [][]CheckInfo{DeviceChecks, UserChecks, AdminChecks, OrgChecks} {
		out = append(out, list...)
	}
	return out
}

// ControlsHelp is the control table as text for --help.
func ControlsHelp() string {
	var b strings.Builder
	for _, c := range AllChecks() {
		ctl := ControlOf(c.ID)
		note := ""
		if ctl.Hygiene {
			note = " (hygiene: not in the overall verdict)"
		}
		fmt.Fprintf(&b, "  %-21s %-8s %s%s\n", c.ID, ctl.Severity, ctl.References(), note)
	}
	return b.String()
}

// checkSources returns the sources a set of checks is decided on, sorted.
func checkSources(checks []string) []string {
	seen := map[string]bool{}
	for _, c := range checks {
		for _, s := range ControlOf(c).Sources {
			seen[s] = true
		}
	}
	out := make([]string, 0, len(seen))
	for s := range seen {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}
