package jumpcloud

import (
	"context"
	"fmt"
	"net/http"
	"strings"
)

// CredentialKind names the two ways a client can prove who it is.
type CredentialKind string

const (
	// CredentialAPIKey is an administrator's API key, sent as x-api-key.
	CredentialAPIKey CredentialKind = "api_key"
	// CredentialServiceAccount is a service account's OAuth client id and secret, exchanged at the
	// token host for a short-lived bearer token (oauth.go).
	CredentialServiceAccount CredentialKind = "service_account"
)

// Authenticator puts the credential on every API request. It has two implementations, the API
// key (apiKeyAuth) and OAuth client credentials (clientCredentials, oauth.go); New picks one from
// the Config. Its methods are unexported so that no other credential can be slipped in: each
// implementation is responsible for never letting its secrets reach an error, a log or another
// host.
type Authenticator interface {
	// Kind says which credential this is.
	Kind() CredentialKind
	// authorize sets the credential header on a request to the API base URL, fetching a token
	// first when needed. stamp identifies the credential it used, for refused.
	authorize(ctx context.Context, h http.Header) (stamp uint64, err error)
	// refused is told that the API answered 401 to a request authorised with stamp. It reports
	// whether asking again with a new credential may help, and if so makes the next authorize
	// use a new one.
	refused(stamp uint64) bool
	// refusedKind is the Kind of a 401 that a new credential did not cure.
	refusedKind() Kind
	// scrub removes every secret the authenticator knows from text bound for an error.
	scrub(s string) string
}

// newAuthenticator picks the credential of cfg: an API key, or a service account's client id
// and secret. Exactly one must be given. hc is the client's HTTP client (redirects refused), which
// the token requests share.
func newAuthenticator(cfg Config, hc *http.Client) (Authenticator, error) {
	hasSA := strings.TrimSpace(cfg.ClientID) != "" || strings.TrimSpace(cfg.ClientSecret) != ""
	if hasSA && strings.TrimSpace(cfg.APIKey) != "" {
		return nil, fmt.Errorf("%w: both an API key and a service account's client id/secret were given: use one of them",
			ErrInvalidConfig)
	}
	if hasSA {
		return newClientCredentials(cfg, hc)
	}
	key, err := checkAPIKey(cfg.APIKey)
	if err != nil {
		return nil, err
	}
	return apiKeyAuth{key: key}, nil
}

// apiKeyAuth is an administrator's API key: the same x-api-key header on every request.
type apiKeyAuth struct{ key string }

func (apiKeyAuth) Kind() CredentialKind { return CredentialAPIKey }

func (a apiKeyAuth) authorize(_ context.Context, h http.Header) (uint64, error) {
	h.Set("x-api-key", a.key)
	return 0, nil
}

// refused: asking again with the same key cannot help.
func (apiKeyAuth) refused(uint64) bool { return false }

func (apiKeyAuth) refusedKind() Kind { return KindInvalidKey }

func (a apiKeyAuth) scrub(s string) string { return replaceSecret(s, a.key, "[api key]") }

// replaceSecret replaces every occurrence of a non-empty secret in s with label.
func replaceSecret(s, secret, label string) string {
	if secret == "" || s == "" {
		return s
	}
	return strings.ReplaceAll(s, secret, label)
}

// reauthorize decides what to do with a 401: when the credential is a bearer token, the token may
// have been revoked or have expired early on the server's clock, so the request is worth one more
// try with a new token (get calls this at most once per request). Not for the 401 that means
// "multi-tenant, no organisation chosen": a new token would not change that.
func (c *Client) reauthorize(resp *response, rq request) bool {
	if resp.status != http.StatusUnauthorized || c.statusError(resp, rq).Kind != c.auth.refusedKind() {
		return false
	}
	if !c.auth.refused(resp.stamp) {
		return false
	}
	c.sh.retries.Add(1)
	return true
}

// CredentialKind says whether the client uses an API key or a service account.
func (c *Client) CredentialKind() CredentialKind { return c.auth.Kind() }

// TokenURL is the service account's token endpoint ("" for an API key).
func (c *Client) TokenURL() string {
	if cc, ok := c.auth.(*clientCredentials); ok {
		return cc.tokenURL
	}
	return ""
}

// Authenticate checks the credential where that can be done without the API: for a service
// account it fetches a token from the token host unless a valid one is held (so a wrong secret,
// an expired secret or an unreachable token host shows up as such, before any API call). For an
// API key there is nothing to check here: it returns nil.
func (c *Client) Authenticate(ctx context.Context) error {
	cc, ok := c.auth.(*clientCredentials)
	if !ok {
		return nil
	}
	_, _, err := cc.token(ctx)
	return err
}
