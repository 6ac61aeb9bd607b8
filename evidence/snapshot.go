// Package evidence turns a JumpCloud organisation into compliance evidence: Collect pages the API
// into a Snapshot, Evaluate turns a Snapshot into check results with reasons, and Export writes
// an auditor's bundle (JSON, CSV, a Markdown summary and a manifest of SHA-256 digests).
//
// A Snapshot never holds the API key, only its fingerprint.
package evidence

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"jcconnect/jumpcloud"
)

// Integrations say which evidence to collect: Endpoint (devices, policies, System Insights) and
// SSO (users, applications, conditional access). The organisation and its administrators are
// always collected.
type Integrations struct {
	Endpoint bool `json:"endpoint"`
	SSO      bool `json:"sso"`
}

// Source states, as recorded per source in a Snapshot.
const (
	StateOK           = "ok"
	StateNotPermitted = "not_permitted" // 403: this key's role may not read it
	StateNotEnabled   = "not_enabled"   // 404 on an optional feature (System Insights, SSO)
	StateFailed       = "failed"        // anything else; Reason says what and Items what was read
	StateIncomplete   = "incomplete"    // the pages ran out before JumpCloud's total: Items of Total kept
	StateSkipped      = "skipped"       // not part of the chosen integrations
	// StateReading: still being read when an early snapshot was handed over
	// (CollectOptions.Early). A gap: such a snapshot is never complete.
	StateReading = "reading"
)

// SourceStatus is what happened to one source during a collection.
type SourceStatus struct {
	Source string `json:"source"` // "devices", "system insights: alf", ...
	State  string `json:"state"`
	Reason string `json:"reason,omitempty"`
	Items  int    `json:"items"`           // items collected (for a failed source: before it failed)
	Total  int    `json:"total,omitempty"` // for an incomplete source: what JumpCloud announced
	Pages  int    `json:"pages"`
}

// Describe is a short human sentence for the state.
func (s SourceStatus) Describe() string {
	switch s.State {
	case StateOK:
		return "collected"
	case StateNotPermitted:
		return "not permitted for this role"
	case StateNotEnabled:
		return "not enabled for this organisation"
	case StateSkipped:
		return "not part of the chosen integrations"
	case StateFailed:
		return "failed: " + s.Reason
	case StateIncomplete:
		return fmt.Sprintf("INCOMPLETE: %d of %d read", s.Items, s.Total)
	case StateReading:
		return "still being read"
	}
	return s.State
}

// OptionalSource reports whether a source may be missing without the evidence being partial:
// the sources jumpcloud.Source.Optional names (every System Insights table among them), when
// JumpCloud says they are not available to this key (not permitted, not enabled).
func OptionalSource(source string) bool {
	if strings.HasPrefix(source, string(jumpcloud.SourceInsights)+": ") {
		return true
	}
	return jumpcloud.Source(source).Optional()
}

// Gaps lists the sources whose evidence is missing or incomplete: every source that failed or
// ended short, and every required source that could not be read at all (an optional source that
// is merely not available to this key is not a gap). It is the one answer to "is this snapshot
// complete" for the export's marks, the exit codes and the checks.
func (s *Snapshot) Gaps() []SourceStatus {
	var out []SourceStatus
	for _, st := range s.Sources {
		switch st.State {
		case StateOK, StateSkipped:
		case StateNotPermitted, StateNotEnabled:
			if !OptionalSource(st.Source) {
				out = append(out, st)
			}
		default:
			out = append(out, st)
		}
	}
	return out
}

// Complete reports whether the snapshot has no gaps.
func (s *Snapshot) Complete() bool { return len(s.Gaps()) == 0 }

// GapNames lists the gaps as "devices (INCOMPLETE: 50 of 200 read)", for stderr and the marks.
func (s *Snapshot) GapNames() []string {
	var out []string
	for _, g := range s.Gaps() {
		what := g.State
		if g.State == StateIncomplete || g.State == StateReading {
			what = g.Describe()
		}
		out = append(out, g.Source+" ("+what+")")
	}
	return out
}

// Unread reports whether a chosen source gave nothing at all: neither read nor partly read.
// A command whose subject is that list must not print an empty one.
func (s *Snapshot) Unread(source string) bool {
	st := s.Status(source)
	return st.State != StateOK && !(st.State == StateIncomplete && st.Items > 0)
}

// ReadNothing reports whether no chosen source could be read at all: there is no evidence to
// show or export, only the reasons.
func (s *Snapshot) ReadNothing() bool {
	for _, st := range s.Sources {
		if st.State == StateOK || (st.State == StateIncomplete && st.Items > 0) {
			return false
		}
	}
	return true
}

