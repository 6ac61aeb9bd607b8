package connect

import (
	"errors"
	"strings"
	"testing"
	"time"

	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
	"jcconnect/store"
)

func wizBoth() store.Integrations { return store.Integrations{EndpointManagement: true, SSO: true} }

func wizRequest(srv *jctest.Server, k string) VerifyRequest {
	return VerifyRequest{Key: store.MustSecret(k, false), Region: RegionDemo, BaseURL: srv.URL, Integrations: wizBoth(), NewClient: wizClient}
}

func TestVerifyKeyReadOnlyPassesEveryStep(t *testing.T) {
	srv := wizSandbox(t)
	var reported []CheckResult
	v, err := VerifyKey(wizCtx, wizRequest(srv, srv.Keys.ReadOnly), nil, func(r CheckResult) { reported = append(reported, r) })
	if err != nil {
		t.Fatal(err)
	}
	if !v.ReadOnly() || IsPrivileged(v.Owner) {
		t.Fatalf("role %q should be Read Only", v.Owner.Role)
	}
	if v.Org.ID != srv.Org().ID || v.OrgCount != 1 {
		t.Fatalf("org %+v, want %s", v.Org, srv.Org().ID)
	}
	if v.Expires == nil {
		t.Fatal("jctest gives an expiry date; it was not read")
	}
	if len(reported) != len(v.Checks) || len(reported) < 6 {
		t.Fatalf("reported %d checks, result has %d", len(reported), len(v.Checks))
	}
	for _, sc := range v.Sources {
		if sc.Source == jumpcloud.SourceDevices && !sc.Readable() {
			t.Fatal("a Read Only key can read devices")
		}
	}
	p := v.Profile("default")
	if p.KeyLast4 != srv.Keys.ReadOnly[len(srv.Keys.ReadOnly)-4:] || p.Fingerprint != store.Fingerprint(srv.Keys.ReadOnly) {
		t.Fatal("profile does not identify the key")
	}
	if p.Region != "custom" || p.BaseURL != srv.URL || p.Role == "" || p.VerifiedAt == nil {
		t.Fatalf("profile incomplete: %+v", p)
	}
	// `setup --with-key --region us --base-url …`: the base URL wins in the client, so the
	// profile must say custom, not us.
	v.Region = "us"
	if p := v.Profile("default"); p.Region != "custom" {
		t.Fatalf("a base URL with --region us stored region %q, want custom", p.Region)
	}
	for _, r := range v.Checks {
		if strings.Contains(r.Detail+r.Fix, srv.Keys.ReadOnly) {
			t.Fatal("a check result contains the key")
		}
	}
}

func TestVerifyKeyRevokedAndExpiredFailWithFix(t *testing.T) {
	srv := wizSandbox(t)
	for _, k := range []string{srv.Keys.Revoked, srv.Keys.Expired} {
		req := wizRequest(srv, k)
		v, err := VerifyKey(wizCtx, req, nil, nil)
		if !errors.Is(err, ErrVerifyFailed) {
			t.Fatalf("err = %v", err)
		}
		last := v.Checks[len(v.Checks)-1]
		if last.Name != CheckNameKey || last.State != CheckFailed || last.Retryable {
			t.Fatalf("last check %+v", last)
		}
		// JumpCloud shows a key only once: the way out is a new key, never "copy the newest".
		if !strings.Contains(last.Fix, "generate a new key") || strings.Contains(last.Fix, "newest") {
			t.Fatalf("fix %q", last.Fix)
		}
		// A custom base URL (the sandbox) has no region to blame.
		if strings.Contains(last.Detail, "region") {
			t.Fatalf("a base URL is not a region: %q", last.Detail)
		}
		if ExitCodeForChecks(v.Checks) != ExitInvalidKey {
			t.Fatal("a refused key must exit with ExitInvalidKey")
		}
	}
}

