package home

import (
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"jcconnect/connect"
	"jcconnect/jumpcloud/jctest"
	"jcconnect/store"
)

// runStatusBoth runs status in text and in JSON and returns both outputs, the decoded report and
// the exit code (asserted equal across the two forms).
func runStatusBoth(t *testing.T, f *day2Fixture) (text string, report connect.StatusReport, code int) {
	t.Helper()
	f.Reset()
	code = RunStatus(f.Ctx, f.Env, false)
	text = f.Output()
	f.Reset()
	jcode := RunStatus(f.Ctx, f.Env, true)
	if jcode != code {
		t.Errorf("exit code: text %d, json %d", code, jcode)
	}
	if err := json.Unmarshal(f.Out.Bytes(), &report); err != nil {
		t.Fatalf("status --json is not JSON: %v\n%s", err, f.Out.String())
	}
	if report.ExitCode != code {
		t.Errorf("report exitCode %d, process exit %d", report.ExitCode, code)
	}
	return text, report, code
}

func TestStatusValidKey(t *testing.T) {
	f := newDay2Fixture(t)
	p := f.Save("default", f.Srv.Keys.ReadOnly)

	text, r, code := runStatusBoth(t, f)
	if code != connect.ExitOK || r.State != connect.StateValid {
		t.Fatalf("code %d state %s, want 0 valid\n%s", code, r.State, text)
	}
	wantIn(t, text, "Profile default (used without --profile)", store.Mask(f.Srv.Keys.ReadOnly),
		f.Srv.Org().Name, "Read Only", "✓ valid", "evidence.reader@")
	if len(r.Profiles) != 1 {
		t.Fatalf("profiles: %d", len(r.Profiles))
	}
	ps := r.Profiles[0]
	if ps.Profile != "default" || !ps.IsDefault || ps.OrgID != p.OrgID || ps.Role != "Read Only" ||
		ps.MaskedKey != store.Mask(f.Srv.Keys.ReadOnly) || ps.KeySource != store.SourceMemory ||
		!ps.StoredKeyInUse || ps.Check.State != connect.StateValid || ps.Check.FixCommand != "" {
		t.Errorf("profile status: %+v", ps)
	}
	if ps.DaysLeft == nil || *ps.DaysLeft < 80 || ps.ExpiresSoon {
		t.Errorf("days left: %v soon %v", ps.DaysLeft, ps.ExpiresSoon)
	}
}

func TestStatusExpiringKeyWarnsButPasses(t *testing.T) {
	f := newDay2Fixture(t)
	p := f.Save("default", f.Srv.Keys.ReadOnly)
	f.Now = p.KeyExpires.Add(-5*24*time.Hour - time.Hour) // five days (and an hour) left

	text, r, code := runStatusBoth(t, f)
	if code != connect.ExitOK || r.State != connect.StateValid {
		t.Fatalf("code %d state %s, want 0 valid (expiring is still valid)", code, r.State)
	}
	ps := r.Profiles[0]
	if !ps.ExpiresSoon || ps.DaysLeft == nil || *ps.DaysLeft != 5 {
		t.Errorf("expiresSoon %v daysLeft %v", ps.ExpiresSoon, ps.DaysLeft)
	}
	if ps.Check.FixCommand != "jcconnect rotate" {
		t.Errorf("fix command %q", ps.Check.FixCommand)
	}
	wantIn(t, text, "in 5 days: rotate soon", "Run            jcconnect rotate", "! valid")
}

func TestStatusRevokedKey(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	f.Srv.RevokeKey(f.Srv.Keys.ReadOnly)

	text, r, code := runStatusBoth(t, f)
	if code != connect.ExitInvalidKey || r.State != connect.StateInvalidKey {
		t.Fatalf("code %d state %s, want %d invalid_key", code, r.State, connect.ExitInvalidKey)
	}
	if r.FixCommand != "jcconnect rotate" || r.Profiles[0].Check.FixCommand != "jcconnect rotate" {
		t.Errorf("fix command %q / %q", r.FixCommand, r.Profiles[0].Check.FixCommand)
	}
	wantIn(t, text, "✗ invalid_key", "revoked", "Run            jcconnect rotate")
}

