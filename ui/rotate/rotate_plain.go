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
		return connect.Rotate(ctx, env, stdinFace{acceptChanges: flags.AcceptChanges, allowPrivileged: flags.AllowPrivileged})
	case env.Accessible && env.IsTTY:
		return connect.Rotate(ctx, env, promptFace{common.NewPrompter(ctx, env)})
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

// promptFace is --accessible: the key at a hidden prompt, changes confirmed with y/N.
type promptFace struct{ p *common.Prompter }

func (f promptFace) ReadKey(_ context.Context, env *connect.Env, w connect.RotationWords) (string, error) {
	fmt.Fprintln(env.Out, "\n"+w.Order)
	return f.p.AskSecret("\n" + w.Prompt)
}

func (f promptFace) Accept(env *connect.Env, what string) (bool, int) {
	if f.p.Confirm(fmt.Sprintf("Store it anyway, accepting %s? [y/N]", what)) {
		return true, 0
	}
	fmt.Fprintln(env.Out, "Nothing was changed; the old one is still stored.")
	return false, connect.ExitFailure
}

// stdinFace is --with-key: the key on stdin (hidden if stdin is a terminal), a new owner or role
// accepted only with --accept-changes and a key that is not Read Only only with
// --allow-privileged, since no one is there to confirm.
type stdinFace struct{ acceptChanges, allowPrivileged bool }

func (f stdinFace) AllowPrivileged() bool { return f.allowPrivileged }

func (stdinFace) ReadKey(ctx context.Context, env *connect.Env, w connect.RotationWords) (string, error) {
	return common.ReadKeyWhole(ctx, env.In, env.Err, "\n"+w.Prompt)
}

func (f stdinFace) Accept(env *connect.Env, what string) (bool, int) {
	if f.acceptChanges {
		return true, 0
	}
	fmt.Fprintf(env.Err, "\nNothing was changed: this rotation brings %s, which must be confirmed.\n", what)
	fmt.Fprintln(env.Err, "Run it again on a terminal (`jcconnect rotate`), or add --accept-changes.")
	return false, connect.ExitUsage
}