// Revoked, expired and never-known keys are told apart by what is known: the server's "api key
// expired", the expiry stored with the key, and whether a stored profile holds its fingerprint.
func TestVerifyKeyRefusalsSayWhichOneItIs(t *testing.T) {
	srv := wizSandbox(t)
	past := time.Date(2020, 3, 4, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name  string
		key   string
		known KeyHistory
		want  string
	}{
		{"expired, says the server", srv.Keys.Expired, KeyHistory{}, "the key has expired"},
		{"expired, says the profile", srv.Keys.Revoked, KeyHistory{Verified: true, Expires: &past}, "expired on 4 Mar 2020"},
		{"revoked: it worked before", srv.Keys.Revoked, KeyHistory{Verified: true}, "this key worked before, so it has been revoked"},
		{"never known", srv.Keys.Revoked, KeyHistory{}, "JumpCloud does not know this key"},
	} {
		req := wizRequest(srv, c.key)
		req.Known = c.known
		v, _ := VerifyKey(wizCtx, req, nil, nil)
		last := v.Checks[len(v.Checks)-1]
		if !strings.Contains(last.Detail, c.want) {
			t.Errorf("%s: detail %q, want %q", c.name, last.Detail, c.want)
		}
	}
}

// On a 401 from an official region the other official regions are asked; a custom base URL
// never leads to them. The regions here are loopback sandboxes, each with its own keys.
func TestVerifyKeyRefusedInOneRegionNamesTheRegionThatAcceptsIt(t *testing.T) {
	us, eu := wizSandbox(t), jctest.NewServer(jctest.Options{Devices: 4, Seed: 9})
	in := jctest.NewServer(jctest.Options{Devices: 4, Seed: 11})
	t.Cleanup(eu.Close)
	t.Cleanup(in.Close)
	hosts := map[string]string{"us": us.URL, "eu": eu.URL, "in": in.URL}
	req := VerifyRequest{Key: store.MustSecret(eu.Keys.ReadOnly, false), Region: "us", Integrations: wizBoth(), NewClient: wizClient, RegionHosts: hosts}
	v, err := VerifyKey(wizCtx, req, nil, nil)
	if err == nil {
		t.Fatal("the US host accepted an EU key")
	}
	last := v.Checks[len(v.Checks)-1]
	if !strings.Contains(last.Detail, "this key belongs to the EU region") || last.Fix != "Run with --region eu." {
		t.Fatalf("check %+v", last)
	}
	// A key no region knows says so.
	req.Key = store.MustSecret(us.Keys.Revoked, false)
	v, _ = VerifyKey(wizCtx, req, nil, nil)
	if last := v.Checks[len(v.Checks)-1]; !strings.Contains(last.Detail, "no other region accepts it") {
		t.Fatalf("check %+v", last)
	}
	// --base-url: the EU sandbox would accept, but a custom host never leads to the regions.
	req = VerifyRequest{Key: store.MustSecret(eu.Keys.ReadOnly, false), Region: "us", BaseURL: us.URL, Integrations: wizBoth(), NewClient: wizClient, RegionHosts: hosts}
	v, _ = VerifyKey(wizCtx, req, nil, nil)
	if last := v.Checks[len(v.Checks)-1]; strings.Contains(last.Detail+last.Fix, "EU") {
		t.Fatalf("a custom base URL asked the regions: %+v", last)
	}
}

