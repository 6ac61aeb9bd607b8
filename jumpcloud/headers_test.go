package jumpcloud_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
)

// What goes over the wire: headers, methods, page parameters, the in-flight bound.

// collectEverything makes every call the client has, ignoring errors (403s are fine here).
func collectEverything(ctx context.Context, c *jumpcloud.Client) {
	c.Organizations(ctx)
	c.Self(ctx)
	c.Settings(ctx)
	c.KeyOwner(ctx)
	c.Systems(ctx, jumpcloud.ListOptions{})
	c.SystemUsers(ctx, jumpcloud.ListOptions{})
	c.Administrators(ctx, jumpcloud.ListOptions{})
	if ps, err := c.Policies(ctx, jumpcloud.ListOptions{}); err == nil {
		for _, p := range ps {
			c.PolicyStatuses(ctx, p.ID, jumpcloud.ListOptions{})
		}
	}
	for _, table := range jumpcloud.InsightTables {
		c.Insights(ctx, table, jumpcloud.ListOptions{})
	}
	c.Applications(ctx, jumpcloud.ListOptions{})
	c.AuthnPolicies(ctx, jumpcloud.ListOptions{})
	for _, src := range jumpcloud.Sources {
		c.CanRead(ctx, src)
	}
}

func TestEveryRequestIsAGetWithTheHeadersJumpCloudExpects(t *testing.T) {
	s := sandbox(t, jctest.Options{Devices: 120, Seed: 10})
	c := newClient(t, s, s.Keys.ReadOnly)
	collectEverything(context.Background(), c)
	c.Organization(context.Background(), s.Org().ID)

	seen := s.Seen()
	if len(seen) < 20 {
		t.Fatalf("only %d requests seen", len(seen))
	}
	for _, r := range seen {
		h := http.Header(r.Header)
		switch {
		case r.Method != http.MethodGet:
			t.Errorf("%s %s: the client must only ever GET", r.Method, r.Path)
		case r.KeyLabel != "read-only":
			t.Errorf("%s: key label %q, want the read-only key in x-api-key", r.Path, r.KeyLabel)
		case h.Get("Accept") != "application/json" || h.Get("Content-Type") != "application/json":
			t.Errorf("%s: Accept %q Content-Type %q", r.Path, h.Get("Accept"), h.Get("Content-Type"))
		case h.Get("User-Agent") != "jcconnect/"+jumpcloud.Version:
			t.Errorf("%s: User-Agent %q", r.Path, h.Get("User-Agent"))
		case r.OrgID != "":
			t.Errorf("%s: x-org-id %q sent though no organisation was chosen", r.Path, r.OrgID)
		}
		if v := h.Get("x-api-key"); v == s.Keys.ReadOnly {
			t.Errorf("jctest.Seen should hide the key, got it in %s", r.Path)
		}
		// The key travels only in its header: never in the URL, where net/url errors, proxies
		// and server logs would repeat it.
		if strings.Contains(r.Path, s.Keys.ReadOnly) || strings.Contains(fmt.Sprint(r.Query), s.Keys.ReadOnly) {
			t.Errorf("the key is in the URL of %s", r.Path)
		}
	}
}

