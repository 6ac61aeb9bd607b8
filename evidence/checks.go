package evidence

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"jcconnect/jumpcloud"
)

// Status is a check's outcome.
type Status string

const (
	Pass          Status = "pass"
	Fail          Status = "fail"
	Unknown       Status = "unknown"        // no data; Reason says why
	NotApplicable Status = "not_applicable" // the check does not apply (e.g. FDE on Linux)
	// Reading: a source the check decides on is still being read (an early snapshot,
	// CollectOptions.Early); the verdict comes with it. Never in a snapshot Collect returns.
	Reading Status = "reading"
)

// Evidence is one raw value a result was decided on, as the API gave it.
type Evidence struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Result is one check of one subject (a device, a user, an admin, the organisation).
type Result struct {
	Check    string     `json:"check"`
	Status   Status     `json:"status"`
	Reason   string     `json:"reason"`
	Evidence []Evidence `json:"evidence"`
}

// CheckInfo describes a check for headers and summaries.
type CheckInfo struct {
	ID    string // stable machine name, used as a CSV/JSON column
	Short string // a column heading of a few letters
	Title string
}

// The checks, in the order they appear everywhere.
var (
	DeviceChecks = []CheckInfo{
		{"disk_encryption", "FDE", "Disk encryption"},
		{"firewall", "FW", "Firewall"},
		{"antivirus", "AV", "Antivirus"},
		{"screen_lock", "LCK", "Screen lock policy applied"},
		{"policies_applied", "POL", "All bound policies applied"},
		{"os_version", "VER", "OS version at or above the minimum"}, // not "OS": the browser has an OS column
		{"agent_checkin", "AGT", "Agent checked in recently"},       // not "SEEN": the browser has a Seen column
		{"system_insights", "SI", "System Insights enabled"},
	}
	UserChecks = []CheckInfo{
		{"mfa_enrolled", "MFA", "MFA enrolled"},
		{"suspended_not_locked", "SUSP", "Suspended accounts are also locked"},
		{"password_expired", "PWD", "Password not expired"},
		{"account_locked", "LOCK", "Account not locked"},
	}
	AdminChecks = []CheckInfo{
		{"admin_mfa", "MFA", "Administrator has MFA"},
	}
	OrgChecks = []CheckInfo{
		{"password_policy", "PWP", "Password policy minimum length"},
		{"admin_mfa_required", "AMFA", "MFA required for administrators"},
		{"mfa_required", "CMFA", "MFA required for all users by conditional access"},
	}
)

// Thresholds tune the checks. Every output states the values used.
type Thresholds struct {
	// StaleDays: an agent that has not checked in for longer fails agent_checkin.
	StaleDays int `json:"staleDays"`
	// MinOSVersion per OS family ("darwin", "windows", "linux", ...): dotted numbers. A family
	// with an entry is judged against it instead of the end-of-support table (os_support.json).
	MinOSVersion map[string]string `json:"minOSVersion,omitempty"`
	// MinPasswordLength the organisation's password policy must require.
	MinPasswordLength int `json:"minPasswordLength"`
	// MaxLockSeconds: the longest idle time before the screen locks (grace delay included).
	MaxLockSeconds int `json:"maxLockSeconds"`
	// LockPasswordOptional: a screen lock passes without asking for a password (default: it must ask).
	LockPasswordOptional bool `json:"lockPasswordOptional,omitempty"`
	// InsightsMaxAgeDays: System Insights rows collected longer ago than this are not evidence.
	InsightsMaxAgeDays int `json:"insightsMaxAgeDays"`
	// OSSupportAsOf is the date of the end-of-support table used (set by Evaluate).
	OSSupportAsOf string `json:"osSupportAsOf"`
}

// DefaultThresholds are the defaults: stale after 30 days, OS versions judged by the
// end-of-support table, passwords of at least 12 characters, a screen lock within 900 s (15
// minutes, what auditors expect) that asks for a password, System Insights rows at most 7 days old.
func DefaultThresholds() Thresholds {
	return Thresholds{
		StaleDays:          30,
		MinOSVersion:       map[string]string{},
		MinPasswordLength:  12,
		MaxLockSeconds:     900,
		InsightsMaxAgeDays: 7,
		OSSupportAsOf:      osSupport.AsOf,
	}
}

