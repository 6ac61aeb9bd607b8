package evidence

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"jcconnect/jumpcloud"
)

func userState(u *jumpcloud.SystemUser) string {
	switch {
	case isSuspended(u):
		return "suspended"
	case u.AccountLocked:
		return "locked"
	case strings.EqualFold(u.State, "STAGED") || (u.Activated != nil && !*u.Activated):
		return "staged"
	}
	return "active"
}

func isSuspended(u *jumpcloud.SystemUser) bool {
	return u.Suspended || strings.EqualFold(u.State, "SUSPENDED")
}

func evaluateUser(u *jumpcloud.SystemUser, now time.Time) UserReport {
	name := strings.TrimSpace(firstNonEmpty(u.Displayname, strings.TrimSpace(u.Firstname+" "+u.Lastname)))
	r := UserReport{ID: u.ID, Username: u.Username, Email: u.Email, Name: name, State: userState(u)}
	r.Results = []Result{checkUserMFA(u, now), checkSuspendedNotLocked(u), checkPasswordExpired(u), checkAccountLocked(u)}
	if r.State == "staged" {
		// A staged account has never been activated: it cannot sign in, so nothing about its
		// sign-in applies yet.
		for i := range r.Results {
			r.Results[i].Status, r.Results[i].Reason = NotApplicable, "the account is staged (not activated yet) and cannot sign in"
		}
	}
	r.Overall = overall(r.Results)
	return r
}

// mfaExcluded reports whether the user is excluded from MFA at time now: mfa.exclusion with no
// end, or an exclusionUntil still ahead.
func mfaExcluded(u *jumpcloud.SystemUser, now time.Time) bool {
	return u.MFA != nil && u.MFA.Exclusion && (u.MFA.ExclusionUntil == nil || u.MFA.ExclusionUntil.After(now))
}

func checkUserMFA(u *jumpcloud.SystemUser, now time.Time) Result {
	res := Result{Check: "mfa_enrolled"}
	configured, exclusion := "absent", "absent"
	if u.MFA != nil {
		configured, exclusion = strconv.FormatBool(u.MFA.Configured), strconv.FormatBool(u.MFA.Exclusion)
	}
	enrollment := "absent"
	if u.MFAEnrollment != nil {
		enrollment = firstNonEmpty(u.MFAEnrollment.OverallStatus, "absent")
	}
	res.Evidence = ev("totp_enabled", boolText(u.TOTPEnabled), "mfa.configured", configured,
		"mfa.exclusion", exclusion, "mfaEnrollment.overallStatus", enrollment)
	if u.MFA != nil && u.MFA.ExclusionUntil != nil {
		res.Evidence = append(res.Evidence, Evidence{"mfa.exclusionUntil", timeText(u.MFA.ExclusionUntil)})
	}
	if isSuspended(u) {
		res.Status, res.Reason = NotApplicable, "the account is suspended and cannot sign in"
		return res
	}
	switch {
	case mfaExcluded(u, now):
		// Excluded users sign in without MFA whatever they have enrolled.
		res.Status, res.Reason = Fail, "the user is excluded from MFA"
		if u.MFA.ExclusionUntil != nil {
			res.Reason += " until " + timeText(u.MFA.ExclusionUntil)
		}
	case u.TOTPEnabled != nil && *u.TOTPEnabled:
		res.Status, res.Reason = Pass, "TOTP is enabled"
	case u.MFA != nil && u.MFA.Configured:
		res.Status, res.Reason = Pass, "MFA is configured"
	case strings.EqualFold(enrollment, "ENROLLED"):
		res.Status, res.Reason = Pass, "MFA enrollment status is ENROLLED"
	case u.TOTPEnabled == nil && u.MFA == nil && u.MFAEnrollment == nil:
		res.Status, res.Reason = Unknown, "the API returned no MFA fields for this user"
	default:
		res.Status, res.Reason = Fail, "no MFA method is enrolled"
		if enrollment != "absent" {
			res.Reason += " (enrollment " + enrollment + ")"
		}
	}
	return res
}

// checkSuspendedNotLocked flags suspended accounts that are not also locked: a suspended account
// can be reactivated with its old password, so auditors want it locked or removed as well.
func checkSuspendedNotLocked(u *jumpcloud.SystemUser) Result {
	res := Result{Check: "suspended_not_locked", Evidence: ev("suspended", strconv.FormatBool(u.Suspended),
		"state", firstNonEmpty(u.State, "absent"), "account_locked", strconv.FormatBool(u.AccountLocked))}
	switch {
	case !isSuspended(u):
		res.Status, res.Reason = NotApplicable, "the account is not suspended"
	case u.AccountLocked:
		res.Status, res.Reason = Pass, "the account is suspended and locked"
	default:
		res.Status, res.Reason = Fail, "the account is suspended but not locked"
	}
	return res
}

