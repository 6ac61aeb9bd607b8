package evidence

import (
	"fmt"
	"iter"
	"math/rand/v2"
	"slices"
	"testing"

	"jcconnect/jumpcloud"
)

// What the checks see of a device's statuses is the same whether the snapshot kept the records
// (an export) or only what the checks read, page by page (a collection for the checks): the same
// policies and outcomes in the same order, duplicates and statuses of unknown devices included.
func TestStatusTableIsTheSameFromRecordsAndFromPages(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var systems []jumpcloud.System
	for i := range 40 {
		systems = append(systems, jumpcloud.System{ID: fmt.Sprintf("d%02d", i)})
	}
	devices := jumpcloud.CompactDevices(systems...)
	states := []string{"success", "FAILED", "pending", "", "weird"}
	byPolicy := map[string][]jumpcloud.PolicyResult{}
	var records []jumpcloud.PolicyResult
	for i := range 300 {
		r := jumpcloud.PolicyResult{ID: fmt.Sprintf("s%03d", rng.IntN(1000)), PolicyID: fmt.Sprintf("p%d", rng.IntN(5)),
			SystemID: fmt.Sprintf("d%02d", rng.IntN(45)), State: states[rng.IntN(len(states))]} // d40-d44: no such device
		if i%7 == 0 {
			ok := i%2 == 0
			r.State, r.Success = "", &ok
		}
		byPolicy[r.PolicyID] = append(byPolicy[r.PolicyID], r)
		records = append(records, r)
	}
	// The records as a collection sorts them; the pages as they came, in pages of 7.
	s := &Snapshot{Devices: devices, PolicyStatuses: records}
	s.normalize()
	want := buildStatusTable(s.Devices, recordStatuses(s.PolicyStatuses))

	var kept []policyStatuses
	for _, id := range []string{"p3", "p0", "p4", "p1", "p2"} { // policies finish in any order
		var listed []listedStatus
		for page := range slices.Chunk(byPolicy[id], 7) {
			listed = appendStatusRefs(listed, outcomesOf(page), uniqueString)
		}
		kept = append(kept, policyStatuses{policyID: id, refs: sortedStatusRefs(listed)})
	}
	got := buildStatusTable(devices, refStatuses(kept))

	seen := 0
	for i := range devices {
		w, g := collectStatuses(want.of(i)), collectStatuses(got.of(i))
		if !slices.Equal(w, g) {
			t.Errorf("device %s: %v from pages, %v from records", devices[i].ID, g, w)
		}
		seen += len(w)
	}
	if seen == 0 || seen == len(records) {
		t.Fatalf("%d of %d statuses belong to known devices: the test needs some of each", seen, len(records))
	}

	// A device list in another order (a snapshot made by hand) finds the same statuses.
	shuffled := slices.Clone(devices)
	rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	other := buildStatusTable(shuffled, recordStatuses(s.PolicyStatuses))
	for i := range shuffled {
		j := slices.IndexFunc(devices, func(d jumpcloud.Device) bool { return d.ID == shuffled[i].ID })
		if w, g := collectStatuses(want.of(j)), collectStatuses(other.of(i)); !slices.Equal(w, g) {
			t.Errorf("device %s, unsorted list: %v, want %v", shuffled[i].ID, g, w)
		}
	}
	if other.fits(devices) && shuffled[0].ID != devices[0].ID {
		t.Error("a table of one device list passes for another's")
	}
}

func collectStatuses(d deviceStatuses) []string {
	var out []string
	for policyID, outcome := range d.all() {
		out = append(out, policyID+"="+outcome)
	}
	return out
}

// all yields each status's policy id and outcome (a jumpcloud.Outcome* constant): the table read
// back as pairs, for the tests (the checks read the policies' facts by index, checks_policies.go).
func (d deviceStatuses) all() iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		for _, st := range d.states {
			if !yield(d.policyIDs[st.policy], outcomeNames[st.outcome]) {
				return
			}
		}
	}
}
