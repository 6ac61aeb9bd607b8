package jctest

import (
	"regexp"
	"testing"
)

var keyFormat = regexp.MustCompile(`^jca_[A-Za-z0-9]{36}$`)

func TestKeysHaveTheJcaFormatAndDiffer(t *testing.T) {
	s := NewServer(Options{Devices: 10, Seed: 1})
	defer s.Close()
	k := s.Keys
	all := []string{k.ReadOnly, k.Admin, k.Revoked, k.Expired, k.MultiTenant, k.OtherOrg}
	seen := map[string]bool{}
	for _, key := range all {
		if !keyFormat.MatchString(key) {
			t.Errorf("key %q is not jca_ + 36 alphanumerics", key)
		}
		if seen[key] {
			t.Errorf("duplicate key")
		}
		seen[key] = true
	}
}

func TestAuthPerKey(t *testing.T) {
	s := NewServer(Options{Devices: 30, Seed: 2})
	defer s.Close()
	orgs := s.Orgs()
	main, other := orgs[0].ID, orgs[3].ID
	type tc struct {
		name, key, org, path string
		status               int
		message              string
	}
	cases := []tc{
		{"read-only reads devices", s.Keys.ReadOnly, "", "/api/systems", 200, ""},
		{"read-only may not list admins", s.Keys.ReadOnly, "", "/api/users", 403, msgForbidden},
		{"admin lists admins", s.Keys.Admin, "", "/api/users", 200, ""},
		{"unknown key", "jca_" + "x0000000000000000000000000000000000000", "", "/api/systems", 401, msgKeyNotFound},
		{"no key", "", "", "/api/organizations", 401, msgKeyNotFound},
		{"revoked key", s.Keys.Revoked, "", "/api/organizations", 401, msgKeyNotFound},
		{"expired key", s.Keys.Expired, "", "/api/users/getSelf", 401, msgKeyExpired},
		{"org header on /api/organizations", s.Keys.ReadOnly, main, "/api/organizations", 403, msgOrgHeader},
		{"org header on getSelf", s.Keys.ReadOnly, main, "/api/users/getSelf", 403, msgOrgHeader},
		{"own org header is fine", s.Keys.ReadOnly, main, "/api/systems", 200, ""},
		{"someone else's org", s.Keys.ReadOnly, other, "/api/systems", 404, msgOrgNotFound},
		{"malformed org id", s.Keys.ReadOnly, "acme", "/api/systems", 400, msgBadOrgID},
		{"multi-tenant without org", s.Keys.MultiTenant, "", "/api/systems", 401, msgNoOrg},
		{"multi-tenant settings without org", s.Keys.MultiTenant, "", "/api/settings", 401, msgNoOrg},
		{"multi-tenant with org", s.Keys.MultiTenant, orgs[1].ID, "/api/systems", 200, ""},
		{"multi-tenant lists orgs", s.Keys.MultiTenant, "", "/api/organizations", 200, ""},
		{"multi-tenant getSelf", s.Keys.MultiTenant, "", "/api/users/getSelf", 200, ""},
		{"multi-tenant outside its orgs", s.Keys.MultiTenant, other, "/api/systems", 404, msgOrgNotFound},
		{"org detail", s.Keys.ReadOnly, "", "/api/organizations/" + main, 200, ""},
		{"org detail of another org", s.Keys.ReadOnly, "", "/api/organizations/" + other, 404, msgOrgNotFound},
		{"org detail header mismatch", s.Keys.MultiTenant, orgs[1].ID, "/api/organizations/" + main, 400, msgOrgMismatch},
		{"insights off in org 2", s.Keys.MultiTenant, orgs[2].ID, "/api/v2/systeminsights/alf", 404, msgInsightsOff},
		{"other org reads its own", s.Keys.OtherOrg, "", "/api/systems", 200, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := get(t, s, c.key, c.org, c.path)
			if r.status != c.status {
				t.Fatalf("%d, want %d: %s", r.status, c.status, r.body)
			}
			if c.message != "" {
				if msg, _ := r.errorBody(t); msg != c.message {
					t.Errorf("message %q, want %q", msg, c.message)
				}
			}
		})
	}
	// The multi-tenant key sees three organisations, the first being the main one.
	total, res := get(t, s, s.Keys.MultiTenant, "", "/api/organizations").v1Page(t)
	if total != 3 || res[0]["_id"] != main {
		t.Errorf("multi-tenant sees %d orgs (%v)", total, res)
	}
	// One of them has a null displayName (reference quirk 9).
	nulls := 0
	for _, o := range res {
		if v, ok := o["displayName"]; ok && v == nil {
			nulls++
		}
	}
	if nulls != 1 {
		t.Errorf("%d orgs with a null displayName, want 1", nulls)
	}
	// Data is per org: the other org's devices are not the main org's.
	nMain, _ := get(t, s, s.Keys.ReadOnly, "", "/api/systems").v1Page(t)
	nOther, _ := get(t, s, s.Keys.OtherOrg, "", "/api/systems").v1Page(t)
	if nMain != 30 || nOther != orgs[3].Devices || nOther == nMain {
		t.Errorf("devices: main %d, other %d (want 30 and %d)", nMain, nOther, orgs[3].Devices)
	}
}

