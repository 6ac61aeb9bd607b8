package jumpcloud_test

import (
	"context"
	"strings"
	"testing"

	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
)

// Every call of the client against the sandbox over real HTTP, with the Read Only key the
// product is built around: the counts must be what the sandbox serves.

func TestOrganizationAndKeyOwner(t *testing.T) {
	s := sandbox(t, jctest.Options{Devices: 20, Seed: 1})
	c := newClient(t, s, s.Keys.ReadOnly)
	ctx := context.Background()

	orgs, err := c.Organizations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(orgs) != 1 || orgs[0].ID != s.Org().ID || orgs[0].Name() != s.Org().Name {
		t.Fatalf("organizations = %+v, want the one org %s %q", orgs, s.Org().ID, s.Org().Name)
	}
	org, err := c.Organization(ctx, orgs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if org.ID != s.Org().ID {
		t.Fatalf("organization id %q, want %q", org.ID, s.Org().ID)
	}

	self, err := c.Self(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !jumpcloud.IsReadOnlyRole(self.RoleName) || self.ID == "" || self.Email == "" {
		t.Fatalf("getSelf = %+v, want a Read Only admin with id and email", self)
	}
	settings, err := c.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !jumpcloud.IsReadOnlyRole(settings.Role) || settings.OrgID != s.Org().ID {
		t.Fatalf("settings = %+v", settings)
	}
	owner, err := c.KeyOwner(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !jumpcloud.IsReadOnlyRole(owner.Role) || owner.RoleSource != "getSelf" || owner.OrgID != s.Org().ID ||
		owner.Admin.Email != self.Email {
		t.Fatalf("key owner = %+v", owner)
	}

	admin, err := newClient(t, s, s.Keys.Admin).KeyOwner(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if jumpcloud.IsReadOnlyRole(admin.Role) || !admin.RoleKnown() {
		t.Fatalf("admin key owner = %+v, want a known role other than Read Only", admin)
	}
}

func TestKeyOwnerFallsBackToSettings(t *testing.T) {
	s := sandbox(t, jctest.Options{Devices: 10, Seed: 2})
	c := newClient(t, s, s.Keys.ReadOnly)
	s.Inject(jctest.Fault{PathPrefix: "/api/users/getSelf", Kind: jctest.FaultStatus, Status: 404})
	owner, err := c.KeyOwner(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !jumpcloud.IsReadOnlyRole(owner.Role) || owner.RoleSource != "settings" || owner.OrgID != s.Org().ID {
		t.Fatalf("owner = %+v, want the Read Only role from settings", owner)
	}
}

func TestKeyOwnerUnknownRoleIsNotAnError(t *testing.T) {
	s := sandbox(t, jctest.Options{Devices: 10, Seed: 3})
	c := newClient(t, s, s.Keys.ReadOnly)
	s.Inject(jctest.Fault{PathPrefix: "/api/users/getSelf", Kind: jctest.FaultStatus, Status: 403})
	s.Inject(jctest.Fault{PathPrefix: "/api/settings", Kind: jctest.FaultHTML})
	owner, err := c.KeyOwner(context.Background())
	if err != nil {
		t.Fatalf("KeyOwner: %v; want no error when the role cannot be determined", err)
	}
	if owner.RoleKnown() || owner.RoleSource != "" {
		t.Fatalf("owner = %+v, want an unknown role", owner)
	}
}

// getSelf and settings are undocumented and may refuse a key every other route accepts: a 401
// there leaves the role unknown (with what each answered), it is not a verdict on the key.
func TestKeyOwnerRefusedByGetSelfFallsBackThenLeavesTheRoleUnknown(t *testing.T) {
	s := sandbox(t, jctest.Options{Devices: 10, Seed: 4})
	c := newClient(t, s, s.Keys.ReadOnly)
	s.Inject(jctest.Fault{PathPrefix: "/api/users/getSelf", Kind: jctest.FaultStatus, Status: 401})
	owner, err := c.KeyOwner(context.Background())
	if err != nil || owner.Role != "Read Only" || owner.RoleSource != "settings" {
		t.Fatalf("getSelf 401, settings fine: %+v, %v; want the role from settings", owner, err)
	}

	owner, err = newClient(t, s, s.Keys.Revoked).KeyOwner(context.Background())
	if err != nil || owner.RoleKnown() {
		t.Fatalf("refused by both: %+v, %v; want an unknown role and no error", owner, err)
	}
	if !strings.Contains(owner.RoleNote, "getSelf failed: the API key was refused (401)") ||
		!strings.Contains(owner.RoleNote, "settings failed") {
		t.Fatalf("RoleNote %q does not say what each answered", owner.RoleNote)
	}
}

func TestListsReturnEverythingTheSandboxServes(t *testing.T) {
	s := sandbox(t, jctest.Options{Devices: 250, Users: 130, Policies: 5, Applications: 4, Seed: 5})
	c := newClient(t, s, s.Keys.ReadOnly)
	ctx := context.Background()
	org := s.Org()

	systems, err := c.Systems(ctx, jumpcloud.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(systems) != org.Devices || org.Devices != 250 {
		t.Fatalf("systems: %d, sandbox serves %d", len(systems), org.Devices)
	}
	systemIDs := uniqueIDs(t, "system", len(systems), func(i int) string { return systems[i].ID })
	if got := s.Requests("/api/systems"); got != 3 {
		t.Errorf("250 devices took %d requests, want 3 pages of 100", got)
	}

	users, err := c.SystemUsers(ctx, jumpcloud.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != org.Users {
		t.Fatalf("users: %d, sandbox serves %d", len(users), org.Users)
	}
	uniqueIDs(t, "user", len(users), func(i int) string { return users[i].ID })

	policies, err := c.Policies(ctx, jumpcloud.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(policies) != org.Policies {
		t.Fatalf("policies: %d, sandbox serves %d", len(policies), org.Policies)
	}
	statuses := 0
	for _, p := range policies {
		rs, err := c.PolicyStatuses(ctx, p.ID, jumpcloud.ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			if r.PolicyID != p.ID || !systemIDs[r.SystemID] {
				t.Fatalf("status %+v does not belong to policy %s and a served system", r, p.ID)
			}
			if r.Outcome() == jumpcloud.OutcomeUnknown {
				t.Errorf("status %+v has no outcome", r)
			}
		}
		statuses += len(rs)
	}
	if statuses != org.Statuses {
		t.Fatalf("policy statuses: %d, sandbox serves %d", statuses, org.Statuses)
	}

	for _, table := range jumpcloud.InsightTables {
		rows, err := c.Insights(ctx, table, jumpcloud.ListOptions{})
		if err != nil {
			t.Fatalf("insights %s: %v", table, err)
		}
		for _, r := range rows {
			if !systemIDs[r.SystemID()] || r.CollectionTime() == "" {
				t.Fatalf("insights %s row of %q: not a served system or no collection time", table, r.SystemID())
			}
		}
	}
	if rows, _ := c.Insights(ctx, jumpcloud.TableOSVersion, jumpcloud.ListOptions{}); len(rows) == 0 {
		t.Error("os_version has no rows: the sandbox should report an OS for devices with insights on")
	}

	apps, err := c.Applications(ctx, jumpcloud.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(apps) != org.Applications {
		t.Fatalf("applications: %d, sandbox serves %d", len(apps), org.Applications)
	}
	uniqueIDs(t, "application", len(apps), func(i int) string { return apps[i].ID })

	if _, err := c.AuthnPolicies(ctx, jumpcloud.ListOptions{}); err != nil {
		t.Fatalf("authn policies: %v", err)
	}
}

func TestAdministratorsByRole(t *testing.T) {
	s := sandbox(t, jctest.Options{Devices: 10, Seed: 6})
	ctx := context.Background()
	admins, err := newClient(t, s, s.Keys.Admin).Administrators(ctx, jumpcloud.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(admins) == 0 {
		t.Fatal("the Administrator key sees no administrators")
	}
	uniqueIDs(t, "admin", len(admins), func(i int) string { return admins[i].ID })
	// The sandbox refuses the admin list to a Read Only key (the live API may or may not:
	// reference §3.4); the refusal is a 403 naming the source, which callers treat as normal.
	_, err = newClient(t, s, s.Keys.ReadOnly).Administrators(ctx, jumpcloud.ListOptions{})
	e := wantError(t, s, err, jumpcloud.KindForbidden, "administrators (/api/users)",
		"not permitted for this key's role (403)", "insufficient permissions")
	if e.Source != string(jumpcloud.SourceAdmins) || e.Status != 403 {
		t.Fatalf("error %+v", e)
	}
}

func TestInsightsRefusesATableNameThatIsNotOne(t *testing.T) {
	s := sandbox(t, jctest.Options{Devices: 10, Seed: 7})
	c := newClient(t, s, s.Keys.ReadOnly)
	for _, bad := range []string{"../users", "alf?limit=1", "", "ALF"} {
		if _, err := c.Insights(context.Background(), bad, jumpcloud.ListOptions{}); err == nil {
			t.Errorf("table %q accepted", bad)
		}
	}
	if n := s.Requests(""); n != 0 {
		t.Fatalf("bad table names sent %d requests", n)
	}
}

func TestProgressIsSerialisedAndComplete(t *testing.T) {
	s := sandbox(t, jctest.Options{Devices: 1000, Seed: 8})
	c := newClient(t, s, s.Keys.ReadOnly, func(cfg *jumpcloud.Config) { cfg.MaxInFlight = 6 })
	var calls []jumpcloud.Progress
	inside := 0
	systems, err := c.Systems(context.Background(), jumpcloud.ListOptions{Source: "my devices", OnPage: func(p jumpcloud.Progress) {
		inside++ // the race detector flags concurrent calls; the count catches overlap without it
		if inside != 1 {
			t.Errorf("OnPage called concurrently")
		}
		calls = append(calls, p)
		inside--
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) != 10 {
		t.Fatalf("%d progress calls for 10 pages", len(calls))
	}
	for i, p := range calls {
		if p.Pages != i+1 || p.Source != "my devices" || p.Total != 1000 {
			t.Fatalf("progress %d = %+v", i, p)
		}
	}
	if last := calls[len(calls)-1]; last.Items != len(systems) || len(systems) != 1000 {
		t.Fatalf("last progress %+v, got %d systems", last, len(systems))
	}
}

// uniqueIDs checks n ids are non-empty and distinct and returns them as a set.
func uniqueIDs(t *testing.T, what string, n int, id func(int) string) map[string]bool {
	t.Helper()
	set := make(map[string]bool, n)
	for i := range n {
		v := id(i)
		if v == "" || set[v] {
			t.Fatalf("%s %d: id %q empty or repeated (paging lost or duplicated items)", what, i, v)
		}
		set[v] = true
	}
	return set
}