// Describe states the thresholds in one line, for outputs.
func (t Thresholds) Describe() string {
	fams := make([]string, 0, len(t.MinOSVersion))
	for f := range t.MinOSVersion {
		fams = append(fams, f)
	}
	sort.Strings(fams)
	var mins []string
	for _, f := range fams {
		mins = append(mins, f+" "+t.MinOSVersion[f])
	}
	os := "end-of-support table as of " + firstNonEmpty(t.OSSupportAsOf, osSupport.AsOf)
	if len(mins) > 0 {
		os += ", overridden: " + strings.Join(mins, ", ")
	}
	pw := "with a password"
	if t.LockPasswordOptional {
		pw = "password optional"
	}
	return fmt.Sprintf("stale after %d days; System Insights rows at most %d days old; OS versions: %s; screen lock within %d s %s; minimum password length %d",
		t.StaleDays, t.InsightsMaxAgeDays, os, t.MaxLockSeconds, pw, t.MinPasswordLength)
}

// DeviceReport is one device with its check results.
type DeviceReport struct {
	ID          string     `json:"id"`
	Name        string     `json:"name"`
	Hostname    string     `json:"hostname"`
	OS          string     `json:"os"`
	OSVersion   string     `json:"osVersion"`
	Family      string     `json:"family"`
	Owner       string     `json:"owner"` // username or email when known, else the user id
	LastContact *time.Time `json:"lastContact"`
	Results     []Result   `json:"results"` // in DeviceChecks order
	Overall     Status     `json:"overall"`
	// OwnerReading: Owner is the user id of an owner whose name an early snapshot is still
	// reading (the users come after the device table); the name comes with them. Never set in a
	// report of a snapshot Collect returns, and never written out.
	OwnerReading bool `json:"-"`
}

// UserReport is one user (or administrator) with its check results.
type UserReport struct {
	ID       string   `json:"id"`
	Username string   `json:"username"`
	Email    string   `json:"email"`
	Name     string   `json:"name"`
	State    string   `json:"state"` // active, suspended, locked, staged
	Results  []Result `json:"results"`
	Overall  Status   `json:"overall"`
}

// CheckSummary counts one check's outcomes.
type CheckSummary struct {
	Check         string `json:"check"`
	Title         string `json:"title"`
	Subject       string `json:"subject"` // device, user, administrator, organisation
	Pass          int    `json:"pass"`
	Fail          int    `json:"fail"`
	Unknown       int    `json:"unknown"`
	NotApplicable int    `json:"notApplicable"`
}

// PassRate is passes over decided (pass+fail) results, 0..1; ok is false when none was decided.
func (c CheckSummary) PassRate() (rate float64, ok bool) {
	if c.Pass+c.Fail == 0 {
		return 0, false
	}
	return float64(c.Pass) / float64(c.Pass+c.Fail), true
}

// Report is every check result of a snapshot.
type Report struct {
	Thresholds Thresholds     `json:"thresholds"`
	Devices    []DeviceReport `json:"devices"`
	Users      []UserReport   `json:"users"`
	Admins     []UserReport   `json:"administrators"`
	Org        []Result       `json:"organization"`
	Summary    []CheckSummary `json:"summary"`

	adminsRead bool // the administrators source was read, so their summary means something
}

// Evaluate runs every check on a snapshot. It is a pure function: the same snapshot and
// thresholds give the same report. Devices and users keep the snapshot's order (by id).
func Evaluate(s *Snapshot, t Thresholds) *Report { return evaluate(s, t, nil) }

// evaluate is Evaluate with each device's report made by device (nil: deviceReport).
func evaluate(s *Snapshot, t Thresholds, device func(ix *index, i int) DeviceReport) *Report {
	e := newEvaluationWith(s, t, device)
	r := &Report{Thresholds: e.thresholds, Admins: e.admins, Org: e.org, adminsRead: e.adminsRead}
	if e.hasDevices {
		r.Devices = make([]DeviceReport, e.devices)
		inBlocks(e.devices, func(i int) { r.Devices[i] = e.device(i) }) // on every core: each device is checked on its own
	}
	if e.hasUsers {
		r.Users = make([]UserReport, 0, e.users)
		for i := 0; i < e.users; i++ {
			r.Users = append(r.Users, e.user(i))
		}
	}
	r.Summary = summarize(r)
	return r
}

