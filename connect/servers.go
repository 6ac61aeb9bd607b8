package connect

import (
	"jcconnect/evidence"
	"jcconnect/store"
)

// ServerRulesFor is which devices count as servers for a collection: --servers when given, else
// the profile's saved setting (`jcconnect profile servers`). The flag was checked when parsed;
// a saved setting that no longer parses is ignored rather than guessed at (it was checked when
// saved).
func ServerRulesFor(env *Env, p store.Profile) evidence.ServerRules {
	items := p.Servers
	if env != nil && env.Servers != nil {
		items = env.Servers
	}
	r, err := evidence.ParseServerRules(items)
	if err != nil {
		return evidence.ServerRules{}
	}
	return r
}
