package home

import (
	"context"
	"fmt"

	"jcconnect/connect"
	"jcconnect/store"
	"jcconnect/ui/common"
)

// RunProfileRebuild is `jcconnect profile rebuild [NAME...]`: after profiles.json was lost or
// damaged (and set aside), the keys are still in the keyring; this records their profiles again,
// then checks each key live to learn its organisation, owner and role again. Without names it
// takes every key the keyring lists under jcconnect (the Secret Service can list; the macOS
// Keychain and Windows Credential Manager are not listed by jcconnect, so there the names must be
// given).
func RunProfileRebuild(ctx context.Context, env *connect.Env, names []string) int {
	rebuilt, err := env.Store.RebuildProfiles(ctx, names, env.Region)
	if err != nil && len(rebuilt) == 0 {
		return profileFailure(env, "rebuild", err)
	}
	if len(rebuilt) == 0 {
		fmt.Fprintln(env.Out, "Nothing to rebuild: every key jcconnect finds in the keyring already has its profile. See: jcconnect profile list")
		return connect.ExitOK
	}
	code := connect.ExitOK
	for _, p := range rebuilt {
		fmt.Fprintf(env.Out, "Rebuilt profile %q (key %s).\n", p.Name, "…"+p.KeyLast4)
		if c := checkRebuilt(ctx, env, p); c != connect.ExitOK && code == connect.ExitOK {
			code = c
		}
	}
	if err != nil {
		fmt.Fprintf(env.Err, "jcconnect profile rebuild: %s\n%s\n", connect.Clean(store.Cause(err)), store.Fix(err))
		if code == connect.ExitOK {
			code = connect.ExitNoProfile
		}
	}
	fmt.Fprintln(env.Out, "\nA service account's profile cannot be rebuilt (its client id was only in the file): set it up again with `jcconnect setup --service-account`.")
	fmt.Fprintln(env.Out, "Check them any time with: jcconnect status")
	return code
}

// checkRebuilt checks a rebuilt profile's key live and records what JumpCloud says of it again.
func checkRebuilt(ctx context.Context, env *connect.Env, p store.Profile) int {
	if store.CredentialInEnv(env.Getenv) {
		fmt.Fprintln(env.Out, "  not checked live: a credential in the environment overrides the stored keys; unset it and run `jcconnect status`.")
		return connect.ExitOK
	}
	cred, err := env.Store.Key(ctx, p.Name)
	if err != nil {
		fmt.Fprintf(env.Out, "  not checked live: %s\n", connect.Clean(store.Cause(err)))
		return connect.ExitCodeFor(err)
	}
	conn, err := connect.ConnectWithKey(env, p, true, cred)
	if err != nil {
		fmt.Fprintf(env.Out, "  not checked live: %s\n", connect.Clean(err.Error()))
		return connect.ExitUsage
	}
	check := connect.CheckKey(ctx, conn.Client, connect.EvidenceSourceFor(p))
	if !check.Valid() {
		why := connect.Clean(check.Err.Error())
		if cause, fix, ok := connect.ExplainRefused(ctx, env, conn, cred.Key, check.Err); ok {
			why = "the key was refused: " + cause + ". " + fix
		}
		fmt.Fprintf(env.Out, "  the live check failed: %s\n", why)
		return check.State.ExitCode()
	}
	now := env.Now()
	p.OrgName, p.VerifiedAt = check.OrgName, &now
	if check.OwnerKnown {
		p.OwnerEmail, p.Role = connect.Clean(check.Owner.Admin.Email), connect.Clean(check.Owner.Role)
	}
	if err := env.Store.UpdateProfile(p); err != nil {
		fmt.Fprintf(env.Out, "  checked, but not recorded: %s\n", connect.Clean(store.Cause(err)))
		return connect.ExitCodeFor(err)
	}
	fmt.Fprintf(env.Out, "  ✓ the key works: %s, %s, %s\n", firstNonEmptyText(p.OrgName, "organisation not named"),
		connect.RegionLabel(conn.Region), firstNonEmptyText(p.Role, "role unknown"))
	return connect.ExitOK
}

func firstNonEmptyText(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

// offerRebuild tells of a damaged profiles.json (where it went) and, on a terminal, offers to
// rebuild the profiles from the keyring at once. ok is true when the caller may go on.
func offerRebuild(ctx context.Context, env *connect.Env, damaged error) (code int, ok bool) {
	fmt.Fprintf(env.Err, "jcconnect: %s\n%s\n", connect.Clean(store.Cause(damaged)), store.Fix(damaged))
	if !env.IsTTY {
		return connect.ExitFailure, false
	}
	yes, err := common.Confirm(env.In, env.Out, "Rebuild the profiles from the keyring now? [y/N]")
	if err != nil || !yes {
		fmt.Fprintln(env.Out, "Nothing was changed. Run `jcconnect profile rebuild` when ready.")
		return connect.ExitFailure, false
	}
	code = RunProfileRebuild(ctx, env, nil)
	if _, err := env.Store.Profile(env.Profile); err != nil {
		return code, false // nothing usable came back: the rebuild said why
	}
	return connect.ExitOK, true // a key refused live is shown again on the home screen
}