// evaluation is a report not yet made: its small parts (thresholds, administrators, the
// organisation) evaluated, its devices and users evaluated one at a time when asked for. Evaluate
// asks for them all and keeps them; the export asks for each as it writes it, and keeps none (at
// 50,000 devices the results and their evidence are about 100 MB).
type evaluation struct {
	thresholds           Thresholds
	hasDevices, hasUsers bool // false: the integration was not collected (the report's list is null)
	devices, users       int
	device               func(i int) DeviceReport
	user                 func(i int) UserReport
	admins               []UserReport
	org                  []Result
	adminsRead           bool // the administrators source was read, so their summary means something
	// reported: made from a report, whose summary is summary; otherwise the summary is counted
	// as the results go by.
	reported bool
	summary  []CheckSummary
}

// newEvaluation is Evaluate's work on s, with the devices and users left to evaluate on demand.
func newEvaluation(s *Snapshot, t Thresholds) *evaluation { return newEvaluationWith(s, t, nil) }

// newEvaluationWith is newEvaluation with each device's report made by device (nil: deviceReport).
func newEvaluationWith(s *Snapshot, t Thresholds, device func(ix *index, i int) DeviceReport) *evaluation {
	s.mustHaveRecords("an evaluation")
	t = t.withDefaults()
	e := &evaluation{thresholds: t, hasDevices: s.Integrations.Endpoint, hasUsers: s.Integrations.SSO,
		devices: len(s.Devices), users: len(s.Users)}
	if e.hasDevices {
		ix := newIndex(s, t)
		if device == nil {
			device = func(ix *index, i int) DeviceReport { return deviceReport(s, ix, t, i) }
		}
		e.device = func(i int) DeviceReport { return device(ix, i) }
	}
	e.user = func(i int) UserReport { return userReport(s, i) }
	requireAdminMFA := s.Settings != nil && s.Settings.RequireAdminMFA != nil && *s.Settings.RequireAdminMFA
	for i := range s.Admins {
		e.admins = append(e.admins, evaluateAdmin(&s.Admins[i], requireAdminMFA))
	}
	e.org = evaluateOrg(s, t)
	e.adminsRead = s.Readable(string(jumpcloud.SourceAdmins)) || len(s.Admins) > 0
	return e
}

// evaluationOf is a report already made, handed out as an evaluation.
func evaluationOf(r *Report) *evaluation {
	return &evaluation{thresholds: r.Thresholds, hasDevices: r.Devices != nil, hasUsers: r.Users != nil,
		devices: len(r.Devices), users: len(r.Users),
		device: func(i int) DeviceReport { return r.Devices[i] },
		user:   func(i int) UserReport { return r.Users[i] },
		admins: r.Admins, org: r.Org, adminsRead: r.adminsRead, reported: true, summary: r.Summary}
}

// withDefaults fills the thresholds left at zero with DefaultThresholds', and stamps the OS
// support table's date.
func (t Thresholds) withDefaults() Thresholds {
	if t.StaleDays <= 0 {
		t.StaleDays = DefaultThresholds().StaleDays
	}
	if t.MinOSVersion == nil {
		t.MinOSVersion = DefaultThresholds().MinOSVersion
	}
	if t.MinPasswordLength <= 0 {
		t.MinPasswordLength = DefaultThresholds().MinPasswordLength
	}
	if t.MaxLockSeconds <= 0 {
		t.MaxLockSeconds = DefaultThresholds().MaxLockSeconds
	}
	if t.InsightsMaxAgeDays <= 0 {
		t.InsightsMaxAgeDays = DefaultThresholds().InsightsMaxAgeDays
	}
	t.OSSupportAsOf = osSupport.AsOf
	return t
}

// deviceReport evaluates the snapshot's i-th device.
func deviceReport(s *Snapshot, ix *index, t Thresholds, i int) DeviceReport {
	return evaluateDevice(s, ix, t, &s.Devices[i], ix.statuses.of(i))
}

// userReport is deviceReport for the snapshot's i-th user.
func userReport(s *Snapshot, i int) UserReport {
	u := evaluateUser(&s.Users[i], s.CollectedAt)
	if distrustUnparsed(u.Results, s.Users[i].Unparsed) {
		u.Overall = overall(u.Results)
	}
	return u
}

// overall is compliant (pass) only when every applicable check passes; any failure fails it;
// otherwise something could not be decided (unknown), and unknown is never compliant. Hygiene and
// coverage checks (IsHygiene) are reported but do not count.
func overall(results []Result) Status {
	out := Pass
	applicable := 0
	for _, res := range results {
		if IsHygiene(res.Check) {
			continue
		}
		switch res.Status {
		case Fail:
			return Fail
		case Reading: // may still turn to a failure: above unknown
			out = Reading
			applicable++
		case Unknown:
			if out != Reading {
				out = Unknown
			}
			applicable++
		case Pass:
			applicable++
		}
	}
	if applicable == 0 {
		return NotApplicable
	}
	return out
}