func TestStatusExpiredKey(t *testing.T) {
	f := newDay2Fixture(t)
	expired := f.Now.Add(-24 * time.Hour)
	f.SaveUnverified(store.Profile{Name: "default", OrgID: f.Srv.Org().ID, OrgName: f.Srv.Org().Name,
		Role: "Read Only", KeyExpires: &expired,
		Integrations: store.Integrations{EndpointManagement: true}}, f.Srv.Keys.Expired)

	text, r, code := runStatusBoth(t, f)
	if code != connect.ExitInvalidKey || r.State != connect.StateInvalidKey {
		t.Fatalf("code %d state %s", code, r.State)
	}
	if d := r.Profiles[0].DaysLeft; d == nil || *d >= 0 {
		t.Errorf("days left %v, want negative", d)
	}
	wantIn(t, text, "expired 1 day ago", "jcconnect rotate")
}

func TestStatusForbidden(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	f.Srv.Deny(f.Srv.Keys.ReadOnly, "/api/systems")

	text, r, code := runStatusBoth(t, f)
	if code != connect.ExitInvalidKey || r.State != connect.StateForbidden {
		t.Fatalf("code %d state %s, want %d forbidden", code, r.State, connect.ExitInvalidKey)
	}
	wantIn(t, text, "✗ forbidden", "Read Only admin", "jcconnect rotate")
}

func TestStatusUnreachable(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	f.Srv.Inject(jctest.Fault{Kind: jctest.FaultStatus, Status: 503})

	text, r, code := runStatusBoth(t, f)
	if code != connect.ExitNetwork || r.State != connect.StateUnreachable {
		t.Fatalf("code %d state %s, want %d unreachable", code, r.State, connect.ExitNetwork)
	}
	if r.FixCommand != "jcconnect doctor" {
		t.Errorf("fix command %q", r.FixCommand)
	}
	wantIn(t, text, "✗ unreachable", "jcconnect doctor")
}

func TestStatusServerGone(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	f.Srv.Close()

	_, r, code := runStatusBoth(t, f)
	if code != connect.ExitNetwork || r.State != connect.StateUnreachable {
		t.Fatalf("code %d state %s, want %d unreachable", code, r.State, connect.ExitNetwork)
	}
}

func TestStatusKeyringUnavailable(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	f.Ring.Inject(func(c store.Call) error {
		if c.Op == store.OpGet {
			return store.ErrNoSecretService
		}
		return nil
	})

	text, r, code := runStatusBoth(t, f)
	if code != connect.ExitKeyring || r.State != connect.StateKeyring {
		t.Fatalf("code %d state %s, want %d keyring_unavailable\n%s", code, r.State, connect.ExitKeyring, text)
	}
	if r.FixCommand != "jcconnect doctor" || r.Fix == "" {
		t.Errorf("fix %q command %q", r.Fix, r.FixCommand)
	}
	wantIn(t, text, "keyring_unavailable", "JUMPCLOUD_API_KEY", "jcconnect doctor")
}

func TestStatusNoProfile(t *testing.T) {
	f := newDay2Fixture(t)
	text, r, code := runStatusBoth(t, f)
	if code != connect.ExitNoProfile || r.State != connect.StateNoProfile {
		t.Fatalf("code %d state %s, want %d no_profile", code, r.State, connect.ExitNoProfile)
	}
	if r.FixCommand != "jcconnect setup" || r.Profiles == nil || len(r.Profiles) != 0 {
		t.Errorf("fix %q profiles %v", r.FixCommand, r.Profiles)
	}
	wantIn(t, text, "jcconnect setup")
}

