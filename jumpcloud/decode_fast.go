package jumpcloud

import (
	"encoding/json"
)

// The big lists (devices, users: up to 100,000 each; policy statuses: one per device per policy)
// are decoded through "wire" types that have no UnmarshalJSON, so encoding/json reads each record
// in one pass instead of handing its bytes to the record's own UnmarshalJSON, which would read
// them twice more. That halves the decoding CPU, which on a busy machine is what bounds
// concurrent paging. A record the wire type cannot read (a date that is not a date, say) is
// decoded again, alone, by its lenient UnmarshalJSON (see lenient.go).

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

// decodeItems decodes a page of T record by record, by the fast path when T has one.
func decodeItems[T any](body []byte) ([]T, int, error) {
	var one any
	records := true
	switch any((*T)(nil)).(type) {
	case *System:
		one = viaWire(func(w *systemWire) System {
			s := System(w.systemFields)
			if w.UnderscoreID != "" {
				s.ID = w.UnderscoreID
			}
			return s
		})
	case *SystemUser:
		one = viaWire(func(w *userWire) SystemUser {
			u := SystemUser(w.userFields)
			if w.UnderscoreID != "" {
				u.ID = w.UnderscoreID
			}
			return u
		})
	case *PolicyResult:
		one = viaWire(func(w *policyResultFields) PolicyResult { return PolicyResult(*w) })
	case *InsightRow:
		one = viaWire(func(m *map[string]any) InsightRow { return insightRowFromMap(*m) })
	case *json.RawMessage:
		// A probe only asks whether the answer is a list.
		records = false
	}
	if one == nil {
		return decodeShape(body, plainRecord[T], records)
	}
	return decodeShape(body, one.(recordDecoder[T]), records)
}
