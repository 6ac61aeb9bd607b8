package evidence

import (
	"cmp"
	"iter"
	"slices"
	"sort"
	"unique"

	"jcconnect/jumpcloud"
)

// The checks read two things of a policy status: which policy, and its outcome. A snapshot keeps
// them as a statusTable, 8 bytes a status grouped by device, instead of the records JumpCloud
// sent (about 145 bytes each, 11 MB at 50,000 devices): a collection for the checks keeps no
// records at all, an export keeps them for raw/policy_statuses.json.

// policyState is one status: its policy (an index into statusTable.policyIDs) and outcome.
type policyState struct {
	policy  uint32
	outcome outcomeCode
}

// outcomeCode is a jumpcloud.Outcome* constant as a byte.
type outcomeCode uint8

var outcomeNames = []string{jumpcloud.OutcomeUnknown, jumpcloud.OutcomeSuccess, jumpcloud.OutcomeFailed, jumpcloud.OutcomePending}

func outcomeCodeOf(o string) outcomeCode {
	for i, n := range outcomeNames {
		if n == o {
			return outcomeCode(i)
		}
	}
	return 0
}

// statusTable holds the statuses of each device of a snapshot, by the device's position in
// Snapshot.Devices: device i's are states[start[i]:start[i+1]], in the snapshot's order (by
// policy id, then status id). A status of a device the snapshot does not hold reaches no check
// and is not kept here (an export still writes it: raw/policy_statuses.json).
type statusTable struct {
	deviceIDs [2]string // the first and last device's ids, to tell a table of another device list
	devices   int
	policyIDs []string
	start     []uint32
	states    []policyState
}

// checkedStatus is what the checks read of a status.
type checkedStatus struct {
	policyID, systemID string
	outcome            outcomeCode
}

// recordStatuses yields the records' checkedStatus, in their order (Snapshot.normalize's: by
// policy id, then device id, then status id).
func recordStatuses(records []jumpcloud.PolicyResult) iter.Seq[checkedStatus] {
	return func(yield func(checkedStatus) bool) {
		for i := range records {
			r := &records[i]
			if !yield(checkedStatus{r.PolicyID, r.SystemID, outcomeCodeOf(r.Outcome())}) {
				return
			}
		}
	}
}

// buildStatusTable groups statuses by device. devices need not be sorted.
func buildStatusTable(devices []jumpcloud.Device, statuses iter.Seq[checkedStatus]) *statusTable {
	t := &statusTable{devices: len(devices), start: make([]uint32, len(devices)+1)}
	if len(devices) > 0 {
		t.deviceIDs = [2]string{devices[0].ID, devices[len(devices)-1].ID}
	}
	positions := devicePositions(devices)
	// Count each device's statuses, then place them: start[i+1] ends up where device i's end.
	for st := range statuses {
		for _, p := range positions(st.systemID) {
			t.start[p+1]++
		}
	}
	for i := 1; i < len(t.start); i++ {
		t.start[i] += t.start[i-1]
	}
	t.states = make([]policyState, t.start[len(devices)])
	next := append([]uint32(nil), t.start[:len(devices)]...)
	policies := map[string]uint32{}
	for st := range statuses {
		at := positions(st.systemID)
		if len(at) == 0 {
			continue
		}
		pi, ok := policies[st.policyID]
		if !ok {
			pi = uint32(len(t.policyIDs))
			policies[st.policyID] = pi
			t.policyIDs = append(t.policyIDs, st.policyID)
		}
		ps := policyState{policy: pi, outcome: st.outcome}
		for _, p := range at {
			t.states[next[p]] = ps
			next[p]++
		}
	}
	return t
}

// A collection for the checks does not keep the status records. Each status is kept as its page
// comes in as a listedStatus (its device, id and outcome), and once its policy's list is complete
// as a statusRef, in the snapshot's order; the statusTable is made of them when the devices are
// all in (compact).

type listedStatus struct {
	systemID, id string
	outcome      outcomeCode
}

type statusRef struct {
	systemID string
	outcome  outcomeCode
}

// policyStatuses are what a collection kept of one policy's statuses: the records (an export) or
// their refs (a collection for the checks).
type policyStatuses struct {
	policyID string
	records  []jumpcloud.PolicyResult
	refs     []statusRef
}

// appendStatusRefs keeps what the checks read of a page of statuses' outcomes
// (jumpcloud.PolicyOutcomesPages, or PolicyResult.OutcomeOf of each record), each device id as
// shared makes it: one copy of each id across the policies, not one per status.
func appendStatusRefs(to []listedStatus, page []jumpcloud.PolicyOutcome, shared func(string) string) []listedStatus {
	for i := range page {
		r := &page[i]
		to = append(to, listedStatus{systemID: shared(r.SystemID), id: r.ID, outcome: outcomeCodeOf(r.Outcome)})
	}
	return to
}

