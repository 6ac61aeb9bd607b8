package jumpcloud_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
)

func TestCanReadEverySourceWithTheAdminKey(t *testing.T) {
	s := sandbox(t, jctest.Options{Devices: 20, Seed: 40})
	c := newClient(t, s, s.Keys.Admin)
	for _, src := range jumpcloud.Sources {
		s.ResetCounts()
		if err := c.CanRead(context.Background(), src); err != nil {
			t.Errorf("%s: %v", src, err)
		}
		want := 1
		if src == jumpcloud.SourcePolicyResults {
			want = 2 // the first policy, then its statuses
		}
		if n := s.Requests(""); n != want {
			t.Errorf("%s: %d requests, want %d", src, n, want)
		}
		for _, r := range s.Seen() {
			if first(r.Query["limit"]) != "1" {
				t.Errorf("%s: %s with limit %v, want 1", src, r.Path, r.Query["limit"])
			}
		}
	}
	if err := c.CanRead(context.Background(), "telepathy"); err == nil || !strings.Contains(err.Error(), "unknown evidence source") {
		t.Fatalf("unknown source: %v", err)
	}
}

func TestCanReadWithTheReadOnlyKey(t *testing.T) {
	s := sandbox(t, jctest.Options{Devices: 20, Seed: 41})
	c := newClient(t, s, s.Keys.ReadOnly)
	readable := 0
	for _, src := range jumpcloud.Sources {
		err := c.CanRead(context.Background(), src)
		if err == nil {
			readable++
			continue
		}
		// A refusal is reported per source, as forbidden, naming the source.
		wantError(t, s, err, jumpcloud.KindForbidden, string(src), "not permitted for this key's role (403)")
	}
	for _, src := range []jumpcloud.Source{jumpcloud.SourceDevices, jumpcloud.SourceUsers, jumpcloud.SourcePolicies,
		jumpcloud.SourcePolicyResults, jumpcloud.SourceInsights, jumpcloud.SourceApplications} {
		if err := c.CanRead(context.Background(), src); err != nil {
			t.Errorf("Read Only must read %s (the evidence the product collects): %v", src, err)
		}
	}
}

func TestCanReadReportsRefusalsAndDisabledFeatures(t *testing.T) {
	s := sandbox(t, jctest.Options{Devices: 20, Seed: 42})
	c := newClient(t, s, s.Keys.ReadOnly)
	ctx := context.Background()

	remove := s.Inject(jctest.Fault{PathPrefix: "/api/v2/systeminsights/", Kind: jctest.FaultStatus, Status: 404})
	err := c.CanRead(ctx, jumpcloud.SourceInsights)
	wantError(t, s, err, jumpcloud.KindNotFound, "system insights (/api/v2/systeminsights/")
	remove()

	remove = s.Inject(jctest.Fault{PathPrefix: "/api/applications", Kind: jctest.FaultStatus, Status: 404})
	wantError(t, s, c.CanRead(ctx, jumpcloud.SourceApplications), jumpcloud.KindNotFound, "sso applications")
	remove()

	remove = s.Inject(jctest.Fault{PathPrefix: "/api/systemusers", Kind: jctest.FaultStatus, Status: 403})
	wantError(t, s, c.CanRead(ctx, jumpcloud.SourceUsers), jumpcloud.KindForbidden, "users (/api/systemusers)")
	remove()

	remove = s.Inject(jctest.Fault{PathPrefix: "/api/systems", Kind: jctest.FaultHTML})
	wantError(t, s, c.CanRead(ctx, jumpcloud.SourceDevices), jumpcloud.KindNotJSON)
	remove()

	// No right to list policies: policy results are probed on the org-wide results list.
	s.ResetCounts()
	remove = s.Inject(jctest.Fault{PathPrefix: "/api/v2/policies", Kind: jctest.FaultStatus, Status: 403})
	if err := c.CanRead(ctx, jumpcloud.SourcePolicyResults); err != nil {
		t.Fatalf("policy results via /api/v2/policyresults: %v", err)
	}
	remove()
	if n := s.Requests("/api/v2/policyresults"); n != 1 {
		t.Fatalf("%d requests to /api/v2/policyresults: %v", n, seenPaths(s))
	}

	// A revoked key is not "forbidden": it is the key.
	wantError(t, s, newClient(t, s, s.Keys.Revoked).CanRead(ctx, jumpcloud.SourceDevices), jumpcloud.KindInvalidKey)
}

// noPolicies answers the policy list with an empty page, standing for an org without policies
// (jctest always generates some).
type noPolicies struct{ next http.RoundTripper }

func (np noPolicies) RoundTrip(r *http.Request) (*http.Response, error) {
	res, err := np.next.RoundTrip(r)
	if err == nil && r.URL.Path == "/api/v2/policies" {
		res.Body.Close()
		res.Body = io.NopCloser(strings.NewReader("[]"))
		res.ContentLength = 2
		res.Header.Set("x-total-count", "0")
	}
	return res, err
}

func TestCanReadPolicyResultsWithoutAnyPolicy(t *testing.T) {
	s := sandbox(t, jctest.Options{Devices: 20, Seed: 43})
	c := newClient(t, s, s.Keys.ReadOnly, func(cfg *jumpcloud.Config) { cfg.Transport = noPolicies{http.DefaultTransport} })
	if err := c.CanRead(context.Background(), jumpcloud.SourcePolicyResults); err != nil {
		t.Fatal(err)
	}
	seen := s.Seen()
	if len(seen) != 2 || seen[0].Path != "/api/v2/policies" || seen[1].Path != "/api/v2/policyresults" ||
		first(seen[1].Query["limit"]) != "1" {
		t.Fatalf("requests %v: want the policy list, then /api/v2/policyresults?limit=1", seenPaths(s))
	}
}
