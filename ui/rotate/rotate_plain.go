package rotate

import (
	"context"
	"fmt"

	"jcconnect/connect"
	"jcconnect/ui/common"
)

// RunRotate picks the surface: the TUI on a terminal, plain prompts with --accessible, stdin
// with --with-key, and a pointer to --with-key otherwise.
func RunRotate(ctx context.Context, env *connect.Env, flags RotateFlags) int {
	switch {
	case flags.WithSecret:
		return runRotateWithSecret(ctx, env, flags)
	case flags.WithKey:
		if err := checkRotationKind(env, flags); err != nil {
			fmt.Fprintln(env.Err, "jcconnect rotate:", err)
			return connect.ExitUsage
		}
		return connect.Rotate(ctx, env, common.NewUnattended(ctx, env, flags.AllowPrivileged, flags.AcceptChanges))
	case env.Accessible && env.IsTTY:
		return connect.Rotate(ctx, env, common.NewPrompter(ctx, env))
	case env.IsTTY:
		return rotateTUI(ctx, env)
	}
	if p, err := env.Store.Profile(env.Profile); err == nil && p.IsServiceAccount() {
		fmt.Fprintln(env.Err, "jcconnect rotate: not on a terminal. Pipe the service account's new client secret in instead (never as an argument):")
		fmt.Fprintln(env.Err, "  jcconnect rotate --with-secret < new-secret.txt")
		return connect.ExitUsage
	}
	fmt.Fprintln(env.Err, "jcconnect rotate: not on a terminal. Pipe the new key in instead (never as an argument):")
	fmt.Fprintln(env.Err, "  jcconnect rotate --with-key < new-key.txt")
	return connect.ExitUsage
}
