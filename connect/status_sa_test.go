package connect

import (
	"strings"
	"testing"
	"time"

	"jcconnect/jumpcloud/jctest"
	"jcconnect/store"
)

// saveServiceAccount verifies a service account live and stores it under name.
func (f *coreFixture) saveServiceAccount(name string, sa jctest.ServiceAccountCredentials) store.Profile {
	f.t.Helper()
	req := VerifyRequest{Key: sa.ClientSecret, ClientID: sa.ClientID, TokenURL: f.srv.TokenURL, BaseURL: f.srv.URL,
		Integrations: wizBoth(), NewClient: wizClient, Now: f.env.Now}
	v, err := VerifyKey(f.ctx, req, nil, nil)
	if err != nil {
		f.t.Fatalf("verify service account: %v", err)
	}
	p := v.Profile(name)
	if err := f.st.Save(f.ctx, p, sa.ClientSecret); err != nil {
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
