package jctest

import (
	"net/http"
	"strings"
	"time"
)

// maxSeen bounds how many requests Seen keeps, so a long benchmark does not grow without limit.
const maxSeen = 50000

// track records a request (count by path, in-flight high-water mark, Seen) and returns the
// function that marks it finished.
func (s *Server) track(r *http.Request) func() {
	start := time.Now()
	n := s.inFlight.Add(1)
	for {
		m := s.maxInFlight.Load()
		if n <= m || s.maxInFlight.CompareAndSwap(m, n) {
			break
		}
	}
	label := s.callerLabel(r)
	form := s.recordForm(r)
	h := r.Header.Clone()
	q := map[string][]string(r.URL.Query())
	// Never keep a raw key, secret or token: one anywhere else (another header, the query, the
	// form) is recorded as "<api key: label>" and the like, so a test can see that it leaked
	// there.
	s.scrubKeys(h)
	s.scrubKeys(q)
	s.scrubKeys(form)
	if h.Get("x-api-key") != "" {
		// Tests see which key was used, not the key.
		shown := label
		if shown == "" {
			shown = "<unknown key>"
		}
		h.Set("x-api-key", shown)
	}
	if a := h.Get("Authorization"); a != "" {
		scheme, _, _ := strings.Cut(a, " ")
		shown := label
		if shown == "" {
			shown = "<unknown credential>"
		}
		h.Set("Authorization", scheme+" <"+shown+">")
	}
	s.countMu.Lock()
	s.counts[r.URL.Path]++
	if len(s.seen) < maxSeen {
		s.seen = append(s.seen, SeenRequest{Method: r.Method, Path: r.URL.Path, Query: q,
			KeyLabel: label, OrgID: r.Header.Get("x-org-id"), Header: h, Form: form})
	}
	s.countMu.Unlock()
	return func() {
		end := time.Now()
		s.busyNS.Add(int64(end.Sub(start)))
		for t := end.UnixNano(); ; {
			if last := s.lastDoneNS.Load(); last >= t || s.lastDoneNS.CompareAndSwap(last, t) {
				break
			}
		}
		s.inFlight.Add(-1)
	}
}

// scrubKeys replaces every value that contains one of the server's keys, client secrets or
// tokens. Authorization and x-api-key are left to track, which shows them as labels.
func (s *Server) scrubKeys(m map[string][]string) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for name, values := range m {
		if c := http.CanonicalHeaderKey(name); c == "X-Api-Key" || c == "Authorization" {
			continue
		}
		for i, v := range values {
			values[i] = s.scrubValueLocked(v)
		}
	}
}

func (s *Server) scrubValueLocked(v string) string {
	for key, k := range s.keys {
		if strings.Contains(v, key) {
			return "<api key: " + k.label + ">"
		}
	}
	for secret, label := range s.secretLabels {
		if strings.Contains(v, secret) {
			return "<client secret: " + label + ">"
		}
	}
	for tok, b := range s.tokens {
		if strings.Contains(v, tok) {
			return "<bearer token: " + b.sa.key.label + ">"
		}
	}
	return v
}

// callerLabel names who a request claims to be: the key's label, or the service account's for a
// bearer token or the token request's Basic auth ("" for none or unknown).
func (s *Server) callerLabel(r *http.Request) string {
	if k := r.Header.Get("x-api-key"); k != "" {
		return s.keyLabel(k)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if id, _, ok := r.BasicAuth(); ok {
		if sa, ok := s.serviceAccounts[id]; ok {
			return sa.key.label
		}
		return ""
	}
	if scheme, tok, _ := strings.Cut(r.Header.Get("Authorization"), " "); strings.EqualFold(scheme, "Bearer") {
		if b, ok := s.tokens[tok]; ok {
			return b.sa.key.label
		}
	}
	return ""
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

// ResetCounts clears Requests, MaxInFlight, Seen and the time in flight (Stats.InFlightMs).
func (s *Server) ResetCounts() {
	s.countMu.Lock()
	s.counts = map[string]int{}
	s.seen = nil
	s.countMu.Unlock()
	s.maxInFlight.Store(s.inFlight.Load())
	s.sent429.Store(0)
	s.busyNS.Store(0)
}

// Seen returns the requests received since the last ResetCounts (at most the first 50,000):
// method, path, query, headers with x-api-key replaced by the key's label, for tests that assert
// on headers and parameters.
func (s *Server) Seen() []SeenRequest {
	s.countMu.Lock()
	defer s.countMu.Unlock()
	return append([]SeenRequest(nil), s.seen...)
}