// uniqueString is the process's one copy of s.
func uniqueString(s string) string { return unique.Make(s).Value() }

// pooled is for strings already shared (ListOptions.SystemIDs).
func pooled(s string) string { return s }

// outcomesOf is what the checks read of a page of status records.
func outcomesOf(page []jumpcloud.PolicyResult) []jumpcloud.PolicyOutcome {
	out := make([]jumpcloud.PolicyOutcome, len(page))
	for i := range page {
		out[i] = page[i].OutcomeOf()
	}
	return out
}

// sortedStatusRefs puts one policy's statuses in the snapshot's order (by device id, then status
// id: Snapshot.normalize) and lets their ids go.
func sortedStatusRefs(listed []listedStatus) []statusRef {
	if listed == nil {
		return nil
	}
	slices.SortStableFunc(listed, func(a, b listedStatus) int {
		return cmp.Or(cmp.Compare(a.systemID, b.systemID), cmp.Compare(a.id, b.id))
	})
	out := make([]statusRef, len(listed))
	for i, l := range listed {
		out[i] = statusRef{systemID: l.systemID, outcome: l.outcome}
	}
	return out
}

// refStatuses yields what a collection for the checks kept, in the snapshot's order: by policy id
// (stable: a policy listed twice keeps its lists in listing order), then as each list is sorted.
func refStatuses(byPolicy []policyStatuses) iter.Seq[checkedStatus] {
	sorted := slices.Clone(byPolicy)
	slices.SortStableFunc(sorted, func(a, b policyStatuses) int { return cmp.Compare(a.policyID, b.policyID) })
	return func(yield func(checkedStatus) bool) {
		for _, p := range sorted {
			for _, r := range p.refs {
				if !yield(checkedStatus{p.policyID, r.systemID, r.outcome}) {
					return
				}
			}
		}
	}
}

// devicePositions finds where a device id is in devices (several places if the list repeats it):
// by binary search when the list is sorted by id (a collected snapshot), else through a map.
func devicePositions(devices []jumpcloud.Device) func(id string) []int {
	sorted := sort.SliceIsSorted(devices, func(i, j int) bool { return devices[i].ID < devices[j].ID })
	if sorted {
		var buf [1]int
		return func(id string) []int {
			i := sort.Search(len(devices), func(i int) bool { return devices[i].ID >= id })
			if i == len(devices) || devices[i].ID != id {
				return nil
			}
			if i+1 == len(devices) || devices[i+1].ID != id {
				buf[0] = i
				return buf[:]
			}
			var out []int
			for ; i < len(devices) && devices[i].ID == id; i++ {
				out = append(out, i)
			}
			return out
		}
	}
	byID := map[string][]int{}
	for i := range devices {
		byID[devices[i].ID] = append(byID[devices[i].ID], i)
	}
	return func(id string) []int { return byID[id] }
}

// fits reports whether the table was built for this list of devices.
func (t *statusTable) fits(devices []jumpcloud.Device) bool {
	if t == nil || t.devices != len(devices) {
		return false
	}
	return len(devices) == 0 || t.deviceIDs == [2]string{devices[0].ID, devices[len(devices)-1].ID}
}

// of is the statuses of the device at position i.
func (t *statusTable) of(i int) deviceStatuses {
	return deviceStatuses{states: t.states[t.start[i]:t.start[i+1]], policyIDs: t.policyIDs}
}

// deviceStatuses are one device's statuses.
type deviceStatuses struct {
	states    []policyState
	policyIDs []string
}

func (d deviceStatuses) len() int { return len(d.states) }

// statusTable is the snapshot's table of statuses by device: the one made when the collection
// ended, else (a snapshot made by hand, or not yet compacted) one made now of what it holds.
func (s *Snapshot) statusTable() *statusTable {
	s.mustHaveRecords("reading the policy statuses")
	switch {
	case s.statuses.fits(s.Devices):
		return s.statuses
	case s.statusRefs != nil:
		return buildStatusTable(s.Devices, refStatuses(s.statusRefs))
	}
	return buildStatusTable(s.Devices, recordStatuses(s.PolicyStatuses))
}

// StatusPolicies counts the statuses held for the snapshot's devices, by policy id.
func (s *Snapshot) StatusPolicies() map[string]int {
	t := s.statusTable()
	out := map[string]int{}
	for _, st := range t.states {
		out[t.policyIDs[st.policy]]++
	}
	return out
}

// PolicyOutcomes counts the statuses held for the snapshot's devices by outcome
// (jumpcloud.Outcome*), whether the snapshot keeps the records or, as a collection for the checks
// or a spooled export does, only the table.
func (s *Snapshot) PolicyOutcomes() map[string]int {
	t := s.statusTable()
	out := map[string]int{}
	for _, st := range t.states {
		out[outcomeNames[st.outcome]]++
	}
	return out
}
