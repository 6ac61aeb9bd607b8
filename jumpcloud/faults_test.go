package jumpcloud_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
)

// Every fault the sandbox can inject, every error class: the typed error, its message, and no
// key in it.

func TestFaultsBecomeTypedErrors(t *testing.T) {
	cases := []struct {
		name    string
		fault   jctest.Fault
		tune    func(*jumpcloud.Config)
		kind    jumpcloud.Kind
		phrases []string
	}{
		{"429 with Retry-After, every time", jctest.Fault{Kind: jctest.FaultRateLimit, RetryAfter: "0"}, nil,
			jumpcloud.KindRateLimited, []string{"devices (/api/systems)", "rate limiting this key (429)", "Wait a minute"}},
		{"429 without Retry-After, every time", jctest.Fault{Kind: jctest.FaultRateLimit}, nil,
			jumpcloud.KindRateLimited, []string{"rate limiting this key (429)"}},
		{"500 every time", jctest.Fault{Kind: jctest.FaultStatus, Status: 500}, nil,
			jumpcloud.KindServer, []string{"server error (500) after retries", "status.jumpcloud.com"}},
		{"502 every time", jctest.Fault{Kind: jctest.FaultStatus, Status: 502}, nil,
			jumpcloud.KindServer, []string{"server error (502)"}},
		{"503 every time", jctest.Fault{Kind: jctest.FaultStatus, Status: 503}, nil,
			jumpcloud.KindServer, []string{"server error (503)"}},
		{"504 every time", jctest.Fault{Kind: jctest.FaultStatus, Status: 504}, nil,
			jumpcloud.KindServer, []string{"server error (504)"}},
		{"501 is not retried", jctest.Fault{Kind: jctest.FaultStatus, Status: 501}, nil,
			jumpcloud.KindServer, []string{"server error (501)"}},
		{"connection reset", jctest.Fault{Kind: jctest.FaultReset}, nil,
			jumpcloud.KindNetwork, []string{"could not reach JumpCloud", "Check your network"}},
		{"stalled response", jctest.Fault{Kind: jctest.FaultStall},
			func(c *jumpcloud.Config) { c.Timeout = 300 * time.Millisecond },
			jumpcloud.KindTimeout, []string{"the request timed out", "no complete answer within 300ms"}},
		{"truncated JSON", jctest.Fault{Kind: jctest.FaultTruncated}, nil,
			jumpcloud.KindNotJSON, []string{"was not JSON", "cut off", "captive portal"}},
		{"HTML page", jctest.Fault{Kind: jctest.FaultHTML}, nil,
			jumpcloud.KindNotJSON, []string{"was not JSON", "HTML page"}},
		{"HTML 403 from a proxy", jctest.Fault{Kind: jctest.FaultHTML, Status: 403}, nil,
			jumpcloud.KindForbidden, []string{"devices (/api/systems)", "not permitted", "IP block"}},
		{"garbage", jctest.Fault{Kind: jctest.FaultGarbage}, nil,
			jumpcloud.KindNotJSON, []string{"was not JSON"}},
		{"redirect to another host", jctest.Fault{Kind: jctest.FaultRedirect}, nil,
			jumpcloud.KindRedirect, []string{"redirect (302)", "never followed"}},
		{"oversized body", jctest.Fault{Kind: jctest.FaultOversize},
			func(c *jumpcloud.Config) { c.MaxBodyBytes = 1 << 20 },
			jumpcloud.KindTooLarge, []string{"larger than the size limit", "over 1 MiB"}},
		{"400", jctest.Fault{Kind: jctest.FaultStatus, Status: 400}, nil,
			jumpcloud.KindBadRequest, []string{"refused (400)"}},
		{"404", jctest.Fault{Kind: jctest.FaultStatus, Status: 404}, nil,
			jumpcloud.KindNotFound, []string{"not found (404)", "--base-url"}},
	}
	s := sandbox(t, jctest.Options{Devices: 150, Seed: 20})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s.ResetCounts()
			tc.fault.PathPrefix = "/api/systems"
			remove := s.Inject(tc.fault)
			defer remove()
			tune := []func(*jumpcloud.Config){func(c *jumpcloud.Config) { c.MaxRetries = 2 }}
			if tc.tune != nil {
				tune = append(tune, tc.tune)
			}
			c := newClient(t, s, s.Keys.ReadOnly, tune...)
			_, err := c.Systems(context.Background(), jumpcloud.ListOptions{})
			e := wantError(t, s, err, tc.kind, tc.phrases...)
			if e.Path != "/api/systems" || e.Source != "devices" || e.Method != "GET" {
				t.Errorf("error fields %+v", e)
			}
			wantTries := 1
			if tc.kind == jumpcloud.KindRateLimited || (tc.kind == jumpcloud.KindServer && e.Status != 501) {
				wantTries = 3 // MaxRetries 2
			}
			if got := s.Requests("/api/systems"); got != wantTries {
				t.Errorf("%d requests, want %d", got, wantTries)
			}
			if st := c.Stats(); st.Retries != int64(wantTries-1) {
				t.Errorf("stats %+v, want %d retries", st, wantTries-1)
			}
		})
	}
}

