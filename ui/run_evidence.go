package ui

import "context"

// CONTRACT STUBS (evidence): replaced by the real implementation.

// DevicesFlags are `jcconnect devices`'s flags.
type DevicesFlags struct {
	JSON, CSV bool
	Users     bool // browse users and MFA instead of devices
}

func RunDevices(ctx context.Context, env *Env, flags DevicesFlags) int { panic("not implemented") }

func RunExport(ctx context.Context, env *Env, outDir string) int { panic("not implemented") }
