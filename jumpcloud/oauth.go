package jumpcloud

// A service account's OAuth 2.0 client credentials, exchanged for a short-lived bearer token.
//
// What is known, and from where:
//   - POST <token URL>, body grant_type=client_credentials&scope=api, client id and secret in
//     HTTP Basic auth ("client_secret_basic": not in the body, never in the URL); the answer
//     carries access_token, token_type and expires_in, with no refresh token; 3600 s is assumed
//     when expires_in is missing; then every API request sends Authorization: Bearer <token>
//     instead of x-api-key, x-org-id as usual. Sources: TheJumpCloud/jc-cli
//     internal/api/oauth.go and docs/AUTH.md; JumpCloud's PowerShell module (TheJumpCloud/support,
//     New-JCBearerToken.ps1, "JumpCloud's admin OAuth endpoint requires client_secret_basic").
//   - Token hosts: US https://admin-oauth.id.jumpcloud.com/oauth2/token (jc-cli, PowerShell);
//     EU https://admin-oauth.id.eu.jumpcloud.com/oauth2/token (PowerShell's EU branch, jc-cli
//     internal/api/region.go). IN is UNCONFIRMED: jc-cli's region.go lists
//     admin-oauth.id.in.jumpcloud.com "read from each host's own OpenID discovery document", but
//     JumpCloud's docs and its PowerShell module name no IN token host, so jcconnect asks for
//     --token-url rather than send a secret to a guessed host.
//   - jc-cli refreshes 30 s before expiry (docs/AUTH.md); so does this client.
//   - Error answers follow RFC 6749 §5.2: {"error": "invalid_client", "error_description": ...},
//     401 when the client authenticated with HTTP Basic (or 400). How JumpCloud words an expired
//     secret is UNCONFIRMED: an error_description mentioning "expired", or invalid_client after
//     the expiry the profile recorded (Config.SecretExpires), is reported as an expired secret.

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// regionTokenURLs are the token endpoints per region. IN is missing on purpose (see above).
var regionTokenURLs = map[Region]string{
	RegionUS: "https://admin-oauth.id.jumpcloud.com/oauth2/token",
	RegionEU: "https://admin-oauth.id.eu.jumpcloud.com/oauth2/token",
}

// TokenURL is the region's token endpoint, or "" when it is not confirmed (IN) or unknown.
func (r Region) TokenURL() string { return regionTokenURLs[r] }

const (
	// tokenRefreshMargin: a token is replaced this long before it expires (jc-cli's buffer), so a
	// request never leaves with a token about to lapse in flight.
	tokenRefreshMargin = 30 * time.Second
	// defaultTokenLifetime is assumed when the answer has no usable expires_in (jc-cli, issue 12).
	defaultTokenLifetime = time.Hour
	// maxTokenAnswer caps the token endpoint's answer: a token response is a few hundred bytes.
	maxTokenAnswer = 64 << 10
	// keptTokens is how many recent tokens scrub still knows, for errors raised after a refresh.
	keptTokens = 4
	// tokenSource names the token request in errors.
	tokenSource = "service account token"
)

// resolveTokenURL picks where the client secret may be sent: --token-url when given (checked like
// --base-url: https, or http on loopback; no user name or password), else the region's token host.
// With a custom base URL and no token URL it refuses: the token host cannot be derived from an
// API host, and a secret must not go to a guessed one.
func resolveTokenURL(region Region, customBase, custom string) (string, error) {
	if strings.TrimSpace(custom) != "" {
		return CheckTokenURL(custom)
	}
	if strings.TrimSpace(customBase) != "" {
		return "", fmt.Errorf("%w: with --base-url, a service account also needs --token-url (the token host cannot be derived from the API host)",
			ErrInvalidConfig)
	}
	r, err := ParseRegion(string(region))
	if err != nil {
		return "", err
	}
	if u := r.TokenURL(); u != "" {
		return u, nil
	}
	return "", fmt.Errorf("%w: the service-account token host of the %s region is not confirmed by JumpCloud's documentation, "+
		"so the client secret is not sent to a guessed host: pass --token-url (JumpCloud's jc CLI uses "+
		"https://admin-oauth.id.%s.jumpcloud.com/oauth2/token)", ErrInvalidConfig, strings.ToUpper(string(r)), r)
}

// clientCredentials is the service-account authenticator. The token lives in memory only; it is
// fetched on first use, replaced tokenRefreshMargin before it expires, and fetched by one request
// at a time however many goroutines need it (single flight).
type clientCredentials struct {
	id, secret string
	basic      string // base64(id:secret), the Authorization header value's payload (for scrub)
	tokenURL   string
	tokenPath  string
	hc         *http.Client
	now        func() time.Time
	timeout    time.Duration
	userAgent  string
	maxRetries int
	baseDelay  time.Duration
	maxDelay   time.Duration
	maxBody    int64
	expires    time.Time // the secret's expiry when known (zero: unknown)

	fetches atomic.Int64 // token requests sent, for Stats

	mu        sync.Mutex
	tok       string // "" when none is held
	stamp     uint64 // increments with every new token
	refreshAt time.Time
	expiresAt time.Time
	flight    *tokenFlight
	recent    []string // the last keptTokens tokens, for scrub
}

// tokenFlight is one token request that every goroutine needing a token waits for.
type tokenFlight struct {
	done  chan struct{}
	tok   string
	stamp uint64
	err   error
}

