package evidence

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
)

var jcNow = time.Date(2026, 8, 1, 10, 0, 0, 0, time.UTC)

func newServer(t testing.TB, opt jctest.Options) *jctest.Server {
	t.Helper()
	if opt.Now.IsZero() {
		opt.Now = jcNow
	}
	srv := jctest.NewServer(opt)
	t.Cleanup(srv.Close)
	return srv
}

// newClient is a client for the sandbox with quick retries, so failure tests stay fast. Its 30s
// per-request timeout only guards a hung test: tests of the timeout set their own. A short one can fail
// healthy requests under -race on a loaded 2-core machine (2s did, in the jumpcloud tests).
func newClient(t testing.TB, srv *jctest.Server, key string, tweak func(*jumpcloud.Config)) *jumpcloud.Client {
	t.Helper()
	cfg := jumpcloud.Config{BaseURL: srv.URL, APIKey: key, MaxRetries: 2,
		RetryBaseDelay: time.Millisecond, MaxRetryDelay: 20 * time.Millisecond, Timeout: 30 * time.Second}
	if tweak != nil {
		tweak(&cfg)
	}
	c, err := jumpcloud.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func both() CollectOptions {
	return CollectOptions{Integrations: Integrations{Endpoint: true, SSO: true},
		KeyFingerprint: "fp-test", Region: "custom", Now: func() time.Time { return jcNow }}
}

func stateOf(s *Snapshot, source string) string { return s.Status(source).State }

func TestCollectMatchesWhatWasServed(t *testing.T) {
	srv := newServer(t, jctest.Options{Devices: 120, Users: 40, Policies: 9, Seed: 3})
	client := newClient(t, srv, srv.Keys.ReadOnly, nil)
	var mu sync.Mutex
	done := map[string]string{}
	events := 0
	opt := both()
	opt.BaseURL = srv.URL
	opt.OnProgress = func(ev ProgressEvent) {
		mu.Lock()
		defer mu.Unlock()
		events++
		if ev.Done {
			done[ev.Source] = ev.State
		}
	}
	snap, err := Collect(context.Background(), client, opt)
	if err != nil {
		t.Fatal(err)
	}
	org := srv.Org()
	if len(snap.Devices) != org.Devices || len(snap.Users) != org.Users || len(snap.Policies) != org.Policies ||
		len(snap.PolicyStatuses) != org.Statuses || len(snap.Applications) != org.Applications ||
		len(snap.AuthnPolicies) != org.AuthnPolicies {
		t.Errorf("collected %d devices %d users %d policies %d statuses %d apps %d authn; served %+v",
			len(snap.Devices), len(snap.Users), len(snap.Policies), len(snap.PolicyStatuses),
			len(snap.Applications), len(snap.AuthnPolicies), org)
	}
	for table, n := range org.InsightRows {
		if table == jumpcloud.TableMounts {
			n = org.RootMounts // only the root file system is read
		}
		if len(snap.Insights[table]) != n {
			t.Errorf("%s: %d rows, served %d", table, len(snap.Insights[table]), n)
		}
	}
	if snap.OrgID != org.ID || snap.OrgName != org.Name || snap.Settings == nil {
		t.Errorf("org %q %q settings %v; served %q %q", snap.OrgID, snap.OrgName, snap.Settings, org.ID, org.Name)
	}
	if !jumpcloud.IsReadOnlyRole(snap.Role) || snap.KeyFingerprint != "fp-test" || !snap.CollectedAt.Equal(jcNow) {
		t.Errorf("role %q fingerprint %q at %v", snap.Role, snap.KeyFingerprint, snap.CollectedAt)
	}
	// A Read Only key may not list administrators in the sandbox: only that source is marked.
	for _, st := range snap.Sources {
		want := StateOK
		if st.Source == string(jumpcloud.SourceAdmins) {
			want = StateNotPermitted
		}
		if st.State != want {
			t.Errorf("%s: %s (%s), want %s", st.Source, st.State, st.Reason, want)
		}
	}
	if len(snap.Sources) != len(SourceOrder()) {
		t.Errorf("%d source statuses, want %d", len(snap.Sources), len(SourceOrder()))
	}
	if done[string(jumpcloud.SourceDevices)] != StateOK || done[string(jumpcloud.SourcePolicyResults)] != StateOK || events < 10 {
		t.Errorf("progress: %d events, done %v", events, done)
	}
	for i := 1; i < len(snap.Devices); i++ {
		if snap.Devices[i-1].ID >= snap.Devices[i].ID {
			t.Fatal("devices not sorted by id")
		}
	}
	// The checks agree with the sandbox's own facts.
	rep := Evaluate(snap, DefaultThresholds())
	stale := 0
	for _, d := range rep.Devices {
		if d.IsStale() {
			stale++
		}
	}
	if stale != org.Stale {
		t.Errorf("stale devices: %d, served %d", stale, org.Stale)
	}
}

func TestCollectRequestsGrowWithPagesNotDevices(t *testing.T) {
	srv := newServer(t, jctest.Options{Devices: 450, Users: 20, Policies: 4, Seed: 1})
	client := newClient(t, srv, srv.Keys.Admin, nil)
	srv.ResetCounts()
	snap, err := Collect(context.Background(), client, both())
	if err != nil {
		t.Fatal(err)
	}
	// System Insights sends no total, so an empty page proves each table's end.
	if n := srv.Requests("/api/v2/systeminsights"); n != 2*len(insightTablesRead()) {
		t.Errorf("System Insights took %d requests for %d devices, want one page and one empty page per table", n, len(snap.Devices))
	}
	if n := srv.Requests("/api/systems"); n != 5 {
		t.Errorf("devices took %d requests, want 5 pages of 100", n)
	}
	// Per policy, never per device.
	if n := srv.Requests("/api/v2/systems/"); n != 0 {
		t.Errorf("%d per-device requests", n)
	}
	if stateOf(snap, string(jumpcloud.SourceAdmins)) != StateOK {
		t.Errorf("an Administrator key can list admins: %+v", snap.Status(string(jumpcloud.SourceAdmins)))
	}
}

func TestCollectOnlyChosenIntegrations(t *testing.T) {
	srv := newServer(t, jctest.Options{Devices: 30, Seed: 2})
	client := newClient(t, srv, srv.Keys.ReadOnly, nil)
	opt := both()
	opt.Integrations = Integrations{Endpoint: true}
	srv.ResetCounts()
	snap, err := Collect(context.Background(), client, opt)
	if err != nil {
		t.Fatal(err)
	}
	if srv.Requests("/api/systemusers") != 0 || srv.Requests("/api/applications") != 0 {
		t.Error("SSO sources were read for an endpoint-only collection")
	}
	if stateOf(snap, string(jumpcloud.SourceUsers)) != StateSkipped || len(snap.Devices) != 30 {
		t.Errorf("users %s, %d devices", stateOf(snap, string(jumpcloud.SourceUsers)), len(snap.Devices))
	}
	opt.Integrations = Integrations{SSO: true}
	srv.ResetCounts()
	snap, err = Collect(context.Background(), client, opt)
	if err != nil {
		t.Fatal(err)
	}
	if srv.Requests("/api/systems") != 0 || srv.Requests("/api/v2/") > 1 { // authn policies only
		t.Errorf("endpoint sources read for SSO only: systems %d v2 %d", srv.Requests("/api/systems"), srv.Requests("/api/v2/"))
	}
	if len(snap.Users) == 0 || stateOf(snap, InsightSource(jumpcloud.TableALF)) != StateSkipped {
		t.Errorf("sso only: %d users, alf %s", len(snap.Users), stateOf(snap, InsightSource(jumpcloud.TableALF)))
	}
}

func TestCollect403OnOneSourceKeepsTheRest(t *testing.T) {
	srv := newServer(t, jctest.Options{Devices: 40, Seed: 4})
	srv.Deny(srv.Keys.ReadOnly, "/api/v2/systeminsights/alf")
	srv.Deny(srv.Keys.ReadOnly, "/api/v2/policies/") // statuses, not the list
	client := newClient(t, srv, srv.Keys.ReadOnly, nil)
	snap, err := Collect(context.Background(), client, both())
	if err != nil {
		t.Fatal(err)
	}
	if st := snap.Status(InsightSource(jumpcloud.TableALF)); st.State != StateNotPermitted {
		t.Errorf("alf: %+v", st)
	}
	if st := snap.Status(string(jumpcloud.SourcePolicyResults)); st.State != StateNotPermitted {
		t.Errorf("policy results: %+v", st)
	}
	if len(snap.Devices) != 40 || stateOf(snap, InsightSource(jumpcloud.TableDiskEncryption)) != StateOK ||
		stateOf(snap, string(jumpcloud.SourcePolicies)) != StateOK {
		t.Error("the rest of the collection did not go on")
	}
	// The checks report unknown with the reason, never a false failure.
	rep := Evaluate(snap, DefaultThresholds())
	for _, d := range rep.Devices {
		if d.Family == "darwin" {
			if r := d.Result("firewall"); r.Status != Unknown || !strings.Contains(r.Reason, "not permitted") {
				t.Errorf("mac firewall with alf forbidden: %s %q", r.Status, r.Reason)
			}
			break
		}
	}
}

func TestCollect401MidwayStops(t *testing.T) {
	srv := newServer(t, jctest.Options{Devices: 300, Seed: 5})
	client := newClient(t, srv, srv.Keys.ReadOnly, nil)
	srv.Inject(jctest.Fault{PathPrefix: "/api/systems", Kind: jctest.FaultStatus, Status: 401})
	_, err := Collect(context.Background(), client, both())
	var refused *KeyRefusedError
	if !errors.As(err, &refused) || !errors.Is(err, jumpcloud.ErrInvalidKey) {
		t.Fatalf("want KeyRefusedError wrapping ErrInvalidKey, got %v", err)
	}
	if !strings.Contains(err.Error(), "jcconnect rotate") || !strings.Contains(err.Error(), "revoked") {
		t.Errorf("message does not point to rotation: %v", err)
	}
	// A key revoked for real while the collection runs (after the first pages arrived).
	srv3 := newServer(t, jctest.Options{Devices: 600, Seed: 5})
	srv3.SetLatency(5 * time.Millisecond)
	c3 := newClient(t, srv3, srv3.Keys.ReadOnly, nil)
	opt := both()
	var revoke sync.Once
	pagesBefore := 0
	opt.OnProgress = func(ev ProgressEvent) {
		if ev.Source == string(jumpcloud.SourceDevices) && ev.Pages >= 1 {
			revoke.Do(func() { pagesBefore = ev.Pages; srv3.RevokeKey(srv3.Keys.ReadOnly) })
		}
	}
	if _, err := Collect(context.Background(), c3, opt); !errors.As(err, &refused) {
		t.Errorf("key revoked midway: %v", err)
	}
	if pagesBefore == 0 {
		t.Error("the key was never revoked midway")
	}
	// A key revoked for real between two collections.
	srv2 := newServer(t, jctest.Options{Devices: 20, Seed: 5})
	c2 := newClient(t, srv2, srv2.Keys.ReadOnly, nil)
	srv2.RevokeKey(srv2.Keys.ReadOnly)
	if _, err := Collect(context.Background(), c2, both()); !errors.Is(err, jumpcloud.ErrInvalidKey) {
		t.Errorf("revoked key: %v", err)
	}
}

func TestCollectFailuresAreReportedByName(t *testing.T) {
	srv := newServer(t, jctest.Options{Devices: 30, Seed: 6})
	client := newClient(t, srv, srv.Keys.ReadOnly, func(c *jumpcloud.Config) { c.Timeout = 300 * time.Millisecond })
	srv.Inject(jctest.Fault{PathPrefix: "/api/applications", Kind: jctest.FaultStatus, Status: 503})
	srv.Inject(jctest.Fault{PathPrefix: "/api/systemusers", Kind: jctest.FaultGarbage})
	srv.Inject(jctest.Fault{PathPrefix: "/api/v2/systeminsights/os_version", Kind: jctest.FaultStall})
	srv.Inject(jctest.Fault{PathPrefix: "/api/v2/systeminsights/managed_policies", Kind: jctest.FaultStatus, Status: 404})
	srv.Inject(jctest.Fault{PathPrefix: "/api/v2/authn", Kind: jctest.FaultTruncated})
	snap, err := Collect(context.Background(), client, both())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		string(jumpcloud.SourceApplications):                StateFailed,
		string(jumpcloud.SourceUsers):                       StateFailed,
		InsightSource(jumpcloud.TableOSVersion):             StateFailed,
		InsightSource(jumpcloud.TableManagedPolicies):       StateNotEnabled,
		string(jumpcloud.SourceAuthnPolicies):               StateFailed,
		string(jumpcloud.SourceDevices):                     StateOK,
		InsightSource(jumpcloud.TableWindowsSecurityCenter): StateOK,
	}
	for src, state := range want {
		if st := snap.Status(src); st.State != state {
			t.Errorf("%s: %s (%s), want %s", src, st.State, st.Reason, state)
		} else if state == StateFailed && st.Reason == "" {
			t.Errorf("%s failed without a reason", src)
		}
	}
	if r := snap.Status(InsightSource(jumpcloud.TableOSVersion)).Reason; !strings.Contains(r, "timed out") {
		t.Errorf("timeout reason: %q", r)
	}
	if r := snap.Status(string(jumpcloud.SourceUsers)).Reason; !strings.Contains(r, "not JSON") {
		t.Errorf("garbage reason: %q", r)
	}
	if len(snap.Problems()) < 5 {
		t.Errorf("problems: %+v", snap.Problems())
	}
}

