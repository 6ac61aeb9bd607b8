// Package store keeps the credential in the OS keyring (an admin's API key, or a service
// account's client secret: one secret per profile, stored and replaced the same way) and
// everything else about a connection (never the secret; for a service account its kind, client
// id, token URL and secret expiry) as profile metadata in the user config dir.
//
// Files, one job each: keyring.go (the interface), keyring_os.go (go-keyring), keyring_memory.go
// (tests and the demo, with failure injection), deadlines.go (every call bounded), classify.go and
// errors.go (typed outcomes, each with a Fix), key.go (normalise keys, client secrets and ids; mask,
// fingerprint), secret.go (Secret: a key or client secret that passed that rule, which prints only
// its mask; the type every path carries, with Reveal for the header and the keyring), profile.go, metadata_file.go + atomic_write.go + lock_*.go (the JSON file),
// credential.go (env: an API key or a service account, never both; then the keyring),
// save.go (first save and the safe replacement order), delete.go (logout), doctor*.go,
// exposure.go (profile files others can read), stephook_faults.go (pause points, only in a
// -tags jcconnect_faults build for the fault matrix in e2e/).
//
// Tests: `go test ./store/` runs everything that needs no Secret Service (the memory keyring with
// failure injection, killed and concurrent child processes, broken D-Bus sessions when dbus is
// installed). The real Secret Service tests need an unlocked gnome-keyring in a D-Bus session:
// `store/testdata/keyring-session.sh` provides one (JCCONNECT_REQUIRE_KEYRING=1 turns their skip
// into a failure, as in CI). Benchmarks: `store/testdata/keyring-session.sh go test ./store/
// -run '^$' -bench .` measures real keyring latency and the timeout path.
package store

import (
	"os"
	"path/filepath"
	"sync"
	"time"
)

// defaultStep is the step hook of every opened Store: nil, except in a binary built with the
// jcconnect_faults tag for the fault matrix (stephook_faults.go).
var defaultStep func(name string)

// Options opens a Store.
type Options struct {
	Keyring Keyring // default: WithDeadlines(OSKeyring(), DeadlinesFromEnv(Getenv))
	Dir     string  // default: os.UserConfigDir()/jcconnect
	Getenv  func(string) string
}

// Store is the credential store. Safe for concurrent use; file writes are locked across
// processes.
type Store struct {
	dir      string
	keyring  Keyring
	getenv   func(string) string
	lockWait time.Duration
	now      func() time.Time

	mu sync.Mutex // serialises this process's writers; lock_*.go serialises processes

	// Test hooks, nil in production: step is called after each step of a key write (the
	// killed-process test stops there); beforeWrite can fail a metadata write.
	step        func(name string)
	beforeWrite func() error
}

// Open prepares a Store; it touches nothing on disk or in the keyring until used.
// It fails when JCCONNECT_KEYRING_TIMEOUT is nonsense (for the default keyring) or when no config
// folder can be determined.
func Open(opts Options) (*Store, error) {
	s := &Store{dir: opts.Dir, keyring: opts.Keyring, getenv: opts.Getenv, now: time.Now, step: defaultStep}
	if s.getenv == nil {
		s.getenv = os.Getenv
	}
	deadlines, err := DeadlinesFromEnv(s.getenv)
	if s.keyring == nil {
		if err != nil {
			return nil, err
		}
		s.keyring = WithDeadlines(OSKeyring(), deadlines)
	}
	s.lockWait = lockWaitFor(deadlines)
	if s.dir == "" {
		base, err := os.UserConfigDir()
		if err != nil {
			return nil, &StoreError{Kind: kindMetadataIO, Err: err,
				Detail: "cannot find your config folder",
				fix:    "Set HOME (or XDG_CONFIG_HOME) so jcconnect knows where to keep its profiles."}
		}
		s.dir = filepath.Join(base, "jcconnect")
	}
	return s, nil
}

// Dir is the folder holding the metadata file.
func (s *Store) Dir() string { return s.dir }

// MetadataPath is the metadata file (for status output and error messages).
func (s *Store) MetadataPath() string { return s.metadataPath() }

// Keyring is the keyring the store uses (with its deadlines), for Diagnose.
func (s *Store) Keyring() Keyring { return s.keyring }
