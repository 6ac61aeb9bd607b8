package connect

import (
	"context"
	"fmt"
	"strings"
	"time"

	"jcconnect/store"
)

// What the plain faces of a setup print: a verification line, and a failed save explained.

// FormatCheck is one verification result for plain output ("  ok       Read Only: …"), with its
// fix on a second line when the check warned or failed. Readable without colour.
func FormatCheck(r CheckResult) string {
	line := fmt.Sprintf("  %-8s %s: %s", r.Glyph(), r.Name, r.Detail)
	if r.Fix != "" && (r.State == CheckFailed || r.State == CheckWarning) {
		line += "\n           " + r.Fix
	}
	return line
}

// HeadlessAlternative is the route for a machine with no keyring: the environment variables of
// the credential's kind.
func HeadlessAlternative(serviceAccount bool) string {
	if serviceAccount {
		return fmt.Sprintf("On a headless machine, set %s and %s (and %s for a multi-tenant service account) in the environment instead.",
			store.EnvClientID, store.EnvClientSecret, store.EnvOrgID)
	}
	return fmt.Sprintf("On a headless machine, set %s (and %s for a multi-tenant key) in the environment instead.",
		store.EnvAPIKey, store.EnvOrgID)
}

// SaveFailureLines explain a failed save: one sentence of cause, its fix, the keyring doctor's
// checks (each fix said once), and the headless route for the credential's kind.
func SaveFailureLines(ctx context.Context, s *store.Store, err error, serviceAccount bool) []string {
	what := "key"
	if serviceAccount {
		what = "client secret"
	}
	lines := []string{fmt.Sprintf("The %s could not be stored: %s", what, Clean(store.Cause(err)))}
	if fix := FixFor(err, serviceAccount); fix != "" {
		lines = append(lines, "  "+fix)
	}
	dctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	said := map[string]bool{store.Fix(err): true, FixFor(err, serviceAccount): true}
	for _, ch := range store.Diagnose(dctx, s.Keyring()) {
		mark, line := "ok", ch.Name
		if !ch.OK {
			mark = "failed"
			line += DiagnosisDetail(ch, said)
		}
		lines = append(lines, fmt.Sprintf("  %-7s %s", mark, line))
	}
	return append(lines, "Nothing was stored. "+HeadlessAlternative(serviceAccount))
}

// FixFor is the keyring error's fix (store.Fix) for the credential's kind: the store words its
// headless route for an API key (JUMPCLOUD_API_KEY), which a service account takes with its
// own pair of variables.
func FixFor(err error, serviceAccount bool) string {
	fix := store.Fix(err)
	if !serviceAccount || strings.Contains(fix, store.EnvClientID) {
		return fix
	}
	return strings.ReplaceAll(fix, store.EnvAPIKey, store.EnvClientID+" and "+store.EnvClientSecret)
}

// DiagnosisDetail is what to add after a failed doctor check's name: its fix the first time that
// fix is seen (the checks of one cause share it), else its error.
func DiagnosisDetail(ch store.Check, said map[string]bool) string {
	switch {
	case ch.Fix != "" && !said[ch.Fix]:
		said[ch.Fix] = true
		return ": " + ch.Fix
	case ch.Err != nil:
		return ": " + Clean(ch.Err.Error())
	}
	return ""
}

// credentialNoun is CredentialWord without "API ": "key" or "client secret".
func credentialNoun(serviceAccount bool) string {
	return strings.TrimPrefix(CredentialWord(serviceAccount), "API ")
}
