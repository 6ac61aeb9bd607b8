package evidence

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"jcconnect/jumpcloud"
)

func evaluateDevice(s *Snapshot, ix *index, t Thresholds, d *jumpcloud.System) DeviceReport {
	r := DeviceReport{ID: d.ID, Name: d.Name(), Hostname: d.Hostname, OS: d.OS,
		OSVersion: deviceVersion(ix, d), Family: d.Family(), LastContact: d.LastContact}
	if d.PrimarySystemUser != nil && d.PrimarySystemUser.ID != "" {
		r.Owner = d.PrimarySystemUser.ID
		if u := ix.users[d.PrimarySystemUser.ID]; u != nil {
			r.Owner = firstNonEmpty(u.Username, u.Email, u.ID)
		}
	}
	r.Results = []Result{
		checkDiskEncryption(s, ix, d),
		checkFirewall(s, ix, d),
		checkAntivirus(s, ix, d),
		checkScreenLock(s, ix, d),
		checkPoliciesApplied(s, ix, d),
		checkOSVersion(s, ix, t, d),
		checkAgentCheckin(s, t, d),
		checkSystemInsights(s, d),
	}
	r.Overall = overall(r.Results)
	return r
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// siRows returns a device's rows of one table, or a reason they are missing.
func siRows(s *Snapshot, ix *index, d *jumpcloud.System, table string) ([]jumpcloud.InsightRow, string) {
	if why := unreadable(s, InsightSource(table)); why != "" {
		return nil, why
	}
	rows := ix.insights[table][d.ID]
	if len(rows) > 0 {
		return rows, ""
	}
	if d.SystemInsights != nil && !strings.EqualFold(d.SystemInsights.State, "enabled") {
		return nil, fmt.Sprintf("System Insights is %q on this device, so there is no %s data", d.SystemInsights.State, table)
	}
	return nil, "no System Insights " + table + " rows for this device"
}

func checkDiskEncryption(s *Snapshot, ix *index, d *jumpcloud.System) Result {
	res := Result{Check: "disk_encryption", Evidence: ev("fde.active", fdeActive(d), "os", d.OS)}
	fam := d.Family()
	var siEncrypted *bool // what System Insights says, nil when it says nothing
	var siWhy string
	switch fam {
	case "darwin", "linux":
		rows, why := siRows(s, ix, d, jumpcloud.TableDiskEncryption)
		siWhy = why
		if len(rows) > 0 {
			any := false
			for _, row := range rows {
				n, ok := row.Int("encrypted")
				res.Evidence = append(res.Evidence, Evidence{"disk_encryption " + row.String("name"),
					"encrypted=" + row.String("encrypted") + " status=" + row.String("encryption_status")})
				if ok && n == 1 {
					any = true
				}
			}
			siEncrypted = &any
		}
	case "windows":
		rows, why := siRows(s, ix, d, jumpcloud.TableBitlockerInfo)
		siWhy = why
		if len(rows) > 0 {
			// The system drive decides; without a C: row, every drive must be protected.
			var decided *bool
			all := true
			for _, row := range rows {
				n, ok := row.Int("protection_status")
				on := ok && n == 1
				res.Evidence = append(res.Evidence, Evidence{"bitlocker " + row.String("drive_letter"),
					"protection_status=" + row.String("protection_status") + " percentage_encrypted=" + row.String("percentage_encrypted")})
				if strings.EqualFold(strings.TrimSpace(row.String("drive_letter")), "C:") {
					decided = &on
				}
				all = all && on
			}
			if decided == nil {
				decided = &all
			}
			siEncrypted = decided
		}
	}
	switch {
	case d.FDE != nil && d.FDE.Active:
		res.Status, res.Reason = Pass, "the JumpCloud agent reports full-disk encryption active"
	case siEncrypted != nil && *siEncrypted:
		res.Status, res.Reason = Pass, "System Insights reports the disk encrypted"
	case fam == "linux" && siEncrypted == nil && d.FDE == nil:
		res.Status, res.Reason = NotApplicable, "JumpCloud reports no full-disk-encryption evidence for Linux"
	case d.FDE != nil:
		res.Status, res.Reason = Fail, "the JumpCloud agent reports full-disk encryption inactive"
	case siEncrypted != nil:
		res.Status, res.Reason = Fail, "System Insights reports the disk not encrypted"
	case fam == "darwin" || fam == "windows":
		res.Status, res.Reason = Unknown, "the agent sent no fde state and "+siWhy
	default:
		res.Status, res.Reason = NotApplicable, "no disk-encryption evidence for OS "+strconv.Quote(d.OS)
	}
	return res
}

func fdeActive(d *jumpcloud.System) string {
	if d.FDE == nil {
		return "absent"
	}
	return strconv.FormatBool(d.FDE.Active)
}

func checkFirewall(s *Snapshot, ix *index, d *jumpcloud.System) Result {
	res := Result{Check: "firewall"}
	switch d.Family() {
	case "darwin":
		rows, why := siRows(s, ix, d, jumpcloud.TableALF)
		if len(rows) == 0 {
			res.Status, res.Reason = Unknown, why
			return res
		}
		state, ok := rows[len(rows)-1].Int("global_state")
		res.Evidence = ev("alf.global_state", rows[len(rows)-1].String("global_state"))
		switch {
		case !ok:
			res.Status, res.Reason = Unknown, "alf.global_state is not a number"
		case state >= 1:
			res.Status, res.Reason = Pass, "the macOS application firewall is on"
		default:
			res.Status, res.Reason = Fail, "the macOS application firewall is off (global_state 0)"
		}
	case "windows":
		return wscCheck(s, ix, d, "firewall", "firewall")
	default:
		res.Status, res.Reason = NotApplicable, "JumpCloud reports no firewall evidence for "+osLabel(d)
	}
	return res
}

func checkAntivirus(s *Snapshot, ix *index, d *jumpcloud.System) Result {
	if d.Family() == "windows" {
		return wscCheck(s, ix, d, "antivirus", "antivirus")
	}
	return Result{Check: "antivirus", Status: NotApplicable,
		Reason: "JumpCloud reports no antivirus evidence for " + osLabel(d)}
}

// wscCheck reads one column of windows_security_center, where "Good" is the healthy value.
func wscCheck(s *Snapshot, ix *index, d *jumpcloud.System, check, col string) Result {
	res := Result{Check: check}
	rows, why := siRows(s, ix, d, jumpcloud.TableWindowsSecurityCenter)
	if len(rows) == 0 {
		res.Status, res.Reason = Unknown, why
		return res
	}
	v := rows[len(rows)-1].String(col)
	res.Evidence = ev("windows_security_center."+col, v)
	switch {
	case v == "":
		res.Status, res.Reason = Unknown, "windows_security_center has no "+col+" value"
	case strings.EqualFold(v, "Good"):
		res.Status, res.Reason = Pass, "Windows Security Center reports "+col+" Good"
	default:
		res.Status, res.Reason = Fail, fmt.Sprintf("Windows Security Center reports %s %q", col, v)
	}
	return res
}

func osLabel(d *jumpcloud.System) string {
	if d.OS != "" {
		return d.OS
	}
	if f := d.Family(); f != "" {
		return f
	}
	return "this OS"
}

// checkScreenLock passes when a policy made from a screen-lock template is bound to the device
// and its latest result is a success. There is no screen-lock System Insights table.
func checkScreenLock(s *Snapshot, ix *index, d *jumpcloud.System) Result {
	res := Result{Check: "screen_lock"}
	if why := unreadable(s, string(jumpcloud.SourcePolicies)); why != "" {
		res.Status, res.Reason = Unknown, why
		return res
	}
	var outcomes []string
	best := ""
	for _, st := range ix.statuses[d.ID] {
		if !ix.screenLock[st.PolicyID] {
			continue
		}
		o := st.Outcome()
		outcomes = append(outcomes, ix.policies[st.PolicyID].Name+"="+o)
		if rank(o) > rank(best) {
			best = o
		}
	}
	sort.Strings(outcomes)
	res.Evidence = ev("screen-lock policies", strings.Join(outcomes, "; "))
	// On macOS the configuration-profile keys are shown beside the policy as supporting
	// evidence; they do not decide (their meaning as evidence is unconfirmed, reference §8).
	for _, row := range ix.insights[jumpcloud.TableManagedPolicies][d.ID] {
		if strings.EqualFold(row.String("domain"), "com.apple.screensaver") {
			res.Evidence = append(res.Evidence, Evidence{"managed_policies com.apple.screensaver " + row.String("name"), row.String("value")})
		}
	}
	switch best {
	case jumpcloud.OutcomeSuccess:
		res.Status, res.Reason = Pass, "a screen-lock policy is bound and applied successfully"
	case jumpcloud.OutcomeFailed:
		res.Status, res.Reason = Fail, "the screen-lock policy bound to this device failed to apply"
	case jumpcloud.OutcomePending, jumpcloud.OutcomeUnknown:
		res.Status, res.Reason = Unknown, "the screen-lock policy bound to this device has not reported success yet ("+best+")"
	default:
		if why := unreadable(s, string(jumpcloud.SourcePolicyResults)); why != "" {
			res.Status, res.Reason = Unknown, why
			return res
		}
		res.Status, res.Reason = Fail, "no screen-lock policy is bound to this device"
	}
	return res
}

// rank orders outcomes so that one success among several results decides.
func rank(o string) int {
	switch o {
	case jumpcloud.OutcomeSuccess:
		return 4
	case jumpcloud.OutcomePending:
		return 3
	case jumpcloud.OutcomeUnknown:
		return 2
	case jumpcloud.OutcomeFailed:
		return 1
	}
	return 0
}

func checkPoliciesApplied(s *Snapshot, ix *index, d *jumpcloud.System) Result {
	res := Result{Check: "policies_applied"}
	statuses := ix.statuses[d.ID]
	if why := unreadable(s, string(jumpcloud.SourcePolicyResults)); why != "" || len(statuses) == 0 {
		// Without per-policy statuses, the device's own counters are the evidence.
		if ps := d.PolicyStats; ps != nil {
			res.Evidence = ev("policyStats.total", strconv.Itoa(ps.Total), "policyStats.success", strconv.Itoa(ps.Success),
				"policyStats.failed", strconv.Itoa(ps.Failed), "policyStats.pending", strconv.Itoa(ps.Pending))
			switch {
			case ps.Failed > 0:
				res.Status, res.Reason = Fail, fmt.Sprintf("%d of %d bound policies failed (device counters)", ps.Failed, ps.Total)
			case ps.Total == 0:
				res.Status, res.Reason = NotApplicable, "no policies are bound to this device"
			case ps.Pending > 0:
				res.Status, res.Reason = Unknown, fmt.Sprintf("%d of %d bound policies are pending (device counters)", ps.Pending, ps.Total)
			default:
				res.Status, res.Reason = Pass, fmt.Sprintf("all %d bound policies applied (device counters)", ps.Total)
			}
			return res
		}
		if why != "" {
			res.Status, res.Reason = Unknown, why
		} else {
			res.Status, res.Reason = NotApplicable, "no policies are bound to this device"
		}
		return res
	}
	var failed, pending []string
	var all []string
	for _, st := range statuses {
		name := ix.policies[st.PolicyID].Name
		if name == "" {
			name = st.PolicyID
		}
		o := st.Outcome()
		all = append(all, name+"="+o)
		switch o {
		case jumpcloud.OutcomeFailed:
			failed = append(failed, name)
		case jumpcloud.OutcomePending, jumpcloud.OutcomeUnknown:
			pending = append(pending, name)
		}
	}
	sort.Strings(all)
	sort.Strings(failed)
	sort.Strings(pending)
	res.Evidence = ev("policy statuses", strings.Join(all, "; "))
	switch {
	case len(failed) > 0:
		res.Status, res.Reason = Fail, fmt.Sprintf("%d of %d policies failed: %s", len(failed), len(statuses), strings.Join(failed, ", "))
	case len(pending) > 0:
		res.Status, res.Reason = Unknown, fmt.Sprintf("%d of %d policies have not reported success: %s", len(pending), len(statuses), strings.Join(pending, ", "))
	default:
		res.Status, res.Reason = Pass, fmt.Sprintf("all %d bound policies applied", len(statuses))
	}
	return res
}

// deviceVersion is the best OS version evidence: System Insights os_version, else the agent's
// osVersionDetail, else the system's version string.
func deviceVersion(ix *index, d *jumpcloud.System) string {
	if rows := ix.insights[jumpcloud.TableOSVersion][d.ID]; len(rows) > 0 {
		row := rows[len(rows)-1]
		if d.Family() == "windows" {
			if maj, min, b := row.String("major"), row.String("minor"), row.String("build"); maj != "" && b != "" {
				return maj + "." + firstNonEmpty(min, "0") + "." + b
			}
		}
		if v := row.String("version"); v != "" {
			return v
		}
		if maj := row.String("major"); maj != "" {
			return strings.Join(nonEmpty(maj, row.String("minor"), row.String("patch")), ".")
		}
	}
	if od := d.OSVersionDetail; od != nil {
		// The agent's own version string first: rebuilt from major/minor/patch, Ubuntu's
		// "24.04" would read "24.4.0".
		if od.Version != "" {
			return od.Version
		}
		if od.Major != "" {
			return strings.Join(nonEmpty(od.Major, od.Minor, od.Patch), ".")
		}
	}
	return d.Version
}

func nonEmpty(vals ...string) []string {
	var out []string
	for _, v := range vals {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

func checkOSVersion(s *Snapshot, ix *index, t Thresholds, d *jumpcloud.System) Result {
	res := Result{Check: "os_version"}
	fam := d.Family()
	min, ok := t.MinOSVersion[fam]
	ver := deviceVersion(ix, d)
	res.Evidence = ev("version", ver, "family", fam, "minimum", min)
	if !ok || min == "" {
		res.Status, res.Reason = NotApplicable, "no minimum version is set for "+firstNonEmpty(fam, "this OS")
		return res
	}
	cmp, valid := CompareVersions(ver, min)
	switch {
	case !valid:
		res.Status, res.Reason = Unknown, fmt.Sprintf("the OS version %q could not be read as a version number", ver)
	case cmp < 0:
		res.Status, res.Reason = Fail, fmt.Sprintf("OS version %s is below the minimum %s", ver, min)
	default:
		res.Status, res.Reason = Pass, fmt.Sprintf("OS version %s meets the minimum %s", ver, min)
	}
	return res
}

// CompareVersions compares dotted numeric versions ("14.5" vs "14.0.1"), missing parts being 0.
// valid is false when either does not start with a number.
func CompareVersions(a, b string) (cmp int, valid bool) {
	pa, oka := versionParts(a)
	pb, okb := versionParts(b)
	if !oka || !okb {
		return 0, false
	}
	for i := 0; i < max(len(pa), len(pb)); i++ {
		var x, y int
		if i < len(pa) {
			x = pa[i]
		}
		if i < len(pb) {
			y = pb[i]
		}
		if x != y {
			if x < y {
				return -1, true
			}
			return 1, true
		}
	}
	return 0, true
}

// versionParts reads the leading numeric parts of a version ("10.0.19045 Build" → 10,0,19045).
func versionParts(v string) ([]int, bool) {
	v = strings.TrimSpace(v)
	v = strings.TrimPrefix(strings.TrimPrefix(v, "v"), "V")
	var out []int
	for _, p := range strings.Split(v, ".") {
		end := 0
		for end < len(p) && p[end] >= '0' && p[end] <= '9' {
			end++
		}
		if end == 0 {
			break
		}
		n, err := strconv.Atoi(p[:end])
		if err != nil {
			break
		}
		out = append(out, n)
		if end < len(p) {
			break
		}
	}
	return out, len(out) > 0
}

func checkAgentCheckin(s *Snapshot, t Thresholds, d *jumpcloud.System) Result {
	res := Result{Check: "agent_checkin", Evidence: ev("lastContact", timeText(d.LastContact),
		"collectedAt", timeText(&s.CollectedAt), "staleDays", strconv.Itoa(t.StaleDays))}
	if d.LastContact == nil {
		res.Status, res.Reason = Unknown, "the device has no last contact time"
		return res
	}
	age := s.CollectedAt.Sub(*d.LastContact)
	days := int(age.Hours() / 24)
	if age.Hours() > float64(t.StaleDays*24) {
		res.Status, res.Reason = Fail, fmt.Sprintf("last checked in %d days ago (more than %d)", days, t.StaleDays)
	} else {
		res.Status, res.Reason = Pass, fmt.Sprintf("checked in %d days before collection (within %d)", days, t.StaleDays)
	}
	return res
}

// IsStale reports whether a device's agent has not checked in within the threshold.
func (d DeviceReport) IsStale() bool { return d.Result("agent_checkin").Status == Fail }

func checkSystemInsights(s *Snapshot, d *jumpcloud.System) Result {
	res := Result{Check: "system_insights"}
	state := "absent"
	if d.SystemInsights != nil {
		state = d.SystemInsights.State
	}
	res.Evidence = ev("systemInsights.state", state)
	orgOff := s.Settings != nil && s.Settings.SystemInsightsEnabled != nil && !*s.Settings.SystemInsightsEnabled
	if orgOff {
		res.Evidence = append(res.Evidence, Evidence{"organisation systemInsights.enabled", "false"})
	}
	switch {
	case d.SystemInsights == nil:
		res.Status, res.Reason = Unknown, "the API did not say whether System Insights is enabled on this device"
	case strings.EqualFold(state, "enabled"):
		res.Status, res.Reason = Pass, "System Insights is enabled"
	case orgOff:
		res.Status, res.Reason = Fail, "System Insights is turned off for the whole organisation"
	default:
		res.Status, res.Reason = Fail, fmt.Sprintf("System Insights is %q on this device", state)
	}
	return res
}
