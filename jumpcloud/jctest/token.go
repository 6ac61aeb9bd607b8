package jctest

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The token endpoint: POST TokenPath, form body grant_type=client_credentials&scope=api, the
// client id and secret in HTTP Basic auth only (JumpCloud's PowerShell module: "requires
// client_secret_basic"). Errors follow RFC 6749 §5.2. The wording of an expired secret is
// UNCONFIRMED (NOTES.md).

const (
	descBadClient     = "Client authentication failed (e.g., unknown client, no client authentication included, or unsupported authentication method)."
	descSecretExpired = "Client authentication failed: the client secret has expired."
	maxTokenForm      = 8 << 10
)

// tokenError writes an OAuth error answer.
func tokenError(w http.ResponseWriter, status int, code, desc string) {
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="jctest"`)
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, status, map[string]string{"error": code, "error_description": desc})
}

func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		tokenError(w, http.StatusMethodNotAllowed, "invalid_request", "the token endpoint only accepts POST")
		return
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
		tokenError(w, http.StatusBadRequest, "invalid_request", "the body must be application/x-www-form-urlencoded")
		return
	}
	if len(r.URL.RawQuery) > 0 {
		tokenError(w, http.StatusBadRequest, "invalid_request", "parameters belong in the body, not in the URL")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxTokenForm)
	if err := r.ParseForm(); err != nil {
		tokenError(w, http.StatusBadRequest, "invalid_request", "the body is not a readable form")
		return
	}
	if r.PostForm.Has("client_secret") || r.PostForm.Has("client_id") {
		tokenError(w, http.StatusBadRequest, "invalid_request", "client credentials must be sent with HTTP Basic authentication")
		return
	}
	if gt := r.PostForm.Get("grant_type"); gt != "client_credentials" {
		tokenError(w, http.StatusBadRequest, "unsupported_grant_type", "only grant_type=client_credentials is supported")
		return
	}
	if sc := r.PostForm.Get("scope"); sc != "api" {
		tokenError(w, http.StatusBadRequest, "invalid_scope", "the requested scope is invalid: use scope=api")
		return
	}
	id, secret, ok := r.BasicAuth()
	if !ok {
		tokenError(w, http.StatusUnauthorized, "invalid_client", descBadClient)
		return
	}
	tok, ttl, code := s.issueToken(id, secret)
	switch code {
	case "expired":
		tokenError(w, http.StatusUnauthorized, "invalid_client", descSecretExpired)
		return
	case "invalid":
		tokenError(w, http.StatusUnauthorized, "invalid_client", descBadClient)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	ans := map[string]any{"access_token": tok, "token_type": "bearer", "scope": "api"}
	if ttl >= 0 {
		ans["expires_in"] = int(ttl / time.Second)
	}
	writeJSON(w, http.StatusOK, ans)
}

// issueToken checks the credentials and issues a token. code is "" on success, "expired" for a
// matching secret past its lifetime, "invalid" otherwise. ttl is -1 when expires_in is to be
// left out.
func (s *Server) issueToken(id, secret string) (tok string, ttl time.Duration, code string) {
	s.lockState()
	defer s.mu.Unlock()
	sa, ok := s.serviceAccounts[id]
	if !ok {
		return "", 0, "invalid"
	}
	var match *clientSecret
	for _, slot := range sa.slots {
		if slot != nil && secret != "" && slot.value == secret {
			match = slot
		}
	}
	now := s.clock()
	switch {
	case match == nil:
		return "", 0, "invalid"
	case now.After(match.expires):
		return "", 0, "expired"
	}
	ttl = s.tokenTTL
	if ttl <= 0 {
		ttl = defaultTokenTTL
	}
	tok = "jctok_" + s.newSecretLocked(40)
	s.tokens[tok] = &bearer{sa: sa, expires: now.Add(ttl)}
	s.tokensIssued.Add(1)
	if s.omitExpiresIn {
		return tok, -1, ""
	}
	return tok, ttl, ""
}

// bearerCaller resolves an Authorization header to the service account's caller key. ok is
// false with the error already written.
func (s *Server) bearerCaller(w http.ResponseWriter, authz string) (*apiKey, bool) {
	scheme, tok, _ := strings.Cut(authz, " ")
	if !strings.EqualFold(scheme, "Bearer") || tok == "" {
		writeError(w, http.StatusUnauthorized, msgKeyNotFound, errUnauthorized)
		return nil, false
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	b, ok := s.tokens[tok]
	switch {
	case !ok || b.revoked:
		writeError(w, http.StatusUnauthorized, msgBadToken, errUnauthorized)
		return nil, false
	case s.clock().After(b.expires):
		writeError(w, http.StatusUnauthorized, msgTokenExpired, errUnauthorized)
		return nil, false
	}
	kc := *b.sa.key
	kc.deny = append([]string(nil), b.sa.key.deny...)
	return &kc, true
}

// Bodies of a refused bearer token: UNCONFIRMED wording (NOTES.md).
const (
	msgBadToken     = "Unauthorized: invalid token"
	msgTokenExpired = "Unauthorized: token expired"
)

// wireServiceAccount is one item of GET /api/v2/service-accounts. The list wraps in
// {results, totalCount} and ids are under objectId (TheJumpCloud/jc-cli
// internal/serviceaccount/serviceaccount.go, "verified live"); objectId, name, roleName, status
// and expiresAt are the fields jc-cli shows by default, authConfigList holds the credentials.
// The fields inside authConfigList (objectId, authType, clientId, createdAt, expiresAt) are
// UNCONFIRMED: the public v2 spec has the path only as a stub.
type wireServiceAccount struct {
	ObjectID       string           `json:"objectId"`
	Name           string           `json:"name"`
	RoleName       string           `json:"roleName"`
	Status         string           `json:"status"`
	ExpiresAt      string           `json:"expiresAt,omitempty"`
	AuthConfigList []wireAuthConfig `json:"authConfigList"`
}

type wireAuthConfig struct {
	ObjectID  string `json:"objectId"`
	AuthType  string `json:"authType"`
	ClientID  string `json:"clientId"`
	CreatedAt string `json:"createdAt"`
	ExpiresAt string `json:"expiresAt"`
}

// handleServiceAccounts lists the service accounts of the caller's organisation.
func (s *Server) handleServiceAccounts(w http.ResponseWriter, r *http.Request, c caller, _ []string) {
	p, ok := parsePage(w, r.URL.Query(), maxLimit)
	if !ok || !noFilter(w, r) {
		return
	}
	s.mu.RLock()
	var all []wireServiceAccount
	for _, sa := range s.sortedServiceAccountsLocked() {
		if !sa.visibleIn(c.org.idx) {
			continue
		}
		w := wireServiceAccount{ObjectID: sa.id, Name: sa.name, RoleName: sa.key.admin.role, Status: "ACTIVE",
			AuthConfigList: []wireAuthConfig{}}
		var latest time.Time
		for _, slot := range sa.slots {
			if slot == nil {
				continue
			}
			w.AuthConfigList = append(w.AuthConfigList, wireAuthConfig{ObjectID: slot.id, AuthType: "CLIENT_SECRET",
				ClientID: sa.clientID, CreatedAt: slot.created.UTC().Format(timeFormat), ExpiresAt: slot.expires.UTC().Format(timeFormat)})
			if slot.expires.After(latest) {
				latest = slot.expires
			}
		}
		if !latest.IsZero() {
			w.ExpiresAt = latest.UTC().Format(timeFormat)
		}
		all = append(all, w)
	}
	s.mu.RUnlock()
	writeJSON(w, http.StatusOK, struct {
		Results    []any `json:"results"`
		TotalCount int   `json:"totalCount"`
	}{p.render(len(all), func(i int) any { return all[i] }), len(all)})
}

func (sa *serviceAccount) visibleIn(org int) bool {
	for _, o := range sa.key.orgs {
		if o == org {
			return true
		}
	}
	return false
}

// sortedServiceAccountsLocked returns the accounts in id order (the storage order of the list).
func (s *Server) sortedServiceAccountsLocked() []*serviceAccount {
	out := make([]*serviceAccount, 0, len(s.serviceAccounts))
	for _, sa := range s.serviceAccounts {
		out = append(out, sa)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].id < out[j-1].id; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// recordForm reads a token request's form for Seen, with the body put back for the handler.
// Credentials in it are replaced by labels, like keys elsewhere.
func (s *Server) recordForm(r *http.Request) map[string][]string {
	if r.Method != http.MethodPost || r.URL.Path != TokenPath || r.Body == nil {
		return nil
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxTokenForm+1))
	r.Body = io.NopCloser(bytes.NewReader(body))
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return map[string][]string{"<unreadable>": {fmt.Sprint(len(body), " bytes")}}
	}
	return form
}
