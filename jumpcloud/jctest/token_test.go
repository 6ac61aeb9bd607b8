package jctest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// postToken sends a raw token request.
func postToken(t *testing.T, s *Server, method, query, contentType, body, id, secret string) (int, http.Header, map[string]any) {
	t.Helper()
	u := s.TokenURL
	if query != "" {
		u += "?" + query
	}
	req, _ := http.NewRequest(method, u, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if id != "" || secret != "" {
		req.SetBasicAuth(id, secret)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var m map[string]any
	json.Unmarshal(raw, &m)
	return res.StatusCode, res.Header, m
}

const goodForm = "grant_type=client_credentials&scope=api"
const formType = "application/x-www-form-urlencoded"

// The token endpoint answers as RFC 6749 §5.1/§5.2 say, and refuses every other way of asking.
func TestTokenEndpointAnswers(t *testing.T) {
	s := NewServer(Options{Devices: 10})
	defer s.Close()
	sa := s.ServiceAccounts
	status, h, m := postToken(t, s, "POST", "", formType, goodForm, sa.ReadOnly.ClientID, sa.ReadOnly.ClientSecret)
	tok, _ := m["access_token"].(string)
	if status != 200 || tok == "" || m["token_type"] != "bearer" || m["expires_in"] != float64(3600) || h.Get("Cache-Control") != "no-store" {
		t.Fatalf("good request: %d %v", status, m)
	}
	// The token reads the API as the service account's role would.
	for path, want := range map[string]int{"/api/systems": 200, "/api/users": 403, "/api/v2/service-accounts": 200} {
		req, _ := http.NewRequest("GET", s.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("GET %s with the token: %d, want %d", path, res.StatusCode, want)
		}
	}
	cases := []struct {
		name                               string
		method, query, ctype, body, id, sc string
		status                             int
		code                               string
	}{
		{"GET", "GET", "", formType, "", sa.ReadOnly.ClientID, sa.ReadOnly.ClientSecret, 405, "invalid_request"},
		{"JSON body", "POST", "", "application/json", `{}`, sa.ReadOnly.ClientID, sa.ReadOnly.ClientSecret, 400, "invalid_request"},
		{"secret in the URL", "POST", "client_secret=x", formType, goodForm, sa.ReadOnly.ClientID, sa.ReadOnly.ClientSecret, 400, "invalid_request"},
		{"secret in the body", "POST", "", formType, goodForm + "&client_id=a&client_secret=b", "", "", 400, "invalid_request"},
		{"other grant", "POST", "", formType, "grant_type=password&scope=api", sa.ReadOnly.ClientID, sa.ReadOnly.ClientSecret, 400, "unsupported_grant_type"},
		{"other scope", "POST", "", formType, "grant_type=client_credentials&scope=admin", sa.ReadOnly.ClientID, sa.ReadOnly.ClientSecret, 400, "invalid_scope"},
		{"no Basic", "POST", "", formType, goodForm, "", "", 401, "invalid_client"},
		{"wrong secret", "POST", "", formType, goodForm, sa.ReadOnly.ClientID, "nope", 401, "invalid_client"},
		{"deleted secret", "POST", "", formType, goodForm, sa.Revoked.ClientID, sa.Revoked.ClientSecret, 401, "invalid_client"},
		{"expired secret", "POST", "", formType, goodForm, sa.Expired.ClientID, sa.Expired.ClientSecret, 401, "invalid_client"},
	}
	for _, tc := range cases {
		status, h, m := postToken(t, s, tc.method, tc.query, tc.ctype, tc.body, tc.id, tc.sc)
		if status != tc.status || m["error"] != tc.code {
			t.Errorf("%s: %d %v, want %d %s", tc.name, status, m, tc.status, tc.code)
		}
		if status == 401 && h.Get("WWW-Authenticate") == "" {
			t.Errorf("%s: a 401 without WWW-Authenticate", tc.name)
		}
	}
	_, _, m = postToken(t, s, "POST", "", formType, goodForm, sa.Expired.ClientID, sa.Expired.ClientSecret)
	if !strings.Contains(m["error_description"].(string), "expired") {
		t.Errorf("expired secret: %v", m)
	}
}

// Tokens expire on the server's clock, which Advance moves; SetTokenTTL and OmitExpiresIn shape
// the answer.
func TestTokenLifetimeOnTheServersClock(t *testing.T) {
	s := NewServer(Options{Devices: 10})
	defer s.Close()
	sa := s.ServiceAccounts.ReadOnly
	s.SetTokenTTL(2 * time.Second)
	_, _, m := postToken(t, s, "POST", "", formType, goodForm, sa.ClientID, sa.ClientSecret)
	if m["expires_in"] != float64(2) {
		t.Fatalf("expires_in %v, want 2", m["expires_in"])
	}
	tok := m["access_token"].(string)
	call := func() (int, string) {
		req, _ := http.NewRequest("GET", s.URL+"/api/organizations", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var body map[string]any
		json.NewDecoder(res.Body).Decode(&body)
		msg, _ := body["message"].(string)
		return res.StatusCode, msg
	}
	if st, _ := call(); st != 200 {
		t.Fatalf("fresh token: %d", st)
	}
	s.Advance(3 * time.Second)
	if st, msg := call(); st != 401 || msg != msgTokenExpired {
		t.Fatalf("expired token: %d %q", st, msg)
	}
	s.OmitExpiresIn(true)
	if _, _, m := postToken(t, s, "POST", "", formType, goodForm, sa.ClientID, sa.ClientSecret); m["expires_in"] != nil || m["access_token"] == nil {
		t.Fatalf("OmitExpiresIn: %v", m)
	}
	if s.TokensIssued() != 2 {
		t.Fatalf("TokensIssued %d", s.TokensIssued())
	}
}

// Seen never holds a secret or a token: the Basic header, the bearer header and a secret in the
// form or the query all show as labels.
func TestSeenHidesSecretsAndTokens(t *testing.T) {
	s := NewServer(Options{Devices: 10})
	defer s.Close()
	sa := s.ServiceAccounts.ReadOnly
	_, _, m := postToken(t, s, "POST", "", formType, goodForm, sa.ClientID, sa.ClientSecret)
	tok := m["access_token"].(string)
	postToken(t, s, "POST", "client_secret="+url.QueryEscape(sa.ClientSecret), formType,
		goodForm+"&client_secret="+sa.ClientSecret, sa.ClientID, sa.ClientSecret)
	req, _ := http.NewRequest("GET", s.URL+"/api/systems?leak="+tok, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	if res, err := http.DefaultClient.Do(req); err == nil {
		res.Body.Close()
	}
	s.DeleteClientSecret(sa.ClientID, sa.ClientSecret) // a deleted secret stays hidden too
	seen := s.Seen()
	if len(seen) != 3 {
		t.Fatalf("%d requests seen", len(seen))
	}
	for _, r := range seen {
		text, _ := json.Marshal(r)
		if strings.Contains(string(text), sa.ClientSecret) || strings.Contains(string(text), tok) ||
			strings.Contains(string(text), sa.ClientID+":") {
			t.Fatalf("Seen holds a secret: %s", text)
		}
		if r.KeyLabel != "sa-evidence-collector" {
			t.Errorf("%s: label %q", r.Path, r.KeyLabel)
		}
	}
	if got := seen[1].Form["client_secret"]; len(got) != 1 || got[0] != "<client secret: sa-evidence-collector>" {
		t.Errorf("a leaked secret in the form shows as %v", got)
	}
	if got := seen[2].Query["leak"]; len(got) != 1 || got[0] != "<bearer token: sa-evidence-collector>" {
		t.Errorf("a leaked token in the query shows as %v", got)
	}
	if got := http.Header(seen[2].Header).Get("Authorization"); got != "Bearer <sa-evidence-collector>" {
		t.Errorf("Authorization recorded as %q", got)
	}
}

// A seed gives the same service accounts (and keys) every time, all of them distinct. (They come
// from a random stream of their own, so the keys of a seed stay what they were before.)
func TestServiceAccountsAreSeeded(t *testing.T) {
	a, b := newServer(Options{Devices: 10, Seed: 5}), newServer(Options{Devices: 10, Seed: 5})
	if a.ServiceAccounts != b.ServiceAccounts || a.Keys != b.Keys {
		t.Fatal("the same seed gave different credentials")
	}
	sa := a.ServiceAccounts
	all := []ServiceAccountCredentials{sa.ReadOnly, sa.Admin, sa.Expired, sa.Revoked, sa.MultiTenant}
	seen := map[string]bool{}
	for _, c := range all {
		if c.ClientID == "" || len(c.ClientSecret) != 48 || seen[c.ClientID] || seen[c.ClientSecret] {
			t.Fatalf("credentials %+v", c)
		}
		seen[c.ClientID], seen[c.ClientSecret] = true, true
	}
}
