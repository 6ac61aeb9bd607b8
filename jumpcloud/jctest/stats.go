package jctest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
)

// StatsPath serves Stats as JSON. It is not a JumpCloud path: it needs no key, says nothing
// secret (counts only) and is not itself counted, so reading it mid-run does not move the figures.
const StatsPath = "/__stats"

// Stats is what a benchmark run needs to know about the traffic it caused: requests per route
// (the route's pattern, "/api/v2/policies/{id}/policystatuses", not each path), the most requests
// in flight at once, and the 429s the server answered (rate limit, storm or injected fault).
//
// InFlightMs and LastDoneUnixMs say whether a client kept its request slots busy: InFlightMs is
// the time-integral of the requests in flight (each request's time in the server, latency
// included, added up), so its growth over a run divided by the run's wall time is the mean
// number in flight (8 slots busy all along: 8). LastDoneUnixMs is when the last request ended:
// what a run spends after it is the client's own work on what it read. Both grow across runs
// until ResetCounts: a script compares before and after.
type Stats struct {
	Requests       int            `json:"requests"`
	ByRoute        map[string]int `json:"byRoute"`
	MaxInFlight    int            `json:"maxInFlight"`
	Sent429        int            `json:"sent429"`
	InFlightMs     int64          `json:"inFlightMs"`
	LastDoneUnixMs int64          `json:"lastDoneUnixMs"`
}

// Stats returns the counters since the last ResetCounts.
func (s *Server) Stats() Stats {
	st := Stats{ByRoute: map[string]int{}, MaxInFlight: s.MaxInFlight(), Sent429: int(s.sent429.Load()),
		InFlightMs: s.busyNS.Load() / 1e6, LastDoneUnixMs: s.lastDoneNS.Load() / 1e6}
	s.countMu.Lock()
	defer s.countMu.Unlock()
	for path, n := range s.counts {
		st.Requests += n
		st.ByRoute[routeName(path)] += n
	}
	return st
}

// routeName is the pattern of the route serving path, or the path itself for an unknown one.
func routeName(path string) string {
	if path == TokenPath {
		return path
	}
	rt, _ := match(path)
	if rt == nil {
		return path
	}
	return "/" + strings.Join(rt.pattern, "/")
}

// String is the one-line form the sandbox prints on exit, routes by descending count.
func (st Stats) String() string {
	routes := make([]string, 0, len(st.ByRoute))
	for r := range st.ByRoute {
		routes = append(routes, r)
	}
	sort.Slice(routes, func(i, j int) bool {
		a, b := st.ByRoute[routes[i]], st.ByRoute[routes[j]]
		return a > b || a == b && routes[i] < routes[j]
	})
	var b strings.Builder
	fmt.Fprintf(&b, "sandbox stats: %d requests, max %d in flight, %d answered 429", st.Requests, st.MaxInFlight, st.Sent429)
	for _, r := range routes {
		fmt.Fprintf(&b, "; %s %d", r, st.ByRoute[r])
	}
	return b.String()
}

func (s *Server) serveStats(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET")
		writeError(w, http.StatusMethodNotAllowed, msgMethod, errMethod)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(s.Stats())
}
