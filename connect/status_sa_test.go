package connect

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"jcconnect/jumpcloud/jctest"
	"jcconnect/store"
)

// saveServiceAccount verifies a service account live and stores it under name.
func (f *coreFixture) saveServiceAccount(name string, sa jctest.ServiceAccountCredentials) store.Profile {
	f.t.Helper()
	req := VerifyRequest{Key: store.MustSecret(sa.ClientSecret, true), ClientID: sa.ClientID, TokenURL: f.srv.TokenURL, BaseURL: f.srv.URL,
		Integrations: wizBoth(), NewClient: wizClient, Now: f.env.Now}
	v, err := VerifyKey(f.ctx, req, nil, nil)
	if err != nil {
		f.t.Fatalf("verify service account: %v", err)
	}
	p := v.Profile(name)
	if err := f.st.Save(f.ctx, p, store.MustSecret(sa.ClientSecret, true)); err != nil {
		f.t.Fatalf("save: %v", err)
	}
	return p
}

func TestStatusNamesTheServiceAccountAndItsTokenHost(t *testing.T) {
	f := newDay2Fixture(t)
	sa := f.srv.ServiceAccounts.ReadOnly
	f.saveServiceAccount("default", sa)
	r := CollectStatus(f.ctx, f.env)
	if r.ExitCode != ExitOK || len(r.Profiles) != 1 {
		t.Fatalf("exit %d: %+v", r.ExitCode, r)
	}
	ps := r.Profiles[0]
	if ps.Kind != store.KindServiceAccount || ps.ClientID != sa.ClientID || ps.SecretExpires == nil || ps.KeyExpires != nil {
		t.Fatalf("kind %q, client id %q, secret expiry %v, key expiry %v", ps.Kind, ps.ClientID, ps.SecretExpires, ps.KeyExpires)
	}
	if ps.TokenHostReachable == nil || !*ps.TokenHostReachable || ps.TokenHost == "" {
		t.Fatalf("token host %q reachable %v", ps.TokenHost, ps.TokenHostReachable)
	}
	if ps.ExpiresSoon || ps.Check.Message != "the service account works" {
		t.Fatalf("check %+v, soon %v", ps.Check, ps.ExpiresSoon)
	}
}

func TestStatusWarnsOfASecretExpiringWithinTwoWeeks(t *testing.T) {
	f := newDay2Fixture(t)
	p := f.saveServiceAccount("default", f.srv.ServiceAccounts.ReadOnly)
	later := p.SecretExpires.Add(-5 * 24 * time.Hour)
	f.env.Now = func() time.Time { return later }
	r := CollectStatus(f.ctx, f.env)
	ps := r.Profiles[0]
	if r.ExitCode != ExitOK || !ps.ExpiresSoon || ps.DaysLeft == nil || *ps.DaysLeft > 5 {
		t.Fatalf("exit %d, soon %v, days %v", r.ExitCode, ps.ExpiresSoon, ps.DaysLeft)
	}
	if !strings.Contains(ps.Check.Message, "client secret expires in") || !strings.Contains(ps.Check.FixCommand, "rotate --with-secret") {
		t.Fatalf("check %+v", ps.Check)
	}
}

func TestStatusOfARefusedSecretIsInvalidWithTheRotateCommand(t *testing.T) {
	f := newDay2Fixture(t)
	sa := f.srv.ServiceAccounts.ReadOnly
	f.saveServiceAccount("default", sa)
	// The secret is deleted in the console: the stored copy is refused by the token host.
	f.srv.DeleteClientSecret(sa.ClientID, sa.ClientSecret)
	r := CollectStatus(f.ctx, f.env)
	ps := r.Profiles[0]
	if r.ExitCode != ExitInvalidKey || ps.Check.State != StateInvalidKey || !strings.Contains(ps.Check.FixCommand, "--with-secret") {
		t.Fatalf("exit %d, check %+v", r.ExitCode, ps.Check)
	}
	if ps.TokenHostReachable == nil || !*ps.TokenHostReachable {
		t.Fatal("the token host answered (with a refusal): it is reachable")
	}
}