func summarize(r *Report) []CheckSummary {
	var out []CheckSummary
	if r.Devices != nil {
		t := newCheckTally("device", DeviceChecks)
		for _, d := range r.Devices {
			t.add(d.Results, d.Overall)
		}
		out = append(out, t.counts...)
	}
	if r.Users != nil {
		t := newCheckTally("user", UserChecks)
		for _, u := range r.Users {
			t.add(u.Results, u.Overall)
		}
		out = append(out, t.counts...)
	}
	if r.adminsRead {
		t := newCheckTally("administrator", AdminChecks)
		for _, a := range r.Admins {
			t.add(a.Results, a.Overall)
		}
		out = append(out, t.counts...)
	}
	org := newCheckTally("organisation", OrgChecks)
	org.add(r.Org, "")
	return append(out, org.counts...)
}

// checkTally counts one kind of subject's outcomes, check by check and overall, as its results
// go by: the summary of a report written device by device needs no report.
type checkTally struct {
	counts   []CheckSummary // one per check, in the checks' order
	subjects int
	overall  map[Status]int
}

func newCheckTally(subject string, checks []CheckInfo) *checkTally {
	t := &checkTally{overall: map[Status]int{}}
	for _, c := range checks {
		t.counts = append(t.counts, CheckSummary{Check: c.ID, Title: c.Title, Subject: subject})
	}
	return t
}

// add counts one subject, whose results are in the checks' order.
func (t *checkTally) add(results []Result, overall Status) {
	t.subjects++
	t.overall[overall]++
	for ci := range t.counts {
		c := &t.counts[ci]
		switch results[ci].Status {
		case Pass:
			c.Pass++
		case Fail:
			c.Fail++
		case Unknown, Reading: // undecided either way
			c.Unknown++
		default:
			c.NotApplicable++
		}
	}
}

// Result looks up a check's result by id (zero Result when absent).
func findResult(results []Result, check string) Result {
	for _, r := range results {
		if r.Check == check {
			return r
		}
	}
	return Result{}
}

// Result returns the device's result for a check id.
func (d DeviceReport) Result(check string) Result { return findResult(d.Results, check) }

// Result returns the user's result for a check id.
func (u UserReport) Result(check string) Result { return findResult(u.Results, check) }

// ev builds an Evidence list from name/value pairs.
func ev(pairs ...string) []Evidence {
	out := make([]Evidence, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, Evidence{Name: pairs[i], Value: pairs[i+1]})
	}
	return out
}

func boolText(b *bool) string {
	if b == nil {
		return "absent"
	}
	if *b {
		return "true"
	}
	return "false"
}

func timeText(t *time.Time) string {
	if t == nil {
		return "absent"
	}
	return t.UTC().Format(time.RFC3339)
}

// unreadable says why a source's data is missing, or "" when it was read.
func unreadable(s *Snapshot, source string) string {
	st := s.Status(source)
	switch st.State {
	case StateOK:
		return ""
	case "":
		return source + " was not collected"
	}
	return source + ": " + st.Describe()
}

// index holds the lookups the device checks need, built once per Evaluate.
type index struct {
	t        Thresholds
	insights map[string]insightIndex           // by table
	statuses *statusTable                      // by device position, in the snapshot
	policies map[string]jumpcloud.Policy       // policy id → policy
	details  map[string]jumpcloud.PolicyDetail // policy id → settings (screen lock only)
	facts    []policyFact                      // by the status table's policy index
	// texts every device's agent_checkin evidence quotes, made once
	collectedAt, staleDays string
	checkedIn              []string // agent_checkin's pass reason by days since the check-in, made once
	users                  map[string]*jumpcloud.SystemUser
	// usersReading: an early snapshot is still reading the users (an owner's name is not known yet)
	usersReading bool
	// statusesReading: an early snapshot is still reading the policies' statuses; the reason of
	// every verdict that waits for them (readingVerdicts), made once. "" otherwise.
	statusesReading string
}

