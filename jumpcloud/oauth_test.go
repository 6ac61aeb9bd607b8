package jumpcloud_test

import (
	"context"
	"encoding/base64"
	"net/url"
	"strings"
	"testing"
	"time"

	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
)

// A Read Only service account reads devices with a bearer token: one token request (POST, form
// body, Basic auth), then API requests with Authorization: Bearer and never x-api-key. The
// secret goes only to the token endpoint, the token only to the API.
func TestServiceAccountReadsWithABearerToken(t *testing.T) {
	s := sandbox(t, jctest.Options{Devices: 120, Seed: 7})
	sa := s.ServiceAccounts.ReadOnly
	c, w := saClient(t, s, sa, newFakeClock())
	ctx := context.Background()
	if c.CredentialKind() != jumpcloud.CredentialServiceAccount || c.TokenURL() != s.TokenURL {
		t.Fatalf("kind %s, token URL %q", c.CredentialKind(), c.TokenURL())
	}
	devices, err := c.Systems(ctx, jumpcloud.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(devices) != 120 {
		t.Fatalf("%d devices, want 120", len(devices))
	}
	if _, err := c.Organizations(ctx); err != nil {
		t.Fatal(err)
	}
	if got := c.Stats().TokenFetches; got != 1 {
		t.Fatalf("%d token requests for one token's lifetime, want 1", got)
	}
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte(sa.ClientID+":"+sa.ClientSecret))
	var apiRequests int
	for _, r := range w.requests() {
		everything := r.Path + "?" + r.RawQuery + " " + r.Body
		for name, v := range r.Header {
			if name != "Authorization" {
				everything += " " + strings.Join(v, " ")
			}
		}
		if strings.Contains(everything, sa.ClientSecret) {
			t.Fatalf("the secret travels outside the Basic header: %s %s", r.Method, r.Path)
		}
		switch r.Path {
		case jctest.TokenPath:
			if r.Method != "POST" || r.RawQuery != "" || r.Header.Get("Authorization") != basic ||
				r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
				t.Fatalf("token request %s ?%q %v", r.Method, r.RawQuery, r.Header)
			}
			form, _ := url.ParseQuery(r.Body)
			if len(form) != 2 || form.Get("grant_type") != "client_credentials" || form.Get("scope") != "api" {
				t.Fatalf("token request body %q", r.Body)
			}
		default:
			apiRequests++
			if r.Method != "GET" || r.Header.Get("x-api-key") != "" ||
				!strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
				t.Fatalf("API request %s %s with headers %v", r.Method, r.Path, r.Header)
			}
		}
	}
	if apiRequests < 3 {
		t.Fatalf("%d API requests", apiRequests)
	}
	for _, seen := range s.Seen() {
		if seen.Path != jctest.TokenPath && seen.KeyLabel != "sa-evidence-collector" {
			t.Fatalf("the server saw %s from %q", seen.Path, seen.KeyLabel)
		}
	}
}

// The refresh path, under -race, with a 2 s token lifetime and a fake clock: the token is
// reused while fresh, replaced once it is within a quarter of its life of expiring (a 30 s
// margin on a 2 s token would refresh on every request), by exactly one of many concurrent
// callers.
func TestTokenRefreshWithTwoSecondLifetime(t *testing.T) {
	s := sandbox(t, jctest.Options{Devices: 10})
	s.SetTokenTTL(2 * time.Second)
	clock := newFakeClock()
	c, _ := saClient(t, s, s.ServiceAccounts.ReadOnly, clock)
	ctx := context.Background()
	call := func() {
		t.Helper()
		if _, err := c.Organizations(ctx); err != nil {
			t.Fatal(err)
		}
	}
	call()
	clock.Advance(1 * time.Second)
	call()
	if got := s.TokensIssued(); got != 1 {
		t.Fatalf("after 1 s of a 2 s token: %d tokens issued, want 1", got)
	}
	clock.Advance(600 * time.Millisecond) // 1.6 s: past the 1.5 s refresh point
	if err := concurrently(16, func(int) error { _, err := c.Organizations(ctx); return err }); err != nil {
		t.Fatal(err)
	}
	if got := s.TokensIssued(); got != 2 {
		t.Fatalf("16 concurrent callers past the refresh point: %d tokens issued in all, want 2", got)
	}
	if got := c.Stats().TokenFetches; got != 2 {
		t.Fatalf("client counted %d token requests, want 2", got)
	}
	clock.Advance(2 * time.Second)
	call()
	if got := s.TokensIssued(); got != 3 {
		t.Fatalf("after the second token lapsed: %d tokens issued, want 3", got)
	}
}