func checkPasswordExpired(u *jumpcloud.SystemUser) Result {
	res := Result{Check: "password_expired", Evidence: ev("password_expired", strconv.FormatBool(u.PasswordExpired),
		"password_expiration_date", firstNonEmpty(u.PasswordExpirationDate, "absent"),
		"password_never_expires", strconv.FormatBool(u.PasswordNeverExpires))}
	switch {
	case isSuspended(u):
		res.Status, res.Reason = NotApplicable, "the account is suspended"
	case u.PasswordExpired:
		res.Status, res.Reason = Fail, "the password has expired"
	default:
		res.Status, res.Reason = Pass, "the password has not expired"
	}
	return res
}

func checkAccountLocked(u *jumpcloud.SystemUser) Result {
	res := Result{Check: "account_locked", Evidence: ev("account_locked", strconv.FormatBool(u.AccountLocked))}
	switch {
	case isSuspended(u):
		res.Status, res.Reason = NotApplicable, "the account is suspended (see suspended_not_locked)"
	case u.AccountLocked:
		res.Status, res.Reason = Fail, "the account is locked (for example after failed sign-ins)"
	default:
		res.Status, res.Reason = Pass, "the account is not locked"
	}
	return res
}

// evaluateAdmin: with requireAdminMFA on, JumpCloud asks every administrator for TOTP at sign-in
// whatever the per-admin enableMultiFactor says, so only totpEnrolled decides then.
func evaluateAdmin(a *jumpcloud.Admin, requireAdminMFA bool) UserReport {
	r := UserReport{ID: a.ID, Username: a.Email, Email: a.Email,
		Name: strings.TrimSpace(a.Firstname + " " + a.Lastname), State: "active"}
	if a.Suspended {
		r.State = "suspended"
	}
	res := Result{Check: "admin_mfa", Evidence: ev("enableMultiFactor", boolText(a.EnableMultiFactor),
		"totpEnrolled", boolText(a.TOTPEnrolled), "roleName", a.RoleName, "requireAdminMFA", strconv.FormatBool(requireAdminMFA))}
	switch {
	case a.Suspended:
		res.Status, res.Reason = NotApplicable, "the administrator is suspended"
	case a.TOTPEnrolled == nil && a.EnableMultiFactor == nil:
		res.Status, res.Reason = Unknown, "the API returned no MFA fields for this administrator"
	case a.TOTPEnrolled != nil && *a.TOTPEnrolled && requireAdminMFA:
		res.Status, res.Reason = Pass, "the administrator has TOTP enrolled and the organisation requires MFA for administrators"
	case a.TOTPEnrolled != nil && *a.TOTPEnrolled && (a.EnableMultiFactor == nil || *a.EnableMultiFactor):
		res.Status, res.Reason = Pass, "the administrator has TOTP enrolled"
	case a.TOTPEnrolled != nil && *a.TOTPEnrolled:
		res.Status, res.Reason = Fail, "TOTP is enrolled but multi-factor is disabled for this administrator"
	default:
		res.Status, res.Reason = Fail, "the administrator has no MFA enrolled"
	}
	r.Results = []Result{res}
	r.Overall = overall(r.Results)
	return r
}

func intText(p *int) string {
	if p == nil {
		return "absent"
	}
	return strconv.Itoa(*p)
}