func TestTransientFaultsAreRetriedAway(t *testing.T) {
	s := sandbox(t, jctest.Options{Devices: 250, Seed: 21})
	for _, f := range []jctest.Fault{
		{Kind: jctest.FaultRateLimit, RetryAfter: "0", Times: 2},
		// A date in the past: retry at once (a date ahead is honoured like seconds).
		{Kind: jctest.FaultRateLimit, RetryAfter: time.Now().Add(-time.Second).UTC().Format(http.TimeFormat), Times: 1},
		{Kind: jctest.FaultRateLimit, Times: 3},
		{Kind: jctest.FaultStatus, Status: 500, Times: 1},
		{Kind: jctest.FaultStatus, Status: 502, Times: 2},
		{Kind: jctest.FaultStatus, Status: 503, Times: 1},
		{Kind: jctest.FaultStatus, Status: 504, Times: 1},
		{Kind: jctest.FaultLatency, Delay: 30 * time.Millisecond, Times: 2},
	} {
		s.ResetCounts()
		f.PathPrefix = "/api/systems"
		remove := s.Inject(f)
		c := newClient(t, s, s.Keys.ReadOnly)
		systems, err := c.Systems(context.Background(), jumpcloud.ListOptions{})
		remove()
		if err != nil {
			t.Fatalf("fault %+v: %v", f, err)
		}
		if len(systems) != 250 {
			t.Fatalf("fault %+v: %d systems", f, len(systems))
		}
		wantRetries := int64(f.Times)
		if f.Kind == jctest.FaultLatency {
			wantRetries = 0
		}
		// 250 devices are 3 pages; each injected failure costs one retry.
		if st := c.Stats(); st.Retries != wantRetries || st.Requests != 3+wantRetries ||
			int64(s.Requests("/api/systems")) != st.Requests {
			t.Errorf("fault %+v: stats %+v, server counted %d", f, st, s.Requests("/api/systems"))
		}
	}
}

// A Retry-After longer than the cap fails at once and says how long JumpCloud asked for, instead
// of retrying early (and earning more 429s) for minutes in silence.
func TestARetryAfterBeyondTheCapFailsAtOnceNamingTheWait(t *testing.T) {
	s := sandbox(t, jctest.Options{Devices: 10, Seed: 22})
	s.Inject(jctest.Fault{PathPrefix: "/api/systems", Kind: jctest.FaultRateLimit, RetryAfter: "950400"})
	c := newClient(t, s, s.Keys.ReadOnly, func(cfg *jumpcloud.Config) { cfg.MaxRetryDelay = 2 * time.Minute })
	_, err := c.Systems(context.Background(), jumpcloud.ListOptions{})
	wantError(t, s, err, jumpcloud.KindRateLimited, "JumpCloud asks to wait 11 days, longer than jcconnect waits (2 minutes)")
	if n := s.Requests("/api/systems"); n != 1 {
		t.Fatalf("%d requests: a wait beyond the cap must not be retried", n)
	}
}

