package jctest

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"golang.org/x/time/rate"
)

// FaultShortBody is a 200 that declares the full Content-Length and closes the connection
// halfway through the body (the client sees an unexpected EOF rather than bad JSON).
const FaultShortBody FaultKind = FaultLatency + 1

// defaultOversize is the body size of FaultOversize when Fault.Bytes is 0: larger than any sane
// cap (the client's default is 64 MiB).
const defaultOversize = 96 << 20

type activeFault struct {
	Fault
	id        int
	remaining int // -1: unlimited
}

// Inject adds a fault; the returned func removes it. Faults are tried in the order they were
// added; the first that matches the path (and has uses left) applies.
func (s *Server) Inject(f Fault) (remove func()) {
	s.pages.invalidate()
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	s.faultSeq++
	id := s.faultSeq
	remaining := f.Times
	if remaining <= 0 {
		remaining = -1
	}
	s.faults = append(s.faults, &activeFault{Fault: f, id: id, remaining: remaining})
	return func() {
		s.pages.invalidate()
		s.faultMu.Lock()
		defer s.faultMu.Unlock()
		for i, af := range s.faults {
			if af.id == id {
				s.faults = append(s.faults[:i], s.faults[i+1:]...)
				return
			}
		}
	}
}

// takeFault returns the fault to apply to path, consuming one use.
func (s *Server) takeFault(path string) *Fault {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	for i, af := range s.faults {
		if !strings.HasPrefix(path, af.PathPrefix) {
			continue
		}
		f := af.Fault
		if af.remaining > 0 {
			af.remaining--
			if af.remaining == 0 {
				s.faults = append(s.faults[:i], s.faults[i+1:]...)
			}
		}
		return &f
	}
	return nil
}

// applyFaults applies a matching fault; it returns true when the response is done.
func (s *Server) applyFaults(w http.ResponseWriter, r *http.Request) bool {
	f := s.takeFault(r.URL.Path)
	if f == nil {
		return false
	}
	switch f.Kind {
	case FaultStatus:
		status := f.Status
		if status == 0 {
			status = http.StatusInternalServerError
		}
		writeError(w, status, fmt.Sprintf("%s (injected by jctest)", http.StatusText(status)), http.StatusText(status))
	case FaultRateLimit:
		if f.RetryAfter != "" {
			w.Header().Set("Retry-After", f.RetryAfter)
		}
		s.sent429.Add(1)
		writeError(w, http.StatusTooManyRequests, msgRateLimited, errTooMany)
	case FaultReset:
		closeConnection(w, true)
	case FaultStall:
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		send(w, []byte(`{"totalCount":`))
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
		select {
		case <-r.Context().Done():
		case <-s.done:
			// Abort rather than return: returning would end the chunked body cleanly.
			panic(http.ErrAbortHandler)
		}
	case FaultTruncated:
		body := s.recordAPI(r)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		send(w, body[:len(body)/2])
	case FaultShortBody:
		body := s.recordAPI(r)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		w.WriteHeader(http.StatusOK)
		send(w, body[:len(body)/2])
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
		closeConnection(w, false)
	case FaultHTML:
		status := f.Status
		if status == 0 {
			status = http.StatusOK
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(status)
		send(w, []byte(htmlErrorPage))
	case FaultGarbage:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		send(w, []byte("\x00\x1f\x8b garbage, not JSON \xff\xfe"))
	case FaultRedirect:
		// Another host entirely: a client that followed it would send the key there.
		w.Header().Set("Location", "https://login.attacker.invalid/login?next="+r.URL.Path)
		w.WriteHeader(http.StatusFound)
	case FaultOversize:
		writeOversize(w, f.Bytes)
	case FaultLatency:
		if !s.delay(r, f.Delay) {
			return true
		}
		return false
	case FaultPageCap:
		capPage(r, f.Items)
		return false // served normally, by smaller pages
	case FaultTotalInflated:
		s.serveInflated(w, r, f.Items)
	default:
		return false
	}
	return true
}

// recordAPI renders the normal answer to r into memory.
func (s *Server) recordAPI(r *http.Request) []byte {
	rec := httptest.NewRecorder()
	s.serveAPI(rec, r)
	return rec.Body.Bytes()
}

// closeConnection closes the TCP connection under the response: with reset, SO_LINGER 0 makes
// the client see a connection reset; without, a clean close (an early EOF).
func closeConnection(w http.ResponseWriter, reset bool) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok && reset {
		if err := tc.SetLinger(0); err != nil {
			panic(http.ErrAbortHandler) // a clean close would not be the reset asked for
		}
	}
	// The client sees the connection end either way; a close error has no one to tell.
	_ = conn.Close()
}

// send writes b to the client. A failed write means the client hung up: the handler is
// aborted, so net/http drops the connection rather than the fault going on writing to nobody.
func send(w http.ResponseWriter, b []byte) {
	if _, err := w.Write(b); err != nil {
		panic(http.ErrAbortHandler)
	}
}

// writeOversize streams a syntactically plausible v1 list that never ends before n bytes; it
// stops as soon as the client hangs up.
func writeOversize(w http.ResponseWriter, n int64) {
	if n <= 0 {
		n = defaultOversize
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	send(w, []byte(`{"totalCount":1,"results":[{"_id":"`))
	chunk := bytes.Repeat([]byte("A"), 64<<10)
	for written := int64(0); written < n; written += int64(len(chunk)) {
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
	send(w, []byte(`"}]}`))
}

const htmlErrorPage = `<!DOCTYPE html>
<html><head><title>Attention Required! | Cloudflare</title></head>
<body><h1>Sorry, you have been blocked</h1>
<p>You are unable to access console.jumpcloud.com</p></body></html>
`

// SetLatency delays every response by d (benchmarks use 20ms).
func (s *Server) SetLatency(d time.Duration) {
	s.pages.invalidate()
	s.latencyNS.Store(int64(d))
}

func (s *Server) latency() time.Duration { return time.Duration(s.latencyNS.Load()) }

// delay waits d, or less if the client goes away or the server closes; false means stop.
func (s *Server) delay(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	case <-s.done:
		return false
	}
}

// SetRateLimit answers 429 (with Retry-After when retryAfter != "") past perSecond requests per
// second; 0 turns it off. The burst is one second's worth of requests.
func (s *Server) SetRateLimit(perSecond float64, retryAfter string) {
	s.pages.invalidate()
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	if perSecond <= 0 {
		s.limiter = nil
		return
	}
	s.limiter = rate.NewLimiter(rate.Limit(perSecond), max(1, int(perSecond)))
	s.retryAfter = retryAfter
}

func (s *Server) rateLimited(w http.ResponseWriter) bool {
	s.faultMu.Lock()
	lim, ra := s.limiter, s.retryAfter
	s.faultMu.Unlock()
	if lim == nil || lim.Allow() {
		return false
	}
	if ra != "" {
		w.Header().Set("Retry-After", ra)
	}
	s.sent429.Add(1)
	writeError(w, http.StatusTooManyRequests, msgRateLimited, errTooMany)
	return true
}
