package jctest

import (
	"fmt"
	"time"
)

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

type wireFDE struct {
	Active     bool `json:"active"`
	KeyPresent bool `json:"keyPresent"`
}

type wireState struct {
	State string `json:"state"`
}

type wirePolicyStats struct {
	Total         int `json:"total"`
	Success       int `json:"success"`
	Failed        int `json:"failed"`
	Pending       int `json:"pending"`
	Duplicate     int `json:"duplicate"`
	UnsupportedOS int `json:"unsupportedOs"`
}

type wireOSVersionDetail struct {
	OSName      string `json:"osName"`
	Version     string `json:"version"`
	Major       string `json:"major"`
	Minor       string `json:"minor"`
	Patch       string `json:"patch"`
	MajorNumber int    `json:"majorNumber"`
	MinorNumber int    `json:"minorNumber"`
	PatchNumber int    `json:"patchNumber"`
	ReleaseName string `json:"releaseName"`
}

type wireIDRef struct {
	ID string `json:"id"`
}

type wireSystem struct {
	UID                            string              `json:"_id"`
	ID                             string              `json:"id"`
	Organization                   string              `json:"organization"`
	DisplayName                    string              `json:"displayName"`
	Hostname                       string              `json:"hostname"`
	SerialNumber                   string              `json:"serialNumber"`
	OS                             string              `json:"os"`
	OSFamily                       string              `json:"osFamily"`
	Version                        string              `json:"version"`
	OSVersionDetail                wireOSVersionDetail `json:"osVersionDetail"`
	Arch                           string              `json:"arch"`
	Active                         bool                `json:"active"`
	LastContact                    string              `json:"lastContact"`
	Created                        string              `json:"created"`
	AgentVersion                   string              `json:"agentVersion"`
	RemoteIP                       string              `json:"remoteIP"`
	FDE                            *wireFDE            `json:"fde,omitempty"`
	SystemInsights                 *wireState          `json:"systemInsights,omitempty"`
	AllowMultiFactorAuthentication bool                `json:"allowMultiFactorAuthentication"`
	AllowSSHRootLogin              bool                `json:"allowSshRootLogin"`
	AllowSSHPasswordAuthentication bool                `json:"allowSshPasswordAuthentication"`
	AllowPublicKeyAuthentication   bool                `json:"allowPublicKeyAuthentication"`
	IsPolicyBound                  bool                `json:"isPolicyBound"`
	PolicyStats                    wirePolicyStats     `json:"policyStats"`
	PrimarySystemUser              *wireIDRef          `json:"primarySystemUser,omitempty"`
	DesktopCapable                 bool                `json:"desktopCapable"`
	DisplayManager                 string              `json:"displayManager,omitempty"`
}

func (o *orgData) wireSystem(i int) wireSystem {
	d := &o.devices[i]
	rel := osReleases[d.os]
	arch := "x86_64"
	switch {
	case d.arm && d.family == famDarwin:
		arch = "arm64"
	case d.arm:
		arch = "aarch64"
	case d.family == famWindows:
		arch = "64-bit"
	}
	w := wireSystem{
		UID: o.systemID(i), ID: o.systemID(i), Organization: o.id,
		DisplayName: d.displayName, Hostname: d.hostname, SerialNumber: d.serial,
		OS: rel.os, OSFamily: familyNames[d.family], Version: rel.version,
		OSVersionDetail: wireOSVersionDetail{
			OSName: rel.siName, Version: rel.version,
			Major: fmt.Sprint(rel.major), Minor: fmt.Sprint(rel.minor), Patch: fmt.Sprint(rel.patch),
			MajorNumber: rel.major, MinorNumber: rel.minor, PatchNumber: rel.patch,
			ReleaseName: rel.releaseName,
		},
		Arch:                           arch,
		Active:                         d.active,
		LastContact:                    d.lastContact.Format(timeFormat),
		Created:                        d.created.Format(timeFormat),
		AgentVersion:                   agentVersions[d.agent],
		RemoteIP:                       fmt.Sprintf("%d.%d.%d.%d", d.remoteIP[0], d.remoteIP[1], d.remoteIP[2], d.remoteIP[3]),
		AllowMultiFactorAuthentication: d.family != famLinux,
		AllowSSHPasswordAuthentication: d.family == famLinux && i%3 == 0,
		AllowPublicKeyAuthentication:   d.family == famLinux,
		AllowSSHRootLogin:              d.family == famLinux && i%11 == 0,
		IsPolicyBound:                  d.stats.total+uint16(d.unreported) > 0,
		// unreported: policies bound whose statuses the API does not list (counted in total only).
		PolicyStats: wirePolicyStats{Total: int(d.stats.total) + int(d.unreported), Success: int(d.stats.success),
			Failed: int(d.stats.failed), Pending: int(d.stats.pending)},
		DesktopCapable: !d.server,
	}
	switch {
	case d.family == famLinux && !d.server:
		w.DisplayManager = "gdm3"
	case d.family == famIPad:
		w.AgentVersion, w.Arch = "", "arm64"
	}
	if d.fde != fdeUnknown {
		w.FDE = &wireFDE{Active: d.fde == fdeActive, KeyPresent: d.keyPresent}
	}
	if d.si != siAbsent {
		w.SystemInsights = &wireState{State: siStateNames[d.si]}
	}
	if d.user >= 0 {
		w.PrimarySystemUser = &wireIDRef{ID: o.userID(int(d.user))}
	}
	return w
}