func evaluateOrg(s *Snapshot, t Thresholds) []Result {
	pw := Result{Check: "password_policy"}
	mfa := Result{Check: "admin_mfa_required"}
	if s.Settings == nil {
		why := firstNonEmpty(unreadable(s, SourceOrganization), "the organisation settings were not returned")
		pw.Status, pw.Reason = Unknown, why
		mfa.Status, mfa.Reason = Unknown, why
		return []Result{pw, mfa, checkMFARequired(s)}
	}
	if p := s.Settings.PasswordPolicy; p == nil {
		pw.Status, pw.Reason = Unknown, "the organisation settings have no password policy"
	} else {
		// Each value beside the enable* flag that says whether it is enforced at all.
		pw.Evidence = ev("passwordCompliance", firstNonEmpty(s.Settings.PasswordCompliance, "absent"),
			"minLength", intText(p.MinLength), "enableMinLength", boolText(p.EnableMinLength),
			"required minimum", strconv.Itoa(t.MinPasswordLength),
			"needsUppercase", boolText(p.NeedsUppercase), "needsLowercase", boolText(p.NeedsLowercase),
			"needsNumeric", boolText(p.NeedsNumeric), "needsSymbolic", boolText(p.NeedsSymbolic),
			"passwordExpirationInDays", intText(p.PasswordExpirationInDays), "enablePasswordExpirationInDays", boolText(p.EnablePasswordExpiration),
			"maxLoginAttempts", intText(p.MaxLoginAttempts), "enableMaxLoginAttempts", boolText(p.EnableMaxLoginAttempts),
			"lockoutTimeInSeconds", intText(p.LockoutTimeInSeconds), "enableLockoutTimeInSeconds", boolText(p.EnableLockoutTimeInSecond))
		pc := strings.ToLower(strings.TrimSpace(s.Settings.PasswordCompliance))
		switch {
		case pc != "" && pc != "custom":
			// The v1 spec: passwordPolicy is only used when passwordCompliance is "custom"; the
			// presets' own rules are not in the API.
			pw.Status, pw.Reason = Unknown, fmt.Sprintf("the organisation uses the %q password preset, whose rules the API does not state (passwordPolicy applies only to \"custom\")", s.Settings.PasswordCompliance)
		case p.EnableMinLength != nil && !*p.EnableMinLength:
			pw.Status, pw.Reason = Fail, "the minimum password length is not enforced (enableMinLength is false)"
		case p.MinLength == nil:
			pw.Status, pw.Reason = Unknown, "the password policy states no minimum length"
		case *p.MinLength < t.MinPasswordLength:
			pw.Status, pw.Reason = Fail, fmt.Sprintf("passwords may be %d characters, below the required %d", *p.MinLength, t.MinPasswordLength)
		default:
			pw.Status, pw.Reason = Pass, fmt.Sprintf("passwords must be at least %d characters (required %d)", *p.MinLength, t.MinPasswordLength)
		}
	}
	mfa.Evidence = ev("requireAdminMFA", boolText(s.Settings.RequireAdminMFA))
	switch {
	case s.Settings.RequireAdminMFA == nil:
		mfa.Status, mfa.Reason = Unknown, "the organisation settings do not say whether administrators must use MFA"
	case *s.Settings.RequireAdminMFA:
		mfa.Status, mfa.Reason = Pass, "administrators must use MFA"
	default:
		mfa.Status, mfa.Reason = Fail, "administrators are not required to use MFA"
	}
	return []Result{pw, mfa, checkMFARequired(s)}
}

// checkMFARequired: an enabled conditional access policy that requires MFA, guards the user
// portal, and covers every user (no inclusion narrows it, no exclusion carves anyone out).
func checkMFARequired(s *Snapshot) Result {
	res := Result{Check: "mfa_required"}
	if why := unreadable(s, string(jumpcloud.SourceAuthnPolicies)); why != "" {
		res.Status, res.Reason = Unknown, why
		if s.StillReading(string(jumpcloud.SourceAuthnPolicies)) {
			res.Status, res.Reason = Reading, why+": the verdict comes when it is in" // an early snapshot's
		}
		return res
	}
	var partial []string
	for _, p := range s.AuthnPolicies {
		mfa := p.Effect.Obligations.MFA != nil && p.Effect.Obligations.MFA.Required
		res.Evidence = append(res.Evidence, Evidence{"policy " + p.Name, fmt.Sprintf("disabled=%t type=%s action=%s mfa.required=%t allUsers=%t",
			p.Disabled, p.Type, p.Effect.Action, mfa, p.Targets.CoversAllUsers())})
		if p.Disabled || !mfa || !strings.EqualFold(p.Effect.Action, "allow") ||
			!(p.Targets.Guards("user_portal") || strings.EqualFold(p.Type, "user_portal")) {
			continue
		}
		if p.Targets.CoversAllUsers() {
			res.Status, res.Reason = Pass, fmt.Sprintf("the conditional access policy %q requires MFA for every user of the user portal", p.Name)
			return res
		}
		partial = append(partial, p.Name)
	}
	if len(partial) > 0 {
		res.Status, res.Reason = Fail, "MFA is required only for some users (policies "+strings.Join(partial, ", ")+" include or exclude users or groups)"
		return res
	}
	res.Status, res.Reason = Fail, "no enabled conditional access policy requires MFA for the user portal"
	return res
}
