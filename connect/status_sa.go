package connect

import (
	"context"
	"fmt"
	"net/url"

	"jcconnect/jumpcloud"
	"jcconnect/store"
)

// What status adds for a service account: its kind and client id, its client secret's expiry
// (warned about under ExpiryWarningDays, like a key's) and whether its token host answers.

// serviceAccountStatus fills a service account's own fields before the live check.
func serviceAccountStatus(ps *ProfileStatus, p store.Profile, cred store.Credential) {
	ps.Kind = store.KindServiceAccount
	ps.ClientID = Clean(cred.ClientID)
	if ps.ClientID == "" {
		ps.ClientID = Clean(p.ClientID)
	}
	if cred.Source != store.SourceEnv || ps.StoredKeyInUse {
		ps.SecretExpires = p.SecretExpires
	}
	ps.KeyCreated, ps.KeyExpires = nil, nil
}

// checkTokenHost fetches a token (kept by the client for the checks that follow) and records
// whether the token host answered. It returns the error that ends the check, nil when a token
// was issued.
func checkTokenHost(ctx context.Context, ps *ProfileStatus, c *jumpcloud.Client) error {
	if u, err := url.Parse(c.TokenURL()); err == nil {
		ps.TokenHost = Clean(u.Host)
	}
	err := c.Authenticate(ctx)
	switch jumpcloud.KindOf(err) {
	case jumpcloud.KindTokenUnreachable, jumpcloud.KindCanceled, jumpcloud.KindTimeout:
		no := false
		ps.TokenHostReachable = &no
	default:
		yes := true // it answered: with a token, or with a refusal
		ps.TokenHostReachable = &yes
	}
	return err
}

// serviceAccountRemedy words the remedy of a refused service account: its secret is rotated
// with --with-secret, or the environment's variables are the ones to change. A service account
// whose role may not read evidence is given the Read Only role in the console: it has no admin
// whose key could replace it, and a new secret keeps the same role.
func serviceAccountRemedy(ps *ProfileStatus, err error, profile string, isDefault bool, source store.KeySource) {
	if ps.Check.State == StateForbidden {
		ps.Check.Fix = "The service account works but its role may not read evidence (or JumpCloud blocked this IP). " +
			"Give this service account the Read Only role in Settings ▸ Service Accounts."
		ps.Check.FixCommand = ""
		return
	}
	if ps.Check.State != StateInvalidKey {
		return
	}
	if fix := jumpcloud.KindOf(err).Fix(); jumpcloud.KindOf(err) != jumpcloud.KindUnknown {
		ps.Check.Fix = fix
	}
	ps.Check.FixCommand = "jcconnect rotate --with-secret" + ProfileFlag(profile, isDefault)
	if source == store.SourceEnv {
		ps.Check.Fix = "JumpCloud refused the service account in " + store.EnvClientID + "/" + store.EnvClientSecret +
			". Set them to a working client id and secret (Settings ▸ Service Accounts), or unset them to use the stored profile."
		ps.Check.FixCommand = "unset " + store.EnvClientID + " " + store.EnvClientSecret
	}
}

// serviceAccountVerdict is the valid check's message for a service account.
func serviceAccountVerdict(ps *ProfileStatus, profile string, isDefault bool) {
	ps.Check.Message = "the service account works"
	if ps.ExpiresSoon && ps.DaysLeft != nil {
		ps.Check.Message = fmt.Sprintf("the service account works but its client secret expires in %s", CountNoun(*ps.DaysLeft, "day"))
		ps.Check.Fix = "Generate the second client secret in Settings ▸ Service Accounts before this one expires, then rotate to it."
		ps.Check.FixCommand = "jcconnect rotate --with-secret" + ProfileFlag(profile, isDefault)
	}
}

// tokenHostDoctorCheck is the doctor's check of a service account's token host: it answers and
// issues a token for this secret. ok is false when the checks after it cannot run.
func tokenHostDoctorCheck(ctx context.Context, c *jumpcloud.Client, profile string, isDefault bool) (DoctorCheck, bool) {
	var ps ProfileStatus
	err := checkTokenHost(ctx, &ps, c)
	switch {
	case err == nil:
		return DoctorCheck{Name: "token host", Status: DoctorOK, Detail: ps.TokenHost + " issued a token for this client secret"}, true
	case ps.TokenHostReachable != nil && !*ps.TokenHostReachable:
		return failCheck("token host", err, ExitNetwork, jumpcloud.KindTokenUnreachable.Fix(), ""), false
	}
	state := StateOf(err)
	return failCheck("token host", err, state.ExitCode(), jumpcloud.KindOf(err).Fix(),
		"jcconnect rotate --with-secret"+ProfileFlag(profile, isDefault)), false
}

// leastPrivilegeFix is the doctor's fix for a credential that is not Read Only.
func leastPrivilegeFix(serviceAccount bool) string {
	if serviceAccount {
		return "Evidence collection needs only Read Only. Give the service account the Read Only role (Settings ▸ Service Accounts), or create one with it and run setup --service-account."
	}
	return "Evidence collection needs only Read Only. Create a Read Only admin, generate its key, and rotate."
}

// serviceAccountKeyDetail is the doctor's "key" line for a service account's secret.
func serviceAccountKeyDetail(cred store.Credential, p store.Profile) string {
	id := cred.ClientID
	if id == "" {
		id = p.ClientID
	}
	from := sourceLabel(cred.Source)
	if cred.Source == store.SourceEnv {
		from = "the environment (" + store.EnvClientID + "/" + store.EnvClientSecret + ")"
	}
	return fmt.Sprintf("service account %s, client secret %s from %s", Clean(id), cred.Key.Mask(), from)
}
