package home

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"jcconnect/connect"
	"jcconnect/store"
	"jcconnect/ui/common"
)

// runLogout is `jcconnect logout`: it removes the profile's keyring item and metadata, after a
// confirmation on a terminal (--yes otherwise), and says plainly that the key still works in
// JumpCloud until it is revoked there, and where.
func runLogout(ctx context.Context, env *connect.Env, yes bool) int {
	p, err := env.Store.Profile(env.Profile)
	switch {
	case errors.Is(err, store.ErrNoProfile):
		return logoutLeftover(ctx, env)
	case err != nil:
		fmt.Fprintln(env.Err, "jcconnect logout:", err)
		if fix := store.Fix(err); fix != "" {
			fmt.Fprintln(env.Err, fix)
		}
		return connect.ExitCodeFor(err)
	}

	if !yes {
		if !env.IsTTY {
			fmt.Fprintln(env.Err, "jcconnect logout: not on a terminal, so there is no one to confirm.")
			fmt.Fprintf(env.Err, "Run `jcconnect logout --yes%s` to remove profile %q.\n",
				connect.ProfileFlag(p.Name, false), p.Name)
			return connect.ExitUsage
		}
		ok, err := common.Confirm(env.In, env.Out, logoutQuestion(p))
		if err != nil || !ok {
			fmt.Fprintln(env.Out, "Nothing was removed.")
			return connect.ExitFailure
		}
	}

	report, err := env.Store.Delete(ctx, p.Name)
	writeDeleteReport(env.Out, p, report)
	if err != nil && len(report.Problems) == 0 {
		// Delete failed before removing anything (the lock, the metadata file).
		fmt.Fprintln(env.Err, "jcconnect logout:", err)
		if fix := store.Fix(err); fix != "" {
			fmt.Fprintln(env.Err, fix)
		}
		return connect.ExitCodeFor(err)
	}
	fmt.Fprintln(env.Out)
	writeRevokeAdvice(env.Out, p)
	noteEnvKey(env, env.Out)
	if len(report.Problems) > 0 {
		if !report.KeyringRemoved {
			fmt.Fprintln(env.Out, "\nThe key is still in the keyring: once the keyring works (`jcconnect doctor`), "+
				"run `jcconnect logout` again to remove it.")
		}
		if connect.IsKeyringError(errors.Join(report.Problems...)) {
			return connect.ExitKeyring
		}
		return connect.ExitFailure
	}
	return connect.ExitOK
}

// logoutLeftover handles a logout with no profile: a keyring item left without its profile
// (an interrupted save, a profile file removed by hand) is still removed; otherwise there is
// nothing to log out.
func logoutLeftover(ctx context.Context, env *connect.Env) int {
	name := env.Profile
	if name == "" {
		name = store.DefaultProfileName
	}
	report, err := env.Store.Delete(ctx, name)
	if report.KeyringRemoved {
		fmt.Fprintf(env.Out, "✓ Removed a key left in the keyring without its profile (%q).\n\n", name)
		writeRevokeAdvice(env.Out, store.Profile{Name: name})
		return connect.ExitOK
	}
	if err != nil && !errors.Is(err, store.ErrNoProfile) {
		fmt.Fprintln(env.Err, "jcconnect logout:", err)
		if fix := store.Fix(err); fix != "" {
			fmt.Fprintln(env.Err, fix)
		}
		return connect.ExitCodeFor(err)
	}
	fmt.Fprintf(env.Err, "Nothing to log out: there is no %s profile on this computer.\n", name)
	if profiles, _, perr := env.Store.Profiles(); perr == nil && len(profiles) > 0 {
		fmt.Fprintf(env.Err, "Profiles: %s. Choose one with --profile.\n", connect.ProfileNames(profiles))
	}
	noteEnvKey(env, env.Err)
	return connect.ExitNoProfile
}

func logoutQuestion(p store.Profile) string {
	org := connect.Clean(p.OrgName)
	if org == "" {
		org = p.OrgID
	}
	what := "key"
	if p.IsServiceAccount() {
		what = "service account " + connect.Clean(p.ClientID) + ", secret"
	}
	return fmt.Sprintf("Remove profile %q (organisation %s, %s …%s) from this computer? [y/N] ",
		p.Name, org, what, p.KeyLast4)
}

