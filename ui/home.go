package ui

import (
	"context"
	"errors"

	"jcconnect/store"
)

// runHome is `jcconnect` with no command: the wizard when nothing is set up, else the home
// screen (on a terminal) or the status report (otherwise).
func runHome(ctx context.Context, env *Env) int {
	if _, err := env.Store.Profile(env.Profile); errors.Is(err, store.ErrNoProfile) {
		return RunSetup(ctx, env, SetupFlags{})
	}
	return runStatus(ctx, env, false)
}
