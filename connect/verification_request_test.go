package connect

import (
	"testing"

	"jcconnect/store"
)

// NewVerifyRequest's table, row by row: what wins for the endpoint, the organisation, the token
// host and the client id, for a setup (the wizard's answers) and a rotation (a stored profile).
func TestNewVerifyRequestPrecedenceTable(t *testing.T) {
	demo := &Demo{BaseURL: "http://127.0.0.1:1", TokenURL: "http://127.0.0.1:1/oauth2/token"}
	euProfile := &store.Profile{Name: "p", Region: "eu", OrgID: "org-profile",
		Integrations: store.Integrations{SSO: true}}
	customProfile := &store.Profile{Name: "p", Region: "custom", BaseURL: "http://127.0.0.1:2", OrgID: "org-profile"}
	saProfile := &store.Profile{Name: "p", Region: "eu", Kind: store.KindServiceAccount, ClientID: "cid-profile",
		TokenURL: "https://token.example/profile"}
	cases := []struct {
		name                       string
		env                        Env
		f                          VerifyFor
		region, baseURL, org       string
		tokenURL, clientID         string
		integrationsFromProfileSSO bool
	}{
		{name: "nothing given: US", region: "us"},
		{name: "--region", env: Env{Region: "EU"}, region: "eu"},
		{name: "the wizard's region over --region", env: Env{Region: "eu"}, f: VerifyFor{Region: "in"}, region: "in"},
		{name: "--base-url keeps the wizard's region as its label", env: Env{BaseURL: "http://127.0.0.1:3"},
			f: VerifyFor{Region: "eu"}, region: "eu", baseURL: "http://127.0.0.1:3"},
		{name: "--base-url alone is custom", env: Env{BaseURL: "http://127.0.0.1:3"}, region: "custom", baseURL: "http://127.0.0.1:3"},
		{name: "--demo wins over everything", env: Env{Demo: demo, BaseURL: demo.BaseURL, Region: "eu", OrgID: "org-flag"},
			f: VerifyFor{Profile: euProfile}, region: RegionDemo, baseURL: demo.BaseURL, org: "org-profile", integrationsFromProfileSSO: true},
		{name: "a demo the wizard started, chosen", f: VerifyFor{Region: RegionDemo, Demo: demo}, region: RegionDemo, baseURL: demo.BaseURL},
		{name: "a demo the wizard started, then another region chosen", f: VerifyFor{Region: "eu", Demo: demo}, region: "eu"},
		{name: "--org-id for a setup", env: Env{OrgID: "org-flag"}, region: "us", org: "org-flag"},
		{name: "a rotation stays in the profile's region and org", env: Env{OrgID: "org-flag"}, f: VerifyFor{Profile: euProfile},
			region: "eu", org: "org-profile", integrationsFromProfileSSO: true},
		{name: "--region over the profile's", env: Env{Region: "in"}, f: VerifyFor{Profile: euProfile}, region: "in", org: "org-profile",
			integrationsFromProfileSSO: true},
		{name: "the profile's base URL", f: VerifyFor{Profile: customProfile}, region: "custom", baseURL: "http://127.0.0.1:2", org: "org-profile"},
		{name: "a service account: --client-id and --token-url", env: Env{TokenURL: "https://token.example/flag"},
			f: VerifyFor{ClientID: "cid"}, region: "us", clientID: "cid", tokenURL: "https://token.example/flag"},
		{name: "a service account's rotation: the profile's id and token host", f: VerifyFor{Profile: saProfile},
			region: "eu", clientID: "cid-profile", tokenURL: "https://token.example/profile"},
		{name: "--token-url over the profile's", env: Env{TokenURL: "https://token.example/flag"}, f: VerifyFor{Profile: saProfile},
			region: "eu", clientID: "cid-profile", tokenURL: "https://token.example/flag"},
		{name: "the demo's token host for its service accounts", env: Env{Demo: demo, BaseURL: demo.BaseURL},
			f: VerifyFor{ClientID: "cid"}, region: RegionDemo, baseURL: demo.BaseURL, clientID: "cid", tokenURL: demo.TokenURL},
	}
	for _, c := range cases {
		f := newDay2Fixture(t)
		env := c.env
		env.Store, env.Getenv = f.st, f.env.Getenv
		c.f.Key = store.MustSecret("jca_"+"0123456789abcdefghijklmnopqrstuvwxyzABCD", false)
		req := NewVerifyRequest(&env, c.f)
		if req.Region != c.region || req.BaseURL != c.baseURL || req.OrgID != c.org || req.TokenURL != c.tokenURL ||
			req.ClientID != c.clientID || req.Key != c.f.Key {
			t.Errorf("%s: region %q base %q org %q token %q client %q; want %q %q %q %q %q", c.name,
				req.Region, req.BaseURL, req.OrgID, req.TokenURL, req.ClientID, c.region, c.baseURL, c.org, c.tokenURL, c.clientID)
		}
		if c.integrationsFromProfileSSO != (req.Integrations.SSO && !req.Integrations.EndpointManagement) {
			t.Errorf("%s: integrations %+v", c.name, req.Integrations)
		}
	}
}

// A rotation's request is the table's, with the stored profile: one place decides.
func TestRotationVerifyRequestIsTheTables(t *testing.T) {
	f := newDay2Fixture(t)
	p := f.save("default", f.srv.Keys.ReadOnly)
	f.env.OrgID = "some-other-org"
	got := RotationTarget{Profile: p}.VerifyRequest(f.env, store.MustSecret(f.srv.Keys.Admin, false))
	want := NewVerifyRequest(f.env, VerifyFor{Key: store.MustSecret(f.srv.Keys.Admin, false), Profile: &p})
	if got.Region != want.Region || got.BaseURL != want.BaseURL || got.OrgID != p.OrgID || got.OrgID != want.OrgID {
		t.Fatalf("rotation request %+v, table %+v", got, want)
	}
}