func newIndex(s *Snapshot, t Thresholds) *index {
	ix := &index{
		t:        t,
		insights: map[string]insightIndex{},
		statuses: s.statusTable(),
		policies: map[string]jumpcloud.Policy{},
		details:  map[string]jumpcloud.PolicyDetail{},
		users:    map[string]*jumpcloud.SystemUser{},

		usersReading: s.StillReading(string(jumpcloud.SourceUsers)),
	}
	for _, d := range s.PolicyDetails {
		ix.details[d.ID] = d
	}
	for table, rows := range s.Insights {
		ix.insights[table] = newInsightIndex(rows)
	}
	for _, table := range insightTablesRead() {
		if _, ok := ix.insights[table]; !ok {
			ix.insights[table] = insightIndex{} // every table a check reads has an entry: no rows
		}
	}
	for table, x := range ix.insights {
		x.unreadable = unreadable(s, InsightSource(table)) // the same for every device: said once
		ix.insights[table] = x
	}
	for _, p := range s.Policies {
		ix.policies[p.ID] = p
	}
	for i := range s.Users {
		ix.users[s.Users[i].ID] = &s.Users[i]
	}
	ix.facts = newPolicyFacts(s, ix)
	if st := s.Status(string(jumpcloud.SourcePolicyResults)); st.State == StateReading {
		ix.statusesReading = string(jumpcloud.SourcePolicyResults) + " " + st.Describe() + ": the verdict comes when they are in"
	}
	ix.collectedAt, ix.staleDays = timeText(&s.CollectedAt), strconv.Itoa(t.StaleDays)
	for days := 0; days <= min(t.StaleDays, 366); days++ { // a check-in within the threshold: most devices
		ix.checkedIn = append(ix.checkedIn, checkedInReason(days, t.StaleDays))
	}
	return ix
}

// insightIndex finds a device's rows in one System Insights table. A collected table is sorted
// by system id (normalize), so a device's rows are the run a binary search finds, a window on
// the table: no map of every device (at 50,000 devices the maps were megabytes per table) and no
// copy. A table that is not sorted (a snapshot made by hand) is grouped into a map instead.
type insightIndex struct {
	sorted []jumpcloud.InsightRow
	bySys  map[string][]jumpcloud.InsightRow
	// unreadable says why the table's rows are missing ("" when it was read: unreadable()).
	unreadable string
}

func newInsightIndex(rows []jumpcloud.InsightRow) insightIndex {
	if slices.IsSortedFunc(rows, func(a, b jumpcloud.InsightRow) int { return strings.Compare(a.SystemID(), b.SystemID()) }) {
		return insightIndex{sorted: rows}
	}
	return insightIndex{bySys: rowsBySystem(rows)}
}

// of is the rows of one device, in table order (capped: an append copies rather than writes
// into the snapshot).
func (x insightIndex) of(system string) []jumpcloud.InsightRow {
	if x.bySys != nil {
		return x.bySys[system]
	}
	i, _ := slices.BinarySearchFunc(x.sorted, system, func(r jumpcloud.InsightRow, id string) int { return strings.Compare(r.SystemID(), id) })
	j := i
	for j < len(x.sorted) && x.sorted[j].SystemID() == system {
		j++
	}
	return x.sorted[i:j:j]
}

// rowsBySystem groups a table's rows by device, in table order. Each device's run of rows is a
// window on the table (capped, so an append copies rather than writes into the snapshot); a
// device whose rows are not contiguous gets its runs copied together.
func rowsBySystem(rows []jumpcloud.InsightRow) map[string][]jumpcloud.InsightRow {
	m := map[string][]jumpcloud.InsightRow{}
	for i := 0; i < len(rows); {
		j := i + 1
		id := rows[i].SystemID()
		for j < len(rows) && rows[j].SystemID() == id {
			j++
		}
		if prev, ok := m[id]; ok {
			m[id] = append(prev[:len(prev):len(prev)], rows[i:j]...)
		} else {
			m[id] = rows[i:j:j]
		}
		i = j
	}
	return m
}

// NeedsPolicyStatuses reports whether a check reads this policy's per-device statuses: the
// firewall check (firewall templates) and the screen-lock check (the allow-listed templates, whose
// settings decide, and those that look like a screen lock by name, listed as evidence).
// policies_applied does not need them: it decides on each device's policyStats counters.
// A check that starts reading another policy's statuses must be added here, or its verdicts
// change in the browser (TestChecksOnlyCollectionReadsOnlyTheChecksStatuses catches that).
func NeedsPolicyStatuses(t jumpcloud.PolicyTemplate) bool {
	return isFirewallTemplate(t) || IsScreenLockTemplate(t) || looksLikeScreenLock(t)
}