type wireMFA struct {
	Configured    bool `json:"configured"`
	Exclusion     bool `json:"exclusion"`
	ExclusionDays int  `json:"exclusionDays,omitempty"`
	// A pointer so that "" can be served: see the mfaConfigured/mfaNotConfigured cases.
	ExclusionUntil *string `json:"exclusionUntil,omitempty"`
}

type wireMFAEnrollment struct {
	OverallStatus  string `json:"overallStatus"`
	TOTPStatus     string `json:"totpStatus"`
	WebAuthnStatus string `json:"webAuthnStatus"`
	PushStatus     string `json:"pushStatus"`
}

type wireSystemUser struct {
	UID                         string             `json:"_id"`
	ID                          string             `json:"id"`
	Organization                string             `json:"organization"`
	Username                    string             `json:"username"`
	Email                       string             `json:"email"`
	Firstname                   string             `json:"firstname"`
	Lastname                    string             `json:"lastname"`
	Displayname                 string             `json:"displayname"`
	Department                  string             `json:"department"`
	EmployeeType                string             `json:"employeeType"`
	State                       string             `json:"state"`
	Activated                   bool               `json:"activated"`
	Suspended                   bool               `json:"suspended"`
	AccountLocked               bool               `json:"account_locked"`
	AccountLockedDate           *string            `json:"account_locked_date"`
	PasswordExpired             bool               `json:"password_expired"`
	PasswordNeverExpires        bool               `json:"password_never_expires"`
	PasswordDate                string             `json:"password_date,omitempty"`
	PasswordExpirationDate      string             `json:"password_expiration_date,omitempty"`
	TOTPEnabled                 bool               `json:"totp_enabled"`
	EnableUserPortalMultifactor bool               `json:"enable_user_portal_multifactor"`
	MFA                         *wireMFA           `json:"mfa,omitempty"`
	MFAEnrollment               *wireMFAEnrollment `json:"mfaEnrollment,omitempty"`
	Created                     string             `json:"created"`
}

var userStateNames = [...]string{"ACTIVATED", "STAGED", "SUSPENDED"}

