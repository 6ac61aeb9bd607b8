package ui

import "context"

// CONTRACT STUBS (wizard): replaced by the real implementation.

// SetupFlags are `jcconnect setup`'s own flags.
type SetupFlags struct {
	WithKey      bool     // read the key from stdin, no TUI
	Integrations []string // "endpoint", "sso"; empty = both
}

// RunSetup runs the wizard (TUI, --accessible prompts, or --with-key) and returns an exit code.
func RunSetup(ctx context.Context, env *Env, flags SetupFlags) int { panic("not implemented") }
