package connect

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"jcconnect/internal/sandboxtest"
	"jcconnect/jumpcloud/jctest"
	"jcconnect/store"
)

// The core's tests run against jctest over real HTTP and a memory keyring behind the store.

var wizCtx = context.Background()

// wizSandbox and wizClient are the shared test support's (internal/sandboxtest), under the
// names these tests have always used.
func wizSandbox(t *testing.T) *jctest.Server { return sandboxtest.Sandbox(t) }

var wizClient = sandboxtest.NoRetryClient

// coreFixture is an Env over a sandbox organisation, a memory keyring and a fixed clock.
type coreFixture struct {
	t    testing.TB
	ctx  context.Context
	srv  *jctest.Server
	ring *store.Memory
	st   *store.Store
	env  *Env
}

func newDay2Fixture(t testing.TB) *coreFixture {
	t.Helper()
	srv := sandboxtest.Server(t, jctest.Options{Devices: 20, Seed: 6})
	ring := store.NewMemory().(*store.Memory)
	st := sandboxtest.MemoryStore(t, ring, nil)
	now := time.Now()
	env := &Env{In: strings.NewReader(""), Out: &bytes.Buffer{}, Err: &bytes.Buffer{}, Store: st,
		Getenv: sandboxtest.NoEnv, Now: func() time.Time { return now }, NewClient: wizClient, NoColor: true}
	return &coreFixture{t: t, ctx: context.Background(), srv: srv, ring: ring, st: st, env: env}
}

// save verifies key live and stores it under name, as the wizard does.
func (f *coreFixture) save(name, key string) store.Profile {
	f.t.Helper()
	req := VerifyRequest{Key: store.MustSecret(key, false), BaseURL: f.srv.URL, Integrations: wizBoth(), NewClient: wizClient, Now: f.env.Now}
	v, err := VerifyKey(f.ctx, req, nil, nil)
	if err != nil {
		f.t.Fatalf("verify %s: %v", store.Mask(key), err)
	}
	p := v.Profile(name)
	if err := f.st.Save(f.ctx, p, store.MustSecret(key, false)); err != nil {
		f.t.Fatalf("save: %v", err)
	}
	return p
}
