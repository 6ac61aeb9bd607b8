package connect

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"jcconnect/jumpcloud"
	"jcconnect/store"
)

// KeyAcceptance is the first step: does JumpCloud accept the key, and which organisations does
// it see (more than one: a multi-tenant key).
type KeyAcceptance struct {
	Orgs   []jumpcloud.Organization
	Result CheckResult
}

// CheckKeyAccepted lists the organisations the key (req's, through c) can see. A 401 is
// explained with what is known (explainRefusal): expired, revoked, another region or unknown.
func CheckKeyAccepted(ctx context.Context, c *jumpcloud.Client, req VerifyRequest) KeyAcceptance {
	orgs, err := c.Organizations(ctx)
	if err != nil {
		r := checkFailure(AcceptedCheckName(req.IsServiceAccount()), err)
		if errors.Is(err, jumpcloud.ErrInvalidKey) {
			r = explainRefusal(ctx, req, err, r)
		}
		return KeyAcceptance{Result: r}
	}
	what := "key"
	if c.CredentialKind() == jumpcloud.CredentialServiceAccount {
		what = "service account"
	}
	r := CheckResult{Name: AcceptedCheckName(req.IsServiceAccount()), State: CheckPassed, Detail: "JumpCloud accepted the " + what}
	if len(orgs) > 1 {
		r.Detail = fmt.Sprintf("JumpCloud accepted the %s: a multi-tenant %s that sees %d organisations", what, what, len(orgs))
	}
	return KeyAcceptance{Orgs: orgs, Result: r}
}

// ChooseOrg settles the organisation: the only one, or the one whose id is want (from --org-id,
// a stored profile or a pick). needPick means the user must choose from orgs.
func ChooseOrg(orgs []jumpcloud.Organization, want string) (org jumpcloud.Organization, needPick bool, r CheckResult) {
	r.Name = CheckNameOrg
	want = strings.TrimSpace(want)
	if want != "" {
		for _, o := range orgs {
			if o.ID == want {
				return o, false, OrgResult(o, len(orgs))
			}
		}
		if len(orgs) > 0 {
			r.State = CheckFailed
			r.Detail = fmt.Sprintf("the key cannot see organisation %s", Clean(want))
			r.Fix = "Pick one of the key's organisations, or check --org-id / JUMPCLOUD_ORG_ID."
			return jumpcloud.Organization{}, len(orgs) > 1, r
		}
	}
	switch len(orgs) {
	case 0:
		// The key was accepted but listed nothing: carry on without a name rather than block.
		r.State = CheckWarning
		r.Detail = "JumpCloud listed no organisation for this key; continuing without its name"
		return jumpcloud.Organization{ID: want}, false, r
	case 1:
		return orgs[0], false, OrgResult(orgs[0], 1)
	}
	r.State = CheckPending
	r.Detail = fmt.Sprintf("this key sees %d organisations: choose one below", len(orgs))
	return jumpcloud.Organization{}, true, r
}

func OrgResult(o jumpcloud.Organization, of int) CheckResult {
	d := OrgLabel(o)
	if of > 1 {
		d += fmt.Sprintf(", chosen from %d", of)
	}
	return CheckResult{Name: CheckNameOrg, State: CheckPassed, Detail: d}
}

// ClientForOrg returns the client to use for the chosen organisation: multi-tenant keys (and an
// explicit --org-id) need the x-org-id header; single-tenant keys do not.
func ClientForOrg(c *jumpcloud.Client, org jumpcloud.Organization, orgCount int, explicit string) *jumpcloud.Client {
	if org.ID != "" && (orgCount > 1 || strings.TrimSpace(explicit) != "") {
		return c.WithOrg(org.ID)
	}
	return c
}

// OwnerCheck is who owns the key and with which role.
type OwnerCheck struct {
	Owner  jumpcloud.KeyOwner
	Result CheckResult
	// Identity is set for a service account: its name, role and secrets' expiry as the
	// service-account list tells them.
	Identity *jumpcloud.ServiceAccountIdentity
}