// The sandbox answers 429 to every 5th of the first 70 requests (the collection makes about 80),
// whatever the machine's speed:
// the collection must complete with nothing lost, and the 429s must have happened. Every 429 is
// retried once, so the client's retries equal the 429s sent; MaxRetries above the number of 429s
// means no single request can run out of retries however they interleave.
func TestCollectRateLimitStormCompletes(t *testing.T) {
	for _, tc := range []struct {
		name        string
		every, upTo int
		retryAfter  string
	}{
		{"backoff, no Retry-After", 5, 70, ""},
		{"Retry-After 0", 5, 70, "0"},
		{"Retry-After 1", 35, 70, "1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, jctest.Options{Devices: 1500, Users: 600, Policies: 6, Seed: 7})
			client := newClient(t, srv, srv.Keys.Admin, func(c *jumpcloud.Config) {
				c.MaxRetries = tc.upTo/tc.every + 1
				c.MaxRetryDelay = time.Second
			})
			srv.ResetCounts()
			srv.SetRateLimitStorm(tc.every, tc.upTo, tc.retryAfter)
			snap, err := Collect(context.Background(), client, both())
			if err != nil {
				t.Fatal(err)
			}
			if sent := srv.RateLimitedCount(); sent != tc.upTo/tc.every {
				t.Fatalf("%d 429s sent over %d requests; want %d: the storm did not happen as set", sent,
					len(srv.Seen()), tc.upTo/tc.every)
			}
			if r := client.Stats().Retries; r != int64(srv.RateLimitedCount()) {
				t.Errorf("%d retries for %d 429s", r, srv.RateLimitedCount())
			}
			for _, st := range snap.Sources {
				if st.State != StateOK {
					t.Errorf("%s lost under 429s: %s %s", st.Source, st.State, st.Reason)
				}
			}
			org := srv.Org()
			if len(snap.Devices) != org.Devices || len(snap.Users) != org.Users || len(snap.PolicyStatuses) != org.Statuses {
				t.Errorf("%d devices, %d users, %d statuses; served %d, %d, %d", len(snap.Devices), len(snap.Users),
					len(snap.PolicyStatuses), org.Devices, org.Users, org.Statuses)
			}
		})
	}
}

