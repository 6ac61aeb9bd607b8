package jumpcloud

import (
	"errors"
	"strings"
	"sync"
)

// Optional reports whether a source is one an organisation or a key may simply not have: the
// undocumented admin list, conditional access (a paid feature), SSO applications and System
// Insights (turned off per organisation). Their absence loses a detail, not the evidence.
func (s Source) Optional() bool {
	switch s {
	case SourceAdmins, SourceAuthnPolicies, SourceApplications, SourceInsights:
		return true
	}
	return false
}

// NotAvailable is the one rule, shared by verification, rotation, collection and status, for an
// optional source that fails: 403, 404 and 405 mean "not available to this key" (a role without
// the right, a feature that is not enabled, a route this key or organisation does not have). It
// returns the reason to show in a warning, and false for any other failure (a bad key, the
// network, garbage), which stays an error.
func NotAvailable(err error) (reason string, ok bool) {
	var e *Error
	if !errors.As(err, &e) || e.Kind == KindOrgNotFound {
		// A 404 about the organisation id is a wrong --org-id / JUMPCLOUD_ORG_ID, not a feature
		// that is off: the required sources fail with it too, and so must the optional ones.
		return "", false
	}
	cred, role := "this key", "the admin's role"
	if e.ServiceAccount {
		cred, role = "this service account", "this service account's role"
	}
	switch e.Status {
	case 403:
		return "not available to " + cred + ": JumpCloud answered 403 (" + role + " may not read it)", true
	case 404:
		return "not available to " + cred + ": JumpCloud answered 404 (not enabled for this organisation, or no such route for " + cred + ")", true
	case 405:
		return "not available to " + cred + ": JumpCloud answered 405 (this route is not offered to " + cred + ")", true
	}
	return "", false
}

// orgHeaderRefusals remembers the paths that answered 403 "organization selection not allowed
// via header", so that after one retry without x-org-id later requests leave it out at once.
type orgHeaderRefusals struct {
	mu    sync.Mutex
	paths map[string]bool
}

func (r *orgHeaderRefusals) refuses(path string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.paths[routeKey(path)]
}

func (r *orgHeaderRefusals) remember(path string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.paths == nil {
		r.paths = map[string]bool{}
	}
	r.paths[routeKey(path)] = true
}

// routeKey is the route of a path with ids taken out ("/api/v2/policies/*/policystatuses"), so
// one refusal covers every policy.
func routeKey(path string) string {
	segs := strings.Split(path, "/")
	for i, s := range segs {
		if len(s) == 24 && strings.Trim(strings.ToLower(s), "0123456789abcdef") == "" {
			segs[i] = "*"
		}
	}
	return strings.Join(segs, "/")
}
