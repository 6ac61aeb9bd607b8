package jumpcloud

import (
	"strings"
	"time"
)

// The types below are what the client decodes from JumpCloud's API. They keep only the fields
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

// APIKeyInfo is the key metadata on an admin record (never the key itself).
type APIKeyInfo struct {
	Prefix    string     `json:"prefix"`
	CreatedAt *time.Time `json:"createdAt"`
	ExpireAt  *time.Time `json:"expireAt"`
}

// Admin is an administrator record: GET /api/users/getSelf (the key owner) and GET /api/users.
type Admin struct {
	ID                string      `json:"id"`
	Email             string      `json:"email"`
	Firstname         string      `json:"firstname"`
	Lastname          string      `json:"lastname"`
	Organization      string      `json:"organization"`
	Provider          string      `json:"provider"`
	RoleName          string      `json:"roleName"`
	EnableMultiFactor *bool       `json:"enableMultiFactor"`
	TOTPEnrolled      *bool       `json:"totpEnrolled"`
	Suspended         bool        `json:"suspended"`
	APIKeyAllowed     *bool       `json:"apiKeyAllowed"`
	APIKeySet         *bool       `json:"apiKeySet"`
	APIKeyUpdatedAt   *time.Time  `json:"apiKeyUpdatedAt"`
	APIKeyHash        *APIKeyInfo `json:"apiKeyHash"`
	Created           *time.Time  `json:"created"`
	LastLogin         *time.Time  `json:"lastLogin"`

	Unparsed []UnparsedField `json:"unparsed,omitempty"`
}

func (a *Admin) UnmarshalJSON(b []byte) error {
	type plain Admin
	aux := struct {
		*plain
		UnderscoreID string `json:"_id"`
	}{plain: (*plain)(a)}
	return decodeRecord(b, &aux, &a.ID, &aux.UnderscoreID, &a.Unparsed)
}

// Built-in administrator roles (../shared/jumpcloud-api.md §3.3). Compare with RoleIs, never ==:
// the API and the docs disagree on case ("With"/"with").
const (
	RoleAdminWithBilling         = "Administrator With Billing"
	RoleAdministrator            = "Administrator"
	RoleManager                  = "Manager"
	RoleCommandRunnerWithBilling = "Command Runner With Billing"
	RoleCommandRunner            = "Command Runner"
	RoleHelpDesk                 = "Help Desk"
	RoleBillingOnly              = "Billing Only"
	RoleReadOnly                 = "Read Only"
)

// BuiltInRoles lists JumpCloud's built-in roles, most privileged first.
var BuiltInRoles = []string{RoleAdminWithBilling, RoleAdministrator, RoleManager,
	RoleCommandRunnerWithBilling, RoleCommandRunner, RoleHelpDesk, RoleBillingOnly, RoleReadOnly}

// RoleIs reports whether a role name from the API is the given role, ignoring case and
// surrounding space.
func RoleIs(got, want string) bool {
	return strings.EqualFold(strings.TrimSpace(got), strings.TrimSpace(want))
}

// IsReadOnlyRole reports whether the role is JumpCloud's built-in Read Only role.
func IsReadOnlyRole(role string) bool { return RoleIs(role, RoleReadOnly) }

// IsBuiltInRole reports whether the role is one of the built-in roles (else it is custom).
func IsBuiltInRole(role string) bool {
	for _, r := range BuiltInRoles {
		if RoleIs(role, r) {
			return true
		}
	}
	return false
}

// KeyOwner is who a key belongs to, as far as the API tells. RoleSource says where the role came
// from ("getSelf", "settings") or is empty when it could not be determined (both endpoints are
// undocumented; the caller must then warn, not block).
type KeyOwner struct {
	Admin      Admin
	Role       string
	RoleSource string
	// OrgID is the organisation the key belongs to when the API told (getSelf organization or
	// settings ORG_ID).
	OrgID string
	// RoleNote says why the role is unknown when it is: what getSelf and settings answered.
	RoleNote string
}

