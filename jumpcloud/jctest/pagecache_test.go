package jctest

import (
	"net/http"
	"net/http/httputil"
	"sort"
	"strings"
	"testing"
	"time"
)

// pageCacheOptions is one organisation served by two servers, byte for byte the same: same
// seed, same clock, System Insights rows and hostile names included.
var pageCacheOptions = Options{Devices: 60, Users: 25, Policies: 5, Seed: 7, HostileNames: true,
	Now: time.Date(2026, 8, 1, 10, 0, 0, 0, time.UTC)}

// cacheProbe is one request: which key (by role), which x-org-id (index into Orgs, -1: none)
// and the path with its query.
type cacheProbe struct {
	key  string
	org  int
	path string
}

func probeKey(s *Server, keys map[string]string, role string) string {
	if k, ok := keys[role]; ok {
		return k
	}
	switch role {
	case "read-only":
		return s.Keys.ReadOnly
	case "admin":
		return s.Keys.Admin
	case "revoked":
		return s.Keys.Revoked
	case "multi":
		return s.Keys.MultiTenant
	}
	return ""
}

// cacheProbes covers every route the sandbox serves: pages, the last and a past-the-end page,
// reverse order, field projection, every error a query can cause, every System Insights table
// (generated, documented but empty, unknown, filtered), other organisations through x-org-id
// (one with System Insights off) and keys that are refused.
func cacheProbes(s *Server) []cacheProbe {
	o := s.orgs[0]
	var ps []cacheProbe
	add := func(key string, org int, paths ...string) {
		for _, p := range paths {
			ps = append(ps, cacheProbe{key, org, p})
		}
	}
	queries := []string{"", "?limit=100", "?limit=7&skip=7", "?limit=100&skip=50", "?skip=100000",
		"?limit=5&sort=-_id", "?limit=3&fields=hostname,os", "?limit=3&fields=hostname%20os", "?limit=101",
		"?limit=abc", "?skip=-1", "?filter=os:eq:Mac", "?search=x", "?limit=0"}
	for _, list := range []string{"/api/systems", "/api/systemusers", "/api/applications", "/api/v2/policies",
		"/api/v2/policyresults", "/api/v2/authn/policies", "/api/users", "/api/organizations",
		"/api/v2/service-accounts", "/api/v2/systemgroups"} {
		for _, q := range queries {
			add("admin", -1, list+q)
		}
	}
	for i := range o.policies {
		if i > 2 {
			break
		}
		add("read-only", -1, "/api/v2/policies/"+o.policyID(i))
		for _, q := range queries {
			add("read-only", -1, "/api/v2/policies/"+o.policyID(i)+"/policystatuses"+q)
		}
	}
	add("read-only", -1, "/api/v2/policies/000000000000000000000000", "/api/v2/policies/nope/policystatuses")
	tables := make([]string, 0, len(insightTables))
	for t := range insightTables {
		tables = append(tables, t)
	}
	sort.Strings(tables)
	for _, t := range append(tables, "battery", "no_such_table") {
		for _, q := range []string{"", "?limit=10000", "?limit=10001", "?limit=4&skip=4", "?limit=5&sort=-_id",
			"?filter=system_id:eq:" + o.systemID(3), "?filter=path:eq:/", "?filter=bad", "?fields=system_id"} {
			add("read-only", -1, "/api/v2/systeminsights/"+t+q)
		}
	}
	for i, org := range s.orgs[:3] {
		add("multi", i, "/api/systems?limit=100", "/api/v2/systeminsights/mounts?limit=10000",
			"/api/organizations/"+org.id, "/api/settings")
	}
	add("multi", -1, "/api/systems")
	add("revoked", -1, "/api/systems", "/api/v2/systeminsights/mounts")
	add("read-only", -1, "/api/users/getSelf", "/api/settings", "/api/users", "/api/organizations",
		"/api/systems/", "/api/nothing", "/api/v2/systemgroups/x/membership")
	return ps
}

// dump is the response as the client received it, minus the Date header (the only part that is
// the time of the request rather than the answer).
func dumpProbe(t *testing.T, s *Server, keys map[string]string, p cacheProbe) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.URL+p.path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if k := probeKey(s, keys, p.key); k != "" {
		req.Header.Set("x-api-key", k)
	}
	if p.org >= 0 {
		req.Header.Set("x-org-id", s.orgs[p.org].id)
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatalf("%s: %v", p.path, err)
	}
	defer resp.Body.Close()
	resp.Header.Del("Date")
	b, err := httputil.DumpResponse(resp, true)
	if err != nil {
		t.Fatalf("%s: %v", p.path, err)
	}
	return string(b)
}

