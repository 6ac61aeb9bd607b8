// Package uitest is test support for the ui packages: the day-two fixture (a jctest organisation,
// a memory keyring, captured output, a no-leak check), output assertions, and the terminal
// end-to-end helpers (the built binary, tmux, a real Secret Service). Only _test.go files import
// it; it is outside ui/ because it imports the sandbox, which no ui package may.
package uitest

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"jcconnect/connect"
	"jcconnect/internal/sandboxtest"
	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
	"jcconnect/store"
)

// Fixture is the world the day-two tests run in (status, rotation, logout, doctor, home): a jctest organisation over real HTTP on
// loopback, a store with an in-memory keyring (failure injection through *store.Memory) and a
// temporary config folder, an environment the test controls, and captured output.
type Fixture struct {
	T    testing.TB
	Ctx  context.Context
	Srv  *jctest.Server
	Ring *store.Memory
	St   *store.Store
	Env  *connect.Env
	Vars map[string]string
	Out  *bytes.Buffer
	Errb *bytes.Buffer
	Now  time.Time
	// keys every output of the test is checked against: none may appear in clear.
	secrets []string
}

// NewFixture builds a Fixture; every output it captured is checked for keys when the test ends.
func NewFixture(t testing.TB) *Fixture {
	t.Helper()
	srv := jctest.NewServer(jctest.Options{Devices: 20, Seed: 6})
	t.Cleanup(srv.Close)
	ring := store.NewMemory().(*store.Memory)
	f := &Fixture{T: t, Ctx: context.Background(), Srv: srv, Ring: ring,
		Vars: map[string]string{}, Out: &bytes.Buffer{}, Errb: &bytes.Buffer{}, Now: time.Now()}
	getenv := func(k string) string { return f.Vars[k] }
	st, err := store.Open(store.Options{Keyring: ring, Dir: t.TempDir(), Getenv: getenv})
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	f.St = st
	f.Env = &connect.Env{In: strings.NewReader(""), Out: f.Out, Err: f.Errb, Store: st, Getenv: getenv,
		Now: func() time.Time { return f.Now }, NewClient: FastRetryClient, NoColor: true}
	k := srv.Keys
	f.secrets = []string{k.ReadOnly, k.Admin, k.Revoked, k.Expired, k.MultiTenant, k.OtherOrg}
	t.Cleanup(f.assertNoSecrets)
	return f
}

// FastRetryClient is jumpcloud.New with retries that do not make a test wait seconds.
// (sandboxtest's, the bubbletea-free test support the core's tests share).
func FastRetryClient(cfg jumpcloud.Config) (*jumpcloud.Client, error) {
	return sandboxtest.FastRetryClient(cfg)
}

// Secret registers a key created during the test (AddKey, RotateKey) for the no-leak check.
func (f *Fixture) Secret(key string) string {
	f.secrets = append(f.secrets, key)
	return key
}

// assertNoSecrets fails the test when any key appears in any captured output.
func (f *Fixture) assertNoSecrets() {
	all := f.Out.String() + f.Errb.String()
	for _, k := range f.secrets {
		if k != "" && strings.Contains(all, k) {
			f.T.Errorf("output contains an API key in clear (%s)", store.Mask(k))
		}
	}
}

// Save verifies key live against the sandbox and stores it as profile name, the way the wizard
// does, and returns the stored profile.
func (f *Fixture) Save(name, key string) store.Profile {
	f.T.Helper()
	req := connect.VerifyRequest{Key: store.MustSecret(key, false), BaseURL: f.Srv.URL,
		Integrations: store.Integrations{EndpointManagement: true, SSO: true},
		NewClient:    FastRetryClient, Now: f.Env.Now}
	v, err := connect.VerifyKey(f.Ctx, req, nil, nil)
	if err != nil {
		f.T.Fatalf("verify %s: %v", store.Mask(key), err)
	}
	p := v.Profile(name)
	if err := f.St.Save(f.Ctx, p, v.Key); err != nil {
		f.T.Fatalf("save: %v", err)
	}
	got, err := f.St.Profile(name)
	if err != nil {
		f.T.Fatalf("profile: %v", err)
	}
	return got
}

// SaveUnverified stores a key with hand-written metadata (for keys JumpCloud refuses, which
// the wizard would never store, but which a stored key becomes once revoked or expired).
func (f *Fixture) SaveUnverified(p store.Profile, key string) {
	f.T.Helper()
	if p.BaseURL == "" {
		p.Region, p.BaseURL = "custom", f.Srv.URL
	}
	if err := f.St.Save(f.Ctx, p, store.MustSecret(key, p.IsServiceAccount())); err != nil {
		f.T.Fatalf("save: %v", err)
	}
}

// StoredKey is what the keyring holds for a profile now.
func (f *Fixture) StoredKey(name string) string {
	f.T.Helper()
	key, ok := f.Ring.Peek(store.Service, name)
	if !ok {
		return ""
	}
	return key
}

func (f *Fixture) Output() string { return f.Out.String() + f.Errb.String() }

func (f *Fixture) Reset() {
	f.Out.Reset()
	f.Errb.Reset()
}

// WantIn fails t when got lacks any of wants.
func WantIn(t testing.TB, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("output lacks %q:\n%s", w, got)
		}
	}
}

// WantNotIn fails t when got contains any of wants.
func WantNotIn(t testing.TB, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if strings.Contains(got, w) {
			t.Errorf("output contains %q:\n%s", w, got)
		}
	}
}

// SaveMultiTenant verifies a multi-tenant key for one of its organisations and stores it.
func (f *Fixture) SaveMultiTenant(name, key, orgID string) store.Profile {
	f.T.Helper()
	req := connect.VerifyRequest{Key: store.MustSecret(key, false), BaseURL: f.Srv.URL, OrgID: orgID,
		Integrations: store.Integrations{EndpointManagement: true, SSO: true},
		NewClient:    FastRetryClient, Now: f.Env.Now}
	v, err := connect.VerifyKey(f.Ctx, req, nil, nil)
	if err != nil {
		f.T.Fatalf("verify %s: %v", store.Mask(key), err)
	}
	if err := f.St.Save(f.Ctx, v.Profile(name), v.Key); err != nil {
		f.T.Fatalf("save: %v", err)
	}
	p, _ := f.St.Profile(name)
	return p
}

// keyWorks reports whether JumpCloud accepts key now.
func (f *Fixture) KeyWorks(key string) bool {
	f.T.Helper()
	c, err := FastRetryClient(jumpcloud.Config{BaseURL: f.Srv.URL, APIKey: key})
	if err != nil {
		f.T.Fatal(err)
	}
	_, err = c.Organizations(f.Ctx)
	return err == nil
}

// SaveServiceAccount verifies a service account live and stores it as profile name, as the
// wizard's service-account way does; its secret joins the no-leak check.
func (f *Fixture) SaveServiceAccount(name string, sa jctest.ServiceAccountCredentials) store.Profile {
	f.T.Helper()
	f.Secret(sa.ClientSecret)
	req := connect.VerifyRequest{Key: store.MustSecret(sa.ClientSecret, true), ClientID: sa.ClientID, TokenURL: f.Srv.TokenURL,
		BaseURL: f.Srv.URL, Integrations: store.Integrations{EndpointManagement: true, SSO: true},
		NewClient: FastRetryClient, Now: f.Env.Now}
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
