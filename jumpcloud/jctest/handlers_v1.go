package jctest

import (
	"net/http"
	"strings"
)

// v1 handlers: {totalCount, results} lists, max 100 per page.

func (s *Server) handleOrganizations(w http.ResponseWriter, r *http.Request, c caller, _ []string) {
	p, ok := parsePage(w, r.URL.Query(), maxLimit)
	if !ok {
		return
	}
	orgs := c.key.orgs
	writeV1(w, len(orgs), p.render(len(orgs), func(i int) any { return s.orgs[orgs[i]].wire() }))
}

func (s *Server) handleOrganization(w http.ResponseWriter, r *http.Request, c caller, _ []string) {
	o := c.org
	writeJSON(w, http.StatusOK, wireOrgDetail{wireOrg: o.wire(), Provider: o.provider, Settings: o.wireSettings()})
}

// handleSelf is the undocumented GET /api/users/getSelf: the key's admin (reference §3.2).
func (s *Server) handleSelf(w http.ResponseWriter, r *http.Request, c caller, _ []string) {
	if c.key.selfHidden {
		writeError(w, http.StatusNotFound, msgNotFound, errNotFound)
		return
	}
	s.mu.RLock()
	a := c.key.admin.wire(s.orgs, s.providerID)
	s.mu.RUnlock()
	if f := r.URL.Query().Get("fields"); f != "" {
		writeJSON(w, http.StatusOK, project(a, strings.Fields(f)))
		return
	}
	writeJSON(w, http.StatusOK, a)
}

// handleSettings is the undocumented GET /api/settings: ORG_ID, ROLE, SETTINGS (reference §3.1).
func (s *Server) handleSettings(w http.ResponseWriter, r *http.Request, c caller, _ []string) {
	if c.key.settingsHidden {
		writeError(w, http.StatusNotFound, msgNotFound, errNotFound)
		return
	}
	writeJSON(w, http.StatusOK, wireAppSettings{OrgID: c.org.id, Role: c.key.admin.role,
		Email: c.key.admin.email, Settings: c.org.wireSettings()})
}

// handleAdmins is the undocumented admin list GET /api/users.
func (s *Server) handleAdmins(w http.ResponseWriter, r *http.Request, c caller, _ []string) {
	p, ok := parsePage(w, r.URL.Query(), maxLimit)
	if !ok {
		return
	}
	s.mu.RLock()
	admins := c.org.admins
	results := p.render(len(admins), func(i int) any { return admins[i].wire(s.orgs, s.providerID) })
	s.mu.RUnlock()
	writeV1(w, len(admins), results)
}

func (s *Server) handleSystems(w http.ResponseWriter, r *http.Request, c caller, _ []string) {
	p, ok := parsePage(w, r.URL.Query(), maxLimit)
	if !ok || !noFilter(w, r) {
		return
	}
	n := len(c.org.devices)
	writeV1(w, n, p.render(n, func(i int) any { return c.org.wireSystem(i) }))
}

func (s *Server) handleSystemUsers(w http.ResponseWriter, r *http.Request, c caller, _ []string) {
	p, ok := parsePage(w, r.URL.Query(), maxLimit)
	if !ok || !noFilter(w, r) {
		return
	}
	n := len(c.org.users)
	writeV1(w, n, p.render(n, func(i int) any { return c.org.wireSystemUser(i, s.now) }))
}

func (s *Server) handleApplications(w http.ResponseWriter, r *http.Request, c caller, _ []string) {
	p, ok := parsePage(w, r.URL.Query(), maxLimit)
	if !ok || !noFilter(w, r) {
		return
	}
	n := len(c.org.apps)
	writeV1(w, n, p.render(n, func(i int) any { return c.org.wireApplication(i) }))
}

// noFilter refuses filter/search on routes where jctest does not implement them, rather than
// silently returning everything: a client relying on a filter would otherwise pass its tests.
func noFilter(w http.ResponseWriter, r *http.Request) bool {
	q := r.URL.Query()
	for key := range q {
		if key == "filter" || strings.HasPrefix(key, "filter[") || key == "search" {
			writeError(w, http.StatusBadRequest, "Bad Request: jctest does not implement "+key+" on "+r.URL.Path, errBadRequest)
			return false
		}
	}
	return true
}
