package jctest

import (
	"net/http"
	"strings"
)

// maxSeen bounds how many requests Seen keeps, so a long benchmark does not grow without limit.
const maxSeen = 50000

// track records a request (count by path, in-flight high-water mark, Seen) and returns the
// function that marks it finished.
func (s *Server) track(r *http.Request) func() {
	n := s.inFlight.Add(1)
	for {
		m := s.maxInFlight.Load()
		if n <= m || s.maxInFlight.CompareAndSwap(m, n) {
			break
		}
	}
	label := s.keyLabel(r.Header.Get("x-api-key"))
	h := r.Header.Clone()
	q := map[string][]string(r.URL.Query())
	// Never keep a raw key: a key anywhere else (another header, the query) is recorded as
	// "<api key: label>" so a test can see that it leaked there.
	s.scrubKeys(h)
	s.scrubKeys(q)
	if h.Get("x-api-key") != "" {
		// Tests see which key was used, not the key.
		shown := label
		if shown == "" {
			shown = "<unknown key>"
		}
		h.Set("x-api-key", shown)
	}
	s.countMu.Lock()
	s.counts[r.URL.Path]++
	if len(s.seen) < maxSeen {
		s.seen = append(s.seen, SeenRequest{Method: r.Method, Path: r.URL.Path, Query: q,
			KeyLabel: label, OrgID: r.Header.Get("x-org-id"), Header: h})
	}
	s.countMu.Unlock()
	return func() { s.inFlight.Add(-1) }
}

// scrubKeys replaces every value that contains one of the server's keys.
func (s *Server) scrubKeys(m map[string][]string) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for name, values := range m {
		if http.CanonicalHeaderKey(name) == "X-Api-Key" {
			continue
		}
		for i, v := range values {
			for key, k := range s.keys {
				if strings.Contains(v, key) {
					values[i] = "<api key: " + k.label + ">"
					break
				}
			}
		}
	}
}

// Requests counts requests whose path starts with prefix ("" = all) since the last ResetCounts.
func (s *Server) Requests(prefix string) int {
	s.countMu.Lock()
	defer s.countMu.Unlock()
	total := 0
	for p, n := range s.counts {
		if strings.HasPrefix(p, prefix) {
			total += n
		}
	}
	return total
}

// MaxInFlight is the most requests the server saw in flight at once since the last ResetCounts.
func (s *Server) MaxInFlight() int { return int(s.maxInFlight.Load()) }

// ResetCounts clears Requests, MaxInFlight and Seen.
func (s *Server) ResetCounts() {
	s.countMu.Lock()
	s.counts = map[string]int{}
	s.seen = nil
	s.countMu.Unlock()
	s.maxInFlight.Store(s.inFlight.Load())
}

// Seen returns the requests received since the last ResetCounts (at most the first 50,000):
// method, path, query, headers with x-api-key replaced by the key's label, for tests that assert
// on headers and parameters.
func (s *Server) Seen() []SeenRequest {
	s.countMu.Lock()
	defer s.countMu.Unlock()
	return append([]SeenRequest(nil), s.seen...)
}
