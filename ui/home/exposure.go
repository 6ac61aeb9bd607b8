package home

import (
	"fmt"

	"jcconnect/connect"
	"jcconnect/ui/common"
)

// WarnExposures runs before every command: when the profile file or folder can be read by other
// users of this computer, it says so on stderr with the command that fixes it. On a terminal it
// offers to fix it at once; elsewhere (a cron job, a pipe) it never blocks, and the log says
// what to tighten. The next save tightens them too.
func WarnExposures(env *connect.Env) {
	if env.Store == nil || env.Demo != nil {
		return
	}
	found := env.Store.Exposures()
	if len(found) == 0 {
		return
	}
	for _, e := range found {
		fmt.Fprintf(env.Err, "warning: %s; jcconnect keeps it private.\n  fix: %s\n", e, e.Command())
	}
	if !env.IsTTY || env.In == nil {
		return
	}
	ok, err := common.Confirm(env.In, env.Err, "Make it private now? [y/N] ")
	if err != nil || !ok {
		return
	}
	if err := env.Store.FixExposures(); err != nil {
		fmt.Fprintln(env.Err, "Could not change the permissions:", err)
		return
	}
	fmt.Fprintln(env.Err, "Done: only you can read jcconnect's profiles now.")
}
