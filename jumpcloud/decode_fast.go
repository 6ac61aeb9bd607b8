package jumpcloud

import (
	"encoding/json"
)

// The big lists (devices, users: up to 100,000 each; policy statuses: one per device per policy)
// are decoded through "wire" types that have no UnmarshalJSON, so encoding/json reads each record
// in one pass instead of handing its bytes to the record's own UnmarshalJSON, which would read
// them twice more. That halves the decoding CPU, which on a busy machine is what bounds
// concurrent paging. A clean page is read in one pass; a page that is not is read record by
// record, and a record the wire type cannot read (a date that is not a date, say) is decoded
// again, alone, by its lenient UnmarshalJSON (see lenient.go).

// systemWire is System without its methods, plus "_id".
type systemWire struct {
	systemFields
	UnderscoreID string `json:"_id"`
}

type systemFields System

// userWire is SystemUser without its methods, plus "_id".
type userWire struct {
	userFields
	UnderscoreID string `json:"_id"`
}

type userFields SystemUser

// policyResultFields is PolicyResult without its methods.
type policyResultFields PolicyResult

// decodeItems decodes a page of T. The big lists first try one pass over the whole page into
// wire records (the cheapest decode encoding/json offers, and what a clean page gets); when that
// fails for any reason (an odd field, a record that is not an object, a null, a totalCount that
// is not a number), the page is decoded record by record (decodeShape), which keeps the good
// records, records the odd fields and names the position of a record it cannot read.
func decodeItems[T any](body []byte) ([]T, int, error) {
	var (
		items any
		total int
		err   error
	)
	switch any((*T)(nil)).(type) {
	case *System:
		items, total, err = wirePage(body, func(w *systemWire) System {
			s := System(w.systemFields)
			if w.UnderscoreID != "" {
				s.ID = w.UnderscoreID
			}
			s.shareRepeated()
			return s
		})
	case *SystemUser:
		items, total, err = wirePage(body, func(w *userWire) SystemUser {
			u := SystemUser(w.userFields)
			if w.UnderscoreID != "" {
				u.ID = w.UnderscoreID
			}
			return u
		})
	case *PolicyResult:
		items, total, err = wirePage(body, func(w *policyResultFields) PolicyResult {
			r := PolicyResult(*w)
			r.shareRepeated()
			return r
		})
	case *InsightRow:
		// Record by record, never the whole page at once: a page is up to 10,000 rows, and
		// each row's member map is garbage as soon as the row is made.
		items, total, err = decodeShape(body, insightRecord, true)
	case *json.RawMessage:
		return decodeShape(body, plainRecord[T], false) // a probe only asks whether the answer is a list
	default:
		return decodeShape(body, plainRecord[T], true)
	}
	out, _ := items.([]T)
	return out, total, err
}

// wirePage decodes a page of T through its wire type W: the whole page in one pass when it is
// clean, else record by record.
func wirePage[W, T any](body []byte, toT func(*W) T) ([]T, int, error) {
	if out, total, ok := wholePage(body, toT); ok {
		return out, total, nil
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