// CheckOwner asks who owns the key. The endpoints are undocumented: when the role cannot be
// determined the result is a warning and verification goes on.
func CheckOwner(ctx context.Context, c *jumpcloud.Client) OwnerCheck {
	if c.CredentialKind() == jumpcloud.CredentialServiceAccount {
		return checkServiceAccountOwner(ctx, c)
	}
	owner, err := c.KeyOwner(ctx)
	if err != nil {
		return OwnerCheck{Result: checkFailure(CheckNameOwner, err)} // canceled or out of time
	}
	who := Clean(strings.TrimSpace(owner.Admin.Email))
	if who == "" {
		who = "an administrator (the API did not give the e-mail)"
	}
	if !owner.RoleKnown() {
		why := "JumpCloud does not document where it is"
		if owner.RoleNote != "" {
			why = owner.RoleNote
		}
		return OwnerCheck{Owner: owner, Result: CheckResult{Name: CheckNameOwner, State: CheckWarning,
			Detail: who + "; role unknown: not available to this key (" + Clean(why) + ")",
			Fix:    "Check in the console (Settings ▸ Administrators) that this admin's role is Read Only."}}
	}
	return OwnerCheck{Owner: owner, Result: CheckResult{Name: CheckNameOwner, State: CheckPassed,
		Detail: fmt.Sprintf("%s, role %s", who, Clean(owner.Role))}}
}

// CheckReadOnly judges the owner's role. A role other than Read Only is a warning that explains
// least privilege (the UI then offers to go back or continue knowingly); an unknown role is a
// warning too, never a block.
func CheckReadOnly(owner jumpcloud.KeyOwner) CheckResult {
	r := CheckResult{Name: CheckNameReadOnly}
	switch {
	case !owner.RoleKnown():
		r.State = CheckWarning
		r.Detail = "unknown: the role could not be determined"
		r.Fix = "Make sure the key's admin has the Read Only role; jcconnect only reads, but the key can do whatever its admin can."
	case jumpcloud.IsReadOnlyRole(owner.Role):
		r.State = CheckPassed
		r.Detail = "yes: the key can read but cannot change anything"
	default:
		r.State = CheckWarning
		r.Detail = fmt.Sprintf("no: the role is %s", Clean(owner.Role))
		r.Fix = LeastPrivilegeWarning
	}
	return r
}

// LeastPrivilegeWarning explains why a key that is not Read Only is a risk.
const LeastPrivilegeWarning = "An API key has exactly the permissions of the admin who generated it. " +
	"jcconnect only reads, but anyone who obtains this key could change or delete users and devices. " +
	"Least privilege: create a Read Only administrator with API access and use that admin's key."

// IsPrivileged reports whether the owner's role is known and is not Read Only.
func IsPrivileged(owner jumpcloud.KeyOwner) bool {
	return owner.RoleKnown() && !jumpcloud.IsReadOnlyRole(owner.Role)
}

// SourcesFor lists the evidence sources to check for the chosen integrations, in display order,
// and which of them are optional (their absence loses a detail, not the integration).
func SourcesFor(in store.Integrations) (sources []jumpcloud.Source, optional map[jumpcloud.Source]bool) {
	optional = map[jumpcloud.Source]bool{}
	for _, src := range jumpcloud.Sources {
		optional[src] = src.Optional()
	}
	want := map[jumpcloud.Source]bool{jumpcloud.SourceAdmins: true}
	if in.EndpointManagement {
		want[jumpcloud.SourceDevices] = true
		want[jumpcloud.SourcePolicies] = true
		want[jumpcloud.SourcePolicyResults] = true
		want[jumpcloud.SourceInsights] = true
	}
	if in.SSO {
		want[jumpcloud.SourceUsers] = true
		want[jumpcloud.SourceApplications] = true
		want[jumpcloud.SourceAuthnPolicies] = true
	}
	for _, s := range jumpcloud.Sources {
		if want[s] {
			sources = append(sources, s)
		}
	}
	return sources, optional
}