// Many goroutines needing the first token share one request, even while that request is slow.
func TestTokenFetchIsSingleFlight(t *testing.T) {
	s := sandbox(t, jctest.Options{Devices: 30})
	s.Inject(jctest.Fault{PathPrefix: jctest.TokenPath, Kind: jctest.FaultLatency, Delay: 100 * time.Millisecond, Times: 1})
	c, _ := saClient(t, s, s.ServiceAccounts.ReadOnly, newFakeClock())
	err := concurrently(32, func(i int) error {
		if i%2 == 0 {
			_, err := c.Systems(context.Background(), jumpcloud.ListOptions{})
			return err
		}
		return c.Authenticate(context.Background())
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := s.Requests(jctest.TokenPath); n != 1 {
		t.Fatalf("%d token requests for 32 concurrent callers, want 1", n)
	}
}

// A token the API refuses (revoked, or expired early on the server's clock) is replaced once and
// the request retried; a 401 that a new token does not cure is KindTokenRefused after exactly one
// retry.
func TestRefusedTokenIsRetriedOnceWithANewToken(t *testing.T) {
	s := sandbox(t, jctest.Options{Devices: 10})
	sa := s.ServiceAccounts.ReadOnly
	c, w := saClient(t, s, sa, newFakeClock())
	ctx := context.Background()
	if _, err := c.Organizations(ctx); err != nil {
		t.Fatal(err)
	}
	s.RevokeTokens(sa.ClientID)
	if _, err := c.Organizations(ctx); err != nil {
		t.Fatalf("after the token was revoked: %v", err)
	}
	s.Advance(2 * time.Hour) // the server's clock passes the token's expiry; the client's does not
	if _, err := c.Organizations(ctx); err != nil {
		t.Fatalf("after the token expired on the server's clock: %v", err)
	}
	if got := s.TokensIssued(); got != 3 {
		t.Fatalf("%d tokens issued, want 3 (the first, after the revocation, after the expiry)", got)
	}

	s.Inject(jctest.Fault{PathPrefix: "/api/systems", Kind: jctest.FaultStatus, Status: 401})
	s.ResetCounts()
	_, err := c.Systems(ctx, jumpcloud.ListOptions{})
	wantKind(t, err, jumpcloud.KindTokenRefused, jumpcloud.ErrTokenRefused, "refused the service account's token")
	if n := s.Requests("/api/systems"); n != 2 {
		t.Fatalf("%d requests for a persistent 401, want 2 (one retry)", n)
	}
	if n := s.Requests(jctest.TokenPath); n != 1 {
		t.Fatalf("%d token requests for the retry, want 1", n)
	}
	noSecretIn(t, err, append(w.tokens(), allSecrets(s)...)...)
}

// A multi-tenant service account without an organisation gets the "no organization selected"
// 401, which a new token cannot cure: no retry, KindOrgRequired; with x-org-id it reads.
func TestMultiTenantServiceAccountNeedsAnOrg(t *testing.T) {
	s := sandbox(t, jctest.Options{Devices: 10})
	c, _ := saClient(t, s, s.ServiceAccounts.MultiTenant, newFakeClock())
	ctx := context.Background()
	orgs, err := c.Organizations(ctx)
	if err != nil || len(orgs) != 3 {
		t.Fatalf("organizations %d, %v", len(orgs), err)
	}
	_, err = c.Systems(ctx, jumpcloud.ListOptions{})
	wantError(t, s, err, jumpcloud.KindOrgRequired)
	if got := s.TokensIssued(); got != 1 {
		t.Fatalf("%d tokens issued, want 1: a missing organisation is not a token problem", got)
	}
	if _, err := c.WithOrg(orgs[1].ID).Systems(ctx, jumpcloud.ListOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := c.Stats().TokenFetches; got != 1 {
		t.Fatalf("WithOrg fetched its own token (%d requests): it must share the token", got)
	}
}

// Every typed error of the token path, over real HTTP against jctest, each without the secret
// or a token in its text and without any API request sent.
func TestTokenErrorsAreTyped(t *testing.T) {
	s := sandbox(t, jctest.Options{Devices: 10})
	sas := s.ServiceAccounts
	wrong := jctest.ServiceAccountCredentials{ClientID: sas.ReadOnly.ClientID, ClientSecret: "NotTheSecret0123456789abcdefNotTheSecret01234567"}
	unknown := jctest.ServiceAccountCredentials{ClientID: "00000000-0000-0000-0000-000000000000", ClientSecret: sas.ReadOnly.ClientSecret}
	// before the fake clock's time: the expiry is judged on the client's clock
	past := func(cfg *jumpcloud.Config) { cfg.SecretExpires = newFakeClock().Now().Add(-time.Hour) }
	cases := []struct {
		name     string
		creds    jctest.ServiceAccountCredentials
		tune     []func(*jumpcloud.Config)
		kind     jumpcloud.Kind
		sentinel error
		says     string
	}{
		{"wrong secret", wrong, nil, jumpcloud.KindInvalidClient, jumpcloud.ErrInvalidClient, "invalid_client"},
		{"unknown client id", unknown, nil, jumpcloud.KindInvalidClient, jumpcloud.ErrInvalidClient, "invalid_client"},
		{"deleted (revoked) secret", sas.Revoked, nil, jumpcloud.KindInvalidClient, jumpcloud.ErrInvalidClient, "secret was deleted"},
		{"expired secret", sas.Expired, nil, jumpcloud.KindSecretExpired, jumpcloud.ErrSecretExpired, "has expired"},
		{"refused after the recorded expiry", sas.Revoked, []func(*jumpcloud.Config){past}, jumpcloud.KindSecretExpired, jumpcloud.ErrSecretExpired, "has expired"},
		{"token host not listening", sas.ReadOnly, []func(*jumpcloud.Config){func(cfg *jumpcloud.Config) {
			cfg.TokenURL = "http://127.0.0.1:1/oauth2/token"
		}}, jumpcloud.KindTokenUnreachable, jumpcloud.ErrTokenUnreachable, "127.0.0.1:1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s.ResetCounts()
			c, w := saClient(t, s, tc.creds, newFakeClock(), tc.tune...)
			_, err := c.Systems(context.Background(), jumpcloud.ListOptions{})
			e := wantKind(t, err, tc.kind, tc.sentinel, tc.says, "service account token")
			if e.Method != "POST" || e.Path != jctest.TokenPath {
				t.Errorf("error names %s %s, want the token request", e.Method, e.Path)
			}
			if n := s.Requests("/api/"); n != 0 {
				t.Errorf("%d API requests were sent without a token", n)
			}
			noSecretIn(t, err, append(append(w.tokens(), allSecrets(s)...), tc.creds.ClientSecret,
				base64.StdEncoding.EncodeToString([]byte(tc.creds.ClientID+":"+tc.creds.ClientSecret)))...)
			if err2 := c.Authenticate(context.Background()); jumpcloud.KindOf(err2) != tc.kind {
				t.Errorf("Authenticate: %v, want %s", err2, tc.kind)
			}
		})
	}
}

// Faults of the token endpoint: a reset or a stall is an unreachable token host, 503s are
// retried and then a server error, an HTML page is not JSON, a redirect is never followed.
func TestTokenEndpointFaults(t *testing.T) {
	s := sandbox(t, jctest.Options{Devices: 10})
	cases := []struct {
		name  string
		fault jctest.Fault
		kind  jumpcloud.Kind
		want  error
	}{
		{"reset", jctest.Fault{Kind: jctest.FaultReset}, jumpcloud.KindTokenUnreachable, jumpcloud.ErrTokenUnreachable},
		{"stall", jctest.Fault{Kind: jctest.FaultStall}, jumpcloud.KindTokenUnreachable, jumpcloud.ErrTokenUnreachable},
		{"503 every time", jctest.Fault{Kind: jctest.FaultStatus, Status: 503}, jumpcloud.KindServer, jumpcloud.ErrServer},
		{"HTML page", jctest.Fault{Kind: jctest.FaultHTML}, jumpcloud.KindNotJSON, jumpcloud.ErrNotJSON},
		{"redirect", jctest.Fault{Kind: jctest.FaultRedirect}, jumpcloud.KindRedirect, jumpcloud.ErrRedirect},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.fault.PathPrefix = jctest.TokenPath
			remove := s.Inject(tc.fault)
			defer remove()
			c, w := saClient(t, s, s.ServiceAccounts.ReadOnly, newFakeClock(), func(cfg *jumpcloud.Config) {
				cfg.Timeout = 300 * time.Millisecond
			})
			err := c.Authenticate(context.Background())
			wantKind(t, err, tc.kind, tc.want)
			for _, r := range w.requests() {
				if r.Host != strings.TrimPrefix(s.URL, "http://") {
					t.Fatalf("a request went to %s", r.Host)
				}
			}
			noSecretIn(t, err, allSecrets(s)...)
		})
	}
	// 503 twice, then a token: the retries get through.
	s.Inject(jctest.Fault{PathPrefix: jctest.TokenPath, Kind: jctest.FaultStatus, Status: 503, Times: 2})
	c, _ := saClient(t, s, s.ServiceAccounts.ReadOnly, newFakeClock())
	if err := c.Authenticate(context.Background()); err != nil {
		t.Fatalf("after two 503s: %v", err)
	}
	if got := c.Stats().TokenFetches; got != 3 {
		t.Fatalf("%d token requests, want 3", got)
	}
}

