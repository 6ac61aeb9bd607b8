package evidence

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"jcconnect/jumpcloud"
)

// evaluateDevice is the report of one device, to be kept: its results and their evidence in
// arrays of their own (one each).
func evaluateDevice(s *Snapshot, ix *index, t Thresholds, d *jumpcloud.Device, statuses deviceStatuses) DeviceReport {
	e := newDeviceEvidence()
	defer e.done()
	r := runDeviceChecks(s, ix, t, d, statuses, e, make([]Result, len(DeviceChecks)))
	e.keep(r.Results)
	settleVerdicts(s, ix, d, &r)
	return r
}

// scratchDeviceReport is the report of one device made in e's scratch arrays, with no
// allocation, for a caller that reads it and drops it (a row of `devices --json`). It must not
// outlive e.done: its results and their evidence are e's, and the next device writes over them.
func scratchDeviceReport(s *Snapshot, ix *index, t Thresholds, d *jumpcloud.Device, statuses deviceStatuses, e *deviceEvidence) DeviceReport {
	n := len(DeviceChecks)
	r := runDeviceChecks(s, ix, t, d, statuses, e, e.results[:n:n]) // capped: an append copies
	e.mustHaveCutAll()
	settleVerdicts(s, ix, d, &r)
	return r
}

// runDeviceChecks is the device's report before settleVerdicts: every device check, in
// DeviceChecks' order, its result in results (len(DeviceChecks)) and its evidence cut from e.
func runDeviceChecks(s *Snapshot, ix *index, t Thresholds, d *jumpcloud.Device, statuses deviceStatuses, e *deviceEvidence, results []Result) DeviceReport {
	in := deviceInput{s: s, ix: ix, t: t, d: d, statuses: statuses,
		ver:  deviceVersion(ix, d), // once: three checks quote it
		last: d.LastContact(),      // once: each call makes a time; the check-in check reads it too
	}
	r := DeviceReport{ID: d.ID, Name: d.Name(), Hostname: d.Hostname, OS: d.OS(),
		OSVersion: in.ver, Family: d.Family(), LastContact: in.last, Results: results}
	r.Owner, r.OwnerReading = deviceOwner(ix, d)
	for i, check := range deviceChecksInOrder {
		r.Results[i] = e.result(check(in, e))
	}
	return r
}

// deviceInput is what a device's checks read. Passed by value: a pointer given to a function
// value escapes, and would be one more allocation per device.
type deviceInput struct {
	s        *Snapshot
	ix       *index
	t        Thresholds
	d        *jumpcloud.Device
	statuses deviceStatuses
	ver      string     // deviceVersion
	last     *time.Time // d.LastContact()
}

// deviceCheck is one device check: it returns its result and adds its evidence to e
// (deviceEvidence's rule).
type deviceCheck func(in deviceInput, e *deviceEvidence) Result

// deviceCheckFuncs are the device checks by their DeviceChecks ID. DeviceChecks alone says
// their order (deviceChecksInOrder): a check listed there with no function here, or here and
// not there, stops the program as it starts (orderDeviceChecks), rather than leaving a result
// with no check and no status in every report.
var deviceCheckFuncs = map[string]deviceCheck{
	"disk_encryption": func(in deviceInput, e *deviceEvidence) Result {
		return checkDiskEncryption(in.s, in.ix, in.d, e)
	},
	"firewall": func(in deviceInput, e *deviceEvidence) Result {
		return checkFirewall(in.s, in.ix, in.d, in.ver, in.statuses, e)
	},
	"antivirus": func(in deviceInput, e *deviceEvidence) Result {
		return checkAntivirus(in.s, in.ix, in.d, in.ver, e)
	},
	"screen_lock": func(in deviceInput, e *deviceEvidence) Result {
		return checkScreenLock(in.s, in.ix, in.d, in.statuses, e)
	},
	"policies_applied": func(in deviceInput, e *deviceEvidence) Result {
		return checkPoliciesApplied(in.s, in.ix, in.d, in.statuses, e)
	},
	"os_version": func(in deviceInput, e *deviceEvidence) Result {
		return checkOSVersion(in.s, in.ix, in.t, in.d, in.ver, e)
	},
	"agent_checkin": func(in deviceInput, e *deviceEvidence) Result {
		return checkAgentCheckin(in.s, in.ix, in.t, in.last, e)
	},
	"system_insights": func(in deviceInput, e *deviceEvidence) Result {
		return checkSystemInsights(in.s, in.d, e)
	},
}

