package jumpcloud

import (
	"encoding/json"
	"time"
)

// The big lists (devices, users: up to 100,000 each; policy statuses: one per device per policy)
// are decoded through "wire" types that have no UnmarshalJSON, so encoding/json reads each record
// in one pass instead of handing its bytes to the record's own UnmarshalJSON, which would read
// them twice more. A record the wire type cannot read (a date that is not a date, say) is decoded
// again, alone, from its own bytes by its lenient UnmarshalJSON (see lenient.go).
//
// A page that came in one pooled chunk (100 devices are about 100 KB, a chunk 256 KB) is first
// decoded in one json.Unmarshal straight from the chunk, with no copy: measured side by side
// (BenchmarkDecodeDevicePage, CPU time at -cpu 1) that costs about 15% less CPU than the stream
// decoder, record by record, that every other page takes (decodeShape) and that the one pass
// falls back to when the page is not clean.

// systemWire is System without its methods, plus "_id".
type systemWire struct {
	systemFields
	UnderscoreID string `json:"_id"`
}

type systemFields System

// userWire is SystemUser without its methods, plus "_id", its mfa read through mfaWire.
type userWire struct {
	userFields
	UnderscoreID string   `json:"_id"`
	MFA          *mfaWire `json:"mfa"` // in place of userFields.MFA (the shallower field wins)
}

type userFields SystemUser

// mfaWire is MFA with an exclusionUntil that may be "". JumpCloud sends an unset date as an
// empty string (jctest NOTES.md #21; every 5th user of the sandbox), which time.Time will not
// read: every page of users failed the one pass and was decoded again record by record, those
// users a third time field by field (2.5 times the CPU of a page of devices per record). The
// lenient decode reads "" as no date (isEmptyDate); so does this, in the one pass.
type mfaWire struct {
	mfaFields
	ExclusionUntil optionalDate `json:"exclusionUntil"`
}

type mfaFields MFA

// optionalDate is a *time.Time that reads "" as nil, as the lenient decode does.
type optionalDate struct{ t *time.Time }

func (d *optionalDate) UnmarshalJSON(b []byte) error {
	if string(b) == `""` || string(b) == "null" {
		d.t = nil
		return nil
	}
	var t time.Time
	if err := t.UnmarshalJSON(b); err != nil {
		return err
	}
	d.t = &t
	return nil
}

// policyResultFields is PolicyResult without its methods.
type policyResultFields PolicyResult

// decodeItems decodes a page of T, record by record, from the body's chunks.
func decodeItems[T any](body *pageBody) ([]T, int, error) {
	var (
		items any
		total int
		err   error
	)
	switch any((*T)(nil)).(type) {
	case *System:
		items, total, err = leanWirePage(body, (*sharedStrings).system, systemFromWire)
	case *SystemUser:
		items, total, err = wirePage(body, userFromWire)
	case *PolicyResult:
		items, total, err = leanWirePage(body, (*sharedStrings).policyResult, policyResultFromWire)
	case *InsightRow:
		// A page on its own (the pager decodes each page of a listing: fetchPage).
		items, total, err = newInsightStore(nil, nil).decodePage(body)
	case *json.RawMessage:
		return decodeShape(body, plainRecord[T], false) // a probe only asks whether the answer is a list
	default:
		return decodeShape(body, plainRecord[T], true)
	}
	out, _ := items.([]T)
	return out, total, err
}

func systemFromWire(w *systemWire) System {
	s := System(w.systemFields)
	if w.UnderscoreID != "" {
		s.ID = w.UnderscoreID
	}
	s.shareRepeated()
	return s
}

func userFromWire(w *userWire) SystemUser {
	u := SystemUser(w.userFields)
	if w.UnderscoreID != "" {
		u.ID = w.UnderscoreID
	}
	if w.MFA != nil {
		m := MFA(w.MFA.mfaFields)
		m.ExclusionUntil = w.MFA.ExclusionUntil.t
		u.MFA = &m
	}
	return u
}

func policyResultFromWire(w *policyResultFields) PolicyResult {
	r := PolicyResult(*w)
	r.shareRepeated()
	return r
}

// leanWirePage decodes a page of T by the lean decoder rec (decode_lean.go), or as wirePage
// does when it is not sure of the page. An empty list is what wirePage makes of it.
func leanWirePage[W, T any](body *pageBody, rec func(*sharedStrings, []byte) (T, bool), toT func(*W) T) ([]T, int, error) {
	var shared sharedStrings
	items, total, ok := leanList(body, func(obj []byte) (T, bool) { return rec(&shared, obj) })
	if !ok {
		return wirePage(body, toT)
	}
	if _, one := body.single(); one && items == nil {
		items = []T{} // wholePage's, not decodeShape's
	}
	return items, total, nil
}

// policyOutcomePage decodes a page of statuses' outcomes by the lean decoder, or as a page of
// PolicyResults when it is not sure of the page. ids, when not nil, keeps the device ids.
func policyOutcomePage(body *pageBody, ids *StringPool) ([]PolicyOutcome, int, error) {
	shared := sharedStrings{ids: ids}
	if items, total, ok := leanList(body, shared.policyOutcome); ok {
		return items, total, nil
	}
	results, total, err := wirePage(body, policyResultFromWire)
	if err != nil || results == nil {
		return nil, total, err
	}
	out := make([]PolicyOutcome, len(results))
	for i := range results {
		out[i] = results[i].OutcomeOf()
		if ids != nil {
			out[i].SystemID = ids.string(out[i].SystemID)
		}
	}
	return out, total, nil
}

// wirePage decodes a page of T through its wire type W: in one pass when it is clean and in one
// chunk, else record by record from the chunks.
func wirePage[W, T any](body *pageBody, toT func(*W) T) ([]T, int, error) {
	if one, ok := body.single(); ok {
		if out, total, ok := wholePage(one, toT); ok {
			return out, total, nil
		}
	}
	return decodeShape(body, viaWire(toT), true)
}

// wholePage decodes a clean page in one json.Unmarshal. ok is false when the page is not clean:
// it did not decode, has no results list, or holds a null where a record belongs (a pointer per
// record is what makes that visible; a zero record must never pass for one JumpCloud sent).
func wholePage[W, T any](body []byte, toT func(*W) T) (out []T, total int, ok bool) {
	var ws []*W
	total = -1
	if body[0] == '[' {
		if json.Unmarshal(body, &ws) != nil {
			return nil, 0, false
		}
	} else {
		var wrapped struct {
			TotalCount *int  `json:"totalCount"`
			Results    *[]*W `json:"results"`
		}
		if json.Unmarshal(body, &wrapped) != nil || wrapped.Results == nil {
			return nil, 0, false
		}
		ws = *wrapped.Results
		if wrapped.TotalCount != nil {
			total = *wrapped.TotalCount
		}
	}
	out = make([]T, len(ws))
	for i, w := range ws {
		if w == nil {
			return nil, 0, false
		}
		out[i] = toT(w)
	}
	return out, total, true
}