// A token issued by one sandbox is refused by another's API: the "token works but the API
// refuses it" error (the wrong-region case), after one retry with a new token.
func TestTokenFromAnotherHostIsRefusedByTheAPI(t *testing.T) {
	tokens := sandbox(t, jctest.Options{Devices: 10, Seed: 1})
	api := sandbox(t, jctest.Options{Devices: 10, Seed: 2})
	c, w := saClient(t, tokens, tokens.ServiceAccounts.ReadOnly, newFakeClock(), func(cfg *jumpcloud.Config) {
		cfg.BaseURL = api.URL
	})
	_, err := c.Organizations(context.Background())
	wantKind(t, err, jumpcloud.KindTokenRefused, jumpcloud.ErrTokenRefused, "region")
	if n := tokens.TokensIssued(); n != 2 {
		t.Fatalf("%d tokens issued, want 2 (the first and the one retry)", n)
	}
	noSecretIn(t, err, append(w.tokens(), allSecrets(tokens)...)...)
}

// expires_in missing: the token is taken to last an hour (refreshed 30 s before).
func TestMissingExpiresInMeansOneHour(t *testing.T) {
	s := sandbox(t, jctest.Options{Devices: 10})
	s.OmitExpiresIn(true)
	clock := newFakeClock()
	c, _ := saClient(t, s, s.ServiceAccounts.ReadOnly, clock)
	ctx := context.Background()
	if err := c.Authenticate(ctx); err != nil {
		t.Fatal(err)
	}
	clock.Advance(3569 * time.Second)
	if err := c.Authenticate(ctx); err != nil || s.TokensIssued() != 1 {
		t.Fatalf("at 3569 s: %v, %d tokens", err, s.TokensIssued())
	}
	clock.Advance(2 * time.Second)
	if err := c.Authenticate(ctx); err != nil || s.TokensIssued() != 2 {
		t.Fatalf("at 3571 s: %v, %d tokens, want a new one", err, s.TokensIssued())
	}
}