// deviceChecksInOrder are deviceCheckFuncs in DeviceChecks' order: the i-th makes a report's
// Results[i].
var deviceChecksInOrder = mustOrderDeviceChecks(DeviceChecks, deviceCheckFuncs)

// orderDeviceChecks is funcs in the order of checks, or an error naming what does not match:
// a check with no function, a function for no check, a check listed twice.
func orderDeviceChecks(checks []CheckInfo, funcs map[string]deviceCheck) ([]deviceCheck, error) {
	ordered := make([]deviceCheck, len(checks))
	listed := make(map[string]bool, len(checks))
	for i, c := range checks {
		if listed[c.ID] {
			return nil, fmt.Errorf("evidence: device check %q is listed twice in DeviceChecks", c.ID)
		}
		listed[c.ID] = true
		if ordered[i] = funcs[c.ID]; ordered[i] == nil {
			return nil, fmt.Errorf("evidence: device check %q (DeviceChecks) has no function in deviceCheckFuncs", c.ID)
		}
	}
	for id := range funcs {
		if !listed[id] {
			return nil, fmt.Errorf("evidence: device check function %q (deviceCheckFuncs) is not in DeviceChecks", id)
		}
	}
	return ordered, nil
}

func mustOrderDeviceChecks(checks []CheckInfo, funcs map[string]deviceCheck) []deviceCheck {
	ordered, err := orderDeviceChecks(checks, funcs)
	if err != nil {
		panic(err)
	}
	return ordered
}

// settleVerdicts is what follows a device's checks, in this order, wherever they were evaluated:
// what a source still being read leaves undecided (readingVerdicts), what an old check-in makes
// unknown (staleVerdicts), the overall status, and a device with fields that could not be read
// never compliant on their account (distrustUnparsed).
func settleVerdicts(s *Snapshot, ix *index, d *jumpcloud.Device, r *DeviceReport) {
	readingVerdicts(s, ix, d, r.Results)
	staleVerdicts(r.Results)
	r.Overall = overall(r.Results)
	if distrustUnparsed(r.Results, d.Unparsed()) {
		r.Overall = overall(r.Results)
	}
}

// deviceOwner is the device's owner as a report gives it: the user's name when known, else the
// user id, marked reading while an early snapshot is still reading the users.
func deviceOwner(ix *index, d *jumpcloud.Device) (owner string, reading bool) {
	owner, _ = d.PrimarySystemUser()
	if owner == "" {
		return "", false
	}
	if u := ix.users[owner]; u != nil {
		return firstNonEmpty(u.Username, u.Email, u.ID), false
	}
	return owner, ix.usersReading
}

// staleVerdicts: a device whose agent has not checked in within the threshold reports old data,
// so its posture verdicts (pass or fail) become unknown, with the age in the reason. Only the
// check-in and System Insights state themselves stay decided.
func staleVerdicts(results []Result) {
	checkin := findResult(results, "agent_checkin")
	if checkin.Status != Fail {
		return
	}
	turns := func(r *Result) bool {
		return r.Check != "agent_checkin" && r.Check != "system_insights" && (r.Status == Pass || r.Status == Fail)
	}
	// Every new reason is a piece of one string: one allocation per stale device, not one per
	// result (a fleet with many stale devices has a reason like this on most of its results).
	const said, closing = ", so this is old data (it said ", ")"
	n := 0
	for i := range results {
		if r := &results[i]; turns(r) {
			n += len(checkin.Reason) + len(said) + len(r.Status) + len(": ") + len(r.Reason) + len(closing)
		}
	}
	var b strings.Builder
	b.Grow(n)
	var endsBuf [16]int
	ends := endsBuf[:0] // where each turned result's reason ends in b
	for i := range results {
		if r := &results[i]; turns(r) {
			b.WriteString(checkin.Reason)
			b.WriteString(said)
			b.WriteString(string(r.Status))
			b.WriteString(": ")
			b.WriteString(r.Reason)
			b.WriteString(closing)
			ends = append(ends, b.Len())
		}
	}
	all, start := b.String(), 0
	for i := range results {
		if r := &results[i]; turns(r) {
			r.Reason, r.Status = all[start:ends[0]], Unknown
			start, ends = ends[0], ends[1:]
		}
	}
}

