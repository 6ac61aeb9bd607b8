package jumpcloud

import (
	"time"
)

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