func TestSelfAndSettingsTellTheRole(t *testing.T) {
	s := NewServer(Options{Devices: 10, Seed: 4})
	defer s.Close()
	var self struct {
		Email, RoleName, Organization, Provider string
		APIKeyHash                              struct{ Prefix, CreatedAt, ExpireAt string }
	}
	get(t, s, s.Keys.ReadOnly, "", "/api/users/getSelf").decode(t, &self)
	if self.RoleName != "Read Only" || self.Email == "" || self.Organization != s.Org().ID {
		t.Errorf("getSelf: %+v", self)
	}
	if self.APIKeyHash.Prefix != s.Keys.ReadOnly[:8] || self.APIKeyHash.ExpireAt == "" {
		t.Errorf("apiKeyHash: %+v", self.APIKeyHash)
	}
	var set struct {
		OrgID    string `json:"ORG_ID"`
		Role     string `json:"ROLE"`
		Settings map[string]any
	}
	get(t, s, s.Keys.Admin, "", "/api/settings").decode(t, &set)
	if set.OrgID != s.Org().ID || set.Role != "Administrator" || set.Settings["passwordPolicy"] == nil {
		t.Errorf("settings: %+v", set)
	}
	// A multi-tenant admin belongs to a provider, not one org.
	self.Organization = ""
	get(t, s, s.Keys.MultiTenant, "", "/api/users/getSelf").decode(t, &self)
	if self.Organization != "" || self.Provider == "" {
		t.Errorf("multi-tenant getSelf: %+v", self)
	}
}

func TestAddKeyDisableSelfAndDeny(t *testing.T) {
	s := NewServer(Options{Devices: 10, Seed: 4})
	defer s.Close()
	mgr := s.AddKey("Manager")
	if r := get(t, s, mgr, "", "/api/systems"); r.status != 200 {
		t.Fatalf("manager: %d", r.status)
	}
	if r := get(t, s, mgr, "", "/api/users"); r.status != 403 {
		t.Errorf("manager lists admins: %d", r.status)
	}
	custom := s.AddKey("Compliance Auditor")
	var self struct{ RoleName string }
	get(t, s, custom, "", "/api/users/getSelf").decode(t, &self)
	if self.RoleName != "Compliance Auditor" {
		t.Errorf("custom role: %q", self.RoleName)
	}
	s.DisableSelf(custom)
	if r := get(t, s, custom, "", "/api/users/getSelf"); r.status != 404 {
		t.Errorf("disabled getSelf: %d", r.status)
	}
	if r := get(t, s, custom, "", "/api/settings"); r.status != 200 {
		t.Errorf("settings still answers: %d", r.status)
	}
	s.DisableSettings(custom)
	if r := get(t, s, custom, "", "/api/settings"); r.status != 404 {
		t.Errorf("disabled settings: %d", r.status)
	}
	s.Deny(custom, "/api/v2/systeminsights")
	if r := get(t, s, custom, "", "/api/v2/systeminsights/alf"); r.status != 403 {
		t.Errorf("denied insights: %d", r.status)
	}
	orgs := s.Orgs()
	msp := s.AddKey("Administrator", orgs[0].ID, orgs[1].ID)
	if r := get(t, s, msp, "", "/api/systems"); r.status != 401 {
		t.Errorf("added multi-tenant key without org: %d", r.status)
	}
	if n, _ := get(t, s, msp, "", "/api/organizations").v1Page(t); n != 2 {
		t.Errorf("added multi-tenant key sees %d orgs", n)
	}
	if s.Org().Admins != len(get(t, s, s.Keys.Admin, "", "/api/users?limit=100").mustV1(t)) {
		t.Errorf("Org().Admins does not match the admin list")
	}
}

func TestRotateKeyRevokesTheOldOneAtOnce(t *testing.T) {
	s := NewServer(Options{Devices: 10, Seed: 6})
	defer s.Close()
	old := s.Keys.ReadOnly
	var before struct{ ID string }
	get(t, s, old, "", "/api/users/getSelf").decode(t, &before)
	nk := s.RotateKey(old)
	if !keyFormat.MatchString(nk) || nk == old {
		t.Fatalf("new key %q", nk)
	}
	if r := get(t, s, old, "", "/api/organizations"); r.status != 401 {
		t.Errorf("old key after rotation: %d", r.status)
	}
	var after struct {
		ID         string
		APIKeyHash struct{ Prefix string }
	}
	get(t, s, nk, "", "/api/users/getSelf").decode(t, &after)
	if after.ID != before.ID || after.APIKeyHash.Prefix != nk[:8] {
		t.Errorf("rotated key belongs to %s (prefix %s), want %s", after.ID, after.APIKeyHash.Prefix, before.ID)
	}
	if s.RotateKey("jca_not_a_key") != "" {
		t.Errorf("rotating an unknown key issued one")
	}
	s.RevokeKey(nk)
	if r := get(t, s, nk, "", "/api/organizations"); r.status != 401 {
		t.Errorf("revoked key: %d", r.status)
	}
}

func (r response) mustV1(t testing.TB) []map[string]any {
	_, res := r.v1Page(t)
	return res
}
