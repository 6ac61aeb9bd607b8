package jumpcloud

import "errors"

// The big lists (devices, users: up to 100,000 each) are decoded through "wire" types that have
// no UnmarshalJSON, so encoding/json reads a page in one pass instead of validating and
// re-reading every element inside its own UnmarshalJSON. That halves the decoding CPU, which on
// a busy machine is what bounds concurrent paging. A page the fast path cannot read (an empty
// string where a date belongs, say) is decoded again through the lenient per-element path.

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

// policyResultFields is PolicyResult without its methods (policy statuses run to 100,000s: one
// per device per policy).
type policyResultFields PolicyResult

// decodeItems decodes a page of T, by the fast path when T has one.
func decodeItems[T any](body []byte) ([]T, int, error) {
	var zero []T
	switch any(zero).(type) {
	case []System:
		if ws, total, err := decodeShape[systemWire](body); err == nil || errors.Is(err, errNoResults) {
			out := make([]System, len(ws))
			for i, w := range ws {
				out[i] = System(w.systemFields)
				if w.UnderscoreID != "" {
					out[i].ID = w.UnderscoreID
				}
			}
			return any(out).([]T), total, err
		}
	case []SystemUser:
		if ws, total, err := decodeShape[userWire](body); err == nil || errors.Is(err, errNoResults) {
			out := make([]SystemUser, len(ws))
			for i, w := range ws {
				out[i] = SystemUser(w.userFields)
				if w.UnderscoreID != "" {
					out[i].ID = w.UnderscoreID
				}
			}
			return any(out).([]T), total, err
		}
	case []PolicyResult:
		if ws, total, err := decodeShape[policyResultFields](body); err == nil || errors.Is(err, errNoResults) {
			out := make([]PolicyResult, len(ws))
			for i, w := range ws {
				out[i] = PolicyResult(w)
			}
			return any(out).([]T), total, err
		}
	case []InsightRow:
		if ms, total, err := decodeShape[map[string]any](body); err == nil || errors.Is(err, errNoResults) {
			out := make([]InsightRow, len(ms))
			for i, m := range ms {
				out[i] = insightRowFromMap(m)
			}
			return any(out).([]T), total, err
		}
	}
	return decodeShape[T](body)
}
