package evidence

import (
	"reflect"
	"testing"
)

// A device's results keep their own evidence, in order, in one array of exactly that size,
// whether or not the scratch array moved while the checks appended (a device with more
// evidence than it had room for); a check that added nothing keeps nil (JSON's null), a result
// made elsewhere (an early report's) is left as it is, and giving the scratch back changes none.
func TestDeviceEvidenceKeepsEachResultsPiece(t *testing.T) {
	for _, room := range []int{0, 1, 64} {
		e := newDeviceEvidence()
		e.all = make([]Evidence, 0, room) // 0 and 1: the array moves on the next appends
		early := []Evidence{{"from", "early"}}
		results := make([]Result, 4)
		e.add("a", "1")
		e.add("b", "2")
		results[0] = e.result(Result{Check: "first"})
		results[1] = e.result(Result{Check: "nothing"})
		results[2] = Result{Check: "early", Evidence: early}
		e.addAll([]Evidence{{"c", "3"}, {"d", "4"}, {"e", "5"}})
		results[3] = e.result(Result{Check: "last"})
		e.keep(results)
		e.done()

		want := [][]Evidence{{{"a", "1"}, {"b", "2"}}, nil, early, {{"c", "3"}, {"d", "4"}, {"e", "5"}}}
		for i, r := range results {
			if !reflect.DeepEqual(r.Evidence, want[i]) || (r.Evidence == nil) != (want[i] == nil) {
				t.Fatalf("room %d: result %d has %#v, want %#v", room, i, r.Evidence, want[i])
			}
			if cap(r.Evidence) != len(r.Evidence) {
				t.Errorf("room %d: result %d's evidence has room for %d more: an append would write over the next", room, i, cap(r.Evidence)-len(r.Evidence))
			}
		}
		if &results[2].Evidence[0] != &early[0] {
			t.Errorf("room %d: an early result's evidence was copied", room)
		}
	}
}

// The evidence of a device's results is one allocation, whatever the number of checks.
func TestDeviceEvidenceIsOneAllocation(t *testing.T) {
	results := make([]Result, len(DeviceChecks))
	e := &deviceEvidence{all: make([]Evidence, 0, 64)} // the pool's, without the pool (-race drops some of what it is given)
	allocs := testing.AllocsPerRun(100, func() {
		e.all, e.start = e.all[:0], 0
		for i := range results {
			e.add("name", "value")
			e.add("other", "value")
			results[i] = e.result(Result{Check: DeviceChecks[i].ID})
		}
		e.keep(results)
	})
	if allocs != 1 {
		t.Errorf("%v allocations for a device's evidence, want 1", allocs)
	}
}
