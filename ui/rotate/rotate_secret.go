package rotate

import (
	"context"
	"errors"
	"fmt"

	"jcconnect/connect"
	"jcconnect/store"
	"jcconnect/ui/common"
)

// `rotate --with-secret`: a service account's second client secret from stdin, verified, swapped
// in with the store's safe replace; then the admin is told to delete the old secret in the console
// and the old one is checked (best effort). The steps are connect.Rotate's, as for a key.

// checkRotationKind refuses a rotation whose flag does not fit the stored credential: a key is
// not replaced by a client secret, nor the reverse (setup makes a new profile of the other kind).
func checkRotationKind(env *connect.Env, flags RotateFlags) error {
	p, err := env.Store.Profile(env.Profile)
	if err != nil {
		return nil // PrepareRotation reports it in the usual words
	}
	switch {
	case flags.WithSecret && !p.IsServiceAccount():
		return fmt.Errorf("profile %q holds an administrator's API key, not a service account: rotate it with --with-key; "+
			"to switch to a service account, run `jcconnect setup --service-account --client-id ID --with-secret`", p.Name)
	case flags.WithKey && p.IsServiceAccount():
		return fmt.Errorf("profile %q holds a service account (client id %s): rotate its client secret with --with-secret", p.Name, connect.Clean(p.ClientID))
	}
	return nil
}

// runRotateWithSecret is rotate --with-secret.
func runRotateWithSecret(ctx context.Context, env *connect.Env, flags RotateFlags) int {
	if flags.WithKey {
		fmt.Fprintln(env.Err, "jcconnect rotate: --with-key and --with-secret read different credentials: use one of them")
		return connect.ExitUsage
	}
	if err := checkRotationKind(env, flags); err != nil {
		fmt.Fprintln(env.Err, "jcconnect rotate:", err)
		return connect.ExitUsage
	}
	if _, err := env.Store.Profile(env.Profile); errors.Is(err, store.ErrNoProfile) && !store.CredentialInEnv(env.Getenv) {
		fmt.Fprintln(env.Err, "jcconnect rotate: nothing is set up to rotate. Run `jcconnect setup --service-account --client-id ID --with-secret` first.")
		return connect.ExitNoProfile
	}
	// --allow-privileged applies as it does to --with-key and to setup: the refusal itself tells
	// the person to add it, and an account set up knowingly with it must be able to rotate.
	return connect.Rotate(ctx, env, common.NewUnattended(ctx, env, flags.AllowPrivileged, flags.AcceptChanges))
}
