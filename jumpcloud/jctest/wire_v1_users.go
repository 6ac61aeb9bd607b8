package jctest

// Wire shapes of v1 users and SSO applications; wire_v1.go says why they are jctest's own.

import (
	"time"
)

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