// Snapshot is everything one collection read, plus where, when and with which key (fingerprint
// only) it was read. Slices are sorted by id so the same organisation gives the same snapshot.
type Snapshot struct {
	CollectedAt    time.Time `json:"collectedAt"`
	OrgID          string    `json:"orgId"`
	OrgName        string    `json:"orgName"`
	Region         string    `json:"region"`
	BaseURL        string    `json:"baseUrl"`
	KeyFingerprint string    `json:"keyFingerprint"`
	Role           string    `json:"role"` // the key owner's admin role, "" when unknown
	// RoleNote says why the role is unknown: what getSelf and settings each answered.
	RoleNote     string       `json:"roleNote,omitempty"`
	OwnerEmail   string       `json:"ownerEmail,omitempty"`
	Integrations Integrations `json:"integrations"`

	Sources []SourceStatus `json:"sources"` // in SourceOrder

	Settings       *jumpcloud.OrganizationSettings `json:"settings,omitempty"`
	Devices        []jumpcloud.Device              `json:"devices"`
	Users          []jumpcloud.SystemUser          `json:"users"`
	Admins         []jumpcloud.Admin               `json:"administrators"`
	Policies       []jumpcloud.Policy              `json:"policies"`
	PolicyStatuses []jumpcloud.PolicyResult        `json:"policyStatuses"`
	// PolicyStatusesForChecksOnly: only the statuses of the policies a check needs were read
	// (NeedsPolicyStatuses), not every bound policy's (CollectOptions.StatusesForChecksOnly), and
	// PolicyStatuses keeps none of their records: what the checks read of them is in statuses.
	// PolicyStatuses are the records, for an export made from memory (Bundle of a snapshot that
	// did not spool); a spooled export keeps none either: raw/policy_statuses.json is on disk.
	PolicyStatusesForChecksOnly bool `json:"policyStatusesForChecksOnly,omitempty"`
	// PolicyDetails are the configured values of the screen-lock policies only (allow-listed
	// templates, screenlock.go), sensitive values already dropped by the client.
	PolicyDetails []jumpcloud.PolicyDetail          `json:"policyDetails,omitempty"`
	Insights      map[string][]jumpcloud.InsightRow `json:"systemInsights"` // by table
	Applications  []jumpcloud.Application           `json:"applications"`
	AuthnPolicies []jumpcloud.AuthnPolicy           `json:"conditionalAccess"`
	// ServerRules mark devices as servers; ServerGroups are the members (device ids) of each
	// named device group that was read (servers.go).
	ServerRules  *ServerRules        `json:"serverRules,omitempty"`
	ServerGroups map[string][]string `json:"serverGroups,omitempty"`

	// raw holds the raw sources an export's collection spooled to disk as they arrived
	// (SpoolRawSources): the bundle's raw files are copied from it. nil otherwise.
	raw *rawSpool
	// rawOnlySpooled: the records kept are not the raw sources (System Insights rows keep the
	// checks' columns only), so once the spool is gone the snapshot is no bundle.
	rawOnlySpooled bool

	// statuses are the policy statuses as the checks read them, by device (statuses.go); made
	// when the collection ends. A snapshot made by hand has none: the checks build it from
	// PolicyStatuses.
	statuses *statusTable
	// statusRefs are what a collection for the checks kept of each policy's statuses until
	// the table is made.
	statusRefs []policyStatuses

	// recordsDropped: this is a shell (Shell), its records gone; unparsed then holds what
	// DeviceUnparsed and UserUnparsed give.
	recordsDropped bool
	unparsed       unparsedByID
}

// CloseRaw closes and removes the raw sources spooled for an export (SpoolRawSources), once the
// bundle is written or abandoned; the snapshot is then exported from its records, if at all.
func (s *Snapshot) CloseRaw() error {
	if s == nil {
		return nil
	}
	err := s.raw.close()
	s.raw = nil
	return err
}

// Source names used in SourceStatus, beyond jumpcloud.Source: the organisation, the screen-lock
// policies' settings, and one per System Insights table.
const (
	SourceOrganization   = "organization"
	SourcePolicySettings = "policy settings"
)

// insightTablesRead are the System Insights tables a collection reads: the whole tables, then the
// root mounts (Linux disk encryption is judged on the device mounted at /).
func insightTablesRead() []string {
	return append(append([]string(nil), jumpcloud.InsightTables...), jumpcloud.TableMounts)
}

// InsightSource is the status name of one System Insights table.
func InsightSource(table string) string { return string(jumpcloud.SourceInsights) + ": " + table }

// SourceOrder is the order sources are listed in a Snapshot and in every output.
func SourceOrder() []string {
	order := []string{SourceOrganization, string(jumpcloud.SourceDevices),
		string(jumpcloud.SourcePolicies), string(jumpcloud.SourcePolicyResults), SourcePolicySettings}
	for _, t := range insightTablesRead() {
		order = append(order, InsightSource(t))
	}
	return append(order, string(jumpcloud.SourceUsers), string(jumpcloud.SourceAdmins),
		string(jumpcloud.SourceApplications), string(jumpcloud.SourceAuthnPolicies))
}

// Status returns the recorded status of a source (State "" when it was never recorded).
func (s *Snapshot) Status(source string) SourceStatus {
	for _, st := range s.Sources {
		if st.Source == source {
			return st
		}
	}
	return SourceStatus{Source: source}
}

// Readable reports whether a source was collected completely.
func (s *Snapshot) Readable(source string) bool { return s.Status(source).State == StateOK }