func TestKeysThatNoLongerWork(t *testing.T) {
	s := sandbox(t, jctest.Options{Devices: 10, Seed: 23})
	ctx := context.Background()
	for name, key := range map[string]string{"revoked": s.Keys.Revoked, "expired": s.Keys.Expired,
		"unknown": "jca_NotAKeyTheSandboxKnows0000000000000"} {
		_, err := newClient(t, s, key).Systems(ctx, jumpcloud.ListOptions{})
		e := wantError(t, s, err, jumpcloud.KindInvalidKey, "the API key was refused (401)", "jcconnect rotate")
		if e.Status != 401 || e.ServerMessage == "" {
			t.Errorf("%s key: %+v, want a 401 with JumpCloud's message", name, e)
		}
		if strings.Contains(err.Error(), key) {
			t.Fatalf("%s key appears in %q", name, err)
		}
	}
	_, err := newClient(t, s, "jca_NotAKeyTheSandboxKnows0000000000000").Organizations(ctx)
	wantError(t, s, err, jumpcloud.KindInvalidKey, "api key user not found")

	// Rotation revokes the old key at once; the new one works.
	c := newClient(t, s, s.Keys.ReadOnly)
	if _, err := c.Organizations(ctx); err != nil {
		t.Fatal(err)
	}
	newKey := s.RotateKey(s.Keys.ReadOnly)
	_, err = c.Organizations(ctx)
	wantError(t, s, err, jumpcloud.KindInvalidKey)
	if strings.Contains(err.Error(), newKey) {
		t.Fatal("the new key appears in the error")
	}
	if _, err := newClient(t, s, newKey).Organizations(ctx); err != nil {
		t.Fatalf("rotated key: %v", err)
	}

	// Revoked in the middle of a collection: the run stops with 401, not a partial success.
	admin := newClient(t, s, s.Keys.Admin)
	s.RevokeKey(s.Keys.Admin)
	_, err = admin.SystemUsers(ctx, jumpcloud.ListOptions{})
	wantError(t, s, err, jumpcloud.KindInvalidKey, "users (/api/systemusers)")
}

func TestRoleRefusalsAreForbiddenPerSource(t *testing.T) {
	s := sandbox(t, jctest.Options{Devices: 10, Seed: 24})
	s.Inject(jctest.Fault{PathPrefix: "/api/v2/authn/policies", Kind: jctest.FaultStatus, Status: 403})
	_, err := newClient(t, s, s.Keys.ReadOnly).AuthnPolicies(context.Background(), jumpcloud.ListOptions{})
	e := wantError(t, s, err, jumpcloud.KindForbidden, "conditional access (/api/v2/authn/policies)",
		"not permitted for this key's role (403)", "Read Only admin's key")
	if e.Source != string(jumpcloud.SourceAuthnPolicies) || e.Status != 403 {
		t.Errorf("error %+v", e)
	}
}

func TestMultiTenantOrganisationCases(t *testing.T) {
	s := sandbox(t, jctest.Options{Devices: 10, Seed: 25})
	ctx := context.Background()
	mt := newClient(t, s, s.Keys.MultiTenant)

	_, err := mt.Systems(ctx, jumpcloud.ListOptions{})
	e := wantError(t, s, err, jumpcloud.KindOrgRequired, "multi-tenant key and no organisation was chosen", "--org-id")
	if e.Status != 401 {
		t.Errorf("status %d, want 401", e.Status)
	}

	_, err = mt.WithOrg("ffffffffffffffffffffffff").Systems(ctx, jumpcloud.ListOptions{})
	wantError(t, s, err, jumpcloud.KindOrgNotFound, "organisation id was not found or is malformed")

	_, err = mt.WithOrg("not-hex").Systems(ctx, jumpcloud.ListOptions{})
	wantError(t, s, err, jumpcloud.KindOrgNotFound)

	// The client never sends x-org-id to /api/organizations; a proxy that adds it anyway shows
	// what JumpCloud answers, and the client names it.
	orgs, err := mt.Organizations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	addOrg := func(c *jumpcloud.Config) {
		c.Transport = headerAdder{next: http.DefaultTransport, name: "x-org-id", value: orgs[0].ID}
	}
	_, err = newClient(t, s, s.Keys.MultiTenant, addOrg).Organizations(ctx)
	wantError(t, s, err, jumpcloud.KindOrgNotAllowed, "does not accept an organisation header",
		"organization selection not allowed via header")

	// Another organisation's id with a single-tenant key.
	_, err = newClient(t, s, s.Keys.OtherOrg).WithOrg(s.Org().ID).Systems(ctx, jumpcloud.ListOptions{})
	if k := jumpcloud.KindOf(err); k != jumpcloud.KindOrgNotFound && k != jumpcloud.KindForbidden && k != jumpcloud.KindBadRequest {
		t.Fatalf("foreign org id: %v, want org_not_found, forbidden or bad_request", err)
	}
	noKeyIn(t, s, err)
}

// headerAdder stands for a proxy that adds a header to every request.
type headerAdder struct {
	next        http.RoundTripper
	name, value string
}