// SourceCheck is whether the key can read one evidence source.
type SourceCheck struct {
	Source   jumpcloud.Source
	Optional bool
	Result   CheckResult
}

// Readable reports whether the source can be collected.
func (s SourceCheck) Readable() bool { return s.Result.State == CheckPassed }

// CheckSource asks with the smallest request whether the key can read src. An optional source
// that is not available to this key (jumpcloud.NotAvailable: 403, 404, 405) is a warning that
// says so, never a block; a required source the role may not read is a warning too (that
// evidence will be missing, and the export will say so).
func CheckSource(ctx context.Context, c *jumpcloud.Client, src jumpcloud.Source, optional bool) SourceCheck {
	name := SourceCheckName(src)
	sc := SourceCheck{Source: src, Optional: optional || src.Optional()}
	err := c.CanRead(ctx, src)
	serviceAccount := c.CredentialKind() == jumpcloud.CredentialServiceAccount
	why, unavailable := jumpcloud.NotAvailable(err) // in the credential's words (jumpcloud.Error knows it)
	switch {
	case err == nil:
		sc.Result = CheckResult{Name: name, State: CheckPassed, Detail: "readable"}
	case sc.Optional && unavailable:
		sc.Result = CheckResult{Name: name, State: CheckWarning, Err: err, Detail: why,
			Fix: "Optional: everything else is collected. Enable the feature or grant the role in the JumpCloud console if you need it."}
	case errors.Is(err, jumpcloud.ErrForbidden) && serviceAccount:
		sc.Result = CheckResult{Name: name, State: CheckWarning, Err: err,
			Detail: "not permitted for this service account's role",
			Fix:    "This evidence will be missing. A Read Only service account can read it; check its role in Settings ▸ Service Accounts."}
	case errors.Is(err, jumpcloud.ErrForbidden):
		sc.Result = CheckResult{Name: name, State: CheckWarning, Err: err,
			Detail: "not permitted for this key's role",
			Fix:    "This evidence will be missing. A Read Only admin can read it; check the admin's role."}
	default:
		sc.Result = checkFailure(name, err)
	}
	return sc
}

// ExpiryCheck is when the key expires, when the API tells.
type ExpiryCheck struct {
	Created, Expires *time.Time
	Result           CheckResult
}

// expirySoon is when an expiry date becomes a warning.
const expirySoon = 14 * 24 * time.Hour

// CheckExpiry reads the key's dates from the owner record (apiKeyHash).
func CheckExpiry(owner jumpcloud.KeyOwner, now time.Time) ExpiryCheck {
	var created, expires *time.Time
	if h := owner.Admin.APIKeyHash; h != nil {
		created, expires = h.CreatedAt, h.ExpireAt
	}
	return ExpiryCheck{Created: created, Expires: expires,
		Result: expiryResult(CheckNameExpiry, "key", expires, now,
			"Generate a new key as the Read Only admin and paste it instead.",
			"Plan a rotation soon: `jcconnect rotate`.")}
}

// expiryResult judges an expiry date (nil: not given) of a key or secret (what names it):
// passed, or a warning when past (fixPast) or within expirySoon (fixSoon).
func expiryResult(name, what string, expires *time.Time, now time.Time, fixPast, fixSoon string) CheckResult {
	switch {
	case expires == nil:
		return CheckResult{Name: name, State: CheckPassed, Detail: "JumpCloud did not give an expiry date"}
	case expires.Sub(now) < 0:
		return CheckResult{Name: name, State: CheckWarning,
			Detail: "the " + what + "'s expiry date has passed (" + expires.Format("2 Jan 2006") + ")", Fix: fixPast}
	case expires.Sub(now) < expirySoon:
		days := int(expires.Sub(now).Hours() / 24)
		return CheckResult{Name: name, State: CheckWarning,
			Detail: fmt.Sprintf("expires %s, in %d days", expires.Format("2 Jan 2006"), days), Fix: fixSoon}
	}
	return CheckResult{Name: name, State: CheckPassed, Detail: "expires " + expires.Format("2 Jan 2006")}
}