func TestOrgHeaderIsNeverSentToOrganizationsOrGetSelf(t *testing.T) {
	s := sandbox(t, jctest.Options{Devices: 30, Seed: 11})
	ctx := context.Background()
	mt := newClient(t, s, s.Keys.MultiTenant)
	orgs, err := mt.Organizations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(orgs) != 3 {
		t.Fatalf("the multi-tenant key sees %d organisations, want 3", len(orgs))
	}
	chosen := orgs[1].ID
	c := mt.WithOrg(chosen)
	if _, err := c.Organizations(ctx); err != nil {
		t.Fatalf("organizations with an org chosen: %v", err)
	}
	if _, err := c.Organization(ctx, chosen); err != nil {
		t.Fatalf("organization with an org chosen: %v", err)
	}
	if _, err := c.Self(ctx); err != nil {
		t.Fatalf("getSelf with an org chosen: %v", err)
	}
	if _, err := c.Systems(ctx, jumpcloud.ListOptions{}); err != nil {
		t.Fatalf("systems with an org chosen: %v", err)
	}
	if _, err := c.Settings(ctx); err != nil {
		t.Fatalf("settings with an org chosen: %v", err)
	}
	withOrg := 0
	for _, r := range s.Seen() {
		noHeader := r.Path == "/api/organizations" || strings.HasPrefix(r.Path, "/api/organizations/") ||
			r.Path == "/api/users/getSelf"
		switch {
		case noHeader && r.OrgID != "":
			t.Errorf("%s got x-org-id %q: JumpCloud refuses it there", r.Path, r.OrgID)
		case !noHeader && r.OrgID != chosen:
			t.Errorf("%s got x-org-id %q, want %q", r.Path, r.OrgID, chosen)
		case !noHeader:
			withOrg++
		}
	}
	if withOrg == 0 {
		t.Fatalf("no request carried x-org-id: %v", seenPaths(s))
	}
}

func TestPagesNeverAskForMoreThanTheDocumentedMaximum(t *testing.T) {
	s := sandbox(t, jctest.Options{Devices: 350, Users: 220, Seed: 12})
	collectEverything(context.Background(), newClient(t, s, s.Keys.Admin))
	for _, r := range s.Seen() {
		limits := r.Query["limit"]
		if len(limits) == 0 {
			if isList(r.Path) {
				t.Errorf("%s without limit: the API default is 10 per page", r.Path)
			}
			continue
		}
		n, err := strconv.Atoi(limits[0])
		max := jumpcloud.MaxPageSize
		if strings.HasPrefix(r.Path, "/api/v2/systeminsights/") {
			max = jumpcloud.MaxInsightsPageSize
		}
		if err != nil || n < 1 || n > max || len(limits) != 1 {
			t.Errorf("%s limit=%v, must be one number in 1..%d", r.Path, limits, max)
		}
		v1 := !strings.HasPrefix(r.Path, "/api/v2/")
		if v1 && n > 1 && (len(r.Query["sort"]) != 1 || r.Query["sort"][0] != "_id") {
			t.Errorf("%s: v1 paging without sort=_id (%v)", r.Path, r.Query["sort"])
		}
		if _, err := strconv.Atoi(first(r.Query["skip"])); err != nil {
			t.Errorf("%s: skip %v", r.Path, r.Query["skip"])
		}
	}
}

func isList(path string) bool {
	return path != "/api/users/getSelf" && path != "/api/settings" && !strings.HasPrefix(path, "/api/organizations/")
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

func TestRequestsInFlightNeverExceedTheBound(t *testing.T) {
	s := sandbox(t, jctest.Options{Devices: 2000, Users: 900, Seed: 13})
	s.SetLatency(10 * time.Millisecond)
	const bound = 3
	c := newClient(t, s, s.Keys.ReadOnly, func(cfg *jumpcloud.Config) { cfg.MaxInFlight = bound })
	other := c.WithOrg("") // shares the bound
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for _, f := range []func() error{
		func() error { _, err := c.Systems(ctx, jumpcloud.ListOptions{}); return err },
		func() error { _, err := c.SystemUsers(ctx, jumpcloud.ListOptions{}); return err },
		func() error { _, err := other.Systems(ctx, jumpcloud.ListOptions{}); return err },
		func() error { _, err := other.Applications(ctx, jumpcloud.ListOptions{}); return err },
	} {
		wg.Add(1)
		go func() { defer wg.Done(); errs <- f() }()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := s.MaxInFlight(); got > bound || got < 2 {
		t.Fatalf("server saw %d requests in flight; want concurrency bounded by %d", got, bound)
	}
	if st := c.Stats(); st.Requests != int64(s.Requests("")) || st.Retries != 0 {
		t.Fatalf("stats %+v, server counted %d requests", st, s.Requests(""))
	}
}
