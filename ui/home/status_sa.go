package home

import (
	"jcconnect/connect"
	"jcconnect/store"
)

// The words status and the home screen use for a service account, beside those of a key.

// isServiceAccount reports whether the status describes a service account.
func isServiceAccount(ps connect.ProfileStatus) bool { return ps.Kind == store.KindServiceAccount }

// secretLabel names what MaskedKey masks: "Key", or a service account's "Secret".
func secretLabel(ps connect.ProfileStatus) string {
	if isServiceAccount(ps) {
		return "Secret"
	}
	return "Key"
}

// envSourceLabel says which variables the credential came from.
func envSourceLabel(ps connect.ProfileStatus) string {
	if isServiceAccount(ps) {
		return store.EnvClientID + "/" + store.EnvClientSecret
	}
	return store.EnvAPIKey
}

// kindLabel is the credential's kind for people, with the client id of a service account.
func kindLabel(ps connect.ProfileStatus) string {
	if !isServiceAccount(ps) {
		return "administrator's API key"
	}
	if ps.ClientID == "" {
		return "service account"
	}
	return "service account, client id " + ps.ClientID
}

// tokenHostLabel is a service account's token host and whether it answered ("" for a key).
func tokenHostLabel(ps connect.ProfileStatus) string {
	switch {
	case !isServiceAccount(ps) || ps.TokenHost == "":
		return ""
	case ps.TokenHostReachable == nil:
		return ps.TokenHost
	case *ps.TokenHostReachable:
		return ps.TokenHost + "  (answered)"
	}
	return ps.TokenHost + "  ✗ not reachable"
}

// secretExpiryText is a service account's secret expiry for the plain report.
func secretExpiryText(ps connect.ProfileStatus) string {
	if ps.SecretExpires == nil {
		return "not known: check it in Settings ▸ Service Accounts (JumpCloud e-mails 7 days before)"
	}
	return connect.Day(ps.SecretExpires) + countdown(ps, "generate the second secret and rotate soon")
}
