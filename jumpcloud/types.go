package jumpcloud

import (
	"strings"
)

// The types here and in types_*.go (by subject: admins, devices, policies, SSO users and
// applications) are what the client decodes from JumpCloud's API. They keep only the fields
// the evidence collector and the wizard use; unknown fields are ignored by encoding/json.
//
// Quirks they absorb (see ../shared/jumpcloud-api.md §10.4):
//   - v1 objects carry both "_id" and "id", v2 objects only "id": ID takes whichever is present.
//   - An absent nested object ("fde", "mfa", "systemInsights") is *unknown*, not false, so those
//     fields are pointers and nil means "the API did not say".
//   - Policy results report their outcome as "state", "status" or only "success": see
//     PolicyResult.Outcome.

// Every record type carries Unparsed: the fields JumpCloud sent in a shape the type cannot read
// (see lenient.go). Records decode through decodeRecord, so one odd field never sinks a page.

// Organization is one entry of GET /api/organizations.
type Organization struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"` // may be null in the live API: then empty
	// Created is a plain string in the spec (no date format), so it is kept as sent.
	Created  string          `json:"created,omitempty"`
	Unparsed []UnparsedField `json:"unparsed,omitempty"`
}

func (o *Organization) UnmarshalJSON(b []byte) error {
	type plain Organization
	aux := struct {
		*plain
		UnderscoreID string `json:"_id"`
	}{plain: (*plain)(o)}
	return decodeRecord(b, &aux, &o.ID, &aux.UnderscoreID, &o.Unparsed)
}

// Name is the organisation's display name, or its id when the API gave none.
func (o Organization) Name() string {
	if strings.TrimSpace(o.DisplayName) != "" {
		return o.DisplayName
	}
	return o.ID
}

// OrganizationSettings is the part of an organisation's settings that is evidence
// (GET /api/organizations/{id} "settings", or GET /api/settings "SETTINGS").
type OrganizationSettings struct {
	Name            string          `json:"name"`
	RequireAdminMFA *bool           `json:"requireAdminMFA"`
	PasswordPolicy  *PasswordPolicy `json:"passwordPolicy"`
	// PasswordCompliance: the v1 spec says passwordPolicy is only used when this is "custom".
	PasswordCompliance    string          `json:"passwordCompliance"`
	SystemInsightsEnabled *bool           `json:"-"` // from features.systemInsights.enabled
	Unparsed              []UnparsedField `json:"unparsed,omitempty"`
}

func (s *OrganizationSettings) UnmarshalJSON(b []byte) error {
	type plain OrganizationSettings
	aux := struct {
		*plain
		Features struct {
			SystemInsights *struct {
				Enabled *bool `json:"enabled"`
			} `json:"systemInsights"`
		} `json:"features"`
	}{plain: (*plain)(s)}
	if err := decodeRecord(b, &aux, nil, nil, &s.Unparsed); err != nil {
		return err
	}
	if aux.Features.SystemInsights != nil {
		s.SystemInsightsEnabled = aux.Features.SystemInsights.Enabled
	}
	return nil
}

// PasswordPolicy is the organisation's user password policy.
type PasswordPolicy struct {
	MinLength                 *int  `json:"minLength"`
	NeedsUppercase            *bool `json:"needsUppercase"`
	NeedsLowercase            *bool `json:"needsLowercase"`
	NeedsNumeric              *bool `json:"needsNumeric"`
	NeedsSymbolic             *bool `json:"needsSymbolic"`
	EnablePasswordExpiration  *bool `json:"enablePasswordExpirationInDays"`
	PasswordExpirationInDays  *int  `json:"passwordExpirationInDays"`
	EnableMaxLoginAttempts    *bool `json:"enableMaxLoginAttempts"`
	MaxLoginAttempts          *int  `json:"maxLoginAttempts"`
	EnableLockoutTimeInSecond *bool `json:"enableLockoutTimeInSeconds"`
	LockoutTimeInSeconds      *int  `json:"lockoutTimeInSeconds"`
	// EnableMinLength says whether minLength is enforced at all (v1 spec organizationsettings).
	EnableMinLength *bool `json:"enableMinLength"`
}

// OrganizationDetail is GET /api/organizations/{id}.
type OrganizationDetail struct {
	Organization
	Settings OrganizationSettings `json:"settings"`
}

func (o *OrganizationDetail) UnmarshalJSON(b []byte) error {
	type plain Organization
	aux := struct {
		*plain
		UnderscoreID string               `json:"_id"`
		Settings     OrganizationSettings `json:"settings"`
	}{plain: (*plain)(&o.Organization)}
	if err := decodeRecord(b, &aux, &o.ID, &aux.UnderscoreID, &o.Unparsed); err != nil {
		return err
	}
	o.Settings = aux.Settings
	return nil
}

// Settings is the undocumented GET /api/settings: the key's organisation id and role. An odd
// field anywhere in it (SETTINGS.passwordPolicy.minLength "8") must not cost the role.
type Settings struct {
	OrgID    string               `json:"ORG_ID"`
	Role     string               `json:"ROLE"`
	Settings OrganizationSettings `json:"SETTINGS"`
	Unparsed []UnparsedField      `json:"unparsed,omitempty"`
}

func (s *Settings) UnmarshalJSON(b []byte) error {
	type plain Settings
	return decodeRecord(b, (*plain)(s), nil, nil, &s.Unparsed)
}
