package jctest

import (
	"net/http"
	"strings"
)

// Route families: what a role may read is decided per family (auth.go).
const (
	famOrgs          = "organizations"
	famSelf          = "self"
	famSettings      = "settings"
	famAdmins        = "administrators"
	famSystems       = "systems"
	famSystemUsers   = "systemusers"
	famApplications  = "applications"
	famPolicies      = "policies"
	famPolicyResults = "policyresults"
	famInsights      = "systeminsights"
	famAuthn         = "authn"
	famServiceAccts  = "serviceaccounts"
	famSystemGroups  = "systemgroups"
)

// route is one served path. pattern segments starting with "{" match any one segment, whose
// value is passed to the handler in order.
type route struct {
	pattern []string
	family  string
	orgMode orgMode
	handle  func(s *Server, w http.ResponseWriter, r *http.Request, c caller, args []string)
	// static: the answer is a function of the organisation, the path and the query alone (it
	// reads only data generated once at start), so it is encoded once and then served from the
	// page cache (pagecache.go).
	static bool
}

func mkRoute(pattern, family string, mode orgMode, h func(*Server, http.ResponseWriter, *http.Request, caller, []string)) route {
	return route{pattern: strings.Split(strings.Trim(pattern, "/"), "/"), family: family, orgMode: mode, handle: h}
}

// mkStatic is mkRoute for a static route: one whose handler reads nothing a test, a key or the
// clock can change (no keys, admins, service accounts, groups, time), only the org's generated
// devices, users, policies, results, System Insights rows and applications.
func mkStatic(pattern, family string, mode orgMode, h func(*Server, http.ResponseWriter, *http.Request, caller, []string)) route {
	rt := mkRoute(pattern, family, mode, h)
	rt.static = true
	return rt
}

var routes = []route{
	mkRoute("/api/organizations", famOrgs, orgRefused, (*Server).handleOrganizations),
	mkRoute("/api/organizations/{id}", famOrgs, orgFromPath, (*Server).handleOrganization),
	mkRoute("/api/users/getSelf", famSelf, orgRefused, (*Server).handleSelf),
	mkRoute("/api/settings", famSettings, orgRequired, (*Server).handleSettings),
	mkRoute("/api/users", famAdmins, orgRequired, (*Server).handleAdmins),
	mkStatic("/api/systems", famSystems, orgRequired, (*Server).handleSystems),
	mkStatic("/api/systemusers", famSystemUsers, orgRequired, (*Server).handleSystemUsers),
	mkStatic("/api/applications", famApplications, orgRequired, (*Server).handleApplications),
	mkStatic("/api/v2/policies", famPolicies, orgRequired, (*Server).handlePolicies),
	mkStatic("/api/v2/policies/{id}", famPolicies, orgRequired, (*Server).handlePolicy),
	mkStatic("/api/v2/policies/{id}/policystatuses", famPolicyResults, orgRequired, (*Server).handlePolicyStatuses),
	mkStatic("/api/v2/policyresults", famPolicyResults, orgRequired, (*Server).handlePolicyResults),
	mkStatic("/api/v2/systeminsights/{table}", famInsights, orgRequired, (*Server).handleInsights),
	mkStatic("/api/v2/authn/policies", famAuthn, orgRequired, (*Server).handleAuthnPolicies),
	mkRoute("/api/v2/service-accounts", famServiceAccts, orgRequired, (*Server).handleServiceAccounts),
	mkRoute("/api/v2/systemgroups", famSystemGroups, orgRequired, (*Server).handleSystemGroups),
	mkRoute("/api/v2/systemgroups/{id}/membership", famSystemGroups, orgRequired, (*Server).handleSystemGroupMembership),
}

// match finds the route for a path and the values of its {} segments.
func match(path string) (*route, []string) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	if strings.HasSuffix(path, "/") && path != "/" {
		return nil, nil // "/api/systems/" is not "/api/systems"
	}
	for i := range routes {
		rt := &routes[i]
		if len(rt.pattern) != len(segs) {
			continue
		}
		var args []string
		ok := true
		for j, p := range rt.pattern {
			switch {
			case strings.HasPrefix(p, "{"):
				if segs[j] == "" {
					ok = false
				}
				args = append(args, segs[j])
			case p != segs[j]:
				ok = false
			}
			if !ok {
				break
			}
		}
		if ok {
			return rt, args
		}
	}
	return nil, nil
}

// ServeHTTP answers one request: bookkeeping, latency, rate limit, injected faults, then the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == StatsPath {
		s.serveStats(w, r)
		return
	}
	done := s.track(r)
	defer done()
	if !s.delay(r, s.latency()) {
		return
	}
	if s.rateLimited(w) || s.stormLimited(w) {
		return
	}
	if s.applyFaults(w, r) {
		return
	}
	s.serveAPI(w, r)
}

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == TokenPath {
		s.handleToken(w, r)
		return
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET")
		writeError(w, http.StatusMethodNotAllowed, msgMethod, errMethod)
		return
	}
	rt, args := match(r.URL.Path)
	if rt == nil {
		writeError(w, http.StatusNotFound, msgNotFound, errNotFound)
		return
	}
	pathOrg := ""
	if rt.orgMode == orgFromPath {
		pathOrg = args[0]
	}
	c, ok := s.authenticate(w, r, rt, pathOrg)
	if !ok {
		return
	}
	if rt.static {
		s.servePage(w, r, rt, c, args)
		return
	}
	rt.handle(s, w, r, c, args)
}
