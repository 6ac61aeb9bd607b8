package jctest

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"
)

type response struct {
	status int
	header http.Header
	body   []byte
}

// get sends a GET with the key (and x-org-id when org != "") over real HTTP.
func get(t testing.TB, s *Server, key, org, path string) response {
	t.Helper()
	return do(t, s, http.MethodGet, key, org, path)
}

func do(t testing.TB, s *Server, method, key, org, path string) response {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("x-api-key", key)
	}
	if org != "" {
		req.Header.Set("x-org-id", org)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", method, path, err)
	}
	return response{resp.StatusCode, resp.Header, b}
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
	return http.ErrUseLastResponse
}}

func (r response) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decoding %s: %v", r.body, err)
	}
}

// v1Page decodes {totalCount, results} with results as generic objects.
func (r response) v1Page(t testing.TB) (int, []map[string]any) {
	t.Helper()
	var p struct {
		TotalCount *int             `json:"totalCount"`
		Results    []map[string]any `json:"results"`
	}
	r.decode(t, &p)
	if p.TotalCount == nil || p.Results == nil {
		t.Fatalf("not a v1 list: %s", r.body)
	}
	return *p.TotalCount, p.Results
}

func (r response) v2Page(t testing.TB) []map[string]any {
	t.Helper()
	var p []map[string]any
	r.decode(t, &p)
	return p
}

func (r response) errorBody(t testing.TB) (message, errText string) {
	t.Helper()
	var e struct {
		Message *string `json:"message"`
		Error   *string `json:"error"`
	}
	r.decode(t, &e)
	if e.Message == nil || e.Error == nil {
		t.Fatalf("error body without message and error: %s", r.body)
	}
	return *e.Message, *e.Error
}
