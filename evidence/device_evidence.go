package evidence

import "sync"

// deviceEvidence is where the checks of one device write their evidence: every check appends to
// one scratch array, reused from device to device, and the device's results then get one array
// of exactly their evidence (keep), each result its own piece of it. Made check by check, the
// evidence was seven allocations and more per device (a list per check, grown as it was
// appended to), and the largest share of the objects a report of 50,000 devices holds.
//
// A report that is read and dropped at once (a row of `devices --json`) keeps its results and
// evidence here, with no allocation at all (scratchDeviceReport).
//
// The rule a device check follows: it appends its evidence here (add, addAll) in the order the
// result lists it and leaves Result.Evidence unset; whoever called it takes the evidence with
// cut. Nothing outside this file holds a slice of the scratch array once keep has run.
type deviceEvidence struct {
	all   []Evidence // the scratch array: the device's evidence so far
	start int        // where the evidence not cut yet begins
	// results is room for the results of a report that is read and dropped
	// (scratchDeviceReport), along with its evidence in all.
	results []Result // len(DeviceChecks)
}

var deviceEvidencePool = sync.Pool{New: func() any {
	return &deviceEvidence{all: make([]Evidence, 0, 64), results: make([]Result, len(DeviceChecks))}
}}

// newDeviceEvidence is an empty scratch array, for one device; done gives it back.
func newDeviceEvidence() *deviceEvidence {
	e := deviceEvidencePool.Get().(*deviceEvidence)
	e.all, e.start = e.all[:0], 0
	return e
}

// done gives the scratch array back for another device, after keep.
func (e *deviceEvidence) done() {
	clear(e.all) // drop the texts' references: the pool must not keep a report's strings alive
	clear(e.results)
	deviceEvidencePool.Put(e)
}

func (e *deviceEvidence) add(name, value string) {
	e.all = append(e.all, Evidence{Name: name, Value: value})
}

func (e *deviceEvidence) addAll(evs []Evidence) { e.all = append(e.all, evs...) }

// cut is the evidence added since the last cut, for the result of the check that added it: nil
// when there is none (JSON's null, as a result with no evidence always had).
func (e *deviceEvidence) cut() []Evidence {
	if len(e.all) == e.start {
		return nil
	}
	piece := e.all[e.start:len(e.all):len(e.all)]
	e.start = len(e.all)
	return piece
}

// result is r with the evidence its check added.
func (e *deviceEvidence) result(r Result) Result {
	r.Evidence = e.cut()
	return r
}

// keep moves the evidence cut so far into one array of its own, exactly its size, and points
// the results that hold the pieces at their copies. results are the device's, in order; those
// whose evidence was not cut here (an early report's, kept as it was) are left alone.
func (e *deviceEvidence) keep(results []Result) {
	if e.start == 0 {
		return
	}
	kept := make([]Evidence, e.start)
	copy(kept, e.all[:e.start])
	off := 0
	for i := range results {
		r := &results[i]
		if n := len(r.Evidence); n > 0 && off+n <= e.start && e.isPiece(r.Evidence, off) {
			r.Evidence = kept[off : off+n : off+n]
			off += n
		}
	}
	if off != e.start {
		panic("evidence: a device check's evidence was cut but is held by none of its results")
	}
}

// isPiece reports whether evs is the piece cut at off: the same elements of the scratch array,
// or, cut before an append moved the array, a copy of them (the same texts).
func (e *deviceEvidence) isPiece(evs []Evidence, off int) bool {
	if &evs[0] == &e.all[off] {
		return true
	}
	for i, ev := range evs {
		if ev != e.all[off+i] {
			return false
		}
	}
	return true
}