func TestStatusUnknownProfileName(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	f.Env.Profile = "staging"
	text, _, code := runStatusBoth(t, f)
	if code != connect.ExitNoProfile {
		t.Fatalf("code %d", code)
	}
	// Profiles exist: not "Nothing is set up yet", but the ones there are and how to create this.
	wantIn(t, text, `profile "staging": no such profile`, "The stored profiles are: default",
		"jcconnect setup --profile staging")
	if strings.Contains(text, "Nothing is set up yet") {
		t.Fatalf("profiles exist, yet:\n%s", text)
	}
}

func TestStatusKeyMissingFromKeyring(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	f.Save("work", f.Secret(f.Srv.AddKey("Read Only")))
	if err := f.Ring.Delete(store.Service, "work"); err != nil {
		t.Fatal(err)
	}
	f.Env.Profile = "work"
	text, r, code := runStatusBoth(t, f)
	if code != connect.ExitNoProfile || r.State != connect.StateNoKey {
		t.Fatalf("code %d state %s, want %d no_key\n%s", code, r.State, connect.ExitNoProfile, text)
	}
	if r.FixCommand != "jcconnect setup --profile work" {
		t.Errorf("fix command %q", r.FixCommand)
	}
}

func TestStatusEnvironmentKeyOverridesProfile(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	f.Vars[store.EnvAPIKey] = f.Srv.Keys.Admin

	text, r, code := runStatusBoth(t, f)
	if code != connect.ExitOK {
		t.Fatalf("code %d\n%s", code, text)
	}
	ps := r.Profiles[0]
	if ps.KeySource != store.SourceEnv || ps.StoredKeyInUse || ps.MaskedKey != store.Mask(f.Srv.Keys.Admin) {
		t.Errorf("source %s in use %v masked %s", ps.KeySource, ps.StoredKeyInUse, ps.MaskedKey)
	}
	if ps.LiveRole != "Administrator" {
		t.Errorf("live role %q: the environment's key is a full admin", ps.LiveRole)
	}
	wantIn(t, text, "from the environment (JUMPCLOUD_API_KEY)", "the stored key is not in use")
}

func TestStatusEnvironmentKeyWithoutProfile(t *testing.T) {
	f := newDay2Fixture(t)
	f.Vars[store.EnvAPIKey] = f.Srv.Keys.ReadOnly
	f.Env.BaseURL = f.Srv.URL // headless use: flags say where

	text, r, code := runStatusBoth(t, f)
	if code != connect.ExitOK || len(r.Profiles) != 1 || r.Profiles[0].Profile != "" {
		t.Fatalf("code %d profiles %+v\n%s", code, r.Profiles, text)
	}
	wantIn(t, text, "Key from JUMPCLOUD_API_KEY (no stored profile)", "✓ valid")
}

func TestStatusRevokedEnvironmentKeySaysUnset(t *testing.T) {
	f := newDay2Fixture(t)
	f.Vars[store.EnvAPIKey] = f.Srv.Keys.Revoked
	f.Env.BaseURL = f.Srv.URL
	_, r, code := runStatusBoth(t, f)
	if code != connect.ExitInvalidKey || r.FixCommand != "unset JUMPCLOUD_API_KEY" {
		t.Fatalf("code %d fix %q", code, r.FixCommand)
	}
}

func TestStatusSeveralProfilesFirstFailureDecides(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	second := f.Secret(f.Srv.AddKey("Read Only"))
	f.Save("backup", second)
	f.Srv.RevokeKey(second)

	text, r, code := runStatusBoth(t, f)
	if code != connect.ExitInvalidKey || len(r.Profiles) != 2 {
		t.Fatalf("code %d profiles %d\n%s", code, len(r.Profiles), text)
	}
	states := map[string]connect.KeyState{}
	for _, ps := range r.Profiles {
		states[ps.Profile] = ps.Check.State
	}
	if states["default"] != connect.StateValid || states["backup"] != connect.StateInvalidKey {
		t.Errorf("states %v", states)
	}
	if r.FixCommand != "jcconnect rotate --profile backup" {
		t.Errorf("fix command %q", r.FixCommand)
	}
}

