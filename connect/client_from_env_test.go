package connect

import (
	"testing"

	"jcconnect/jumpcloud"
	"jcconnect/store"
)

// cfgKey is any value with a key's shape: the configuration carries it, nothing checks it.
const cfgKey = "jca_0123456789abcdefghijklmnopqrstuvwxyzAB"

// Where each part of a command's client configuration comes from: the demo in use, flags, then
// the profile, then the US region (the endpoint row of NewVerifyRequest's table); the organisation from --org-id, then JUMPCLOUD_ORG_ID (with
// an environment key only), then the profile.
func TestClientConfigPrecedence(t *testing.T) {
	p := store.Profile{Name: "default", Region: "eu", OrgID: "profile-org"}
	custom := store.Profile{Name: "sb", Region: "custom", BaseURL: "http://127.0.0.1:9", OrgID: "profile-org"}
	kr := store.Credential{Key: store.MustSecret(cfgKey, false), Source: store.SourceKeyring, OrgID: "profile-org"}
	envKey := store.Credential{Key: store.MustSecret(cfgKey, false), Source: store.SourceEnv, OrgID: "env-org"}
	cases := []struct {
		name       string
		env        Env
		p          store.Profile
		hasProfile bool
		cred       store.Credential
		region     jumpcloud.Region
		baseURL    string
		org        string
	}{
		{"profile region", Env{}, p, true, kr, "eu", "", "profile-org"},
		{"region flag wins", Env{Region: "in"}, p, true, kr, "in", "", "profile-org"},
		{"base URL flag wins", Env{BaseURL: "http://127.0.0.1:1", Region: "in"}, p, true, kr, "", "http://127.0.0.1:1", "profile-org"},
		{"profile base URL", Env{}, custom, true, kr, "", "http://127.0.0.1:9", "profile-org"},
		{"demo without profile", Env{Demo: &Demo{BaseURL: "http://127.0.0.1:2"}}, store.Profile{}, false, kr, "", "http://127.0.0.1:2", ""},
		{"demo over a stored profile", Env{Demo: &Demo{BaseURL: "http://127.0.0.1:2"}}, p, true, kr, "", "http://127.0.0.1:2", "profile-org"},
		{"nothing: US", Env{}, store.Profile{}, false, envKey, "us", "", "env-org"},
		{"org flag wins", Env{OrgID: "flag-org"}, p, true, envKey, "eu", "", "flag-org"},
		{"environment org with environment key", Env{}, p, true, envKey, "eu", "", "env-org"},
	}
	for _, c := range cases {
		cfg := ClientConfig(&c.env, c.p, c.hasProfile, c.cred)
		if cfg.Region != c.region || cfg.BaseURL != c.baseURL || cfg.OrgID != c.org || cfg.APIKey != cfgKey {
			t.Errorf("%s: region %q base %q org %q", c.name, cfg.Region, cfg.BaseURL, cfg.OrgID)
		}
	}
}

// A service account's secret is never configured as an API key: from the environment, or from a
// service-account profile when the credential (a rotation's new secret) does not say its kind.
func TestClientConfigOfAServiceAccount(t *testing.T) {
	sa := store.Profile{Name: "sa", Region: "eu", OrgID: "profile-org", Kind: store.KindServiceAccount,
		ClientID: "profile-client", TokenURL: "https://token.example/oauth2/token"}
	for _, c := range []struct {
		name       string
		p          store.Profile
		hasProfile bool
		cred       store.Credential
		id, token  string
	}{
		{"environment", store.Profile{}, false, store.Credential{Key: store.MustSecret("s", true), Source: store.SourceEnv,
			Kind: store.KindServiceAccount, ClientID: "env-client"}, "env-client", ""},
		{"stored", sa, true, store.Credential{Key: store.MustSecret("s", true), Source: store.SourceKeyring,
			Kind: store.KindServiceAccount, ClientID: "profile-client"}, "profile-client", sa.TokenURL},
		{"new secret of a service-account profile", sa, true, store.Credential{Key: store.MustSecret("s", true), Source: store.SourceKeyring},
			"profile-client", sa.TokenURL},
	} {
		cfg := ClientConfig(&Env{}, c.p, c.hasProfile, c.cred)
		if cfg.APIKey != "" || cfg.ClientSecret != "s" || cfg.ClientID != c.id || cfg.TokenURL != c.token {
			t.Errorf("%s: api key %q, client %q, token URL %q", c.name, cfg.APIKey, cfg.ClientID, cfg.TokenURL)
		}
	}
	envKey := store.Credential{Key: store.MustSecret(cfgKey, false), Source: store.SourceEnv, Kind: store.KindAPIKey}
	if cfg := ClientConfig(&Env{}, sa, true, envKey); cfg.APIKey != cfgKey || cfg.ClientSecret != "" {
		t.Errorf("an environment API key over a service-account profile: %+v", cfg)
	}
}

func TestClientFromEnvNothingSetUp(t *testing.T) {
	f := newDay2Fixture(t)
	_, err := ClientFromEnv(f.ctx, f.env)
	if ExitCodeFor(err) != ExitNoProfile {
		t.Fatalf("err %v → exit %d", err, ExitCodeFor(err))
	}
}

func TestClientFromEnvUsesTheStoredProfile(t *testing.T) {
	f := newDay2Fixture(t)
	f.save("default", f.srv.Keys.ReadOnly)
	conn, err := ClientFromEnv(f.ctx, f.env)
	if err != nil {
		t.Fatal(err)
	}
	if !conn.HasProfile || conn.BaseURL != f.srv.URL || conn.Masked != store.Mask(f.srv.Keys.ReadOnly) ||
		conn.KeyFromEnvironment() || conn.Region != "custom" {
		t.Errorf("connection %+v", conn)
	}
	if _, err := conn.Client.Organizations(f.ctx); err != nil {
		t.Errorf("the client does not work: %v", err)
	}
}

func TestClientFromEnvRefusesPlainHTTPElsewhere(t *testing.T) {
	f := newDay2Fixture(t)
	f.save("default", f.srv.Keys.ReadOnly)
	f.env.BaseURL = "http://example.com"
	_, err := ClientFromEnv(f.ctx, f.env)
	if ExitCodeFor(err) != ExitUsage {
		t.Fatalf("err %v → exit %d, want usage", err, ExitCodeFor(err))
	}
}

func TestClientFromEnvKeyringUnavailable(t *testing.T) {
	f := newDay2Fixture(t)
	f.save("default", f.srv.Keys.ReadOnly)
	f.ring.Inject(func(store.Call) error { return store.ErrKeyringTimeout })
	_, err := ClientFromEnv(f.ctx, f.env)
	if ExitCodeFor(err) != ExitKeyring || store.Fix(err) == "" {
		t.Fatalf("err %v → exit %d", err, ExitCodeFor(err))
	}
}