func TestCollectMultiTenantNeedsOrg(t *testing.T) {
	srv := newServer(t, jctest.Options{Devices: 10, Seed: 8})
	client := newClient(t, srv, srv.Keys.MultiTenant, nil)
	_, err := Collect(context.Background(), client, both())
	if err == nil || !strings.Contains(err.Error(), "--org-id") {
		t.Fatalf("multi-tenant key without an org: %v", err)
	}
	org := srv.Orgs()[1]
	snap, err := Collect(context.Background(), client.WithOrg(org.ID), both())
	if err != nil {
		t.Fatal(err)
	}
	if snap.OrgID != org.ID || len(snap.Devices) != org.Devices {
		t.Errorf("org %s with %d devices, want %s with %d", snap.OrgID, len(snap.Devices), org.ID, org.Devices)
	}
}

func TestCollectCanceled(t *testing.T) {
	srv := newServer(t, jctest.Options{Devices: 200, Seed: 9})
	srv.SetLatency(200 * time.Millisecond)
	client := newClient(t, srv, srv.Keys.ReadOnly, nil)
	ctx, cancel := context.WithCancel(context.Background())
	opt := both()
	var once sync.Once
	opt.OnProgress = func(ProgressEvent) { once.Do(cancel) }
	if _, err := Collect(ctx, client, opt); err == nil {
		t.Fatal("a canceled collection returned a snapshot")
	}
}

