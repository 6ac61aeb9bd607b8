package jctest

import "time"

// Wire shapes of the v2 API (reference §7, §9): bare arrays, objects with "id" only.

type wireTemplate struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	DisplayName  string `json:"displayName"`
	Description  string `json:"description"`
	OSMetaFamily string `json:"osMetaFamily"`
}

type wirePolicy struct {
	ID       string       `json:"id"`
	Name     string       `json:"name"`
	Template wireTemplate `json:"template"`
}

func (o *orgData) wirePolicy(p int) wirePolicy {
	pol := &o.policies[p]
	t := pol.template
	return wirePolicy{
		ID: o.policyID(p), Name: pol.name,
		Template: wireTemplate{ID: templateID(t.idx), Name: t.name, DisplayName: t.displayName,
			Description: t.description, OSMetaFamily: familyNames[t.family]},
	}
}

// wireResult is a PolicyResult. The spec names the outcome "state" (+ "success"); JumpCloud's own
// CLI reads "status" (reference §7.2). Most results carry state, a few only status, a few only
// success, so clients exercise every spelling.
type wireResult struct {
	ID         string  `json:"id"`
	PolicyID   string  `json:"policyID"`
	SystemID   string  `json:"systemID"`
	State      *string `json:"state,omitempty"`
	Status     *string `json:"status,omitempty"`
	Success    bool    `json:"success"`
	ExitStatus int64   `json:"exitStatus"`
	StartedAt  string  `json:"startedAt"`
	EndedAt    string  `json:"endedAt"`
	StdOut     string  `json:"stdOut"`
	StdErr     string  `json:"stdErr"`
	Detail     string  `json:"detail"`
}

// Which spelling a result uses, by result sequence number.
func resultSpelling(seq int) (state, status bool) {
	switch {
	case seq%53 == 7:
		return false, false // only success
	case seq%29 == 3:
		return false, true // status instead of state
	}
	return true, false
}

func (o *orgData) wireResult(p, k int) wireResult {
	pol := &o.policies[p]
	dev := int(pol.devices[k])
	d := &o.devices[dev]
	out := pol.outcomes[k]
	seq := pol.firstResult + k
	name := outcomeNames[out]
	ended := d.lastContact.Add(-time.Duration(3+seq%50) * time.Minute)
	w := wireResult{
		ID: o.resultID(seq), PolicyID: o.policyID(p), SystemID: o.systemID(dev),
		Success:   out == outSuccess,
		StartedAt: ended.Add(-time.Duration(1+seq%5) * time.Second).Format(timeFormat),
		EndedAt:   ended.Format(timeFormat),
	}
	switch out {
	case outFailed:
		w.ExitStatus = 1
		w.StdErr = "policy could not be applied: " + pol.template.name
		w.Detail = "The device reported a non-zero exit status."
	case outPending:
		w.Detail = "Waiting for the device to apply the policy."
	}
	state, status := resultSpelling(seq)
	if state {
		w.State = &name
	}
	if status {
		w.Status = &name
	}
	return w
}

type wireAuthnPolicy struct {
	ID          string         `json:"id"`
	Name        string         `json:"name"`
	Description string         `json:"description"`
	Disabled    bool           `json:"disabled"`
	Type        string         `json:"type"`
	Effect      map[string]any `json:"effect"`
	Targets     map[string]any `json:"targets"`
	Conditions  map[string]any `json:"conditions"`
}

func (o *orgData) wireAuthnPolicy(i int) wireAuthnPolicy {
	a := &o.authn[i]
	effect := map[string]any{"action": a.action}
	if a.mfa {
		effect["obligations"] = map[string]any{
			"mfa":        map[string]any{"required": true},
			"mfaFactors": []any{map[string]any{"type": "TOTP"}, map[string]any{"type": "WEBAUTHN"}},
		}
	}
	return wireAuthnPolicy{
		ID: o.authnID(i), Name: a.name, Description: a.description, Disabled: a.disabled,
		Type: a.kind, Effect: effect,
		Targets:    map[string]any{"resources": []any{map[string]any{"type": a.kind}}},
		Conditions: map[string]any{},
	}
}

// A policy's configured values (GET /api/v2/policies/{id}, spec PolicyWithDetails): values[]
// name their field by configFieldID, configFields[] describe the fields. The screen-lock
// templates carry what the checks read; the macOS one also carries a sensitive value, which a
// client must never store or show (the spec's PolicyValue.sensitive). The Windows lock screen
// waits 3600 s: over the 15 minutes auditors expect.
type wireConfigField struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Label       string `json:"label"`
	DisplayType string `json:"displayType"`
	Sensitive   bool   `json:"sensitive"`
}

type wirePolicyValue struct {
	ConfigFieldID string `json:"configFieldID"`
	Value         string `json:"value"`
	Sensitive     bool   `json:"sensitive"`
}

type wirePolicyDetail struct {
	wirePolicy
	Notes        string            `json:"notes"`
	ConfigFields []wireConfigField `json:"configFields"`
	Values       []wirePolicyValue `json:"values"`
}

// SensitivePolicyValue is the sensitive value jctest serves in the macOS screen-lock policy, so
// tests can prove it never reaches a snapshot, a screen or an export.
const SensitivePolicyValue = "jctest-sensitive-override-4471"

// Values are strings, as the spec types PolicyValue.value (its "items" hints at arrays too; the
// client reads numbers, booleans and arrays as well).
type policyField struct {
	name, label, kind, value string
	sensitive                bool
}

var policyFields = map[string][]policyField{
	"screen_lock_darwin": {
		{"idleTime", "Start screen saver after (seconds)", "number", "600", false},
		{"askForPassword", "Require password after sleep or screen saver", "checkbox", "true", false},
		{"askForPasswordDelay", "Delay before password is required (seconds)", "number", "5", false},
		{"unlockOverrideCode", "Help desk override code", "text", SensitivePolicyValue, true},
	},
	"screen_lock_windows": {{"timeout", "Lock after inactivity (seconds)", "number", "3600", false}},
	"screen_lock_linux": {
		{"idleDelay", "Idle delay (seconds)", "number", "300", false},
		{"lockDelay", "Lock delay (seconds)", "number", "0", false},
		{"lockEnabled", "Lock the screen", "checkbox", "true", false},
	},
}

func (o *orgData) wirePolicyDetail(p int) wirePolicyDetail {
	w := wirePolicyDetail{wirePolicy: o.wirePolicy(p), ConfigFields: []wireConfigField{}, Values: []wirePolicyValue{}}
	t := o.policies[p].template
	fields, ok := policyFields[t.name]
	if !ok {
		fields = []policyField{{"enabled", "Enabled", "checkbox", "true", false}}
	}
	for k, f := range fields {
		id := objectID(kindTemplate, 1+t.idx, 0, k+1)
		w.ConfigFields = append(w.ConfigFields, wireConfigField{ID: id, Name: f.name, Label: f.label, DisplayType: f.kind, Sensitive: f.sensitive})
		w.Values = append(w.Values, wirePolicyValue{ConfigFieldID: id, Value: f.value, Sensitive: f.sensitive})
	}
	return w
}
