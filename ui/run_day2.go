package ui

import "context"

// CONTRACT STUBS (rotation, status, logout, doctor, home): replaced by the real implementation.

// RunHome is `jcconnect` with no sub-command: the wizard when nothing is stored, else the home
// screen.
func RunHome(ctx context.Context, env *Env) int { panic("not implemented") }

// RotateFlags are `jcconnect rotate`'s flags.
type RotateFlags struct{ WithKey bool }

func RunRotate(ctx context.Context, env *Env, flags RotateFlags) int { panic("not implemented") }

func RunStatus(ctx context.Context, env *Env, asJSON bool) int { panic("not implemented") }

func RunLogout(ctx context.Context, env *Env, yes bool) int { panic("not implemented") }

func RunDoctor(ctx context.Context, env *Env) int { panic("not implemented") }
