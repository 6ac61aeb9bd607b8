package wizard

import (
	"context"
	"errors"
	"fmt"

	"jcconnect/connect"
	"jcconnect/store"
	"jcconnect/ui/common"
)

// `setup --service-account --client-id ID --with-secret`: a service account's client secret
// from stdin (never a flag value), verified live with the same steps as a key (a token first,
// then the organisations, the role and the per-source permission matrix), stored in the keyring
// with kind service_account.

// checkServiceAccountFlags refuses flag combinations that cannot be meant, before anything is
// read: the secret only ever comes from stdin, and the client id names the account.
func checkServiceAccountFlags(flags SetupFlags) error {
	switch {
	case flags.WithKey && (flags.WithSecret || flags.ServiceAccount):
		return errors.New("--with-key reads an administrator's API key; --service-account --with-secret reads a service account's client secret: use one of them")
	case !flags.ServiceAccount && (flags.WithSecret || flags.ClientID != ""):
		return errors.New("--with-secret and --client-id are for a service account: add --service-account")
	case flags.ServiceAccount && !flags.WithSecret:
		return errors.New("--service-account runs without the wizard: add --client-id ID --with-secret and give the client secret on stdin")
	case flags.ClientID == "":
		return errors.New("--service-account needs --client-id: the service account's Client ID (Settings ▸ Service Accounts)")
	}
	return nil
}

// runSetupWithSecret is setup --service-account --with-secret.
func runSetupWithSecret(ctx context.Context, env *connect.Env, flags SetupFlags, integ store.Integrations) int {
	id, err := store.NormalizeClientID(flags.ClientID)
	if err != nil {
		fmt.Fprintln(env.Err, "jcconnect setup: --client-id:", err)
		if fix := store.Fix(err); fix != "" {
			fmt.Fprintln(env.Err, "  "+fix)
		}
		return connect.ExitUsage
	}
	raw, err := common.ReadKeyWhole(ctx, env.In, env.Err, "Paste the client secret and press enter (it is not shown):")
	if errors.Is(err, common.ErrCanceled) {
		fmt.Fprintln(env.Err, "jcconnect setup: canceled while waiting for the client secret on stdin; nothing was stored.")
		return connect.ExitFailure
	}
	if err != nil {
		fmt.Fprintln(env.Err, "jcconnect setup: could not read the client secret from stdin:", err)
		return connect.ExitUsage
	}
	secret, err := connect.CheckSecretShape(raw)
	if err != nil {
		fmt.Fprintln(env.Err, "jcconnect setup: the input on stdin is not a client secret:", err)
		return connect.ExitUsage
	}
	req := requestFromEnv(env, secret, integ)
	req.ClientID, req.TokenURL = id, env.TokenURL
	fmt.Fprintf(env.Out, "Verifying service account %s (secret %s) against %s\n", connect.Clean(id), store.Mask(secret), req.Where())
	v, err := connect.VerifyKey(ctx, req, nil, func(r connect.CheckResult) { printCheck(env.Out, r) })
	if err != nil {
		fmt.Fprintln(env.Err, "jcconnect setup:", err)
		return connect.ExitCodeForChecks(v.Checks)
	}
	if !connect.RefusePrivileged(env.Err, v, flags.AllowPrivileged) {
		return connect.ExitPrivilegedRefused
	}
	name := env.Profile
	if name == "" {
		name = store.DefaultProfileName
	}
	if old, ok := connect.KeyToReplace(env.Store, name, secret); ok {
		fmt.Fprintln(env.Out, connect.ReplaceNotice(name, old))
	}
	if err := env.Store.Save(ctx, v.Profile(name), secret); err != nil {
		printSaveFailure(ctx, env.Err, env.Store, err)
		return connect.ExitKeyring
	}
	where := "in the OS keyring"
	if env.Demo != nil {
		where = "in memory (demo: forgotten at exit)"
	}
	fmt.Fprintf(env.Out, "Saved: %s (%s), service account %s, secret %s %s, profile %q.\n", connect.Clean(v.Org.Name()),
		connect.Clean(v.Org.ID), connect.Clean(id), v.Masked(), where, name)
	if store.CredentialInEnv(env.Getenv) {
		fmt.Fprintln(env.Out, connect.EnvCredentialSet(env.Getenv)+" in this environment: while it is, commands use it, not the service account saved here.")
	}
	return connect.ExitOK
}
