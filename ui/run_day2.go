package ui

import (
	"context"

	"jcconnect/connect"
	"jcconnect/ui/rotate"
)

// Entry points of the day-two commands (rotation, status, logout, doctor, home). Each delegates
// to its own file: rotate*.go, status*.go, logout*.go, doctor*.go, home*.go.

// RunHome is `jcconnect` with no sub-command: the wizard when nothing is stored, else the home
// screen.
func RunHome(ctx context.Context, env *connect.Env) int { return runHome(ctx, env) }

// RunRotate is `jcconnect rotate`: verify the new key, then swap (TUI, or stdin with --with-key).
func RunRotate(ctx context.Context, env *connect.Env, flags rotate.RotateFlags) int {
	return rotate.RunRotate(ctx, env, flags)
}

// RunStatus is `jcconnect status [--json]`.
func RunStatus(ctx context.Context, env *connect.Env, asJSON bool) int {
	return runStatus(ctx, env, asJSON)
}

// RunLogout is `jcconnect logout [--yes]`.
func RunLogout(ctx context.Context, env *connect.Env, yes bool) int { return runLogout(ctx, env, yes) }

// RunDoctor is `jcconnect doctor`.
func RunDoctor(ctx context.Context, env *connect.Env) int { return runDoctor(ctx, env) }