func TestCollectedBundleHoldsNoKey(t *testing.T) {
	srv := newServer(t, jctest.Options{Devices: 60, Seed: 10, HostileNames: true})
	client := newClient(t, srv, srv.Keys.Admin, nil)
	snap, err := Collect(context.Background(), client, both())
	if err != nil {
		t.Fatal(err)
	}
	res, err := Export(context.Background(), snap, Evaluate(snap, DefaultThresholds()), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{res.Dir, res.Zip} {
		filepath.Walk(p, func(path string, info os.FileInfo, err error) error {
			if err != nil || info.IsDir() {
				return err
			}
			b, _ := os.ReadFile(path)
			for _, k := range []string{srv.Keys.Admin, srv.Keys.ReadOnly} {
				if strings.Contains(string(b), k) {
					t.Errorf("%s contains an API key", path)
				}
			}
			return nil
		})
	}
	j, _ := json.Marshal(snap)
	if strings.Contains(string(j), srv.Keys.Admin) {
		t.Error("the snapshot contains the key")
	}
}

// Two collections of the same organisation (pages arriving in a different order each time)
// export byte-identical bundles.
func TestTwoCollectionsExportIdentically(t *testing.T) {
	srv := newServer(t, jctest.Options{Devices: 250, Seed: 12})
	var bundles [2][]BundleFile
	for i := range bundles {
		client := newClient(t, srv, srv.Keys.Admin, func(c *jumpcloud.Config) { c.MaxInFlight = 6 })
		snap, err := Collect(context.Background(), client, both())
		if err != nil {
			t.Fatal(err)
		}
		files, _, err := Bundle(snap, Evaluate(snap, DefaultThresholds()))
		if err != nil {
			t.Fatal(err)
		}
		bundles[i] = files
	}
	if len(bundles[0]) != len(bundles[1]) {
		t.Fatalf("%d vs %d files", len(bundles[0]), len(bundles[1]))
	}
	for i, f := range bundles[0] {
		if string(f.data) != string(bundles[1][i].data) {
			t.Errorf("%s differs between two collections of the same organisation", f.Path)
		}
	}
}

// A wrong organisation id makes every route answer 404 "organization not found": for an optional
// source that is not "not enabled for this organisation" (which would leave it out of the gaps
// as if the feature were simply off) but the same failure the required sources report.
func TestCollectWrongOrgIDIsNotAFeatureSwitchedOff(t *testing.T) {
	srv := newServer(t, jctest.Options{Devices: 10, Seed: 4})
	client := newClient(t, srv, srv.Keys.ReadOnly, func(c *jumpcloud.Config) { c.OrgID = "5f09999a0000000000000001" })
	snap, err := Collect(context.Background(), client, both())
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range snap.Sources {
		if st.State == StateNotEnabled || st.State == StateOK {
			t.Errorf("%s with a wrong organisation id: %s (%s)", st.Source, st.State, st.Reason)
		}
	}
	if snap.Complete() {
		t.Error("a collection with a wrong organisation id is called complete")
	}
}
