package evidence

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
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

// keep knows each result's piece by the record result made of it, never by its texts: a result
// it did not make (an early report's) whose evidence reads exactly like a new check's stays
// as it was, and the new check's gets the copy.
func TestDeviceEvidenceKeepsNoPieceByItsTexts(t *testing.T) {
	e := newDeviceEvidence()
	defer e.done()
	same := []Evidence{{"policyStats.total", "3"}}
	early := slices.Clone(same)
	results := make([]Result, 3)
	results[0] = Result{Check: "early", Evidence: early}
	e.addAll(same)
	results[1] = e.result(Result{Check: "new"})
	e.addAll(same)
	results[2] = e.result(Result{Check: "newer"})
	e.keep(results)
	if &results[0].Evidence[0] != &early[0] {
		t.Error("an early result's evidence was re-pointed at a new check's copy because its texts were the same")
	}
	if &results[1].Evidence[0] == &early[0] || &results[2].Evidence[0] == &early[0] || &results[1].Evidence[0] == &results[2].Evidence[0] {
		t.Error("the new results do not each hold evidence of their own")
	}
	for i, r := range results {
		if !reflect.DeepEqual(r.Evidence, same) {
			t.Errorf("result %d has %v, want %v", i, r.Evidence, same)
		}
	}
}

// Misuse is a programming error that would leave a report short of evidence that was read, so
// it stops the program rather than passing in silence: evidence added that no result was made
// with (at keep, or at the end of a report in the scratch arrays), a check that sets its own
// evidence (result would replace it), and results given to keep that do not hold the pieces
// result gave them (here a copy with the same texts).
func TestDeviceEvidenceMisuseIsLoud(t *testing.T) {
	for _, c := range []struct {
		name, want string
		misuse     func(e *deviceEvidence)
	}{
		{"evidence added after the last result, kept", "1 evidence added by a device check that no result was made with", func(e *deviceEvidence) {
			results := []Result{e.result(Result{Check: "first"})}
			e.add("late", "x")
			e.keep(results)
		}},
		{"evidence added after the last result, in the scratch arrays", "2 evidence added", func(e *deviceEvidence) {
			e.add("late", "x")
			e.add("later", "y")
			e.mustHaveCutAll()
		}},
		{"a check sets its own evidence", `device check "own" set its result's evidence itself`, func(e *deviceEvidence) {
			e.add("a", "1")
			e.result(Result{Check: "own", Evidence: []Evidence{{"b", "2"}}})
		}},
		{"a result replaced by a copy", "is not held by the results kept", func(e *deviceEvidence) {
			e.add("a", "1")
			results := []Result{e.result(Result{Check: "first"})}
			results[0].Evidence = slices.Clone(results[0].Evidence)
			e.keep(results)
		}},
		{"results in another order", "is not held by the results kept", func(e *deviceEvidence) {
			e.add("a", "1")
			first := e.result(Result{Check: "first"})
			e.add("b", "2")
			second := e.result(Result{Check: "second"})
			e.keep([]Result{second, first})
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newDeviceEvidence()
			defer e.done()
			if got := panicOf(func() { c.misuse(e) }); !strings.Contains(got, c.want) {
				t.Errorf("panicked with %q, want %q", got, c.want)
			}
		})
	}
}

// panicOf is what f panicked with, or "" when it returned.
func panicOf(f func()) (msg string) {
	defer func() {
		if p := recover(); p != nil {
			msg = fmt.Sprint(p)
		}
	}()
	f()
	return ""
}