// RoleKnown reports whether the owner's role could be determined.
func (k KeyOwner) RoleKnown() bool { return strings.TrimSpace(k.Role) != "" }

// FDE is a device's full-disk-encryption state as the agent reports it.
type FDE struct {
	Active     bool `json:"active"`
	KeyPresent bool `json:"keyPresent"`
}

// SystemInsightsState is "enabled", "disabled" or "deferred".
type SystemInsightsState struct {
	State string `json:"state"`
}

// PolicyStats are the per-system policy counters of GET /api/systems.
type PolicyStats struct {
	Total         int `json:"total"`
	Success       int `json:"success"`
	Failed        int `json:"failed"`
	Pending       int `json:"pending"`
	Duplicate     int `json:"duplicate"`
	UnsupportedOS int `json:"unsupportedOs"`
}

// OSVersionDetail is JcSystem.osVersionDetail.
type OSVersionDetail struct {
	OSName      string `json:"osName"`
	Version     string `json:"version"`
	Major       string `json:"major"`
	Minor       string `json:"minor"`
	Patch       string `json:"patch"`
	ReleaseName string `json:"releaseName"`
	// DistributionName names a Linux distribution ("Ubuntu", "Rocky Linux"); the v1 spec lists
	// it without values, so it is matched loosely (evidence/os_support.go).
	DistributionName string `json:"distributionName"`
}

// System is a device: GET /api/systems.
type System struct {
	ID                string               `json:"id"`
	DisplayName       string               `json:"displayName"`
	Hostname          string               `json:"hostname"`
	SerialNumber      string               `json:"serialNumber"`
	OS                string               `json:"os"`
	OSFamily          string               `json:"osFamily"`
	Version           string               `json:"version"`
	OSVersionDetail   *OSVersionDetail     `json:"osVersionDetail"`
	Arch              string               `json:"arch"`
	Active            bool                 `json:"active"`
	LastContact       *time.Time           `json:"lastContact"`
	Created           *time.Time           `json:"created"`
	AgentVersion      string               `json:"agentVersion"`
	FDE               *FDE                 `json:"fde"`            // nil: unknown
	SystemInsights    *SystemInsightsState `json:"systemInsights"` // nil: unknown
	IsPolicyBound     *bool                `json:"isPolicyBound"`
	PolicyStats       *PolicyStats         `json:"policyStats"`
	PrimarySystemUser *struct {
		ID string `json:"id"`
	} `json:"primarySystemUser"`
	// DesktopCapable and DisplayManager tell a server from a desktop (JcSystem, v1 spec);
	// nil / "" when the API did not say. See osfamily.go.
	DesktopCapable *bool  `json:"desktopCapable"`
	DisplayManager string `json:"displayManager"`

	Unparsed []UnparsedField `json:"unparsed,omitempty"`
}

func (s *System) UnmarshalJSON(b []byte) error {
	type plain System
	aux := struct {
		*plain
		UnderscoreID string `json:"_id"`
	}{plain: (*plain)(s)}
	return decodeRecord(b, &aux, &s.ID, &aux.UnderscoreID, &s.Unparsed)
}

// Name is the device's display name, else its hostname, else its id.
func (s System) Name() string {
	for _, n := range []string{s.DisplayName, s.Hostname, s.ID} {
		if strings.TrimSpace(n) != "" {
			return n
		}
	}
	return ""
}

// MFA is a user's mfa object. nil on the user means unknown.
type MFA struct {
	Configured     bool       `json:"configured"`
	Exclusion      bool       `json:"exclusion"`
	ExclusionUntil *time.Time `json:"exclusionUntil"`
}

// MFAEnrollment is a user's mfaEnrollment object; each status is one of NOT_ENROLLED, DISABLED,
// PENDING_ACTIVATION, ENROLLMENT_EXPIRED, IN_ENROLLMENT, PRE_ENROLLMENT, ENROLLED.
type MFAEnrollment struct {
	OverallStatus  string `json:"overallStatus"`
	TOTPStatus     string `json:"totpStatus"`
	WebAuthnStatus string `json:"webAuthnStatus"`
	PushStatus     string `json:"pushStatus"`
}

