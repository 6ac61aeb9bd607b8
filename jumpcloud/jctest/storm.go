package jctest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
)

// A rate-limit storm answers 429 to a fixed set of request numbers rather than past a rate, so
// a test or benchmark hits the same number of 429s on a fast machine and on a loaded one.
type storm struct {
	every, upTo int
	retryAfter  string
	seq         atomic.Int64 // requests seen since the storm was set
	sent        atomic.Int64 // 429s answered
}

// SetRateLimitStorm answers 429 (with Retry-After when retryAfter != "") to requests number
// every, 2·every, … up to upTo, counted from now: SetRateLimitStorm(5, 200, "") refuses 40 of the
// first 200 requests, whatever the timing. every <= 0 turns it off. RateLimitedCount tells how
// many 429s it answered.
func (s *Server) SetRateLimitStorm(every, upTo int, retryAfter string) {
	s.pages.invalidate()
	if every <= 0 {
		s.storm.Store(nil)
		return
	}
	s.storm.Store(&storm{every: every, upTo: upTo, retryAfter: retryAfter})
}

// RateLimitedCount is how many 429s the current storm has answered.
func (s *Server) RateLimitedCount() int {
	if st := s.storm.Load(); st != nil {
		return int(st.sent.Load())
	}
	return 0
}

// stormLimited answers 429 when this request's number is one of the storm's.
func (s *Server) stormLimited(w http.ResponseWriter) bool {
	st := s.storm.Load()
	if st == nil {
		return false
	}
	n := int(st.seq.Add(1))
	if n > st.upTo || n%st.every != 0 {
		return false
	}
	st.sent.Add(1)
	s.sent429.Add(1)
	if st.retryAfter != "" {
		w.Header().Set("Retry-After", st.retryAfter)
	}
	writeError(w, http.StatusTooManyRequests, msgRateLimited, errTooMany)
	return true
}

// Paging faults, numbered apart from the kinds in server.go so kinds added there do not collide.
const (
	// FaultPageCap serves at most Fault.Items items per page whatever limit was asked, with the
	// true total: a server that pages by fewer than the client asks for.
	FaultPageCap FaultKind = 100 + iota
	// FaultTotalInflated announces Fault.Items more items than exist (v1 totalCount, v2
	// x-total-count), so the pages run out before the total.
	FaultTotalInflated
)

// capPage lowers the request's limit to n (the handler then pages by n).
func capPage(r *http.Request, n int) {
	if n <= 0 {
		n = 1
	}
	q := r.URL.Query()
	if l, err := strconv.Atoi(q.Get("limit")); err != nil || l <= 0 || l > n {
		q.Set("limit", strconv.Itoa(n))
	}
	r.URL.RawQuery = q.Encode()
}

// serveInflated serves the normal answer with its total raised by extra.
func (s *Server) serveInflated(w http.ResponseWriter, r *http.Request, extra int) {
	rec := httptest.NewRecorder()
	s.serveAPI(rec, r)
	body := rec.Body.Bytes()
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	if rec.Code == http.StatusOK {
		if t, err := strconv.Atoi(rec.Header().Get("x-total-count")); err == nil {
			w.Header().Set("x-total-count", strconv.Itoa(t+extra))
		}
		var v1 map[string]json.RawMessage
		if bytes.HasPrefix(body, []byte("{")) && json.Unmarshal(body, &v1) == nil && v1["totalCount"] != nil {
			if t, err := strconv.Atoi(string(v1["totalCount"])); err == nil {
				v1["totalCount"] = json.RawMessage(strconv.Itoa(t + extra))
				body, _ = json.Marshal(v1)
			}
		}
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(rec.Code)
	w.Write(body)
}
