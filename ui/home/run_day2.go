package home

import (
	"context"

	"jcconnect/connect"
)

// Entry points of the day-two commands (status, logout, doctor, home). Each delegates to its own
// file: status*.go, logout*.go, doctor*.go, home*.go.

// RunHome is `jcconnect` with no sub-command: the wizard when nothing is stored, else the home
// screen.
func RunHome(ctx context.Context, env *connect.Env) int { return runHome(ctx, env) }

// RunStatus is `jcconnect status [--json]`.
func RunStatus(ctx context.Context, env *connect.Env, asJSON bool) int {
	return runStatus(ctx, env, asJSON)
}

// RunLogout is `jcconnect logout [--yes]`.
func RunLogout(ctx context.Context, env *connect.Env, yes bool) int { return runLogout(ctx, env, yes) }

// RunDoctor is `jcconnect doctor`.
func RunDoctor(ctx context.Context, env *connect.Env) int { return runDoctor(ctx, env) }