// setCaching turns the page cache on or off (off: every answer rendered per request).
func (s *Server) setCaching(on bool) {
	s.pages.mu.Lock()
	s.pages.off = !on
	s.pages.mu.Unlock()
}

// TestPageCacheServesTheUncachedBytes: every route, asked with the cache off (every answer
// rendered) and twice with it on (a miss, then a hit), gives the same status, headers and body,
// byte for byte; and again after each change to the server's state (a rotated key, injected
// faults, a new group, a new key, a denied route, the clock moved). One server, so that what
// the clock stamped (a rotated key's creation) is the same for both.
func TestPageCacheServesTheUncachedBytes(t *testing.T) {
	s := NewServer(pageCacheOptions)
	defer s.Close()
	keys := map[string]string{}
	compare := func(stage string) {
		t.Helper()
		for _, p := range cacheProbes(s) {
			s.setCaching(false)
			want := dumpProbe(t, s, keys, p)
			s.setCaching(true)
			for _, round := range []string{"first", "second"} {
				if got := dumpProbe(t, s, keys, p); got != want {
					t.Fatalf("%s, %s request, %s %s (org %d):\ncached:\n%.600s\nrendered:\n%.600s", stage, round, p.key, p.path, p.org, got, want)
				}
			}
		}
	}
	compare("at start")
	if s.pages.hits.Load() == 0 || s.pages.misses.Load() == 0 {
		t.Fatalf("the cache was not used: %d hits, %d misses", s.pages.hits.Load(), s.pages.misses.Load())
	}

	type change struct {
		name string
		do   func()
	}
	changes := []change{
		{"rotated read-only key", func() { keys["read-only"] = s.RotateKey(s.Keys.ReadOnly) }},
		{"page cap fault", func() {
			s.Inject(Fault{PathPrefix: "/api/systems", Kind: FaultPageCap, Items: 4})
		}},
		{"inflated total fault", func() {
			s.Inject(Fault{PathPrefix: "/api/v2/policies", Kind: FaultTotalInflated, Items: 3})
		}},
		{"new system group", func() { s.AddSystemGroup("cache", s.orgs[0].systemID(0)) }},
		{"new admin key", func() { keys["admin"] = s.AddKey("Administrator") }},
		{"denied route", func() {
			s.Deny(probeKey(s, keys, "read-only"), "/api/v2/systeminsights/mounts")
		}},
		{"clock advanced", func() { s.Advance(36 * time.Hour) }},
	}
	for _, c := range changes {
		hits := s.pages.hits.Load()
		c.do()
		compare("after " + c.name)
		if s.pages.hits.Load() == hits {
			t.Fatalf("after %s the cache served nothing", c.name)
		}
	}
}

// TestPageCacheIsDroppedOnChange: a change to the server's state leaves no page rendered before
// it, so a static route that one day reads that state cannot serve a stale answer.
func TestPageCacheIsDroppedOnChange(t *testing.T) {
	s := NewServer(pageCacheOptions)
	defer s.Close()
	for _, change := range []func(){
		func() { s.RotateKey(s.Keys.Admin) },
		func() { s.Inject(Fault{PathPrefix: "/nowhere", Kind: FaultStatus})() },
		func() { s.AddSystemGroup("g") },
		func() { s.Advance(time.Second) },
		func() { s.SetRateLimit(0, "") },
		func() { s.SetRateLimitStorm(0, 0, "") },
		func() { s.SetLatency(0) },
	} {
		if r := get(t, s, s.Keys.ReadOnly, "", "/api/systems?limit=3"); r.status != http.StatusOK {
			t.Fatalf("status %d", r.status)
		}
		s.pages.mu.Lock()
		before := len(s.pages.pages)
		s.pages.mu.Unlock()
		change()
		s.pages.mu.Lock()
		after := len(s.pages.pages)
		s.pages.mu.Unlock()
		if before == 0 || after != 0 {
			t.Fatalf("pages before the change %d, after %d (want some, then none)", before, after)
		}
	}
	if !strings.HasPrefix(get(t, s, s.Keys.ReadOnly, "", "/api/systems?limit=3").header.Get("Content-Type"), "application/json") {
		t.Fatal("no JSON after the changes")
	}
}
