package ui

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"jcconnect/connect"
	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
	"jcconnect/store"
)

// day2Fixture is the world the day-two tests run in: a jctest organisation over real HTTP on
// loopback, a store with an in-memory keyring (failure injection through *store.Memory) and a
// temporary config folder, an environment the test controls, and captured output.
type day2Fixture struct {
	t    testing.TB
	ctx  context.Context
	srv  *jctest.Server
	ring *store.Memory
	st   *store.Store
	env  *connect.Env
	vars map[string]string
	Out  *bytes.Buffer
	errb *bytes.Buffer
	now  time.Time
	// keys every output of the test is checked against: none may appear in clear.
	secrets []string
}

func newDay2Fixture(t testing.TB) *day2Fixture {
	t.Helper()
	srv := jctest.NewServer(jctest.Options{Devices: 20, Seed: 6})
	t.Cleanup(srv.Close)
	ring := store.NewMemory().(*store.Memory)
	f := &day2Fixture{t: t, ctx: context.Background(), srv: srv, ring: ring,
		vars: map[string]string{}, Out: &bytes.Buffer{}, errb: &bytes.Buffer{}, now: time.Now()}
	getenv := func(k string) string { return f.vars[k] }
	st, err := store.Open(store.Options{Keyring: ring, Dir: t.TempDir(), Getenv: getenv})
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	f.st = st
	f.env = &connect.Env{In: strings.NewReader(""), Out: f.Out, Err: f.errb, Store: st, Getenv: getenv,
		Now: func() time.Time { return f.now }, NewClient: fastRetryClient, NoColor: true}
	k := srv.Keys
	f.secrets = []string{k.ReadOnly, k.Admin, k.Revoked, k.Expired, k.MultiTenant, k.OtherOrg}
	t.Cleanup(f.assertNoSecrets)
	return f
}

// fastRetryClient is jumpcloud.New with retries that do not make a test wait seconds.
func fastRetryClient(cfg jumpcloud.Config) (*jumpcloud.Client, error) {
	cfg.RetryBaseDelay = time.Millisecond
	cfg.MaxRetryDelay = 5 * time.Millisecond
	cfg.Timeout = 10 * time.Second
	return jumpcloud.New(cfg)
}

// secret registers a key created during the test (AddKey, RotateKey) for the no-leak check.
func (f *day2Fixture) secret(key string) string {
	f.secrets = append(f.secrets, key)
	return key
}

// assertNoSecrets fails the test when any key appears in any captured output.
func (f *day2Fixture) assertNoSecrets() {
	all := f.Out.String() + f.errb.String()
	for _, k := range f.secrets {
		if k != "" && strings.Contains(all, k) {
			f.t.Errorf("output contains an API key in clear (%s)", store.Mask(k))
		}
	}
}

// save verifies key live against the sandbox and stores it as profile name, the way the wizard
// does, and returns the stored profile.
func (f *day2Fixture) save(name, key string) store.Profile {
	f.t.Helper()
	req := connect.VerifyRequest{Key: key, BaseURL: f.srv.URL,
		Integrations: store.Integrations{EndpointManagement: true, SSO: true},
		NewClient:    fastRetryClient, Now: f.env.Now}
	v, err := connect.VerifyKey(f.ctx, req, nil, nil)
	if err != nil {
		f.t.Fatalf("verify %s: %v", store.Mask(key), err)
	}
	p := v.Profile(name)
	if err := f.st.Save(f.ctx, p, key); err != nil {
		f.t.Fatalf("save: %v", err)
	}
	got, err := f.st.Profile(name)
	if err != nil {
		f.t.Fatalf("profile: %v", err)
	}
	return got
}

// saveUnverified stores a key with hand-written metadata (for keys JumpCloud refuses, which
// the wizard would never store, but which a stored key becomes once revoked or expired).
func (f *day2Fixture) saveUnverified(p store.Profile, key string) {
	f.t.Helper()
	if p.BaseURL == "" {
		p.Region, p.BaseURL = "custom", f.srv.URL
	}
	if err := f.st.Save(f.ctx, p, key); err != nil {
		f.t.Fatalf("save: %v", err)
	}
}

// storedKey is what the keyring holds for a profile now.
func (f *day2Fixture) storedKey(name string) string {
	f.t.Helper()
	key, ok := f.ring.Peek(store.Service, name)
	if !ok {
		return ""
	}
	return key
}

func (f *day2Fixture) output() string { return f.Out.String() + f.errb.String() }

func (f *day2Fixture) reset() {
	f.Out.Reset()
	f.errb.Reset()
}

func wantIn(t *testing.T, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("output lacks %q:\n%s", w, got)
		}
	}
}

func wantNotIn(t *testing.T, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if strings.Contains(got, w) {
			t.Errorf("output contains %q:\n%s", w, got)
		}
	}
}

// saveMultiTenant verifies a multi-tenant key for one of its organisations and stores it.
func (f *day2Fixture) saveMultiTenant(name, key, orgID string) store.Profile {
	f.t.Helper()
	req := connect.VerifyRequest{Key: key, BaseURL: f.srv.URL, OrgID: orgID,
		Integrations: store.Integrations{EndpointManagement: true, SSO: true},
		NewClient:    fastRetryClient, Now: f.env.Now}
	v, err := connect.VerifyKey(f.ctx, req, nil, nil)
	if err != nil {
		f.t.Fatalf("verify %s: %v", store.Mask(key), err)
	}
	if err := f.st.Save(f.ctx, v.Profile(name), key); err != nil {
		f.t.Fatalf("save: %v", err)
	}
	p, _ := f.st.Profile(name)
	return p
}
