//go:build linux

package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// Small servers for the faults jctest does not inject: a slowloris, a redirect to the same host,
// a body that announces more than the cap, and a proxy in front of jctest that bends one thing
// about its answers (pages, totals, one path's status).

// slowloris answers 200 and then drips one byte every 100ms, forever: no read ever waits long
// enough to trip a per-read timeout, only a whole-request deadline ends it.
func slowloris(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		fl, _ := w.(http.Flusher)
		for {
			if _, err := w.Write([]byte(" ")); err != nil {
				return
			}
			fl.Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(100 * time.Millisecond):
			}
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// refusedURL is a loopback URL on which nothing listens.
func refusedURL(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

// bigAnnounced declares a body of 200 MiB with Content-Length and sends it slowly; a client that
// honours its cap refuses it from the header.
func bigAnnounced(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(200<<20))
		w.WriteHeader(http.StatusOK)
		chunk := bytes.Repeat([]byte(" "), 64<<10)
		for i := 0; i < 3200; i++ {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// proxy forwards to jctest, after bend has had its chance to answer a request itself or to change
// it, and lets rewrite change a JSON answer.
type proxy struct {
	srv     *httptest.Server
	hits    atomic.Int64 // requests bend answered itself
	bend    func(w http.ResponseWriter, r *http.Request) bool
	rewrite func(r *http.Request, body map[string]any)
}

func newProxy(t *testing.T, upstream string, p *proxy) *proxy {
	target, _ := url.Parse(upstream)
	rp := httputil.NewSingleHostReverseProxy(target)
	rp.ModifyResponse = func(res *http.Response) error {
		if p.rewrite == nil || res.StatusCode != http.StatusOK {
			return nil
		}
		b, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			return err
		}
		var body map[string]any
		if json.Unmarshal(b, &body) == nil {
			p.rewrite(res.Request, body)
			b, _ = json.Marshal(body)
		}
		res.Body = io.NopCloser(bytes.NewReader(b))
		res.ContentLength = int64(len(b))
		res.Header.Set("Content-Length", strconv.Itoa(len(b)))
		return nil
	}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p.bend != nil && p.bend(w, r) {
			p.hits.Add(1)
			return
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(p.srv.Close)
	return p
}

// forceQuery returns a bend that sets one query parameter on requests to path before they reach
// jctest: skip=0 makes every page the first one (the same page forever), limit=7 makes every page
// short of what was asked.
func forceQuery(path, name, value string) func(http.ResponseWriter, *http.Request) bool {
	return func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path == path {
			q := r.URL.Query()
			q.Set(name, value)
			r.URL.RawQuery = q.Encode()
		}
		return false
	}
}

// totalLies says the device list has 1000 more devices than there are.
func totalLies(r *http.Request, body map[string]any) {
	if r.URL.Path == "/api/systems" {
		if n, ok := body["totalCount"].(float64); ok {
			body["totalCount"] = n + 1000
		}
	}
}

// answer returns a bend that answers status on exactly path (not its sub-paths).
func answer(path string, status int) func(http.ResponseWriter, *http.Request) bool {
	return func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path != path {
			return false
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"message":%q}`, http.StatusText(status))
		return true
	}
}

// redirectSameHost sends every request to another path of the same host; the target counts
// whether anything followed.
func redirectSameHost(followed *atomic.Int64) func(http.ResponseWriter, *http.Request) bool {
	return func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path == "/moved" {
			followed.Add(1)
			w.WriteHeader(http.StatusOK)
			return true
		}
		http.Redirect(w, r, "/moved", http.StatusFound)
		return true
	}
}