func writeDeleteReport(w io.Writer, p store.Profile, r store.DeleteReport) {
	switch {
	case r.KeyringRemoved:
		fmt.Fprintf(w, "✓ Removed the %s (…%s) from the keyring.\n", map[bool]string{false: "key", true: "client secret"}[p.IsServiceAccount()], p.KeyLast4)
	case len(r.Problems) == 0:
		fmt.Fprintln(w, "– There was no key in the keyring for this profile: nothing to remove there.")
	}
	if r.ProfileRemoved {
		fmt.Fprintf(w, "✓ Removed profile %q (its settings) from this computer.\n", p.Name)
	}
	for _, problem := range r.Problems {
		fmt.Fprintf(w, "✗ %v\n", problem)
		if fix := store.Fix(problem); fix != "" {
			fmt.Fprintf(w, "  %s\n", fix)
		}
	}
}

// writeRevokeAdvice says what logout does not do: the key keeps working in JumpCloud.
func writeRevokeAdvice(w io.Writer, p store.Profile) {
	if p.IsServiceAccount() {
		writeSecretDeleteAdvice(w, p)
		return
	}
	owner := connect.Clean(p.OwnerEmail)
	if owner == "" {
		owner = "the admin who owns it"
	}
	fmt.Fprintln(w, "This does NOT revoke the key in JumpCloud: it keeps working for anyone with a copy.")
	fmt.Fprintf(w, "To revoke it, open the Admin Portal (%s):\n", adminConsoleURL(p.Region, p.BaseURL))
	fmt.Fprintf(w, "  - signed in as %s: your initials (top right) ▸ My API Key ▸ Generate New API Key\n", owner)
	fmt.Fprintln(w, "    (generating a new key revokes the old one at once; you need not keep the new one), or")
	fmt.Fprintln(w, "  - as an Administrator with Billing: Settings ▸ Administrators ▸ that admin ▸ turn off")
	fmt.Fprintln(w, "    Enable API access, or remove the admin if it only existed for this integration.")
}

// noteEnvKey reminds that JUMPCLOUD_API_KEY is not touched by logout.
func noteEnvKey(env *connect.Env, w io.Writer) {
	if names := store.EnvCredentialNames(env.Getenv); names != "" {
		fmt.Fprintln(w, connect.EnvCredentialSet(env.Getenv)+" in this environment and still used: unset it too "+
			"(`unset "+strings.ReplaceAll(names, " and ", " ")+"`, and remove it from CI secrets or shell profiles).")
	}
}

// adminConsoleURL is the Admin Portal for a region (the demo and custom base URLs have none: say
// which real console applies).
func adminConsoleURL(region, baseURL string) string {
	switch strings.ToLower(region) {
	case "eu":
		return "https://console.eu.jumpcloud.com"
	case "in":
		return "https://console.in.jumpcloud.com"
	case "us", "":
		if baseURL == "" {
			return "https://console.jumpcloud.com"
		}
	}
	return "the console of your region: console.jumpcloud.com, console.eu.jumpcloud.com or console.in.jumpcloud.com"
}

// writeSecretDeleteAdvice is writeRevokeAdvice for a service account: the client secret keeps
// working until it is deleted in the console (it is not deleted by logout).
func writeSecretDeleteAdvice(w io.Writer, p store.Profile) {
	fmt.Fprintln(w, "This does NOT delete the client secret in JumpCloud: it keeps working for anyone with a copy.")
	fmt.Fprintf(w, "To delete it, as an Administrator with Billing open the Admin Portal (%s):\n", adminConsoleURL(p.Region, p.BaseURL))
	fmt.Fprintf(w, "  Settings ▸ Service Accounts ▸ the service account (client id %s) ▸ delete the client secret\n", connect.Clean(p.ClientID))
	fmt.Fprintf(w, "  ending in …%s, or delete the service account if it only existed for this integration.\n", connect.Clean(p.KeyLast4))
}