// Problems lists the sources that were chosen but could not be read completely.
func (s *Snapshot) Problems() []SourceStatus {
	var out []SourceStatus
	for _, st := range s.Sources {
		if st.State != StateOK && st.State != StateSkipped {
			out = append(out, st)
		}
	}
	return out
}

// normalize sorts everything by id (pages arrive concurrently, in any order) and orders the
// source statuses, so equal organisations give byte-identical exports.
func (s *Snapshot) normalize() {
	sort.SliceStable(s.Devices, func(i, j int) bool { return s.Devices[i].ID < s.Devices[j].ID })
	s.sortPeople()
	sort.SliceStable(s.Policies, func(i, j int) bool { return s.Policies[i].ID < s.Policies[j].ID })
	s.sortPolicyStatuses()
	for table, rows := range s.Insights {
		if f, ok := s.raw.kept(InsightSource(table)); ok && sortLike(f, rows) {
			// Spooled for an export, the rows may keep only the checks' columns: they take the
			// full rows' order, the raw file's.
			continue
		}
		// By system id, collection time, then content (several rows per device: one per volume,
		// per policy key).
		slices.SortStableFunc(rows, jumpcloud.CompareInsightRows)
	}
	sort.SliceStable(s.PolicyDetails, func(i, j int) bool { return s.PolicyDetails[i].ID < s.PolicyDetails[j].ID })
	s.sortSources()
}

// sortPeople sorts the SSO side by id: users, administrators, applications, conditional access
// (read after an early snapshot's device table: finishBackground sorts them then).
func (s *Snapshot) sortPeople() {
	sort.SliceStable(s.Users, func(i, j int) bool { return s.Users[i].ID < s.Users[j].ID })
	sort.SliceStable(s.Admins, func(i, j int) bool { return s.Admins[i].ID < s.Admins[j].ID })
	sort.SliceStable(s.Applications, func(i, j int) bool { return s.Applications[i].ID < s.Applications[j].ID })
	sort.SliceStable(s.AuthnPolicies, func(i, j int) bool { return s.AuthnPolicies[i].ID < s.AuthnPolicies[j].ID })
}

// sortPolicyStatuses orders the statuses by policy, device and id.
func (s *Snapshot) sortPolicyStatuses() {
	sort.SliceStable(s.PolicyStatuses, func(i, j int) bool {
		a, b := s.PolicyStatuses[i], s.PolicyStatuses[j]
		if a.PolicyID != b.PolicyID {
			return a.PolicyID < b.PolicyID
		}
		if a.SystemID != b.SystemID {
			return a.SystemID < b.SystemID
		}
		return a.ID < b.ID
	})
}

// sortSources puts the source statuses in SourceOrder.
func (s *Snapshot) sortSources() {
	rank := map[string]int{}
	for i, name := range SourceOrder() {
		rank[name] = i
	}
	sort.SliceStable(s.Sources, func(i, j int) bool {
		ri, oki := rank[s.Sources[i].Source]
		rj, okj := rank[s.Sources[j].Source]
		if oki != okj {
			return oki
		}
		if ri != rj {
			return ri < rj
		}
		return s.Sources[i].Source < s.Sources[j].Source
	})
}

// ChosenSources lists, in SourceOrder, the sources a collection of these integrations reads:
// progress bars use it to know how many sources to expect.
func ChosenSources(i Integrations) []string {
	endpoint := map[string]bool{string(jumpcloud.SourceDevices): true, string(jumpcloud.SourcePolicies): true,
		string(jumpcloud.SourcePolicyResults): true, SourcePolicySettings: true}
	for _, t := range insightTablesRead() {
		endpoint[InsightSource(t)] = true
	}
	sso := map[string]bool{string(jumpcloud.SourceUsers): true, string(jumpcloud.SourceApplications): true,
		string(jumpcloud.SourceAuthnPolicies): true}
	var out []string
	for _, s := range SourceOrder() {
		if (endpoint[s] && !i.Endpoint) || (sso[s] && !i.SSO) {
			continue
		}
		out = append(out, s)
	}
	return out
}

// DeviceUnparsed is what JumpCloud sent for the device with this id that could not be read (see
// jumpcloud.UnparsedField), for detail panes. Devices are sorted by id (normalize). A shell
// keeps them by id (Shell).
func (s *Snapshot) DeviceUnparsed(id string) []jumpcloud.UnparsedField {
	if s == nil {
		return nil
	}
	if s.recordsDropped {
		return s.unparsed.devices[id]
	}
	i := sort.Search(len(s.Devices), func(i int) bool { return s.Devices[i].ID >= id })
	if i < len(s.Devices) && s.Devices[i].ID == id {
		return s.Devices[i].Unparsed()
	}
	return nil
}

// UserUnparsed is DeviceUnparsed for the user with this id.
func (s *Snapshot) UserUnparsed(id string) []jumpcloud.UnparsedField {
	if s == nil {
		return nil
	}
	if s.recordsDropped {
		return s.unparsed.users[id]
	}
	i := sort.Search(len(s.Users), func(i int) bool { return s.Users[i].ID >= id })
	if i < len(s.Users) && s.Users[i].ID == id {
		return s.Users[i].Unparsed
	}
	return nil
}
