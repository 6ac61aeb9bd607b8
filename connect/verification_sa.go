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

// The steps of verifying a credential that differ for a service account (OAuth client
// credentials, jumpcloud/oauth.go): a token is fetched first, who it is and its role come from
// the service-account list (jumpcloud.ServiceAccountIdentity), and the expiry is the client
// secret's. Everything else (organisations, the per-source permission matrix, saving) is the
// same machinery as for an API key: VerifyKey runs both.

// Names of the service account's own steps.
const (
	CheckNameToken        = "Secret accepted"
	CheckNameSecretExpiry = "Secret expiry"
)

// LeastPrivilegeWarningSA is LeastPrivilegeWarning for a service account.
const LeastPrivilegeWarningSA = "A service account has exactly the permissions of its role. " +
	"jcconnect only reads, but anyone who obtains this client secret could change or delete users and devices. " +
	"Least privilege: give the service account the Read Only role (Settings ▸ Service Accounts)."

// IsServiceAccount reports whether the request verifies a service account's client secret (Key)
// for ClientID rather than an API key.
func (r VerifyRequest) IsServiceAccount() bool { return r.ClientID != "" }

// IsServiceAccount reports whether the verified credential is a service account's.
func (v Verified) IsServiceAccount() bool { return v.ClientID != "" }

// LeastPrivilege is the warning that fits the verified credential.
func (v Verified) LeastPrivilege() string {
	if v.IsServiceAccount() {
		return LeastPrivilegeWarningSA
	}
	return LeastPrivilegeWarning
}

// CheckToken fetches a token for a service account: a wrong id or secret, an expired secret
// and an unreachable token host each fail here with their own words, before any API call.
func CheckToken(ctx context.Context, c *jumpcloud.Client) CheckResult {
	if err := c.Authenticate(ctx); err != nil {
		r := checkFailure(CheckNameToken, err)
		switch jumpcloud.KindOf(err) {
		case jumpcloud.KindInvalidClient:
			r.Detail = "refused by the token host: the client id or secret is wrong, or the secret was deleted"
		case jumpcloud.KindSecretExpired:
			r.Detail = "refused by the token host: the client secret has expired"
		}
		return r
	}
	return CheckResult{Name: CheckNameToken, State: CheckPassed, Detail: "the token host issued a token"}
}

// checkServiceAccountOwner is CheckOwner for a service account: the service-account list tells
// its name, role and secrets' expiry, or says honestly that it cannot ("role unknown: check it
// in Settings ▸ Service Accounts").
func checkServiceAccountOwner(ctx context.Context, c *jumpcloud.Client) OwnerCheck {
	id, err := c.ServiceAccountIdentity(ctx)
	if err != nil {
		return OwnerCheck{Result: checkFailure(CheckNameOwner, err)}
	}
	oc := OwnerCheck{Owner: id.Owner(), Identity: &id}
	who := "service account " + Clean(id.ClientID)
	if id.Found && id.Account.Name != "" {
		who = "service account " + Clean(id.Account.Name)
	}
	if !id.RoleKnown() {
		oc.Result = CheckResult{Name: CheckNameOwner, State: CheckWarning, Detail: who + "; " + Clean(id.Unknown),
			Fix: "Check in the console (Settings ▸ Service Accounts) that this service account's role is Read Only."}
		return oc
	}
	oc.Result = CheckResult{Name: CheckNameOwner, State: CheckPassed, Detail: fmt.Sprintf("%s, role %s", who, Clean(id.Role))}
	return oc
}

// ReadOnlyCheck judges the role found by CheckOwner, in the words of the credential's kind.
func (oc OwnerCheck) ReadOnlyCheck() CheckResult {
	r := CheckReadOnly(oc.Owner)
	if oc.Identity == nil {
		return r
	}
	switch {
	case !oc.Owner.RoleKnown():
		r.Fix = "Make sure the service account's role is Read Only (Settings ▸ Service Accounts); jcconnect only reads, but the secret can do whatever its role can."
	case r.State == CheckPassed:
		r.Detail = "yes: the service account can read but cannot change anything"
	default:
		r.Fix = LeastPrivilegeWarningSA
	}
	return r
}

// ExpiryCheck is when the credential expires: the key's dates from its owner record, or the
// service account's client secret's (when the list tells, and tells which one).
func (oc OwnerCheck) ExpiryCheck(now time.Time) ExpiryCheck {
	if oc.Identity == nil {
		return CheckExpiry(oc.Owner, now)
	}
	exp := oc.Identity.SecretExpiry()
	ec := ExpiryCheck{Expires: exp}
	ec.Result = expiryResult(CheckNameSecretExpiry, "secret", exp, now,
		"Generate a new client secret in Settings ▸ Service Accounts and run `jcconnect rotate --with-secret`.",
		"Plan a rotation soon: generate the second client secret in Settings ▸ Service Accounts, then `jcconnect rotate --with-secret`.")
	if exp == nil && len(oc.Identity.SecretExpiries) > 1 {
		ec.Result.Detail = "the service account holds two secrets and JumpCloud does not say which is this one's"
	}
	return ec
}

// Reasons a pasted value is not a client secret. Like the key's, they never quote the value.
var (
	ErrSecretEmpty = errors.New("paste the client secret first (it is shown once, when generated in Settings ▸ Service Accounts)")
	ErrSecretURL   = errors.New("that is a web address, not a client secret: copy the Client Secret itself")
	ErrSecretJSON  = errors.New("that looks like JSON, not a client secret: copy only the Client Secret value")
)

// CheckSecretShape is CheckKeyShape for a service account's client secret: the friendlier
// diagnoses first, then the store's one rule for a secret (store.NormalizeClientSecret).
func CheckSecretShape(raw string) (store.Secret, error) {
	k := strings.TrimSpace(raw)
	switch {
	case k == "":
		return store.Secret{}, ErrSecretEmpty
	case strings.HasPrefix(k, "{") || strings.HasPrefix(k, "["):
		return store.Secret{}, ErrSecretJSON
	case strings.Contains(k, "://") || strings.HasPrefix(strings.ToLower(k), "www."):
		return store.Secret{}, ErrSecretURL
	}
	return store.NewClientSecret(k)
}
