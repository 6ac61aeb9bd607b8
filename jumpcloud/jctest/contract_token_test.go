package jctest_test

// The token request's contract. The token endpoint is not in JumpCloud's console API specs; what
// it expects comes from JumpCloud's own clients (TheJumpCloud/jc-cli internal/api/oauth.go and
// PowerShell New-JCBearerToken.ps1: POST, form body grant_type=client_credentials&scope=api,
// client id and secret in HTTP Basic only) and RFC 6749 §2.3.1/§4.4. The judge is checked to say
// no (TestTokenContractJudgeCanSayNo).

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
)

// tokenRequestProblems checks a token request as jctest recorded it (credentials as labels).
func tokenRequestProblems(r jctest.SeenRequest) []string {
	var p []string
	if r.Method != http.MethodPost {
		p = append(p, fmt.Sprintf("token request with method %s, want POST", r.Method))
	}
	if len(r.Query) > 0 {
		p = append(p, fmt.Sprintf("token request with a query %v: nothing belongs in the URL", r.Query))
	}
	form := url.Values(r.Form)
	if len(form) != 2 || form.Get("grant_type") != "client_credentials" || form.Get("scope") != "api" {
		p = append(p, fmt.Sprintf("token request body %v, want exactly grant_type=client_credentials&scope=api", form))
	}
	if got := http.Header(r.Header).Get("Content-Type"); got != "application/x-www-form-urlencoded" {
		p = append(p, fmt.Sprintf("token request Content-Type %q", got))
	}
	if a := http.Header(r.Header).Get("Authorization"); !strings.HasPrefix(a, "Basic <sa-") {
		p = append(p, fmt.Sprintf("token request Authorization %q, want Basic with a known client", a))
	}
	if r.KeyLabel == "" {
		p = append(p, "token request from an unknown client")
	}
	return p
}

// rawTokenProblems checks what went on the wire, unscrubbed: the Basic credentials are exactly
// the id and secret, and the secret is nowhere else (URL, body, other headers).
func rawTokenProblems(req *http.Request, body []byte, id, secret string) []string {
	var p []string
	gotID, gotSecret, ok := req.BasicAuth()
	if !ok || gotID != id || gotSecret != secret {
		p = append(p, "the Basic credentials are not the client id and secret")
	}
	if strings.Contains(req.URL.String(), secret) {
		p = append(p, "the secret is in the URL")
	}
	if strings.Contains(string(body), secret) {
		p = append(p, "the secret is in the body")
	}
	for name, v := range req.Header {
		if name != "Authorization" && strings.Contains(strings.Join(v, " "), secret) {
			p = append(p, "the secret is in header "+name)
		}
	}
	return p
}

// tokenWire keeps the raw token requests a client sends.
type tokenWire struct {
	mu     sync.Mutex
	reqs   []*http.Request
	bodies [][]byte
}

func (w *tokenWire) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	if req.URL.Path == jctest.TokenPath {
		w.mu.Lock()
		w.reqs, w.bodies = append(w.reqs, req.Clone(req.Context())), append(w.bodies, body)
		w.mu.Unlock()
	}
	return http.DefaultTransport.RoundTrip(req)
}

func TestTokenRequestContract(t *testing.T) {
	s := jctest.NewServer(jctest.Options{Devices: 20})
	defer s.Close()
	sa := s.ServiceAccounts.ReadOnly
	w := &tokenWire{}
	c, err := jumpcloud.New(jumpcloud.Config{BaseURL: s.URL, TokenURL: s.TokenURL, ClientID: sa.ClientID,
		ClientSecret: sa.ClientSecret, Transport: w})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Systems(context.Background(), jumpcloud.ListOptions{}); err != nil {
		t.Fatal(err)
	}
	var tokenReqs int
	for _, r := range s.Seen() {
		if r.Path != jctest.TokenPath {
			continue
		}
		tokenReqs++
		for _, p := range tokenRequestProblems(r) {
			t.Error(p)
		}
	}
	if tokenReqs != 1 || len(w.reqs) != 1 {
		t.Fatalf("%d token requests seen by the server, %d on the wire; want 1", tokenReqs, len(w.reqs))
	}
	for _, p := range rawTokenProblems(w.reqs[0], w.bodies[0], sa.ClientID, sa.ClientSecret) {
		t.Error(p)
	}
}

// The judges must reject bad token requests, or passing proves nothing.
func TestTokenContractJudgeCanSayNo(t *testing.T) {
	good := jctest.SeenRequest{Method: http.MethodPost, Path: jctest.TokenPath, KeyLabel: "sa-x",
		Header: map[string][]string{"Content-Type": {"application/x-www-form-urlencoded"}, "Authorization": {"Basic <sa-x>"}},
		Form:   map[string][]string{"grant_type": {"client_credentials"}, "scope": {"api"}}}
	if p := tokenRequestProblems(good); len(p) != 0 {
		t.Fatalf("a good request was refused: %v", p)
	}
	bad := map[string]func(r *jctest.SeenRequest){
		"GET":             func(r *jctest.SeenRequest) { r.Method = http.MethodGet },
		"secret in query": func(r *jctest.SeenRequest) { r.Query = map[string][]string{"client_secret": {"<client secret: sa-x>"}} },
		"secret in body": func(r *jctest.SeenRequest) {
			r.Form = map[string][]string{"grant_type": {"client_credentials"}, "scope": {"api"}, "client_secret": {"x"}}
		},
		"no scope": func(r *jctest.SeenRequest) { r.Form = map[string][]string{"grant_type": {"client_credentials"}} },
		"no Basic": func(r *jctest.SeenRequest) {
			r.Header = map[string][]string{"Content-Type": {"application/x-www-form-urlencoded"}}
		},
		"JSON body": func(r *jctest.SeenRequest) {
			r.Header = map[string][]string{"Content-Type": {"application/json"}, "Authorization": {"Basic <sa-x>"}}
		},
	}
	for name, mutate := range bad {
		r := good
		mutate(&r)
		if len(tokenRequestProblems(r)) == 0 {
			t.Errorf("%s: accepted", name)
		}
	}
	const id, secret = "client", "s3cret"
	mk := func(u string, basic bool, body string) (*http.Request, []byte) {
		req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(body))
		if basic {
			req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(id+":"+secret)))
		}
		return req, []byte(body)
	}
	if req, body := mk("http://h/oauth2/token", true, "grant_type=client_credentials&scope=api"); len(rawTokenProblems(req, body, id, secret)) != 0 {
		t.Fatal("a good raw request was refused")
	}
	for name, args := range map[string]struct {
		u     string
		basic bool
		body  string
	}{
		"secret in the URL":  {"http://h/oauth2/token?client_secret=" + secret, true, "grant_type=client_credentials&scope=api"},
		"secret in the body": {"http://h/oauth2/token", true, "client_secret=" + secret},
		"no Basic":           {"http://h/oauth2/token", false, "grant_type=client_credentials&scope=api"},
	} {
		if req, body := mk(args.u, args.basic, args.body); len(rawTokenProblems(req, body, id, secret)) == 0 {
			t.Errorf("%s: accepted", name)
		}
	}
}
