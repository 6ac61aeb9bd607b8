package evidence

import (
	"fmt"
	"strings"

	"jcconnect/jumpcloud"
)

// isFirewallTemplate: a firewall policy's status is the firewall's evidence where System
// Insights has none (Linux) or cannot be trusted (macOS 15's alf).
func isFirewallTemplate(t jumpcloud.PolicyTemplate) bool {
	return strings.Contains(strings.ToLower(t.Name), "firewall")
}

// firewallPolicy reports the best outcome of the firewall policies bound to the device (template
// names containing "firewall", as JumpCloud's do: "firewall_darwin", ...), and their names,
// appended to names[:0] (a caller's small array).
func firewallPolicy(ix *index, statuses deviceStatuses, names []string) (outcome string, _ []string) {
	names = names[:0]
	for _, st := range statuses.states {
		f := &ix.facts[st.policy]
		if !f.firewall {
			continue
		}
		names = append(names, f.firewallAll[st.outcome])
		if o := outcomeNames[st.outcome]; rank(o) > rank(outcome) {
			outcome = o
		}
	}
	return outcome, names
}

// checkFirewall: ver is deviceVersion's.
func checkFirewall(s *Snapshot, ix *index, d *jumpcloud.Device, ver string, statuses deviceStatuses, e *deviceEvidence) Result {
	res := Result{Check: "firewall"}
	if why := notApplicableDevice(d, false); why != "" {
		res.Status, res.Reason = NotApplicable, why
		return res
	}
	var namesBuf [4]string
	pol, names := firewallPolicy(ix, statuses, namesBuf[:])
	if len(names) > 0 {
		e.add("firewall policies", strings.Join(names, "; "))
	}
	switch d.Family() {
	case jumpcloud.FamilyDarwin:
		rows, why := siRows(s, ix, d, jumpcloud.TableALF)
		if len(rows) == 0 {
			res.Status, res.Reason = Unknown, why
			return res
		}
		last := rows[len(rows)-1]
		state, ok := last.Int("global_state")
		e.add("alf.global_state", last.String("global_state"))
		e.add("alf collection_time", last.CollectionTime())
		major := 0
		var buf versionBuf
		if p, ok := versionParts(ver, buf[:]); ok {
			major = p[0]
		}
		switch {
		case !ok:
			res.Status, res.Reason = Unknown, "alf.global_state is not a number"
		case state >= 1:
			res.Status, res.Reason = Pass, "the macOS application firewall is on"
		case major >= 15 && pol == jumpcloud.OutcomeSuccess:
			res.Status, res.Reason = Pass, "alf.global_state reads 0, which osquery before 5.14 reports on macOS 15 whatever the setting, and a firewall policy applied successfully"
		case major >= 15:
			res.Status, res.Reason = Unknown, "alf.global_state reads 0, but osquery before 5.14 reports 0 on macOS 15 whatever the setting, and no firewall policy confirms the state"
		default:
			res.Status, res.Reason = Fail, "the macOS application firewall is off (global_state 0)"
		}
	case jumpcloud.FamilyWindows:
		return wscCheck(s, ix, d, "firewall", "firewall", e)
	case jumpcloud.FamilyLinux:
		// System Insights has no Linux firewall table (reference §8): a firewall policy is the only
		// evidence.
		switch pol {
		case jumpcloud.OutcomeSuccess:
			res.Status, res.Reason = Pass, "a firewall policy applied successfully"
		case jumpcloud.OutcomeFailed:
			res.Status, res.Reason = Fail, "the firewall policy bound to this device failed to apply"
		case "":
			res.Status, res.Reason = Unknown, "JumpCloud reports no firewall state for Linux and no firewall policy is bound"
		default:
			res.Status, res.Reason = Unknown, "the firewall policy bound to this device has not reported success ("+pol+")"
		}
	default:
		res.Status, res.Reason = Unknown, "the OS family of this device is unknown, so no firewall evidence can be read"
	}
	return res
}

// checkAntivirus: ver is deviceVersion's.
func checkAntivirus(s *Snapshot, ix *index, d *jumpcloud.Device, ver string, e *deviceEvidence) Result {
	res := Result{Check: "antivirus"}
	if why := notApplicableDevice(d, false); why != "" {
		res.Status, res.Reason = NotApplicable, why
		return res
	}
	switch d.Family() {
	case jumpcloud.FamilyWindows:
		return wscCheck(s, ix, d, "antivirus", "antivirus", e)
	case jumpcloud.FamilyDarwin:
		e.add("version", ver)
		if cmp, ok := CompareVersions(ver, "11"); ok && cmp >= 0 {
			res.Status, res.Reason = NotApplicable, "macOS "+ver+" has Apple's built-in XProtect malware protection, which cannot be turned off and which JumpCloud does not report"
			return res
		}
		res.Status, res.Reason = Unknown, "JumpCloud reports no antivirus state for macOS "+firstNonEmpty(ver, "of an unknown version")
	case jumpcloud.FamilyLinux:
		res.Status, res.Reason = NotApplicable, "JumpCloud reports no antivirus state for Linux; malware protection on Linux hosts is judged outside this tool"
	default:
		res.Status, res.Reason = Unknown, "the OS family of this device is unknown, so no antivirus evidence can be read"
	}
	return res
}

// wscCheck reads one column of windows_security_center, where "Good" is the healthy value and
// "Poor"/"Snoozed" unhealthy. "Not Monitored" (servers, third-party products Security Center
// does not track) and "Error" say nothing about the protection itself: unknown, with why. Its
// evidence follows what the check added to e before.
func wscCheck(s *Snapshot, ix *index, d *jumpcloud.Device, check, col string, e *deviceEvidence) Result {
	res := Result{Check: check}
	rows, why := siRows(s, ix, d, jumpcloud.TableWindowsSecurityCenter)
	if len(rows) == 0 {
		res.Status, res.Reason = Unknown, why
		return res
	}
	last := rows[len(rows)-1]
	v := last.String(col)
	e.add("windows_security_center."+col, v)
	e.add("windows_security_center collection_time", last.CollectionTime())
	switch {
	case v == "":
		res.Status, res.Reason = Unknown, "windows_security_center has no "+col+" value"
	case strings.EqualFold(v, "Good"):
		res.Status, res.Reason = Pass, "Windows Security Center reports "+col+" Good"
	case strings.EqualFold(v, "Not Monitored"):
		res.Status, res.Reason = Unknown, fmt.Sprintf("Windows Security Center does not monitor the %s here (a server, or a third-party product it does not track); windows_security_products is not collected", col)
	case strings.EqualFold(v, "Error"):
		res.Status, res.Reason = Unknown, "Windows Security Center could not read the "+col+" state (Error)"
	default:
		res.Status, res.Reason = Fail, fmt.Sprintf("Windows Security Center reports %s %q", col, v)
	}
	return res
}
