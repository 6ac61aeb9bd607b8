package jctest

import (
	"bytes"
	"net/http"
	"sync"
	"sync/atomic"
)

// The page cache makes the sandbox cheap per request. In every timing figure of scripts/perf.sh
// the sandbox shares the machine's cores with the client, although the real API's CPU is not
// ours; encoding a page of 100 devices, or one of thousands of System Insights rows, through
// encoding/json on every request made the sandbox take about 1 CPU-second of a 661-request run
// (devices --json, 10k devices, 2k users, 30 policies; CPU profile labelled by route: System
// Insights 0.33 s for 15 requests, policy statuses 0.18 s for 511, systems 0.07 s for 100, the
// rest of the 0.71 s sampled in net/http and the runtime outside any handler).
// A static route's answer (route.static) is a function of the organisation, the path and the
// query alone, so it is rendered once, by the route's own handler, and its status, headers and
// body are replayed byte for byte after that (TestPageCacheServesTheUncachedBytes). Everything
// around the handler stays per request: counting, latency, rate limits, faults, authentication.

// maxPageCacheBytes bounds the cached bodies; past it pages are rendered per request as before
// (correct, only slower), so a long session with ever-new queries cannot grow without limit.
const maxPageCacheBytes = 512 << 20

// pageKey is what a static answer depends on. The organisation is the caller's (x-org-id or the
// key's own); the query is the raw one, after any FaultPageCap rewrote it.
type pageKey struct {
	org         *orgData
	path, query string
}

// cachedPage is one recorded answer.
type cachedPage struct {
	status int
	header http.Header
	body   []byte
}

type pageCache struct {
	mu    sync.Mutex
	pages map[pageKey]*cachedPage
	gen   uint64 // pages were rendered in this generation of the server's state
	bytes int
	off   bool // every page rendered per request (tests compare against this)

	hits, misses atomic.Int64
}

// invalidate drops every cached page. Called by every change to the server's state (keys,
// service accounts, groups, faults, the clock): no static route reads any of it today, but a
// static route that one day does must not serve a page rendered before the change.
func (pc *pageCache) invalidate() {
	pc.mu.Lock()
	pc.gen++
	pc.pages = nil
	pc.bytes = 0
	pc.mu.Unlock()
}

func (pc *pageCache) get(k pageKey) (*cachedPage, uint64) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if pc.off {
		return nil, pc.gen
	}
	return pc.pages[k], pc.gen
}

// put keeps p unless the state changed since it was rendered (gen) or the cache is full.
func (pc *pageCache) put(k pageKey, gen uint64, p *cachedPage) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if pc.off || gen != pc.gen || pc.bytes+len(p.body) > maxPageCacheBytes {
		return
	}
	if pc.pages == nil {
		pc.pages = map[pageKey]*cachedPage{}
	}
	if _, dup := pc.pages[k]; !dup {
		pc.pages[k] = p
		pc.bytes += len(p.body)
	}
}

// lockState takes the server's state for a change (keys, admins, service accounts, tokens,
// groups): every such change goes through here, so it also drops the cached pages.
func (s *Server) lockState() {
	s.mu.Lock()
	s.pages.invalidate()
}

// servePage answers a static route from the cache, rendering and keeping the page on a miss.
func (s *Server) servePage(w http.ResponseWriter, r *http.Request, rt *route, c caller, args []string) {
	k := pageKey{org: c.org, path: r.URL.Path, query: r.URL.RawQuery}
	p, gen := s.pages.get(k)
	if p != nil {
		s.pages.hits.Add(1)
	} else {
		s.pages.misses.Add(1)
		rec := &pageRecorder{header: http.Header{}}
		rt.handle(s, rec, r, c, args)
		p = &cachedPage{status: rec.status, header: rec.header, body: rec.body.Bytes()}
		if p.status == 0 {
			p.status = http.StatusOK // as net/http does for a handler that never called WriteHeader
		}
		s.pages.put(k, gen, p)
	}
	h := w.Header()
	for name, values := range p.header {
		h[name] = append([]string(nil), values...) // a copy: callers (serveInflated) may change w's headers
	}
	w.WriteHeader(p.status)
	send(w, p.body)
}

// pageRecorder records what a static route's handler writes. Unlike httptest.ResponseRecorder it
// keeps the headers exactly as set at WriteHeader, which is what the client would have received.
type pageRecorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (pr *pageRecorder) Header() http.Header { return pr.header }

func (pr *pageRecorder) WriteHeader(status int) {
	if pr.status == 0 {
		pr.status = status
		pr.header = pr.header.Clone() // later changes to the map were never sent
	}
}

func (pr *pageRecorder) Write(b []byte) (int, error) {
	pr.WriteHeader(http.StatusOK)
	return pr.body.Write(b)
}
