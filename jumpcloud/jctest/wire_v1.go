package jctest

// Wire shapes of the v1 API (reference §3-§6, §9). They are jctest's own: the client's decode
// types must not be reused here, or a mistake in one would hide in the other. v1 objects carry
// both "_id" and "id" (reference §10.4 quirk 1).

type v1List struct {
	TotalCount int `json:"totalCount"`
	Results    any `json:"results"`
}

type wireOrg struct {
	UID         string  `json:"_id"`
	ID          string  `json:"id"`
	DisplayName *string `json:"displayName"`       // null when the org has no display name
	LogoURL     string  `json:"logoUrl,omitempty"` // spec: string (the reference's null example is illustrative)
	Created     string  `json:"created"`
}

type wireOrgDetail struct {
	wireOrg
	Provider string       `json:"provider,omitempty"`
	Settings wireSettings `json:"settings"`
}

type wirePasswordPolicy struct {
	MinLength                      int  `json:"minLength"`
	NeedsUppercase                 bool `json:"needsUppercase"`
	NeedsLowercase                 bool `json:"needsLowercase"`
	NeedsNumeric                   bool `json:"needsNumeric"`
	NeedsSymbolic                  bool `json:"needsSymbolic"`
	EnablePasswordExpirationInDays bool `json:"enablePasswordExpirationInDays"`
	PasswordExpirationInDays       int  `json:"passwordExpirationInDays"`
	EnableMaxLoginAttempts         bool `json:"enableMaxLoginAttempts"`
	MaxLoginAttempts               int  `json:"maxLoginAttempts"`
	EnableLockoutTimeInSeconds     bool `json:"enableLockoutTimeInSeconds"`
	LockoutTimeInSeconds           int  `json:"lockoutTimeInSeconds"`
	EnableMinLength                bool `json:"enableMinLength"`
}

type wireFeature struct {
	Enabled bool `json:"enabled"`
}

type wireSettings struct {
	Name            string `json:"name"`
	RequireAdminMFA bool   `json:"requireAdminMFA"`
	// PasswordCompliance: passwordPolicy applies only when it is "custom" (v1 spec, PUT
	// /organizations/{id}); the side organisations use a preset.
	PasswordCompliance string             `json:"passwordCompliance"`
	PasswordPolicy     wirePasswordPolicy `json:"passwordPolicy"`
	Features           struct {
		SystemInsights    wireFeature `json:"systemInsights"`
		DirectoryInsights wireFeature `json:"directoryInsights"`
	} `json:"features"`
}

// wireAppSettings is the undocumented GET /api/settings (reference §3.1): upper-case keys.
type wireAppSettings struct {
	OrgID    string       `json:"ORG_ID"`
	Role     string       `json:"ROLE"`
	Email    string       `json:"EMAIL"`
	Settings wireSettings `json:"SETTINGS"`
}

func (o *orgData) wire() wireOrg {
	w := wireOrg{UID: o.id, ID: o.id, Created: o.created.Format(timeFormat)}
	if o.name != "" {
		name := o.name
		w.DisplayName = &name
	}
	return w
}

func (o *orgData) wireSettings() wireSettings {
	s := wireSettings{
		Name:            o.name,
		RequireAdminMFA: o.requireAdminMFA,
		PasswordPolicy: wirePasswordPolicy{
			MinLength: 12, NeedsUppercase: true, NeedsLowercase: true, NeedsNumeric: true,
			NeedsSymbolic: o.idx == 0, EnablePasswordExpirationInDays: true, PasswordExpirationInDays: 90,
			EnableMaxLoginAttempts: true, MaxLoginAttempts: 10,
			EnableLockoutTimeInSeconds: true, LockoutTimeInSeconds: 600, EnableMinLength: true,
		},
		PasswordCompliance: "custom",
	}
	if o.idx == 3 {
		s.PasswordCompliance = "pci3"
	}
	s.Features.SystemInsights.Enabled = o.systemInsights
	s.Features.DirectoryInsights.Enabled = true
	return s
}

type wireAPIKeyHash struct {
	Prefix    string `json:"prefix"`
	CreatedAt string `json:"createdAt"`
	ExpireAt  string `json:"expireAt,omitempty"`
}

type wireAdmin struct {
	UID               string          `json:"_id"`
	ID                string          `json:"id"`
	Email             string          `json:"email"`
	Firstname         string          `json:"firstname"`
	Lastname          string          `json:"lastname"`
	Organization      string          `json:"organization,omitempty"`
	Provider          string          `json:"provider,omitempty"`
	RoleName          string          `json:"roleName"`
	EnableMultiFactor bool            `json:"enableMultiFactor"`
	TOTPEnrolled      bool            `json:"totpEnrolled"`
	Suspended         bool            `json:"suspended"`
	APIKeyAllowed     bool            `json:"apiKeyAllowed"`
	APIKeySet         bool            `json:"apiKeySet"`
	APIKeyUpdatedAt   string          `json:"apiKeyUpdatedAt,omitempty"`
	APIKeyHash        *wireAPIKeyHash `json:"apiKeyHash,omitempty"`
	Created           string          `json:"created"`
	LastLogin         string          `json:"lastLogin,omitempty"`
}

func (a *admin) wire(orgs []*orgData, provider string) wireAdmin {
	w := wireAdmin{
		UID: a.id, ID: a.id, Email: a.email, Firstname: a.first, Lastname: a.last,
		RoleName: a.role, EnableMultiFactor: a.mfa, TOTPEnrolled: a.totp, Suspended: a.suspended,
		APIKeyAllowed: a.apiKeyAllowed, APIKeySet: a.keyPrefix != "",
		Created: a.created.Format(timeFormat),
	}
	if !a.lastLogin.IsZero() {
		w.LastLogin = a.lastLogin.Format(timeFormat)
	}
	if a.orgIdx >= 0 {
		w.Organization = orgs[a.orgIdx].id
	} else {
		// A multi-tenant admin belongs to the provider, not one org (reference §3.1: SUP-ADMIN
		// notes organization is not set for MTP admins).
		w.Provider = provider
	}
	if a.keyPrefix != "" {
		w.APIKeyUpdatedAt = a.keyCreated.Format(timeFormat)
		w.APIKeyHash = &wireAPIKeyHash{Prefix: a.keyPrefix, CreatedAt: a.keyCreated.Format(timeFormat)}
		if !a.keyExpires.IsZero() {
			w.APIKeyHash.ExpireAt = a.keyExpires.Format(timeFormat)
		}
	}
	return w
}
