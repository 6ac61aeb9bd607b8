package connect

import (
	"io"
	"strings"
	"time"

	"jcconnect/evidence"
	"jcconnect/jumpcloud"
	"jcconnect/store"
)

// Env is what main hands to every command: the global flags, the streams and the dependencies.
// Tests build one with fakes (a Memory keyring, a jctest server's URL, a fixed clock).
type Env struct {
	// Global flags.
	Region     string // "us", "eu", "in" or "" (ask / from the profile)
	BaseURL    string // overrides the region (http only on loopback)
	TokenURL   string // --token-url: a service account's token endpoint, when not its region's
	OrgID      string
	Profile    string // "" = the default profile
	Accessible bool   // plain line-by-line prompts for screen readers
	NoColor    bool

	In    io.Reader
	Out   io.Writer
	Err   io.Writer
	IsTTY bool // stdin and stdout are terminals

	Store     *store.Store
	Getenv    func(string) string
	Now       func() time.Time
	NewClient func(jumpcloud.Config) (*jumpcloud.Client, error)
	// RegionHosts replaces the official regions' hosts (tests: loopback sandboxes); nil in the
	// program. Only a refused key's "which region accepts it" asks them besides the chosen one.
	RegionHosts map[string]string

	// Thresholds of the compliance checks set by flags (--stale-days, --min-os,
	// --min-password-length); zero fields mean the defaults. Read through CheckThresholds.
	Thresholds evidence.Thresholds

	// Servers is --servers (group:NAME, host:PATTERN, os:FAMILY): the devices whose screen lock
	// does not apply. nil when the flag was not given: the profile's setting then applies
	// (ServerRulesFor).
	Servers []string

	// AllowPartial is --allow-partial on `devices` and `evidence export`: exit 0 when some
	// evidence is missing or incomplete (the output still carries the INCOMPLETE marks).
	AllowPartial bool

	// Demo is set with --demo: an in-process sandbox organisation on loopback. BaseURL then
	// points at it and Store keeps keys in memory.
	Demo *Demo

	// StartDemo starts the built-in demo organisation when the user picks it in the wizard
	// without --demo. main wires it (package demo); nil means no demo can be started.
	StartDemo DemoStarter

	// Recent remembers the last collection a screen showed, as kept (never an export's), so
	// a screen opened right after a collection (home after the wizard's preview) shows it
	// instead of collecting again. main sets it; nil remembers nothing.
	Recent *RecentSnapshots
}

// CheckThresholds returns the thresholds every evaluation uses: the defaults, overridden field by
// field (and OS family by OS family) by the flags.
func (e *Env) CheckThresholds() evidence.Thresholds {
	t := evidence.DefaultThresholds()
	if e == nil {
		return t
	}
	if e.Thresholds.StaleDays > 0 {
		t.StaleDays = e.Thresholds.StaleDays
	}
	if e.Thresholds.MinPasswordLength > 0 {
		t.MinPasswordLength = e.Thresholds.MinPasswordLength
	}
	if e.Thresholds.MaxLockSeconds > 0 {
		t.MaxLockSeconds = e.Thresholds.MaxLockSeconds
	}
	if e.Thresholds.InsightsMaxAgeDays > 0 {
		t.InsightsMaxAgeDays = e.Thresholds.InsightsMaxAgeDays
	}
	t.LockPasswordOptional = e.Thresholds.LockPasswordOptional
	for family, v := range e.Thresholds.MinOSVersion {
		t.MinOSVersion[family] = v
	}
	return t
}

// DemoStarter starts a demo organisation: the sandbox on loopback and a store that keeps keys in
// memory and profiles in a temporary folder. Close stops both.
type DemoStarter func() (*RunningDemo, error)

// RunningDemo is a started demo organisation.
type RunningDemo struct {
	Demo   *Demo
	Store  *store.Store
	Getenv func(string) string // the environment without a real organisation's key
	Close  func()
}

// EnvCredentialSet is "JUMPCLOUD_API_KEY is set" or "JUMPCLOUD_CLIENT_ID and
// JUMPCLOUD_CLIENT_SECRET are set": the credential variables that override the stored profile,
// for the notes that say so ("" when none is set).
func EnvCredentialSet(getenv func(string) string) string {
	names := store.EnvCredentialNames(getenv)
	switch {
	case names == "":
		return ""
	case strings.Contains(names, " and "):
		return names + " are set"
	}
	return names + " is set"
}

// Clock is env.Now, or the system clock when unset.
func (e *Env) Clock() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

// Demo describes the built-in demo organisation for the screens that show its keys.
type Demo struct {
	BaseURL string
	Keys    []DemoKey
	// TokenURL and ServiceAccounts are the demo's service accounts (OAuth client credentials).
	TokenURL        string
	ServiceAccounts []DemoServiceAccount
	// NewKey and NewSecret are the demo's console for a rotation (RotationTarget.DemoNewKey):
	// a new key for the admin of oldKey, which revokes oldKey; a service account's second secret.
	NewKey    func(oldKey string) string
	NewSecret func(clientID string) string
}

// DemoServiceAccount is one of the demo's service accounts and what it demonstrates.
type DemoServiceAccount struct {
	Label            string
	ClientID, Secret string
}

// DemoKey is one of the demo's keys and what it demonstrates.
type DemoKey struct {
	Label string // "Read Only admin", "Full Administrator", "Revoked", "Multi-tenant (3 orgs)"
	Key   string
}

// Exit codes, documented in `jcconnect status --help`.
const (
	ExitOK         = 0
	ExitFailure    = 1 // anything else that failed
	ExitUsage      = 2 // bad flags or input
	ExitInvalidKey = 3 // the key was refused (invalid, revoked, expired) or is forbidden
	ExitNoProfile  = 4 // nothing is set up
	ExitKeyring    = 5 // the keyring could not be used
	ExitNetwork    = 6 // JumpCloud could not be reached (timeout, network, 5xx, 429)
	// ExitPartial: partial evidence. `devices` and `evidence export`: a source failed or ended
	// short (stderr names them; --allow-partial turns it into 0), or nothing could be read;
	// `evidence check`: a source a selected check needs was not read.
	ExitPartial = 7
	ExitGate    = 8 // `evidence check`: a compliance gate failed
	// ExitInterrupted: the user quit the wizard with ctrl+c, or a collection was stopped by
	// SIGINT, SIGTERM or SIGHUP (the shell's convention for SIGINT).
	ExitInterrupted = 130
)
