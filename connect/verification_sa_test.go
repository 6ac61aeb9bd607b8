package connect

import (
	"errors"
	"strings"
	"testing"

	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
	"jcconnect/store"
)

func saRequest(srv *jctest.Server, sa jctest.ServiceAccountCredentials) VerifyRequest {
	r := wizRequest(srv, sa.ClientSecret)
	r.Key, r.ClientID, r.TokenURL = store.MustSecret(sa.ClientSecret, true), sa.ClientID, srv.TokenURL
	return r
}

func TestVerifyServiceAccountRunsTheKeysStepsAfterAToken(t *testing.T) {
	srv := wizSandbox(t)
	v, err := VerifyKey(wizCtx, saRequest(srv, srv.ServiceAccounts.ReadOnly), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if v.Checks[0].Name != CheckNameToken || v.Checks[0].State != CheckPassed {
		t.Fatalf("first step %+v, want the token", v.Checks[0])
	}
	if !v.ReadOnly() || v.Account == "" || v.Expires == nil {
		t.Fatalf("role %q, account %q, expiry %v", v.Owner.Role, v.Account, v.Expires)
	}
	var devices bool
	for _, sc := range v.Sources {
		devices = devices || (sc.Source == jumpcloud.SourceDevices && sc.Readable())
	}
	if !devices {
		t.Fatal("the permission matrix did not run for the service account")
	}
	p := v.Profile("default")
	if p.Kind != store.KindServiceAccount || p.ClientID != srv.ServiceAccounts.ReadOnly.ClientID ||
		p.TokenURL != srv.TokenURL || p.SecretExpires == nil || p.KeyExpires != nil {
		t.Fatalf("profile %+v", p)
	}
}

func TestVerifyServiceAccountFailuresSayWhich(t *testing.T) {
	srv := wizSandbox(t)
	wrong := srv.ServiceAccounts.ReadOnly
	wrong.ClientSecret = strings.Repeat("x", len(wrong.ClientSecret))
	for _, tc := range []struct {
		name   string
		sa     jctest.ServiceAccountCredentials
		detail string
	}{
		{"wrong secret", wrong, "client id or secret is wrong"},
		{"expired", srv.ServiceAccounts.Expired, "has expired"},
		{"revoked", srv.ServiceAccounts.Revoked, "client id or secret is wrong"},
	} {
		v, err := VerifyKey(wizCtx, saRequest(srv, tc.sa), nil, nil)
		if !errors.Is(err, ErrVerifyFailed) || !strings.Contains(err.Error(), tc.detail) {
			t.Errorf("%s: %v", tc.name, err)
		}
		if code := ExitCodeForChecks(v.Checks); code != ExitInvalidKey {
			t.Errorf("%s: exit %d, want %d", tc.name, code, ExitInvalidKey)
		}
		if strings.Contains(err.Error(), tc.sa.ClientSecret) {
			t.Errorf("%s: the secret is in the error", tc.name)
		}
	}
}

func TestVerifyServiceAccountNotReadOnlyWarnsInItsOwnWords(t *testing.T) {
	srv := wizSandbox(t)
	v, err := VerifyKey(wizCtx, saRequest(srv, srv.ServiceAccounts.Admin), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !IsPrivileged(v.Owner) || v.LeastPrivilege() != LeastPrivilegeWarningSA {
		t.Fatalf("role %q", v.Owner.Role)
	}
}

func TestVerifyServiceAccountMultiTenantPicksAnOrganisation(t *testing.T) {
	srv := wizSandbox(t)
	req := saRequest(srv, srv.ServiceAccounts.MultiTenant)
	if _, err := VerifyKey(wizCtx, req, nil, nil); !errors.Is(err, ErrVerifyFailed) || !strings.Contains(err.Error(), "Organisation") {
		t.Fatalf("without a picker: %v", err)
	}
	orgs := srv.Orgs()
	v, err := VerifyKey(wizCtx, req, func(list []jumpcloud.Organization) (jumpcloud.Organization, error) { return list[1], nil }, nil)
	if err != nil || v.Org.ID != orgs[1].ID || v.OrgCount != 3 {
		t.Fatalf("picked %+v of %d: %v", v.Org, v.OrgCount, err)
	}
}

// A source a service account's role may not read names the service account, never an admin it
// does not have; a key's rows keep the admin's words.
func TestVerifyServiceAccountUnreadableSourcesNameTheServiceAccount(t *testing.T) {
	srv := wizSandbox(t)
	sa := srv.ServiceAccounts.ReadOnly
	srv.DenyServiceAccount(sa.ClientID, "/api/applications") // optional: 403
	srv.DenyServiceAccount(sa.ClientID, "/api/systemusers")  // required: 403
	srv.Deny(srv.Keys.ReadOnly, "/api/applications")
	rows := func(req VerifyRequest) map[jumpcloud.Source]CheckResult {
		t.Helper()
		v, err := VerifyKey(wizCtx, req, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		m := map[jumpcloud.Source]CheckResult{}
		for _, sc := range v.Sources {
			m[sc.Source] = sc.Result
		}
		return m
	}
	got := rows(saRequest(srv, sa))
	apps, users := got[jumpcloud.SourceApplications], got[jumpcloud.SourceUsers]
	if apps.State != CheckWarning || !strings.Contains(apps.Detail, "not available to this service account") ||
		!strings.Contains(apps.Detail, "(this service account's role may not read it)") {
		t.Errorf("optional source row: %+v", apps)
	}
	if users.State != CheckWarning || users.Detail != "not permitted for this service account's role" ||
		!strings.Contains(users.Fix, "Settings ▸ Service Accounts") {
		t.Errorf("required source row: %+v", users)
	}
	for _, r := range []CheckResult{apps, users} {
		if strings.Contains(r.Detail+r.Fix, "admin") || strings.Contains(r.Detail, "key") {
			t.Errorf("a service account's row speaks of a key or an admin: %+v", r)
		}
	}
	if key := rows(wizRequest(srv, srv.Keys.ReadOnly))[jumpcloud.SourceApplications]; !strings.Contains(key.Detail, "(the admin's role may not read it)") {
		t.Errorf("a key's row lost the admin's words: %+v", key)
	}
}
