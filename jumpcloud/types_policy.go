package jumpcloud

import (
	"strings"
	"time"
)

// PolicyTemplate is the template a policy was made from.
type PolicyTemplate struct {
	ID           string `json:"id"`
	Name         string `json:"name"` // snake_case with an OS suffix, e.g. "screen_lock_darwin"
	DisplayName  string `json:"displayName"`
	OSMetaFamily string `json:"osMetaFamily"`
}

// Policy is GET /api/v2/policies.
type Policy struct {
	ID       string         `json:"id"`
	Name     string         `json:"name"`
	Template PolicyTemplate `json:"template"`

	Unparsed []UnparsedField `json:"unparsed,omitempty"`
}

func (p *Policy) UnmarshalJSON(b []byte) error {
	type plain Policy
	return decodeRecord(b, (*plain)(p), nil, nil, &p.Unparsed)
}

// Policy result outcomes, as normalised by PolicyResult.Outcome.
const (
	OutcomeSuccess = "success"
	OutcomeFailed  = "failed"
	OutcomePending = "pending"
	OutcomeUnknown = "unknown"
)

// PolicyResult is one entry of GET /api/v2/policies/{id}/policystatuses.
type PolicyResult struct {
	ID         string     `json:"id"`
	PolicyID   string     `json:"policyID"`
	SystemID   string     `json:"systemID"`
	State      string     `json:"state"`
	Status     string     `json:"status"` // seen in JumpCloud's own CLI instead of state
	Success    *bool      `json:"success"`
	ExitStatus *int64     `json:"exitStatus"`
	StartedAt  *time.Time `json:"startedAt"`
	EndedAt    *time.Time `json:"endedAt"`
	Detail     string     `json:"detail"`

	Unparsed []UnparsedField `json:"unparsed,omitempty"`
}

func (r *PolicyResult) UnmarshalJSON(b []byte) error {
	type plain PolicyResult
	return decodeRecord(b, (*plain)(r), nil, nil, &r.Unparsed)
}

// Outcome normalises state/status/success to one of the Outcome constants: the live casing of
// state is unconfirmed and some clients see "status" instead, so read both, lower-cased, and fall
// back to the success flag.
func (r PolicyResult) Outcome() string { return outcomeOf(r.State, r.Status, r.Success) }

// PolicyOutcome is what the checks read of a policy status: which status, on which device, and
// its Outcome. PolicyOutcomesPages reads only this of each status.
type PolicyOutcome struct {
	ID, SystemID string
	Outcome      string // an Outcome* constant
}

// OutcomeOf is what the checks read of r.
func (r *PolicyResult) OutcomeOf() PolicyOutcome {
	return PolicyOutcome{ID: r.ID, SystemID: r.SystemID, Outcome: r.Outcome()}
}

func outcomeOf(state, status string, success *bool) string {
	for _, s := range []string{state, status} {
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "success", "succeeded", "applied", "compliant":
			return OutcomeSuccess
		case "failed", "failure", "error", "noncompliant":
			return OutcomeFailed
		case "pending", "in_progress", "inprogress", "queued":
			return OutcomePending
		}
	}
	if success != nil {
		if *success {
			return OutcomeSuccess
		}
		return OutcomeFailed
	}
	return OutcomeUnknown
}
