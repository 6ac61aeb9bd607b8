// Package sandboxtest is test support without bubbletea, shared by the core's tests (connect)
// and the screens' tests (ui/...): a jctest organisation over real HTTP on loopback, API clients
// whose retries do not make a test wait, and a store over a memory keyring in a temporary
// folder. It imports neither connect nor ui, so connect's own (in-package) tests can use it
// without an import cycle; internal/uitest holds what needs bubbletea. Only _test.go files and
// test-support packages import it (it imports the sandbox, jumpcloud/jctest).
package sandboxtest

import (
	"testing"
	"time"

	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
	"jcconnect/store"
)

// Sandbox is the setup tests' organisation: 24 devices from seed 3, closed when the test ends.
func Sandbox(t testing.TB) *jctest.Server { return Server(t, jctest.Options{Devices: 24, Seed: 3}) }

// Server is a jctest organisation with opts, closed when the test ends.
func Server(t testing.TB, opts jctest.Options) *jctest.Server {
	t.Helper()
	srv := jctest.NewServer(opts)
	t.Cleanup(srv.Close)
	return srv
}

// NoRetryClient builds clients without retries, so a fault test sees the fault at once; the
// retry policy itself is the client's business and is tested there.
func NoRetryClient(cfg jumpcloud.Config) (*jumpcloud.Client, error) {
	cfg.MaxRetries = -1
	cfg.Timeout = 5 * time.Second
	return jumpcloud.New(cfg)
}

// FastRetryClient is jumpcloud.New with retries that do not make a test wait seconds.
func FastRetryClient(cfg jumpcloud.Config) (*jumpcloud.Client, error) {
	cfg.RetryBaseDelay = time.Millisecond
	cfg.MaxRetryDelay = 5 * time.Millisecond
	cfg.Timeout = 10 * time.Second
	return jumpcloud.New(cfg)
}

// NoEnv is an environment with no variable set.
func NoEnv(string) string { return "" }

// MemoryStore is a store over kr (a new memory keyring when nil) in a temporary config folder,
// reading the environment through getenv (NoEnv when nil).
func MemoryStore(t testing.TB, kr store.Keyring, getenv func(string) string) *store.Store {
	t.Helper()
	if kr == nil {
		kr = store.NewMemory()
	}
	if getenv == nil {
		getenv = NoEnv
	}
	st, err := store.Open(store.Options{Keyring: kr, Dir: t.TempDir(), Getenv: getenv})
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	return st
}
