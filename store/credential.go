package store

import (
	"context"
	"errors"
	"strings"
	"time"
)

// The environment variables that take precedence over the keyring (headless machines and CI):
// an API key, or a service account's client id and secret; never both kinds.
const (
	EnvAPIKey       = "JUMPCLOUD_API_KEY"
	EnvOrgID        = "JUMPCLOUD_ORG_ID"
	EnvClientID     = "JUMPCLOUD_CLIENT_ID"
	EnvClientSecret = "JUMPCLOUD_CLIENT_SECRET"
)

// CredentialInEnv reports whether the environment sets a credential (either kind, even a
// half-set or conflicting one: Key then says what is wrong with it).
func CredentialInEnv(getenv func(string) string) bool {
	if getenv == nil {
		return false
	}
	return getenv(EnvAPIKey) != "" || getenv(EnvClientID) != "" || getenv(EnvClientSecret) != ""
}

// EnvCredentialNames names the credential variables the environment sets, for messages such as
// "JUMPCLOUD_CLIENT_ID and JUMPCLOUD_CLIENT_SECRET override this profile" ("" when none is set).
func EnvCredentialNames(getenv func(string) string) string {
	if getenv == nil {
		return ""
	}
	var set []string
	for _, n := range []string{EnvAPIKey, EnvClientID, EnvClientSecret} {
		if getenv(n) != "" {
			set = append(set, n)
		}
	}
	return strings.Join(set, " and ")
}

// IsCredentialVar reports whether name is one of the variables that carry a credential or its
// organisation: a view of the store blind to the environment (rotation, the demo) hides them.
func IsCredentialVar(name string) bool {
	switch name {
	case EnvAPIKey, EnvOrgID, EnvClientID, EnvClientSecret:
		return true
	}
	return false
}

// Key returns the credential for a profile: the environment first (JUMPCLOUD_API_KEY, or
// JUMPCLOUD_CLIENT_ID with JUMPCLOUD_CLIENT_SECRET), then the keyring.
//
// From the keyring, the key is checked against the profile's recorded fingerprint, so the two
// odd states are told apart: metadata present but no keyring item (ErrKeyNotFound), a keyring
// item but no metadata (ErrOrphanKey), and both present but different (ErrKeyMismatch). A key
// that matches a pending write (an interrupted Save or Replace whose keyring write landed) is
// accepted and its record completed.
func (s *Store) Key(ctx context.Context, name string) (Credential, error) {
	if CredentialInEnv(s.getenv) {
		return s.envCredential()
	}

	m, err := s.readMetadata()
	if err != nil {
		return Credential{}, err
	}
	p, err := m.resolve(name)
	if errors.Is(err, ErrNoProfile) {
		return s.keyWithoutProfile(ctx, m, name, err)
	}
	if err != nil {
		return Credential{}, err
	}

	key, err := kget(ctx, s.keyring, Service, p.Name)
	if errors.Is(err, ErrKeyNotFound) {
		return Credential{}, &KeyringError{Kind: kindNotFound, Op: "get", Profile: p.Name, Err: errMetadataWithoutKey}
	}
	if err != nil {
		return Credential{}, err
	}
	fp := Fingerprint(key)
	switch pend, hasPending := m.pending(p.Name); {
	case p.Fingerprint == "" || fp == p.Fingerprint:
		if hasPending {
			s.settlePending(p.Name, fp) // a write that never reached the keyring: forget it
		}
	case hasPending && fp == pend.Fingerprint:
		s.settlePending(p.Name, fp) // the write landed: record it
		p = pend
	default:
		return Credential{}, &StoreError{Kind: kindMismatch, Profile: p.Name,
			Detail: "the key in the keyring (fingerprint " + fp + ") is not the key this profile recorded (fingerprint " + p.Fingerprint + ")"}
	}
	return s.stored(key, p), nil
}

// stored is the credential a profile describes, with the secret read from the keyring.
func (s *Store) stored(key string, p Profile) Credential {
	c := Credential{Key: Secret{key}, OrgID: p.OrgID, Source: s.source(), Kind: p.CredentialKind()}
	if p.IsServiceAccount() {
		c.ClientID = p.ClientID
	}
	return c
}