// SystemUser is a user: GET /api/systemusers.
type SystemUser struct {
	ID                     string         `json:"id"`
	Username               string         `json:"username"`
	Email                  string         `json:"email"`
	Firstname              string         `json:"firstname"`
	Lastname               string         `json:"lastname"`
	Displayname            string         `json:"displayname"`
	State                  string         `json:"state"` // STAGED, ACTIVATED, SUSPENDED
	Activated              *bool          `json:"activated"`
	Suspended              bool           `json:"suspended"`
	AccountLocked          bool           `json:"account_locked"`
	PasswordExpired        bool           `json:"password_expired"`
	PasswordNeverExpires   bool           `json:"password_never_expires"`
	PasswordExpirationDate string         `json:"password_expiration_date"`
	TOTPEnabled            *bool          `json:"totp_enabled"`
	MFA                    *MFA           `json:"mfa"`           // nil: unknown
	MFAEnrollment          *MFAEnrollment `json:"mfaEnrollment"` // nil: unknown
	Created                string         `json:"created"`

	Unparsed []UnparsedField `json:"unparsed,omitempty"`
}

func (u *SystemUser) UnmarshalJSON(b []byte) error {
	type plain SystemUser
	aux := struct {
		*plain
		UnderscoreID string `json:"_id"`
	}{plain: (*plain)(u)}
	return decodeRecord(b, &aux, &u.ID, &aux.UnderscoreID, &u.Unparsed)
}

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
func (r PolicyResult) Outcome() string {
	for _, s := range []string{r.State, r.Status} {
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "success", "succeeded", "applied", "compliant":
			return OutcomeSuccess
		case "failed", "failure", "error", "noncompliant":
			return OutcomeFailed
		case "pending", "in_progress", "inprogress", "queued":
			return OutcomePending
		}
	}
	if r.Success != nil {
		if *r.Success {
			return OutcomeSuccess
		}
		return OutcomeFailed
	}
	return OutcomeUnknown
}

// Application is an SSO application: GET /api/applications.
type Application struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	DisplayName  string `json:"displayName"`
	DisplayLabel string `json:"displayLabel"`
	Active       *bool  `json:"active"`
	// Created is a plain string in the spec (no date format), so it is kept as sent.
	Created string `json:"created,omitempty"`
	SSO     *struct {
		Type string `json:"type"`
		JIT  bool   `json:"jit"`
		// IdPCertExpirationAt is when the IdP signing certificate expires.
		IdPCertExpirationAt *time.Time `json:"idpCertExpirationAt"`
	} `json:"sso"`
	// config is deliberately not decoded: it can hold certificate material.

	Unparsed []UnparsedField `json:"unparsed,omitempty"`
}

func (a *Application) UnmarshalJSON(b []byte) error {
	type plain Application
	aux := struct {
		*plain
		UnderscoreID string `json:"_id"`
	}{plain: (*plain)(a)}
	return decodeRecord(b, &aux, &a.ID, &aux.UnderscoreID, &a.Unparsed)
}

// AuthnPolicy is a conditional access policy: GET /api/v2/authn/policies.
type AuthnPolicy struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Disabled bool   `json:"disabled"`
	Type     string `json:"type"`
	Effect   struct {
		Action      string `json:"action"`
		Obligations struct {
			MFA *struct {
				Required bool `json:"required"`
			} `json:"mfa"`
		} `json:"obligations"`
	} `json:"effect"`
	// Targets say whom and what the policy covers (v2 spec AuthnPolicyTargets); see
	// authn_targets.go.
	Targets AuthnTargets `json:"targets"`

	Unparsed []UnparsedField `json:"unparsed,omitempty"`
}

func (p *AuthnPolicy) UnmarshalJSON(b []byte) error {
	type plain AuthnPolicy
	return decodeRecord(b, (*plain)(p), nil, nil, &p.Unparsed)
}
