package home

import (
	"fmt"
	"strings"

	"jcconnect/connect"
	"jcconnect/evidence"
)

// RunProfileServers is `jcconnect profile servers [ITEM...|none]`: which devices of the profile
// (--profile, else the default) are servers, whose screen lock does not apply. Without items it
// shows the setting; "none" clears it. --servers on any command overrides it for that run.
func RunProfileServers(env *connect.Env, items []string) int {
	p, err := env.Store.Profile(env.Profile)
	if err != nil {
		return profileFailure(env, "servers", err)
	}
	if len(items) == 0 {
		if len(p.Servers) == 0 {
			fmt.Fprintf(env.Out, "Profile %q marks no device as a server. Mark some with: jcconnect profile servers group:NAME host:PATTERN os:linux\n", p.Name)
		} else {
			fmt.Fprintf(env.Out, "Profile %q marks as servers (screen lock not applicable): %s\n", p.Name, strings.Join(p.Servers, ", "))
		}
		return connect.ExitOK
	}
	if len(items) == 1 && strings.EqualFold(items[0], "none") {
		items = nil
	}
	var split []string
	for _, it := range items {
		split = append(split, strings.Split(it, ",")...)
	}
	rules, err := evidence.ParseServerRules(split)
	if err != nil {
		fmt.Fprintf(env.Err, "jcconnect profile servers: %s\n", connect.Clean(err.Error()))
		return connect.ExitUsage
	}
	p.Servers = rules.Items()
	if err := env.Store.UpdateProfile(p); err != nil {
		return profileFailure(env, "servers", err)
	}
	if len(p.Servers) == 0 {
		fmt.Fprintf(env.Out, "Profile %q now marks no device as a server.\n", p.Name)
	} else {
		fmt.Fprintf(env.Out, "Profile %q now marks as servers (screen lock not applicable): %s\n", p.Name, strings.Join(p.Servers, ", "))
	}
	return connect.ExitOK
}
