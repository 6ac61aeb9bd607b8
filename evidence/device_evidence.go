package evidence

import (
	"strconv"
	"sync"
)

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
// result lists it and leaves Result.Evidence unset; whoever called it makes its result with
// result, which cuts that evidence off and records which piece the result holds. keep then
// walks those records; it never guesses a piece from its texts. Evidence added and never cut
// would be lost without a word: keep and scratchDeviceReport stop the program instead, as
// result does when a check sets evidence of its own (a programming error, which every test
// of a device would show). Nothing outside this file holds a slice of the scratch array once
// keep has run.
type deviceEvidence struct {
	all   []Evidence // the scratch array: the device's evidence so far
	start int        // where the evidence not cut yet begins
	// cuts are the pieces cut since the last keep, in the order they were cut.
	cuts []evidenceCut
	// results is room for the results of a report that is read and dropped
	// (scratchDeviceReport), along with its evidence in all.
	results []Result // len(DeviceChecks)
}

// evidenceCut is a piece of the scratch array a result was given: all[off:off+n], whose first
// element is at. The address names the result that holds it, even after an append moved the
// array (the piece stays in the old one): two results with the same texts are still two.
type evidenceCut struct {
	at     *Evidence
	off, n int
}

var deviceEvidencePool = sync.Pool{New: func() any {
	return &deviceEvidence{all: make([]Evidence, 0, 64), cuts: make([]evidenceCut, 0, len(DeviceChecks)),
		results: make([]Result, len(DeviceChecks))}
}}

// newDeviceEvidence is an empty scratch array, for one device; done gives it back.
func newDeviceEvidence() *deviceEvidence {
	e := deviceEvidencePool.Get().(*deviceEvidence)
	e.all, e.start, e.cuts = e.all[:0], 0, e.cuts[:0]
	return e
}

// done gives the scratch array back for another device, after keep.
func (e *deviceEvidence) done() {
	clear(e.all) // drop the texts' references: the pool must not keep a report's strings alive
	clear(e.cuts)
	clear(e.results)
	deviceEvidencePool.Put(e)
}

func (e *deviceEvidence) add(name, value string) {
	e.all = append(e.all, Evidence{Name: name, Value: value})
}

func (e *deviceEvidence) addAll(evs []Evidence) { e.all = append(e.all, evs...) }

// result is r, made by a device check, with the evidence the check added since the last
// result: nil when there is none (JSON's null, as a result with no evidence always had). The
// piece is capped, so that an append to it copies rather than writing over the next.
func (e *deviceEvidence) result(r Result) Result {
	if r.Evidence != nil {
		panic("evidence: device check " + strconv.Quote(r.Check) + " set its result's evidence itself; a device check adds it to deviceEvidence")
	}
	if len(e.all) == e.start {
		return r
	}
	r.Evidence = e.all[e.start:len(e.all):len(e.all)]
	e.cuts = append(e.cuts, evidenceCut{at: &r.Evidence[0], off: e.start, n: len(r.Evidence)})
	e.start = len(e.all)
	return r
}

// mustHaveCutAll stops the program when a check added evidence no result was made with: a
// report without it would be a confident answer on less than was read.
func (e *deviceEvidence) mustHaveCutAll() {
	if n := len(e.all) - e.start; n != 0 {
		panic("evidence: " + strconv.Itoa(n) + " evidence added by a device check that no result was made with (deviceEvidence.result)")
	}
}

// keep moves the evidence of the results made since the last keep into one array of its own,
// exactly its size, and points each of those results at its copy. results are the device's,
// in the order their results were made, and hold them as result gave them; the others (an
// early report's, kept as it was) are left alone, whatever their texts.
func (e *deviceEvidence) keep(results []Result) {
	e.mustHaveCutAll()
	if len(e.cuts) == 0 {
		return
	}
	base := e.cuts[0].off
	kept := make([]Evidence, e.start-base)
	copy(kept, e.all[base:e.start])
	i := 0
	for _, c := range e.cuts {
		for i < len(results) && !c.heldBy(&results[i]) {
			i++
		}
		if i == len(results) {
			panic("evidence: the evidence of device check results was cut but is not held by the results kept (keep is given the results result made, in order, unchanged)")
		}
		off := c.off - base
		results[i].Evidence = kept[off : off+c.n : off+c.n]
		i++
	}
	clear(e.cuts)
	e.cuts = e.cuts[:0]
}

// heldBy reports whether r holds this piece, the very one result gave it.
func (c evidenceCut) heldBy(r *Result) bool {
	return len(r.Evidence) == c.n && &r.Evidence[0] == c.at
}