// The JSON field names are a contract with scripts: this test fails when one is renamed.
func TestStatusJSONFieldNamesAreStable(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	f.Reset()
	RunStatus(f.Ctx, f.Env, true)
	var raw map[string]any
	if err := json.Unmarshal(f.Out.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	top := sortedKeys(raw)
	if want := []string{"exitCode", "profiles", "state"}; !reflect.DeepEqual(top, want) {
		t.Errorf("top-level fields %v, want %v", top, want)
	}
	prof := raw["profiles"].([]any)[0].(map[string]any)
	wantProfile := []string{"baseURL", "check", "daysLeft", "default", "expiresSoon", "fingerprint",
		"keyCreated", "keyExpires", "keySource", "kind", "lastVerified", "maskedKey", "orgID", "orgName",
		"owner", "profile", "region", "role", "storedKeyInUse"}
	if got := sortedKeys(prof); !reflect.DeepEqual(got, wantProfile) {
		t.Errorf("profile fields\n got %v\nwant %v", got, wantProfile)
	}
	check := sortedKeys(prof["check"].(map[string]any))
	if want := []string{"exitCode", "message", "state"}; !reflect.DeepEqual(check, want) {
		t.Errorf("check fields %v, want %v", check, want)
	}
}

func sortedKeys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestExitCodeForMatchesStates(t *testing.T) {
	cases := map[connect.KeyState]int{connect.StateValid: 0, connect.StateInvalidKey: 3, connect.StateForbidden: 3, connect.StateNoProfile: 4,
		connect.StateNoKey: 4, connect.StateKeyring: 5, connect.StateUnreachable: 6, connect.StateOrg: 2, connect.StateConfig: 2, connect.StateError: 1}
	for s, want := range cases {
		if got := s.ExitCode(); got != want {
			t.Errorf("%s: exit %d, want %d", s, got, want)
		}
	}
	if connect.ExitCodeFor(store.ErrNoProfile) != connect.ExitNoProfile || connect.ExitCodeFor(store.ErrKeyringTimeout) != connect.ExitKeyring ||
		connect.ExitCodeFor(nil) != connect.ExitOK {
		t.Error("ExitCodeFor does not follow the states")
	}
}

func TestStatusMultiTenantProfileSendsItsOrganisation(t *testing.T) {
	f := newDay2Fixture(t)
	second := f.Srv.Orgs()[1]
	f.SaveMultiTenant("default", f.Srv.Keys.MultiTenant, second.ID)

	text, r, code := runStatusBoth(t, f)
	if code != connect.ExitOK {
		t.Fatalf("exit %d\n%s", code, text)
	}
	if ps := r.Profiles[0]; ps.OrgID != second.ID || ps.OrgName != second.Name {
		t.Errorf("org %s %q, want %s %q", ps.OrgID, ps.OrgName, second.ID, second.Name)
	}
}

func TestStatusOrganisationNoLongerVisible(t *testing.T) {
	f := newDay2Fixture(t)
	f.SaveUnverified(store.Profile{Name: "default", OrgID: f.Srv.Orgs()[3].ID, OrgName: "Fabrikam",
		Role: "Read Only", Integrations: store.Integrations{EndpointManagement: true}}, f.Srv.Keys.MultiTenant)

	text, r, code := runStatusBoth(t, f)
	if code != connect.ExitUsage || r.State != connect.StateOrg {
		t.Fatalf("code %d state %s, want %d org_problem\n%s", code, r.State, connect.ExitUsage, text)
	}
	wantIn(t, text, "cannot see organisation "+f.Srv.Orgs()[3].ID, "jcconnect setup")
}

func TestStatusBadBaseURLFlag(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	f.Env.BaseURL = "http://jumpcloud.example.com" // plain http off loopback: refused before any request
	text, r, code := runStatusBoth(t, f)
	if code != connect.ExitUsage || r.State != connect.StateConfig {
		t.Fatalf("code %d state %s\n%s", code, r.State, text)
	}
	wantIn(t, text, "--base-url")
}