func TestVerifyKeyMultiTenantNeedsAPick(t *testing.T) {
	srv := wizSandbox(t)
	v0, err := VerifyKey(wizCtx, wizRequest(srv, srv.Keys.MultiTenant), nil, nil)
	if err == nil || !strings.Contains(err.Error(), CheckNameOrg) {
		t.Fatalf("without a picker a multi-tenant key must fail on the organisation: %v", err)
	}
	// No list is drawn without a picker: "choose one below" would point at nothing.
	if last := v0.Checks[len(v0.Checks)-1]; strings.Contains(last.Detail, "below") || !strings.Contains(last.Detail, "--org-id") {
		t.Fatalf("no-picker organisation check %+v", last)
	}
	var offered int
	v, err := VerifyKey(wizCtx, wizRequest(srv, srv.Keys.MultiTenant), func(orgs []jumpcloud.Organization) (jumpcloud.Organization, error) {
		offered = len(orgs)
		return orgs[1], nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if offered != 3 || v.OrgCount != 3 || v.Org.ID == "" {
		t.Fatalf("offered %d, org %+v", offered, v.Org)
	}
	// --org-id settles it without asking.
	req := wizRequest(srv, srv.Keys.MultiTenant)
	req.OrgID = v.Org.ID
	v2, err := VerifyKey(wizCtx, req, nil, nil)
	if err != nil || v2.Org.ID != v.Org.ID {
		t.Fatalf("org-id not honoured: %v %+v", err, v2.Org)
	}
	req.OrgID = "000000000000000000000000"
	if _, err := VerifyKey(wizCtx, req, nil, nil); err == nil {
		t.Fatal("an organisation the key cannot see must fail")
	}
}

func TestVerifyKeyAdminIsWarnedNotBlocked(t *testing.T) {
	srv := wizSandbox(t)
	v, err := VerifyKey(wizCtx, wizRequest(srv, srv.Keys.Admin), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !IsPrivileged(v.Owner) {
		t.Fatalf("role %q should be privileged", v.Owner.Role)
	}
	var ro CheckResult
	for _, r := range v.Checks {
		if r.Name == CheckNameReadOnly {
			ro = r
		}
	}
	if ro.State != CheckWarning || !strings.Contains(ro.Fix, "Least privilege") {
		t.Fatalf("read-only check %+v", ro)
	}
}

func TestVerifyKeyNetworkTroubleIsRetryable(t *testing.T) {
	srv := wizSandbox(t)
	srv.Inject(jctest.Fault{PathPrefix: "/api/organizations", Kind: jctest.FaultStatus, Status: 503, Times: 1})
	v, err := VerifyKey(wizCtx, wizRequest(srv, srv.Keys.ReadOnly), nil, nil)
	if err == nil {
		t.Fatal("a 503 without retries must fail this attempt")
	}
	// Retryable, and the fix names no key to press: `setup --with-key` prints it too, where there
	// is no "r" (the TUI and the prompts offer the retry in their own words).
	if last := v.Checks[len(v.Checks)-1]; !last.Retryable || last.Fix == "" || strings.Contains(strings.ToLower(last.Fix), "press r") {
		t.Fatalf("not offered a retry, or offered it as a key press: %+v", last)
	}
	if ExitCodeForChecks(v.Checks) != ExitNetwork {
		t.Fatal("network trouble must exit with ExitNetwork")
	}
	if _, err := VerifyKey(wizCtx, wizRequest(srv, srv.Keys.ReadOnly), nil, nil); err != nil {
		t.Fatalf("the retry should pass: %v", err)
	}
}

func TestCheckSourceNotPermittedAndNotEnabled(t *testing.T) {
	srv := wizSandbox(t)
	c, err := wizClient(jumpcloud.Config{BaseURL: srv.URL, APIKey: srv.Keys.ReadOnly})
	if err != nil {
		t.Fatal(err)
	}
	srv.Inject(jctest.Fault{PathPrefix: "/api/systems", Kind: jctest.FaultStatus, Status: 403})
	sc := CheckSource(wizCtx, c, jumpcloud.SourceDevices, false)
	if sc.Result.State != CheckWarning || sc.Result.Detail != "not permitted for this key's role" {
		t.Fatalf("403: %+v", sc.Result)
	}
	srv.Inject(jctest.Fault{PathPrefix: "/api/v2/systeminsights", Kind: jctest.FaultStatus, Status: 404})
	sc = CheckSource(wizCtx, c, jumpcloud.SourceInsights, false)
	if sc.Result.State != CheckWarning || !strings.Contains(sc.Result.Detail, "not enabled") {
		t.Fatalf("404 on insights: %+v", sc.Result)
	}
}

func TestCheckOwnerUnknownRoleWarnsAndContinues(t *testing.T) {
	r := CheckReadOnly(jumpcloud.KeyOwner{})
	if r.State != CheckWarning || !strings.Contains(r.Detail, "could not be determined") {
		t.Fatalf("%+v", r)
	}
	if IsPrivileged(jumpcloud.KeyOwner{}) {
		t.Fatal("an unknown role must not trigger the least-privilege choice")
	}
	if got := CheckReadOnly(jumpcloud.KeyOwner{Role: "read only"}); got.State != CheckPassed {
		t.Fatalf("role case must not matter: %+v", got)
	}
}

func TestCheckExpiry(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	owner := func(exp time.Time) jumpcloud.KeyOwner {
		return jumpcloud.KeyOwner{Admin: jumpcloud.Admin{APIKeyHash: &jumpcloud.APIKeyInfo{ExpireAt: &exp}}}
	}
	if r := CheckExpiry(jumpcloud.KeyOwner{}, now).Result; r.State != CheckPassed || !strings.Contains(r.Detail, "did not give") {
		t.Fatalf("no date: %+v", r)
	}
	if r := CheckExpiry(owner(now.Add(5*24*time.Hour)), now).Result; r.State != CheckWarning || !strings.Contains(r.Detail, "in 5 days") {
		t.Fatalf("soon: %+v", r)
	}
	if r := CheckExpiry(owner(now.Add(-time.Hour)), now).Result; r.State != CheckWarning {
		t.Fatalf("past: %+v", r)
	}
	if r := CheckExpiry(owner(now.Add(90*24*time.Hour)), now).Result; r.State != CheckPassed || !strings.Contains(r.Detail, "26 Feb 2027") {
		t.Fatalf("later: %+v", r)
	}
}

func TestSourcesForIntegrations(t *testing.T) {
	srcs, optional := SourcesFor(store.Integrations{SSO: true})
	for _, s := range srcs {
		if s == jumpcloud.SourceDevices {
			t.Fatal("SSO alone does not read devices")
		}
	}
	if !optional[jumpcloud.SourceAdmins] {
		t.Fatal("administrators are optional")
	}
	srcs, _ = SourcesFor(store.Integrations{EndpointManagement: true})
	got := map[jumpcloud.Source]bool{}
	for _, s := range srcs {
		got[s] = true
	}
	if !got[jumpcloud.SourceDevices] || !got[jumpcloud.SourcePolicyResults] || got[jumpcloud.SourceUsers] {
		t.Fatalf("endpoint sources: %v", srcs)
	}
}

func TestVerifyKeyEveryKindOfTroubleIsExplained(t *testing.T) {
	srv := wizSandbox(t)
	shortTimeout := func(cfg jumpcloud.Config) (*jumpcloud.Client, error) {
		cfg.MaxRetries = -1
		cfg.Timeout = 300 * time.Millisecond
		return jumpcloud.New(cfg)
	}
	cases := []struct {
		name      string
		fault     jctest.Fault
		retryable bool
		exit      int
	}{
		{"rate limited", jctest.Fault{Kind: jctest.FaultRateLimit, RetryAfter: "1"}, true, ExitNetwork},
		{"server error", jctest.Fault{Kind: jctest.FaultStatus, Status: 500}, true, ExitNetwork},
		{"stalled", jctest.Fault{Kind: jctest.FaultStall}, true, ExitNetwork},
		{"captive portal", jctest.Fault{Kind: jctest.FaultHTML}, true, ExitNetwork},
		{"connection reset", jctest.Fault{Kind: jctest.FaultReset}, true, ExitNetwork},
		{"redirect", jctest.Fault{Kind: jctest.FaultRedirect}, false, ExitFailure},
	}
	for _, c := range cases {
		c.fault.PathPrefix = "/api/organizations"
		remove := srv.Inject(c.fault)
		req := wizRequest(srv, srv.Keys.ReadOnly)
		req.NewClient = shortTimeout
		v, err := VerifyKey(wizCtx, req, nil, nil)
		remove()
		if err == nil {
			t.Errorf("%s: verification passed", c.name)
			continue
		}
		last := v.Checks[len(v.Checks)-1]
		if last.Retryable != c.retryable || last.Detail == "" || last.Fix == "" {
			t.Errorf("%s: %+v", c.name, last)
		}
		if got := ExitCodeForChecks(v.Checks); got != c.exit {
			t.Errorf("%s: exit %d, want %d", c.name, got, c.exit)
		}
		if strings.Contains(last.Detail+last.Fix, srv.Keys.ReadOnly) {
			t.Errorf("%s: the key is in the message", c.name)
		}
	}
}

func TestVerifyKeyOrgIDTheKeyCannotSee(t *testing.T) {
	srv := wizSandbox(t)
	req := wizRequest(srv, srv.Keys.ReadOnly)
	req.OrgID = "0123456789abcdef01234567"
	v, err := VerifyKey(wizCtx, req, nil, nil)
	if err == nil {
		t.Fatal("a foreign --org-id must fail")
	}
	last := v.Checks[len(v.Checks)-1]
	if last.Name != CheckNameOrg || !strings.Contains(last.Detail, "cannot see organisation") || ExitCodeForChecks(v.Checks) != ExitUsage {
		t.Fatalf("%+v", last)
	}
}
