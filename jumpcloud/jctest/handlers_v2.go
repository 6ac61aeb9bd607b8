package jctest

import (
	"net/http"
	"sort"
)

// v2 handlers: bare arrays, x-total-count (except System Insights, where its presence is
// UNCONFIRMED and the client must page until a short page), max 100 per page (10000 for System
// Insights).

func (s *Server) handlePolicies(w http.ResponseWriter, r *http.Request, c caller, _ []string) {
	p, ok := parsePage(w, r.URL.Query(), maxLimit)
	if !ok || !noFilter(w, r) {
		return
	}
	n := len(c.org.policies)
	writeV2(w, n, p.render(n, func(i int) any { return c.org.wirePolicy(i) }), s.totalCount)
}

func (s *Server) handlePolicy(w http.ResponseWriter, r *http.Request, c caller, args []string) {
	pi, found := c.org.policyByID[args[0]]
	if !found {
		writeError(w, http.StatusNotFound, "Not Found: policy not found", errNotFound)
		return
	}
	writeJSON(w, http.StatusOK, c.org.wirePolicyDetail(pi))
}

func (s *Server) handlePolicyStatuses(w http.ResponseWriter, r *http.Request, c caller, args []string) {
	pi, found := c.org.policyByID[args[0]]
	if !found {
		writeError(w, http.StatusNotFound, "Not Found: policy not found", errNotFound)
		return
	}
	p, ok := parsePage(w, r.URL.Query(), maxLimit)
	if !ok || !noFilter(w, r) {
		return
	}
	n := len(c.org.policies[pi].devices)
	writeV2(w, n, p.render(n, func(k int) any { return c.org.wireResult(pi, k) }), s.totalCount)
}

// handlePolicyResults is every result in the org, policy after policy.
func (s *Server) handlePolicyResults(w http.ResponseWriter, r *http.Request, c caller, _ []string) {
	p, ok := parsePage(w, r.URL.Query(), maxLimit)
	if !ok || !noFilter(w, r) {
		return
	}
	o := c.org
	writeV2(w, o.results, p.render(o.results, func(seq int) any {
		pi := sort.Search(len(o.policies), func(i int) bool { return o.policies[i].firstResult > seq }) - 1
		return o.wireResult(pi, seq-o.policies[pi].firstResult)
	}), s.totalCount)
}

func (s *Server) handleInsights(w http.ResponseWriter, r *http.Request, c caller, args []string) {
	table := args[0]
	if !documentedInsightTables[table] {
		writeError(w, http.StatusNotFound, "Not Found: unknown System Insights table "+table, errNotFound)
		return
	}
	if !c.org.systemInsights {
		writeError(w, http.StatusNotFound, msgInsightsOff, errNotFound)
		return
	}
	p, ok := parsePage(w, r.URL.Query(), maxInsightsLimit)
	if !ok {
		return
	}
	if _, generated := insightTables[table]; !generated {
		writeV2(w, 0, []any{}, false)
		return
	}
	refs, ok := filterInsights(w, c.org, table, r.URL.Query()["filter"])
	if !ok {
		return
	}
	writeV2(w, len(refs), p.render(len(refs), func(i int) any { return c.org.insightRow(table, refs[i]) }), false)
}

func (s *Server) handleAuthnPolicies(w http.ResponseWriter, r *http.Request, c caller, _ []string) {
	p, ok := parsePage(w, r.URL.Query(), maxLimit)
	if !ok || !noFilter(w, r) {
		return
	}
	n := len(c.org.authn)
	writeV2(w, n, p.render(n, func(i int) any { return c.org.wireAuthnPolicy(i) }), s.totalCount)
}
