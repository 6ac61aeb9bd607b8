// Package store keeps the API key in the OS keyring and everything else about a connection
// (never the key) as profile metadata in the user config dir.
package store

import (
	"context"
	"time"
)

// CONTRACT STUBS: the bodies below are placeholders being replaced by the real implementation;
// the signatures are the contract other packages build against.

// Keyring is the smallest interface over a secret store. Implementations: the OS keyring through
// go-keyring (OSKeyring), and Memory for tests and the demo. Wrap either with WithDeadlines.
type Keyring interface {
	Get(service, user string) (string, error)
	Set(service, user, secret string) error
	Delete(service, user string) error
}

// Where the key came from.
type KeySource string

const (
	SourceKeyring KeySource = "keyring"
	SourceEnv     KeySource = "environment" // JUMPCLOUD_API_KEY
	SourceMemory  KeySource = "memory"      // the demo
)

// Credential is a key and where it came from. Never print Key: use Mask.
type Credential struct {
	Key    string
	OrgID  string // from JUMPCLOUD_ORG_ID when the key came from the environment
	Source KeySource
}

// Integrations a profile collects evidence for.
type Integrations struct {
	EndpointManagement bool `json:"endpointManagement"`
	SSO                bool `json:"sso"`
}

// Profile is everything about one connection except the key.
type Profile struct {
	Name            string       `json:"name"`
	Region          string       `json:"region"`            // "us", "eu", "in", or "custom"
	BaseURL         string       `json:"baseURL,omitempty"` // set for custom/sandbox
	OrgID           string       `json:"orgID"`
	OrgName         string       `json:"orgName"`
	Integrations    Integrations `json:"integrations"`
	OwnerEmail      string       `json:"ownerEmail,omitempty"`
	Role            string       `json:"role,omitempty"` // "" when it could not be determined
	KeyLast4        string       `json:"keyLast4"`
	Fingerprint     string       `json:"fingerprint"` // Fingerprint(key)
	KeyCreated      *time.Time   `json:"keyCreated,omitempty"`
	KeyExpires      *time.Time   `json:"keyExpires,omitempty"`
	VerifiedAt      *time.Time   `json:"verifiedAt,omitempty"`
	RotatedAt       *time.Time   `json:"rotatedAt,omitempty"`
	LastCollectedAt *time.Time   `json:"lastCollectedAt,omitempty"`
}

// Options opens a Store.
type Options struct {
	Keyring Keyring // default: WithDeadlines(OSKeyring(), DefaultDeadlines())
	Dir     string  // default: os.UserConfigDir()/jcconnect
	Getenv  func(string) string
}

// Store is the credential store. Safe for concurrent use; file writes are locked across
// processes.
type Store struct{}

func Open(opts Options) (*Store, error) { panic("not implemented") }

// Profiles lists the stored profiles and the name of the default one.
func (s *Store) Profiles() (profiles []Profile, defaultName string, err error) {
	panic("not implemented")
}

// Profile reads one profile ("" = the default). ErrNoProfile when none.
func (s *Store) Profile(name string) (Profile, error) { panic("not implemented") }

// Key returns the key for a profile: JUMPCLOUD_API_KEY first, then the keyring.
func (s *Store) Key(ctx context.Context, name string) (Credential, error) { panic("not implemented") }

// Save stores a verified key and its profile (a first save, or a replacement of the key for the
// same profile name, which goes through Replace's safe order). It becomes the default when it is
// the only profile.
func (s *Store) Save(ctx context.Context, p Profile, key string) error { panic("not implemented") }

// Replace swaps a profile's key for a new, already verified key: write to the keyring, read back
// and compare, then update the metadata. On any failure the old key stays stored and working.
func (s *Store) Replace(ctx context.Context, p Profile, newKey string) error {
	panic("not implemented")
}

// UpdateProfile rewrites a profile's metadata only (for example LastCollectedAt, VerifiedAt).
func (s *Store) UpdateProfile(p Profile) error { panic("not implemented") }

// SetDefault makes a profile the default.
func (s *Store) SetDefault(name string) error { panic("not implemented") }

// DeleteReport says what Delete removed and what it could not.
type DeleteReport struct {
	KeyringRemoved bool
	ProfileRemoved bool
	Problems       []error
}

// Delete removes a profile's keyring item and metadata (logout).
func (s *Store) Delete(ctx context.Context, name string) (DeleteReport, error) {
	panic("not implemented")
}

// Mask shows a key as "jca_…9f2c" (prefix when jca_, and the last 4).
func Mask(key string) string { panic("not implemented") }

// Fingerprint is a short, non-reversible identifier of a key (first 12 hex of SHA-256), safe to
// print, store and export.
func Fingerprint(key string) string { panic("not implemented") }

// NormalizeKey trims surrounding whitespace and newlines, and refuses keys containing control
// characters or inner spaces.
func NormalizeKey(raw string) (string, error) { panic("not implemented") }

// Keyring outcomes, each with its own fix (see KeyringError.Fix). Match with errors.Is.
var (
	ErrKeyNotFound     error // no item for this profile
	ErrNoSessionBus    error // no D-Bus session bus
	ErrNoSecretService error // org.freedesktop.secrets not provided
	ErrKeyringLocked   error // the collection is locked and could not be unlocked
	ErrKeyringTimeout  error // the keyring did not answer before the deadline
	ErrDataTooBig      error
	ErrUnsupported     error // no keyring on this platform
	ErrNoProfile       error // no stored profile
)

// Fix returns the sentence that tells a user what to do about err ("" when none is known).
func Fix(err error) string { panic("not implemented") }

// Check is one step of the keyring doctor.
type Check struct {
	Name string // "session bus", "secret service", "unlocked", "round trip"
	OK   bool
	Err  error
	Fix  string
}

// Diagnose runs the keyring doctor: session bus, Secret Service, unlock state, and a probe item's
// set/get/delete round trip under a separate service name.
func Diagnose(ctx context.Context, k Keyring) []Check { panic("not implemented") }

// NewMemory returns an in-memory, mutex-guarded Keyring for tests and the demo.
func NewMemory() Keyring { panic("not implemented") }
