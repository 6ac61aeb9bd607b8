package connect

import (
	"fmt"

	"jcconnect/store"
)

// KeyToReplace is the profile whose key saving newKey under name would replace: one is stored
// under that name with another key. Every face (the wizard's save step, the accessible prompts,
// setup --with-key) says so before it saves, with ReplaceNotice.
func KeyToReplace(s *store.Store, name, newKey string) (store.Profile, bool) {
	old, err := s.Profile(name)
	if err != nil || old.Fingerprint == store.Fingerprint(newKey) {
		return store.Profile{}, false
	}
	return old, true
}

// ReplaceNotice is the one sentence that announces the replacement (safe to print: the key's
// last 4 characters and the organisation's cleaned name, never the key).
func ReplaceNotice(name string, old store.Profile) string {
	what := "…" + Clean(old.KeyLast4)
	if org := Clean(old.OrgName); org != "" {
		what += ", " + org
	}
	return fmt.Sprintf("This replaces the key stored for profile %q (%s).", name, what)
}