func newClientCredentials(cfg Config, hc *http.Client) (*clientCredentials, error) {
	id := strings.TrimSpace(cfg.ClientID)
	if id == "" {
		return nil, fmt.Errorf("%w: no client id given: copy the Client ID of the service account (Settings ▸ Service Accounts)", ErrInvalidConfig)
	}
	if i := firstNonKeyChar(id); i >= 0 {
		return nil, fmt.Errorf("%w: the client id has a space, control or non-ASCII character at position %d: copy it again, on its own",
			ErrInvalidConfig, i+1)
	}
	if strings.Contains(id, ":") {
		// HTTP Basic separates id and secret with the first colon.
		return nil, fmt.Errorf("%w: the client id contains a colon, which a JumpCloud client id does not: copy it again", ErrInvalidConfig)
	}
	secret := strings.TrimSpace(cfg.ClientSecret)
	if secret == "" {
		return nil, fmt.Errorf("%w: no client secret given: paste the Client Secret shown when the secret was generated", ErrInvalidConfig)
	}
	if i := firstNonKeyChar(secret); i >= 0 {
		return nil, fmt.Errorf("%w: the client secret has a space, control or non-ASCII character at position %d: "+
			"copy it again, on its own, without quotes or line breaks", ErrInvalidConfig, i+1)
	}
	tokenURL, err := resolveTokenURL(cfg.Region, cfg.BaseURL, cfg.TokenURL)
	if err != nil {
		return nil, err
	}
	u, _ := url.Parse(tokenURL) // checked by resolveTokenURL
	now := cfg.Clock
	if now == nil {
		now = time.Now
	}
	return &clientCredentials{
		id: id, secret: secret, basic: base64.StdEncoding.EncodeToString([]byte(id + ":" + secret)),
		tokenURL: tokenURL, tokenPath: u.EscapedPath(), hc: hc, now: now,
		timeout: cfg.Timeout, userAgent: cfg.UserAgent, maxRetries: cfg.MaxRetries,
		baseDelay: cfg.RetryBaseDelay, maxDelay: cfg.MaxRetryDelay, maxBody: min(cfg.MaxBodyBytes, maxTokenAnswer),
		expires: cfg.SecretExpires,
	}, nil
}

func (*clientCredentials) Kind() CredentialKind { return CredentialServiceAccount }

func (a *clientCredentials) authorize(ctx context.Context, h http.Header) (uint64, error) {
	tok, stamp, err := a.token(ctx)
	if err != nil {
		return 0, err
	}
	h.Set("Authorization", "Bearer "+tok)
	return stamp, nil
}

// refused drops the token the API refused (unless another goroutine already replaced it), so
// the retry fetches a new one. A token can be refused before its time: revoked, or the server's
// clock ahead of ours.
func (a *clientCredentials) refused(stamp uint64) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if stamp == a.stamp {
		a.tok = ""
	}
	return true
}

func (*clientCredentials) refusedKind() Kind { return KindTokenRefused }

func (a *clientCredentials) scrub(s string) string {
	if s == "" {
		return s
	}
	s = replaceSecret(s, a.secret, "[client secret]")
	s = replaceSecret(s, strings.TrimRight(a.basic, "="), "[client credentials]")
	a.mu.Lock()
	recent := a.recent
	a.mu.Unlock()
	for _, t := range recent {
		s = replaceSecret(s, t, "[bearer token]")
	}
	return s
}

// token returns a token that is good for at least tokenRefreshMargin more (or, for very short
// lifetimes, a quarter of its life), fetching one when needed. Concurrent callers share one
// fetch; a caller whose ctx ends stops waiting, while the fetch goes on for the others.
func (a *clientCredentials) token(ctx context.Context) (string, uint64, error) {
	a.mu.Lock()
	if a.tok != "" && a.now().Before(a.refreshAt) {
		tok, stamp := a.tok, a.stamp
		a.mu.Unlock()
		return tok, stamp, nil
	}
	f := a.flight
	if f == nil {
		f = &tokenFlight{done: make(chan struct{})}
		a.flight = f
		go a.run(f)
	}
	a.mu.Unlock()
	select {
	case <-f.done:
		return f.tok, f.stamp, f.err
	case <-ctx.Done():
		return "", 0, a.tokenError(KindCanceled, 0, nil, "", "").withContext(ctx)
	}
}

// run performs one flight's fetch, bounded by the per-request timeout and the retries (not by any
// one waiter's context: the others still need the token).
func (a *clientCredentials) run(f *tokenFlight) {
	tok, life, err := a.fetch(context.Background())
	a.mu.Lock()
	if err == nil {
		now := a.now()
		margin := tokenRefreshMargin
		if life < 4*margin {
			// A 30 s margin on a 2 s token would fetch a new token for every request.
			margin = life / 4
		}
		a.stamp++
		a.tok, a.expiresAt, a.refreshAt = tok, now.Add(life), now.Add(life-margin)
		a.recent = append(a.recent, tok)
		if len(a.recent) > keptTokens {
			a.recent = a.recent[len(a.recent)-keptTokens:]
		}
		f.tok, f.stamp = tok, a.stamp
	}
	f.err = err
	a.flight = nil
	a.mu.Unlock()
	close(f.done)
}