// envCredential reads the credential the environment sets. Both kinds at once is an error that
// names the variables, as is a service account with only one of its two variables.
func (s *Store) envCredential() (Credential, error) {
	key, id, secret := s.getenv(EnvAPIKey), s.getenv(EnvClientID), s.getenv(EnvClientSecret)
	org := strings.TrimSpace(s.getenv(EnvOrgID))
	envError := func(detail, fix string) error {
		return &StoreError{Kind: kindEnvConflict, Detail: detail, fix: fix}
	}
	inEnv := func(err error, name, fix string) error {
		se := *(err.(*StoreError))
		se.Detail = name + ": " + se.Detail
		se.fix = fix
		return &se
	}
	switch {
	case key != "" && (id != "" || secret != ""):
		var sa []string
		for _, n := range []string{EnvClientID, EnvClientSecret} {
			if s.getenv(n) != "" {
				sa = append(sa, n)
			}
		}
		return Credential{}, envError(
			"both "+EnvAPIKey+" (an API key) and "+strings.Join(sa, " and ")+" (a service account) are set: jcconnect will not guess which to use",
			"Unset one kind: "+EnvAPIKey+" for an administrator's API key, or "+EnvClientID+" and "+EnvClientSecret+" for a service account.")
	case key != "":
		k, err := NormalizeKey(key)
		if err != nil {
			return Credential{}, inEnv(err, EnvAPIKey, "Set "+EnvAPIKey+" to the key alone (no quotes or spaces), or unset it to use the stored profile.")
		}
		return Credential{Key: Secret{k}, OrgID: org, Source: SourceEnv, Kind: KindAPIKey}, nil
	case id == "":
		return Credential{}, envError(EnvClientSecret+" is set but "+EnvClientID+" is not: a service account needs both",
			"Set "+EnvClientID+" to the service account's Client ID (Settings ▸ Service Accounts), or unset "+EnvClientSecret+".")
	case secret == "":
		return Credential{}, envError(EnvClientID+" is set but "+EnvClientSecret+" is not: a service account needs both",
			"Set "+EnvClientSecret+" to the service account's client secret, or unset "+EnvClientID+".")
	}
	cid, err := NormalizeClientID(id)
	if err != nil {
		return Credential{}, inEnv(err, EnvClientID, "Set "+EnvClientID+" to the Client ID alone (no quotes or spaces).")
	}
	sec, err := NormalizeClientSecret(secret)
	if err != nil {
		return Credential{}, inEnv(err, EnvClientSecret, "Set "+EnvClientSecret+" to the client secret alone (no quotes or spaces), or unset both to use the stored profile.")
	}
	return Credential{Key: Secret{sec}, ClientID: cid, OrgID: org, Source: SourceEnv, Kind: KindServiceAccount}, nil
}

// errMetadataWithoutKey explains ErrKeyNotFound when a profile exists: its item is gone.
var errMetadataWithoutKey = errors.New("the profile exists but its key is missing from the keyring; run `jcconnect setup` for this profile to store it again")

// keyWithoutProfile tells "nothing set up" from the reverse odd state, a keyring item whose
// metadata is gone. A first save interrupted after its keyring write is completed instead.
func (s *Store) keyWithoutProfile(ctx context.Context, m metadata, name string, notFound error) (Credential, error) {
	user := name
	if user == "" {
		user = DefaultProfileName
	}
	if validProfileName(user) != nil {
		return Credential{}, notFound
	}
	key, err := kget(ctx, s.keyring, Service, user)
	if err != nil {
		return Credential{}, notFound // nothing there, or the keyring is unusable: nothing is set up
	}
	if pend, ok := m.pending(user); ok && Fingerprint(key) == pend.Fingerprint {
		s.settlePending(user, pend.Fingerprint)
		return s.stored(key, pend), nil
	}
	return Credential{}, &StoreError{Kind: kindOrphan, Profile: user}
}

// settlePending resolves an interrupted write once the keyring's content (fingerprint fp) is
// known: the pending record becomes the profile if fp matches it, else it is dropped. Best
// effort: a failure leaves the file as it was, which Key handles the same way next time. When
// the lock is busy, a write is in progress right now (its pending record is not stale): leave it
// to that writer rather than make this reader wait.
func (s *Store) settlePending(name, fp string) {
	unlock, err := s.lockWithin(settleLockWait)
	if err != nil {
		return
	}
	defer unlock()
	m, err := s.readMetadataLocked()
	if err != nil {
		return
	}
	pend, ok := m.pending(name)
	if !ok {
		return
	}
	m.clearPending(name)
	if pend.Fingerprint == fp {
		m.put(pend)
	}
	_ = s.writeMetadata(m)
}

const settleLockWait = 200 * time.Millisecond

// source says where a keyring key came from: the demo's memory, or the OS keyring.
func (s *Store) source() KeySource {
	if _, ok := backend(s.keyring).(*Memory); ok {
		return SourceMemory
	}
	return SourceKeyring
}

// Reconcile settles every interrupted key write (a pending record left by a Save or Replace that
// was killed or timed out) against what the keyring really holds, before anything is displayed:
// otherwise a listing read first would show the previous owner and role beside the key that
// replaced them. Best effort, like Key's own settling: a keyring that cannot be read leaves the
// records as they are (Key then reports the keyring's problem), and the first such error is
// returned for callers that care.
func (s *Store) Reconcile(ctx context.Context) error {
	if CredentialInEnv(s.getenv) {
		return nil // the stored credentials are not in use
	}
	// parseMetadataFile, not readMetadata: a damaged file is left for the caller's own read to
	// report (and set aside), not swallowed here.
	m, err := s.parseMetadataFile()
	if err != nil || len(m.Pending) == 0 {
		return nil
	}
	var first error
	for _, pend := range m.Pending {
		key, err := kget(ctx, s.keyring, Service, pend.Name)
		switch {
		case err == nil:
			s.settlePending(pend.Name, Fingerprint(key))
		case errors.Is(err, ErrKeyNotFound):
			s.settlePending(pend.Name, "") // the write never landed: forget it
		case first == nil:
			first = err
		}
	}
	return first
}