func (h headerAdder) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set(h.name, h.value)
	return h.next.RoundTrip(r)
}

func TestCanceledAndUnreachable(t *testing.T) {
	s := sandbox(t, jctest.Options{Devices: 500, Seed: 26})
	c := newClient(t, s, s.Keys.ReadOnly)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.Systems(ctx, jumpcloud.ListOptions{})
	wantError(t, s, err, jumpcloud.KindCanceled, "devices (/api/systems): canceled")
	if !errors.Is(err, context.Canceled) {
		t.Error("a canceled call does not wrap context.Canceled")
	}

	// Canceled in the middle of concurrent paging.
	s.SetLatency(20 * time.Millisecond)
	ctx, cancel = context.WithCancel(context.Background())
	_, err = c.Systems(ctx, jumpcloud.ListOptions{OnPage: func(p jumpcloud.Progress) {
		if p.Pages == 2 {
			cancel()
		}
	}})
	wantError(t, s, err, jumpcloud.KindCanceled)
	s.SetLatency(0)

	// The caller's own deadline is a timeout.
	s.Inject(jctest.Fault{PathPrefix: "/api/settings", Kind: jctest.FaultStall})
	ctx, cancel = context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err = c.Settings(ctx)
	wantError(t, s, err, jumpcloud.KindTimeout, "settings (/api/settings): the request timed out")

	// Nothing listening.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	down, err := jumpcloud.New(jumpcloud.Config{BaseURL: "http://" + addr, APIKey: s.Keys.ReadOnly})
	if err != nil {
		t.Fatal(err)
	}
	_, err = down.Organizations(context.Background())
	wantError(t, s, err, jumpcloud.KindNetwork, "could not reach JumpCloud", "connection refused")
}

// hostRecorder records every host a request was sent to.
type hostRecorder struct {
	next  http.RoundTripper
	mu    sync.Mutex
	hosts map[string]int
}

func (h *hostRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	h.mu.Lock()
	h.hosts[r.URL.Host]++
	h.mu.Unlock()
	return h.next.RoundTrip(r)
}

func TestARedirectIsNeverFollowed(t *testing.T) {
	s := sandbox(t, jctest.Options{Devices: 10, Seed: 27})
	s.Inject(jctest.Fault{PathPrefix: "/api/users/getSelf", Kind: jctest.FaultRedirect})
	rec := &hostRecorder{next: http.DefaultTransport, hosts: map[string]int{}}
	c := newClient(t, s, s.Keys.ReadOnly, func(cfg *jumpcloud.Config) { cfg.Transport = rec })
	_, err := c.Self(context.Background())
	e := wantError(t, s, err, jumpcloud.KindRedirect, "key owner (/api/users/getSelf)", "redirect (302)")
	if e.Status != 302 {
		t.Errorf("status %d", e.Status)
	}
	sandboxHost := strings.TrimPrefix(s.URL, "http://")
	if len(rec.hosts) != 1 || rec.hosts[sandboxHost] != 1 {
		t.Fatalf("requests went to %v; want one, to %s only", rec.hosts, sandboxHost)
	}
	// KeyOwner falls back to settings; the redirect is not followed there either.
	owner, err := c.KeyOwner(context.Background())
	if err != nil || owner.RoleSource != "settings" || rec.hosts[sandboxHost] != 3 || len(rec.hosts) != 1 {
		t.Fatalf("KeyOwner after a redirect: %+v, %v", owner, err)
	}
}

// A 404 that merely mentions the organisation ("not enabled for this organization") is about a
// feature, not about the org id: with x-org-id sent it must stay KindNotFound.
func TestFeatureNotEnabledIsNotAnUnknownOrg(t *testing.T) {
	s := sandbox(t, jctest.Options{Devices: 10, Seed: 26})
	ctx := context.Background()
	mt := newClient(t, s, s.Keys.MultiTenant)
	orgs, err := mt.Organizations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var sawNotEnabled bool
	for _, o := range orgs {
		_, err := mt.WithOrg(o.ID).Insights(ctx, jumpcloud.TableALF, jumpcloud.ListOptions{})
		if err == nil {
			continue
		}
		sawNotEnabled = true
		wantError(t, s, err, jumpcloud.KindNotFound, "not enabled")
	}
	if !sawNotEnabled {
		t.Fatal("the sandbox has an organisation with System Insights off; no 404 was seen")
	}
}