// Rotation with two secret slots: the second secret works beside the first; once the first is
// deleted it is invalid_client while the second keeps working; a third secret needs a free slot.
func TestTwoSecretSlotsRotate(t *testing.T) {
	s := sandbox(t, jctest.Options{Devices: 10})
	sa := s.ServiceAccounts.ReadOnly
	second := s.AddClientSecret(sa.ClientID)
	if second == "" || second == sa.ClientSecret {
		t.Fatalf("second secret %q", second)
	}
	if third := s.AddClientSecret(sa.ClientID); third != "" {
		t.Fatal("a third secret was issued while both slots are full")
	}
	newer := jctest.ServiceAccountCredentials{ClientID: sa.ClientID, ClientSecret: second}
	for _, cr := range []jctest.ServiceAccountCredentials{sa, newer} {
		c, _ := saClient(t, s, cr, newFakeClock())
		if err := c.Authenticate(context.Background()); err != nil {
			t.Fatalf("both slots in use: %v", err)
		}
	}
	s.DeleteClientSecret(sa.ClientID, sa.ClientSecret)
	old, _ := saClient(t, s, sa, newFakeClock())
	wantKind(t, old.Authenticate(context.Background()), jumpcloud.KindInvalidClient, jumpcloud.ErrInvalidClient)
	c, _ := saClient(t, s, newer, newFakeClock())
	if _, err := c.Systems(context.Background(), jumpcloud.ListOptions{}); err != nil {
		t.Fatalf("the second secret after the first was deleted: %v", err)
	}
	if s.AddClientSecret(sa.ClientID) == "" {
		t.Fatal("no secret issued into the freed slot")
	}
}