// notApplicableDevice says why posture checks do not apply to this device, or "": phones and
// tablets (their storage, passcode and OS are MDM's business, not the agent's), and, when
// desktopOnly, hosts that state they have no desktop (a screen lock needs a screen).
func notApplicableDevice(d *jumpcloud.Device, desktopOnly bool) string {
	if d.IsMobile() {
		return fmt.Sprintf("a mobile device (%s): the agent does not manage it; its passcode and encryption are enforced by MDM", d.Family())
	}
	if desktopOnly {
		if server, ok := d.IsServer(); ok && server {
			return "not a desktop: the device reports desktopCapable=false" + displayManagerText(d)
		}
	}
	return ""
}

func displayManagerText(d *jumpcloud.Device) string {
	if d.DisplayManager() == "" {
		return ""
	}
	return " (displayManager " + strconv.Quote(d.DisplayManager()) + ")"
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// siRows returns a device's rows of one table collected within the age limit
// (Thresholds.InsightsMaxAgeDays), or a reason there are none. Older rows are not evidence.
func siRows(s *Snapshot, ix *index, d *jumpcloud.Device, table string) ([]jumpcloud.InsightRow, string) {
	x, ok := ix.insights[table]
	if !ok { // a table newIndex did not expect: asked of the snapshot, as newIndex asks
		x.unreadable = unreadable(s, InsightSource(table))
	}
	if x.unreadable != "" {
		return nil, x.unreadable
	}
	rows := x.of(d.ID)
	if len(rows) > 0 {
		limit := s.CollectedAt.Add(-time.Duration(ix.t.InsightsMaxAgeDays) * 24 * time.Hour)
		isFresh := func(row jumpcloud.InsightRow) bool {
			ct, err := time.Parse(time.RFC3339, row.CollectionTime())
			return err == nil && !ct.Before(limit)
		}
		fresh := 0
		newest := ""
		for _, row := range rows {
			if isFresh(row) {
				fresh++
			}
			newest = max(newest, row.CollectionTime())
		}
		switch {
		case fresh == len(rows):
			return rows, "" // the device's own window on the table (capped): no copy
		case fresh > 0:
			kept := make([]jumpcloud.InsightRow, 0, fresh)
			for _, row := range rows {
				if isFresh(row) {
					kept = append(kept, row)
				}
			}
			return kept, ""
		}
		// Not Sprintf: every check of every stale device says it.
		return nil, "the System Insights " + table + " rows were collected at " + firstNonEmpty(newest, "an unreadable time") +
			", more than " + strconv.Itoa(ix.t.InsightsMaxAgeDays) + " days before this collection, so they are not evidence"
	}
	if d.SystemInsights() != nil && !strings.EqualFold(d.SystemInsights().State, "enabled") {
		return nil, "System Insights is " + strconv.Quote(d.SystemInsights().State) + " on this device, so there is no " + table + " data"
	}
	return nil, "no System Insights " + table + " rows for this device"
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

func checkPoliciesApplied(s *Snapshot, ix *index, d *jumpcloud.Device, statuses deviceStatuses, e *deviceEvidence) Result {
	res := Result{Check: "policies_applied"}
	if s.PolicyStatusesForChecksOnly {
		return policiesAppliedByCounters(ix, d, statuses, e)
	}
	if why := unreadable(s, string(jumpcloud.SourcePolicyResults)); why != "" || statuses.len() == 0 {
		// Without per-policy statuses, the device's own counters are the evidence.
		if ps := d.PolicyStats(); ps != nil {
			countersEvidence(ps, e)
			res.Status, res.Reason = countersVerdict(ps)
			return res
		}
		if why != "" {
			res.Status, res.Reason = Unknown, why
		} else {
			res.Status, res.Reason = NotApplicable, "no policies are bound to this device"
		}
		return res
	}
	sets := ix.appliedSet(statuses)
	e.add("policy statuses", sets.all)
	bound := statuses.len()
	if ps := d.PolicyStats(); ps != nil {
		e.add("policyStats.total", strconv.Itoa(ps.Total))
		bound = max(bound, ps.Total)
	}
	switch {
	case sets.failed > 0:
		res.Status, res.Reason = Fail, strconv.Itoa(sets.failed)+" of "+strconv.Itoa(bound)+" policies failed: "+sets.failedNames
	case sets.pending > 0:
		res.Status, res.Reason = Unknown, strconv.Itoa(sets.pending)+" of "+strconv.Itoa(bound)+" policies have not reported success: "+sets.pendingNames
	case bound > statuses.len():
		res.Status, res.Reason = Unknown, fmt.Sprintf("%d policies are bound (policyStats.total) but only %d reported a status", bound, statuses.len())
	default:
		res.Status, res.Reason = Pass, "all "+strconv.Itoa(statuses.len())+" bound policies applied"
	}
	return res
}

// policiesAppliedByCounters decides policies_applied when the statuses of only the checks'
// policies were read: they cannot tell "all bound policies applied", the device's policyStats
// counters can. A status that was read and did not succeed still counts against the device, so
// this is never more lenient than either source alone; without counters the answer is unknown,
// never a pass and never "nothing bound".
func policiesAppliedByCounters(ix *index, d *jumpcloud.Device, statuses deviceStatuses, e *deviceEvidence) Result {
	res := Result{Check: "policies_applied"}
	var failed, pending []string
	for _, st := range statuses.states {
		name := ix.facts[st.policy].countersName
		switch outcomeNames[st.outcome] {
		case jumpcloud.OutcomeSuccess:
		case jumpcloud.OutcomeFailed:
			failed = append(failed, name)
		default:
			pending = append(pending, name)
		}
	}
	sort.Strings(failed)
	sort.Strings(pending)
	ps := d.PolicyStats()
	if ps == nil {
		if len(failed) > 0 {
			res.Status, res.Reason = Fail, "failed to apply: "+strings.Join(failed, ", ")
			return res
		}
		res.Status, res.Reason = Unknown, "the device reports no policy counters (policyStats) and only the screen-lock policies' statuses were read (`jcconnect evidence export` reads them all)"
		return res
	}
	countersEvidence(ps, e)
	res.Status, res.Reason = countersVerdict(ps)
	switch {
	case len(failed) > 0:
		res.Status, res.Reason = Fail, "failed to apply: "+strings.Join(failed, ", ")
	case res.Status == Fail:
	case len(pending) > 0:
		res.Status, res.Reason = Unknown, "have not reported success: "+strings.Join(pending, ", ")
	}
	return res
}

func countersEvidence(ps *jumpcloud.PolicyStats, e *deviceEvidence) {
	e.add("policyStats.total", strconv.Itoa(ps.Total))
	e.add("policyStats.success", strconv.Itoa(ps.Success))
	e.add("policyStats.failed", strconv.Itoa(ps.Failed))
	e.add("policyStats.pending", strconv.Itoa(ps.Pending))
}

// countersVerdict is policies_applied on a device's own counters: a pass only when every bound
// policy reports success.
func countersVerdict(ps *jumpcloud.PolicyStats) (Status, string) {
	switch {
	case ps.Failed > 0:
		return Fail, strconv.Itoa(ps.Failed) + " of " + strconv.Itoa(ps.Total) + " bound policies failed (device counters)"
	case ps.Total == 0:
		return NotApplicable, "no policies are bound to this device"
	case ps.Pending > 0:
		return Unknown, strconv.Itoa(ps.Pending) + " of " + strconv.Itoa(ps.Total) + " bound policies are pending (device counters)"
	case ps.Success < ps.Total:
		return Unknown, "only " + strconv.Itoa(ps.Success) + " of " + strconv.Itoa(ps.Total) + " bound policies report success (device counters)"
	}
	return Pass, "all " + strconv.Itoa(ps.Total) + " bound policies applied (device counters)"
}

// deviceVersion is the best OS version evidence: System Insights os_version, else the agent's
// osVersionDetail, else the system's version string.
func deviceVersion(ix *index, d *jumpcloud.Device) string {
	if rows := ix.insights[jumpcloud.TableOSVersion].of(d.ID); len(rows) > 0 {
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
	if od := d.OSVersionDetail(); od != nil {
		// The agent's own version string first: rebuilt from major/minor/patch, Ubuntu's
		// "24.04" would read "24.4.0".
		if od.Version != "" {
			return od.Version
		}
		if od.Major != "" {
			return strings.Join(nonEmpty(od.Major, od.Minor, od.Patch), ".")
		}
	}
	return d.Version()
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

// checkOSVersion judges the OS release against the end-of-support table (os_support.go), or
// against --min-os for a family that has one. ver is deviceVersion's.
func checkOSVersion(s *Snapshot, ix *index, t Thresholds, d *jumpcloud.Device, ver string, e *deviceEvidence) Result {
	res := Result{Check: "os_version"}
	fam := d.Family()
	min, override := t.MinOSVersion[fam]
	if !override || min == "" {
		if d.IsMobile() && ver == "" {
			res.Status, res.Reason = Unknown, "the device reports no OS version"
			return res
		}
		e.add("family", fam)
		res.Status, res.Reason = judgeOS(ix, d, ver, s.CollectedAt, e)
		return res
	}
	e.add("version", ver)
	e.add("family", fam)
	e.add("minimum (--min-os)", min)
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
	var ba, bb versionBuf
	pa, oka := versionParts(a, ba[:])
	pb, okb := versionParts(b, bb[:])
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

// versionParts reads the leading numeric parts of a version ("10.0.19045 Build" → 10,0,19045),
// appended to buf[:0]: a caller's small array holds them with no allocation (three checks of
// every device read versions; a split and a slice each were a tenth of the checks' allocations).
func versionParts(v string, buf []int) ([]int, bool) {
	v = strings.TrimSpace(v)
	v = strings.TrimPrefix(strings.TrimPrefix(v, "v"), "V")
	out := buf[:0]
	for rest, more := v, true; more; {
		var p string
		p, rest, more = strings.Cut(rest, ".") // the parts strings.Split(v, ".") gives, in turn
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

// versionBuf is room for the parts of a version of the usual length (versionParts).
type versionBuf [8]int

// checkAgentCheckin: last is the device's LastContact.
func checkAgentCheckin(s *Snapshot, ix *index, t Thresholds, last *time.Time, e *deviceEvidence) Result {
	res := Result{Check: "agent_checkin"}
	e.add("lastContact", timeText(last))
	e.add("collectedAt", ix.collectedAt)
	e.add("staleDays", ix.staleDays)
	if last == nil {
		res.Status, res.Reason = Unknown, "the device has no last contact time"
		return res
	}
	age := s.CollectedAt.Sub(*last)
	days := int(age.Hours() / 24)
	if age.Hours() > float64(t.StaleDays*24) {
		res.Status, res.Reason = Fail, "last checked in "+strconv.Itoa(days)+" days ago (more than "+strconv.Itoa(t.StaleDays)+")"
	} else if days >= 0 && days < len(ix.checkedIn) {
		res.Status, res.Reason = Pass, ix.checkedIn[days] // most devices: a text every device shares
	} else {
		res.Status, res.Reason = Pass, checkedInReason(days, t.StaleDays)
	}
	return res
}

// checkedInReason is agent_checkin's pass reason for a device that checked in days ago.
func checkedInReason(days, staleDays int) string {
	return "checked in " + strconv.Itoa(days) + " days before collection (within " + strconv.Itoa(staleDays) + ")"
}

// IsStale reports whether a device's agent has not checked in within the threshold.
func (d DeviceReport) IsStale() bool { return d.Result("agent_checkin").Status == Fail }

func checkSystemInsights(s *Snapshot, d *jumpcloud.Device, e *deviceEvidence) Result {
	res := Result{Check: "system_insights"}
	state := "absent"
	if d.SystemInsights() != nil {
		state = d.SystemInsights().State
	}
	e.add("systemInsights.state", state)
	if d.IsMobile() {
		res.Status, res.Reason = NotApplicable, "System Insights does not run on phones and tablets"
		return res
	}
	orgOff := s.Settings != nil && s.Settings.SystemInsightsEnabled != nil && !*s.Settings.SystemInsightsEnabled
	if orgOff {
		e.add("organisation systemInsights.enabled", "false")
	}
	switch {
	case d.SystemInsights() == nil:
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
