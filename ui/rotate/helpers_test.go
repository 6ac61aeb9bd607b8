package rotate

import (
	"os"
	"testing"

	"jcconnect/connect"
	"jcconnect/internal/uitest"
	"jcconnect/jumpcloud/jctest"
	"jcconnect/store"
)

// day2Fixture is uitest's fixture, with this package's own helpers as methods.
type day2Fixture struct{ *uitest.Fixture }

func newDay2Fixture(t testing.TB) *day2Fixture { return &day2Fixture{uitest.NewFixture(t)} }

var (
	wantIn    = uitest.WantIn
	wantNotIn = uitest.WantNotIn
)

func TestMain(m *testing.M) {
	code := m.Run()
	uitest.RemoveBinary()
	os.Exit(code)
}

// saveServiceAccount verifies a service account live and stores it as profile name, as the
// wizard's service-account way does; its secret joins the no-leak check.
func (f *day2Fixture) saveServiceAccount(name string, sa jctest.ServiceAccountCredentials) store.Profile {
	f.T.Helper()
	f.Secret(sa.ClientSecret)
	req := connect.VerifyRequest{Key: store.MustSecret(sa.ClientSecret, true), ClientID: sa.ClientID, TokenURL: f.Srv.TokenURL,
		BaseURL: f.Srv.URL, Integrations: store.Integrations{EndpointManagement: true, SSO: true},
		NewClient: uitest.FastRetryClient, Now: f.Env.Now}
	v, err := connect.VerifyKey(f.Ctx, req, nil, nil)
	if err != nil {
		f.T.Fatalf("verify service account: %v", err)
	}
	if err := f.St.Save(f.Ctx, v.Profile(name), store.MustSecret(sa.ClientSecret, true)); err != nil {
		f.T.Fatalf("save: %v", err)
	}
	p, _ := f.St.Profile(name)
	return p
}