func TestDoctorChecksTheTokenHost(t *testing.T) {
	f := newDay2Fixture(t)
	f.saveServiceAccount("default", f.srv.ServiceAccounts.ReadOnly)
	var found bool
	for _, c := range connectionChecks(f.ctx, f.env, true) {
		if c.Name == "token host" {
			found = c.Status == DoctorOK
		}
	}
	if !found {
		t.Fatal("no passing token host check")
	}
}

// A service account's rotation through any face: the second secret is verified and swapped in,
// the old one is reported as still working until deleted; once deleted in the console, a check
// of the old secret says it is refused.
func TestRotateServiceAccountSecretUsesTheSecondSlot(t *testing.T) {
	f := newDay2Fixture(t)
	sa := f.srv.ServiceAccounts.ReadOnly
	f.saveServiceAccount("default", sa)
	second := f.srv.AddClientSecret(sa.ClientID)
	out := f.env.Out.(*bytes.Buffer)
	if code := Rotate(f.ctx, f.env, &scriptedPrompter{key: second + "\n"}); code != ExitOK {
		t.Fatalf("exit %d\n%s%s", code, out, f.env.Err)
	}
	cred, err := f.st.Key(f.ctx, "default")
	if err != nil || cred.Key.Reveal() != second || cred.ClientID != sa.ClientID {
		t.Fatalf("the keyring does not hold the second secret (%v)", err)
	}
	for _, want := range []string{"Verifying the new client secret", "still works, as expected until it is deleted", "Settings ▸ Service Accounts"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out.String(), second) || strings.Contains(out.String(), sa.ClientSecret) {
		t.Fatal("a secret was printed")
	}

	// The old secret deleted in the console: the best-effort check now says it is refused.
	f.srv.DeleteClientSecret(sa.ClientID, sa.ClientSecret)
	t2, err := PrepareRotation(f.ctx, f.env)
	if err != nil {
		t.Fatal(err)
	}
	t2.oldKey = store.MustSecret(sa.ClientSecret, true)
	if v := t2.CheckOldKey(f.ctx, f.env); v.State != OldKeyRevoked {
		t.Fatalf("old secret: %+v", v)
	}
}

func TestRotateServiceAccountRefusesTheSameSecretAndNonSecrets(t *testing.T) {
	f := newDay2Fixture(t)
	sa := f.srv.ServiceAccounts.ReadOnly
	f.saveServiceAccount("default", sa)
	if code := Rotate(f.ctx, f.env, &scriptedPrompter{key: sa.ClientSecret}); code != ExitUsage {
		t.Fatalf("the same secret: exit %d", code)
	}
	if code := Rotate(f.ctx, f.env, &scriptedPrompter{key: "https://console.jumpcloud.com"}); code != ExitUsage {
		t.Fatalf("a URL: exit %d", code)
	}
}

// A service account whose role may not read evidence is told to get the Read Only role in the
// console, not to use "the key of a Read Only admin" it does not have.
func TestStatusOfAServiceAccountThatMayNotReadEvidence(t *testing.T) {
	f := newDay2Fixture(t)
	sa := f.srv.ServiceAccounts.ReadOnly
	f.saveServiceAccount("default", sa)
	f.srv.DenyServiceAccount(sa.ClientID, "/api/systems")
	r := CollectStatus(f.ctx, f.env)
	ps := r.Profiles[0]
	if ps.Check.State != StateForbidden || r.ExitCode == ExitOK {
		t.Fatalf("exit %d, check %+v", r.ExitCode, ps.Check)
	}
	if !strings.Contains(ps.Check.Fix, "Read Only role in Settings ▸ Service Accounts") ||
		strings.Contains(ps.Check.Fix, "admin") || ps.Check.FixCommand != "" {
		t.Errorf("fix %q, command %q", ps.Check.Fix, ps.Check.FixCommand)
	}
}