func (o *orgData) wireSystemUser(i int, now time.Time) wireSystemUser {
	u := &o.users[i]
	w := wireSystemUser{
		UID: o.userID(i), ID: o.userID(i), Organization: o.id,
		Username: u.username, Email: u.username + "@" + o.domain,
		Firstname: u.first, Lastname: u.last, Displayname: u.first + " " + u.last,
		Department: u.department, EmployeeType: u.employeeType,
		State:                       userStateNames[u.state],
		Activated:                   u.state != userStaged,
		Suspended:                   u.state == userSuspended,
		AccountLocked:               u.locked,
		PasswordExpired:             u.passwordExpired,
		PasswordNeverExpires:        u.passwordNeverExp,
		TOTPEnabled:                 u.totp,
		EnableUserPortalMultifactor: u.mfa == mfaConfigured,
		Created:                     u.created.Format(timeFormat),
	}
	if u.locked {
		ld := u.passwordSet.Add(24 * time.Hour).Format(timeFormat)
		w.AccountLockedDate = &ld
	}
	if u.state != userStaged {
		w.PasswordDate = u.passwordSet.Format(timeFormat)
		if !u.passwordNeverExp {
			w.PasswordExpirationDate = u.passwordSet.Add(90 * 24 * time.Hour).Format(timeFormat)
		}
	}
	// Every 5th user without an exclusion has exclusionUntil "" (an unset date as an empty
	// string, which the spec's date-time does not allow but specgen and issue 9 do; NOTES.md #21).
	var unset *string
	if i%5 == 0 {
		unset = new(string)
	}
	switch u.mfa {
	case mfaConfigured:
		w.MFA = &wireMFA{Configured: true, ExclusionUntil: unset}
	case mfaNotConfigured:
		w.MFA = &wireMFA{ExclusionUntil: unset}
	case mfaExcluded:
		// An exclusion is a grace period still running at Now.
		days := 1 + int(mix(uint64(i))%14)
		until := now.Add(time.Duration(days) * 24 * time.Hour).Format(timeFormat)
		w.MFA = &wireMFA{Exclusion: true, ExclusionDays: 14, ExclusionUntil: &until}
	}
	if !u.enrollmentAbsent {
		st := "NOT_ENROLLED"
		if u.mfa == mfaConfigured {
			st = "ENROLLED"
		} else if u.mfa == mfaExcluded {
			st = "PENDING_ACTIVATION"
		}
		totp := "NOT_ENROLLED"
		if u.totp {
			totp = "ENROLLED"
		}
		w.MFAEnrollment = &wireMFAEnrollment{OverallStatus: st, TOTPStatus: totp,
			WebAuthnStatus: "NOT_ENROLLED", PushStatus: "NOT_ENROLLED"}
	}
	return w
}

type wireApplication struct {
	UID          string         `json:"_id"`
	ID           string         `json:"id"`
	Organization string         `json:"organization"`
	Name         string         `json:"name"`
	DisplayName  string         `json:"displayName"`
	DisplayLabel string         `json:"displayLabel"`
	Description  string         `json:"description"`
	Active       bool           `json:"active"`
	Beta         bool           `json:"beta"`
	Created      string         `json:"created"`
	SSOURL       string         `json:"ssoUrl"`
	LearnMore    string         `json:"learnMore"`
	Color        string         `json:"color"`
	Logo         map[string]any `json:"logo"`
	SSO          map[string]any `json:"sso"`
	// config carries (fake) certificate material, as the real one does: clients must not dump it.
	Config map[string]any `json:"config"`
}

// appCreatedFormat is the spelling of every 3rd application's created: the spec types it a plain
// string (no date-time format), so a client must not assume RFC 3339 (NOTES.md #22).
const appCreatedFormat = "Mon Jan _2 15:04:05 MST 2006"

func (o *orgData) wireApplication(i int) wireApplication {
	a := &o.apps[i]
	id := o.appID(i)
	created := a.created.Format(timeFormat)
	if i%3 == 2 {
		created = a.created.Format(appCreatedFormat)
	}
	return wireApplication{
		UID: id, ID: id, Organization: o.id,
		Name: a.name, DisplayName: a.displayName, DisplayLabel: a.displayName,
		Description: a.description, Active: a.active, Created: created,
		SSOURL:    "https://sso.jumpcloud.com/saml2/" + a.name,
		LearnMore: "https://jumpcloud.com/support/integrate-with-" + a.name,
		Color:     a.color,
		Logo:      map[string]any{"url": "https://cdn.jumpcloud.com/logos/" + a.name + ".png", "color": a.color},
		SSO: map[string]any{"type": "saml", "jit": a.jit, "beta": false, "hidden": false,
			"idpCertExpirationAt": a.certExpires.Format(timeFormat)},
		Config: map[string]any{
			"acsUrl":         map[string]any{"label": "ACS URL", "type": "text", "value": "https://" + a.name + ".example/saml/acs"},
			"idpEntityId":    map[string]any{"label": "IdP Entity ID", "type": "text", "value": "JumpCloud"},
			"idpCertificate": map[string]any{"label": "IdP Certificate", "type": "file", "value": "-----BEGIN CERTIFICATE-----\nMIIFAKEjctestNOTAREALCERTIFICATE" + id + "\n-----END CERTIFICATE-----"},
		},
	}
}