// The service account's role comes from the service-account list, found by client id; when the
// list cannot be read the role is unknown, honestly, with where to look.
func TestServiceAccountIdentity(t *testing.T) {
	s := sandbox(t, jctest.Options{Devices: 10})
	ctx := context.Background()
	for _, tc := range []struct {
		creds jctest.ServiceAccountCredentials
		role  string
	}{{s.ServiceAccounts.ReadOnly, "Read Only"}, {s.ServiceAccounts.Admin, "Administrator"}} {
		c, _ := saClient(t, s, tc.creds, newFakeClock())
		id, err := c.ServiceAccountIdentity(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !id.Found || id.Role != tc.role || id.Unknown != "" || id.Owner().Role != tc.role || id.Owner().RoleSource == "" {
			t.Fatalf("identity %+v, want role %q", id, tc.role)
		}
		if id.SecretExpiry() == nil || !id.SecretExpiry().After(time.Now()) {
			t.Fatalf("secret expiry %v", id.SecretExpiry())
		}
	}
	ro := s.ServiceAccounts.ReadOnly
	s.AddClientSecret(ro.ClientID)
	c, _ := saClient(t, s, ro, newFakeClock())
	id, err := c.ServiceAccountIdentity(ctx)
	if err != nil || len(id.SecretExpiries) != 2 || id.SecretExpiry() != nil {
		t.Fatalf("two secrets: %+v, %v (which one is ours is unknown: no single expiry)", id, err)
	}

	s.DenyServiceAccount(ro.ClientID, "/api/v2/service-accounts")
	id, err = c.ServiceAccountIdentity(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if id.RoleKnown() || id.Owner().RoleKnown() || !strings.Contains(id.Unknown, jumpcloud.RoleUnknownAdvice) {
		t.Fatalf("unreadable list: %+v", id)
	}

	// KeyOwner, which verification calls for either credential, asks the same list and nothing
	// that describes administrators.
	s.ResetCounts()
	admin, _ := saClient(t, s, s.ServiceAccounts.Admin, newFakeClock())
	owner, err := admin.KeyOwner(ctx)
	if err != nil || owner.Role != "Administrator" || owner.RoleSource != "service-accounts" {
		t.Fatalf("KeyOwner of a service account: %+v, %v", owner, err)
	}
	if n := s.Requests("/api/users") + s.Requests("/api/settings"); n != 0 {
		t.Fatalf("KeyOwner of a service account asked getSelf or settings (%d requests)", n)
	}

	keyClient := newClient(t, s, s.Keys.ReadOnly)
	if _, err := keyClient.ServiceAccountIdentity(ctx); err == nil {
		t.Fatal("an API-key client has no service-account identity")
	}
	if keyClient.CredentialKind() != jumpcloud.CredentialAPIKey || keyClient.TokenURL() != "" || keyClient.Authenticate(ctx) != nil {
		t.Fatal("API-key client")
	}
}

// A redirect from the API is never followed with the bearer token (nor the token request's with
// the secret, TestTokenEndpointFaults): every request stays on the configured hosts.
func TestBearerTokenNeverFollowsARedirect(t *testing.T) {
	s := sandbox(t, jctest.Options{Devices: 10})
	s.Inject(jctest.Fault{PathPrefix: "/api/systems", Kind: jctest.FaultRedirect})
	c, w := saClient(t, s, s.ServiceAccounts.ReadOnly, newFakeClock())
	_, err := c.Systems(context.Background(), jumpcloud.ListOptions{})
	wantKind(t, err, jumpcloud.KindRedirect, jumpcloud.ErrRedirect)
	host := strings.TrimPrefix(s.URL, "http://")
	for _, r := range w.requests() {
		if r.Host != host {
			t.Fatalf("a request went to %s", r.Host)
		}
	}
	noSecretIn(t, err, append(w.tokens(), allSecrets(s)...)...)
}

// A 403 names the credential that was refused: a service account has no admin behind it, so
// its refusal speaks of its role and where to change it, in NotAvailable and in Error().
func TestForbiddenNamesTheServiceAccountsRole(t *testing.T) {
	ctx := context.Background()
	s := sandbox(t, jctest.Options{Devices: 5})
	sa := s.ServiceAccounts.ReadOnly
	s.DenyServiceAccount(sa.ClientID, "/api/applications")
	c, _ := saClient(t, s, sa, newFakeClock())
	_, err := c.Applications(ctx, jumpcloud.ListOptions{})
	why, ok := jumpcloud.NotAvailable(err)
	if !ok || !strings.Contains(why, "not available to this service account") || !strings.Contains(why, "this service account's role") {
		t.Fatalf("NotAvailable = %q, %v", why, ok)
	}
	if msg := err.Error(); strings.Contains(msg, "admin") || !strings.Contains(msg, "Settings ▸ Service Accounts") {
		t.Fatalf("Error() = %q", msg)
	}

	// The same refusal for a key keeps the key's words.
	s.Deny(s.Keys.ReadOnly, "/api/applications")
	_, err = newClient(t, s, s.Keys.ReadOnly).Applications(ctx, jumpcloud.ListOptions{})
	if why, _ := jumpcloud.NotAvailable(err); !strings.Contains(why, "the admin's role") {
		t.Fatalf("a key's NotAvailable = %q", why)
	}
}
