package jumpcloud

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
)

// PolicyDetail is GET /api/v2/policies/{id} (v2 spec PolicyWithDetails): the policy with its
// configured values. Each value names its template field by configFieldID; configFields[]
// describes those fields (name, label, sensitive).
//
// A value marked sensitive (on the value or on its field) is never kept: decoding drops its text
// and records only that it was withheld, so it cannot reach a snapshot, a screen or an export.
type PolicyDetail struct {
	ID       string         `json:"id"`
	Name     string         `json:"name"`
	Template PolicyTemplate `json:"template"`
	Settings []PolicySetting
}

// PolicySetting is one configured value of a policy, joined with its field's name.
type PolicySetting struct {
	Field     string `json:"field"` // configFields[].name, else the configFieldID
	Value     string `json:"value"` // "" when Sensitive
	Sensitive bool   `json:"sensitive,omitempty"`
}

// Setting returns the value of the named field (case-insensitive); ok is false when the policy
// has no such field or its value was withheld as sensitive.
func (p PolicyDetail) Setting(field string) (string, bool) {
	for _, s := range p.Settings {
		if strings.EqualFold(s.Field, field) && !s.Sensitive {
			return s.Value, true
		}
	}
	return "", false
}

// MarshalJSON writes the kept, non-sensitive form (the snapshot's raw evidence).
func (p PolicyDetail) MarshalJSON() ([]byte, error) {
	type out struct {
		ID       string          `json:"id"`
		Name     string          `json:"name"`
		Template PolicyTemplate  `json:"template"`
		Settings []PolicySetting `json:"settings"`
	}
	return json.Marshal(out(p))
}

// UnmarshalJSON reads either the API's shape (values + configFields) or the kept shape written
// by MarshalJSON (settings), so a saved snapshot reads back.
func (p *PolicyDetail) UnmarshalJSON(b []byte) error {
	var aux struct {
		ID       string          `json:"id"`
		Name     string          `json:"name"`
		Template PolicyTemplate  `json:"template"`
		Settings []PolicySetting `json:"settings"`
		Values   []struct {
			ConfigFieldID string          `json:"configFieldID"`
			Value         json.RawMessage `json:"value"`
			Sensitive     bool            `json:"sensitive"`
		} `json:"values"`
		ConfigFields []struct {
			ID        string `json:"id"`
			Name      string `json:"name"`
			Sensitive bool   `json:"sensitive"`
		} `json:"configFields"`
	}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	*p = PolicyDetail{ID: aux.ID, Name: aux.Name, Template: aux.Template, Settings: aux.Settings}
	type field struct {
		name      string
		sensitive bool
	}
	fields := map[string]field{}
	for _, f := range aux.ConfigFields {
		fields[f.ID] = field{f.Name, f.Sensitive}
	}
	for _, v := range aux.Values {
		f, known := fields[v.ConfigFieldID]
		s := PolicySetting{Field: v.ConfigFieldID, Sensitive: v.Sensitive || f.sensitive}
		if known && f.name != "" {
			s.Field = f.name
		}
		if !s.Sensitive {
			s.Value = scalarText(v.Value)
		}
		p.Settings = append(p.Settings, s)
	}
	return nil
}

// scalarText is a JSON value as text: strings unquoted, numbers and booleans as written. The spec
// types PolicyValue.value as a string with "items", so arrays and objects are possible: they are
// kept as compact JSON.
func scalarText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	var b bool
	if json.Unmarshal(raw, &b) == nil {
		return strconv.FormatBool(b)
	}
	if string(raw) == "null" {
		return ""
	}
	return string(raw)
}

// PolicyDetail reads one policy with its values (GET /api/v2/policies/{id}). Sensitive values are
// dropped while decoding.
func (c *Client) PolicyDetail(ctx context.Context, id string) (PolicyDetail, error) {
	var p PolicyDetail
	rq := request{path: "/api/v2/policies/" + url.PathEscape(id), source: string(SourcePolicies)}
	resp, err := c.get(ctx, rq)
	if err != nil {
		return p, err
	}
	return p, c.decodeOne(resp, rq, &p)
}
