package connect

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"jcconnect/jumpcloud"
	"jcconnect/store"
)

// Rotation's pieces: the stored target and its I/O steps, which Rotation (rotation.go) orders for
// every face. The order never strands the admin without a working key: the stored key is
// checked, the new key is verified live and must belong to the same organisation, only then is
// it swapped in with store.Replace (which keeps the old key on any failure), and only then is the
// old key checked again to confirm JumpCloud revoked it.

// RotationTarget is the stored connection being rotated, checked live before anything else.
type RotationTarget struct {
	Profile store.Profile
	Masked  string // the stored key, masked

	// EnvKeyInUse is set when the environment sets a credential (JUMPCLOUD_API_KEY, or
	// JUMPCLOUD_CLIENT_ID/SECRET): commands use that, not the stored
	// one, before and after the rotation.
	EnvKeyInUse bool
	// Check is the live check of the stored key; Recovery is set when JumpCloud already refuses
	// it (revoked or expired), so this rotation restores a working key rather than replacing one.
	Check    KeyCheck
	Recovery bool
	// NoStoredKey is set when the profile has no keyring item at all.
	NoStoredKey bool

	oldKey store.Secret // never printed; kept to check after the swap that JumpCloud revoked it
}

// ErrEnvOnly is returned when the only key is JUMPCLOUD_API_KEY: there is nothing stored to
// rotate.
var ErrEnvOnly = errors.New("the key comes from JUMPCLOUD_API_KEY (or the service account from JUMPCLOUD_CLIENT_ID/SECRET) and no profile is stored: " +
	"rotate it where it is set (CI secrets, shell profile); `jcconnect setup` stores a key instead")

// PrepareRotation reads the stored profile and key and checks the key live.
func PrepareRotation(ctx context.Context, env *Env) (RotationTarget, error) {
	_ = env.Store.Reconcile(ctx) // a rotation killed half-way is settled before it is shown
	p, err := env.Store.Profile(env.Profile)
	if err != nil {
		if errors.Is(err, store.ErrNoProfile) && store.CredentialInEnv(env.Getenv) {
			return RotationTarget{}, ErrEnvOnly
		}
		return RotationTarget{}, err
	}
	t := RotationTarget{Profile: p, EnvKeyInUse: store.CredentialInEnv(env.Getenv)}
	st := env.Store
	if t.EnvKeyInUse {
		// The store answers with the environment's key first; the stored key is the one being
		// rotated, so read it from a view of the same store that ignores the environment.
		if st, err = storeWithoutEnv(env); err != nil {
			return t, err
		}
	}
	cred, err := st.Key(ctx, p.Name)
	switch {
	case errors.Is(err, store.ErrKeyNotFound):
		t.NoStoredKey, t.Recovery = true, true
		t.Check = KeyCheck{State: StateNoKey, Err: err}
		return t, nil
	case err != nil:
		return t, err
	}
	t.oldKey, t.Masked = cred.Key, cred.Key.Mask()
	conn, err := ConnectWithKey(envForProfile(env), p, true, cred)
	if err != nil {
		return t, err
	}
	t.Check = CheckKey(ctx, conn.Client, EvidenceSourceFor(p))
	t.Recovery = t.Check.State == StateInvalidKey
	return t, nil
}

// storeWithoutEnv opens the same keyring and folder as env.Store, blind to the credential
// variables (JUMPCLOUD_API_KEY, JUMPCLOUD_CLIENT_ID/SECRET, JUMPCLOUD_ORG_ID).
func storeWithoutEnv(env *Env) (*store.Store, error) {
	getenv := env.Getenv
	return store.Open(store.Options{Keyring: env.Store.Keyring(), Dir: env.Store.Dir(),
		Getenv: func(k string) string {
			if store.IsCredentialVar(k) || getenv == nil {
				return ""
			}
			return getenv(k)
		}})
}

// envForProfile is env without --org-id: a rotation stays in the profile's organisation.
func envForProfile(env *Env) *Env {
	e := *env
	e.OrgID = ""
	return &e
}

// VerifyRequest is the verification of a new key for this profile: same endpoint and
// organisation, same integrations (NewVerifyRequest's table, with the profile).
func (t RotationTarget) VerifyRequest(env *Env, newKey store.Secret) VerifyRequest {
	p := t.Profile
	return NewVerifyRequest(env, VerifyFor{Key: newKey, Profile: &p})
}

// SameKey reports whether newKey is the key already stored (nothing to rotate).
func (t RotationTarget) SameKey(newKey store.Secret) bool {
	return !t.oldKey.IsZero() && newKey.Equal(t.oldKey)
}

// OtherOrgRefusal explains why a key of another organisation is refused. got is the
// organisation the key was verified for, when verification got that far.
func (t RotationTarget) OtherOrgRefusal(got jumpcloud.Organization) string {
	want := fmt.Sprintf("%s (%s)", Clean(t.Profile.OrgName), t.Profile.OrgID)
	what := "The new key belongs to another organisation: it cannot see " + want + "."
	if got.ID != "" {
		what = fmt.Sprintf("The new key belongs to %s (%s), not to %s.", Clean(got.Name()), Clean(got.ID), want)
	}
	return what + " A rotation keeps the same organisation, so nothing was changed. Generate the " +
		"new key as this organisation's Read Only admin; to connect another organisation, run " +
		"`jcconnect setup --profile NEW-NAME`."
}

// OrgMismatch reports whether a verified key is for another organisation than the profile's.
func (t RotationTarget) OrgMismatch(v Verified) bool {
	return t.Profile.OrgID != "" && v.Org.ID != "" && v.Org.ID != t.Profile.OrgID
}

// OwnerChange is what differs between the stored key's owner and the new key's.
type OwnerChange struct {
	OldOwner, NewOwner string
	OldRole, NewRole   string
	OwnerChanged       bool
	RoleChanged        bool
	// NewRoleUnknown is set when the new key's role could not be determined.
	NewRoleUnknown bool
}

// Any reports whether the change must be confirmed.
func (c OwnerChange) Any() bool { return c.OwnerChanged || c.RoleChanged }

// Lines describes the change for people, one line per difference.
func (c OwnerChange) Lines() []string {
	var out []string
	if c.OwnerChanged {
		out = append(out, fmt.Sprintf("Owner: %s → %s", OrUnknown(c.OldOwner), OrUnknown(c.NewOwner)))
	}
	if c.RoleChanged {
		out = append(out, fmt.Sprintf("Role:  %s → %s", OrUnknown(c.OldRole), OrUnknown(c.NewRole)))
	}
	return out
}

func OrUnknown(s string) string {
	if s == "" {
		return "(unknown)"
	}
	return s
}

// CompareOwner compares the stored owner and role with the new key's. Unknown on either side
// is not a change (the endpoints are undocumented); an unknown new role is flagged separately.
func (t RotationTarget) CompareOwner(v Verified) OwnerChange {
	c := OwnerChange{OldOwner: Clean(t.Profile.OwnerEmail), NewOwner: Clean(v.Owner.Admin.Email),
		OldRole: Clean(t.Profile.Role), NewRole: Clean(v.Owner.Role)}
	c.OwnerChanged = c.OldOwner != "" && c.NewOwner != "" && !strings.EqualFold(c.OldOwner, c.NewOwner)
	c.RoleChanged = c.OldRole != "" && c.NewRole != "" && !jumpcloud.RoleIs(c.OldRole, c.NewRole)
	c.NewRoleUnknown = !v.Owner.RoleKnown()
	return c
}

// RotatedProfile is the metadata to store with the new key: the profile as it was, with the new
// key's owner, role, dates and the rotation time. Store.Replace fills KeyLast4 and Fingerprint.
func (t RotationTarget) RotatedProfile(v Verified, now time.Time) store.Profile {
	p := t.Profile
	p.OwnerEmail = Clean(v.Owner.Admin.Email)
	p.Role = Clean(v.Owner.Role)
	p.KeyCreated, p.KeyExpires = v.Created, v.Expires
	if v.IsServiceAccount() {
		p.OwnerEmail, p.KeyCreated, p.KeyExpires = Clean(v.Account), nil, nil
		p.SecretExpires = v.Expires
	}
	verified := v.VerifiedAt
	if verified.IsZero() {
		verified = now
	}
	rotated := now.UTC()
	p.VerifiedAt, p.RotatedAt = &verified, &rotated
	if v.Org.ID != "" && strings.TrimSpace(v.Org.DisplayName) != "" {
		p.OrgName = Clean(v.Org.Name())
	}
	return p
}

// ReplaceKey swaps the stored key for the verified new one with the store's safe replace. On
// failure the old key is still stored: the error says so.
func (t RotationTarget) ReplaceKey(ctx context.Context, env *Env, v Verified) (store.Profile, error) {
	p := t.RotatedProfile(v, env.Clock())
	if err := env.Store.Replace(ctx, p, v.Key); err != nil {
		return t.Profile, &ReplaceError{Err: err}
	}
	if after, err := env.Store.Profile(p.Name); err == nil {
		p = after
	}
	return p, nil
}

// ReplaceError is a failed swap: the new key was verified but not stored, the old one still is.
type ReplaceError struct{ Err error }

func (e *ReplaceError) Error() string {
	return "the new key was verified but could not be stored, so the old key is still stored: " + e.Err.Error()
}
func (e *ReplaceError) Unwrap() error { return e.Err }

// OldKeyState is what JumpCloud says about the old key once the new one is stored.
type OldKeyState int

const (
	OldKeyRevoked        OldKeyState = iota // refused now: the rotation is complete
	OldKeyAlreadyRevoked                    // was refused before the rotation (a recovery)
	OldKeyStillWorks                        // still accepted: JumpCloud has not revoked it
	OldKeyUnchecked                         // could not be checked (network), or there was none
)

// OldKeyVerdict is the old key's state with the reason it could not be checked, when any.
type OldKeyVerdict struct {
	State OldKeyState
	Err   error
}

// CheckOldKey asks JumpCloud whether it still accepts the old key.
func (t RotationTarget) CheckOldKey(ctx context.Context, env *Env) OldKeyVerdict {
	switch {
	case t.oldKey.IsZero():
		return OldKeyVerdict{State: OldKeyUnchecked}
	case t.Recovery:
		return OldKeyVerdict{State: OldKeyAlreadyRevoked}
	}
	conn, err := ConnectWithKey(envForProfile(env), t.Profile, true,
		store.Credential{Key: t.oldKey, Source: store.SourceKeyring})
	if err != nil {
		return OldKeyVerdict{State: OldKeyUnchecked, Err: err}
	}
	_, err = conn.Client.Organizations(ctx)
	switch {
	case err == nil:
		return OldKeyVerdict{State: OldKeyStillWorks}
	case errors.Is(err, jumpcloud.ErrInvalidKey), t.Profile.IsServiceAccount() && StateOf(err) == StateInvalidKey:
		return OldKeyVerdict{State: OldKeyRevoked}
	}
	return OldKeyVerdict{State: OldKeyUnchecked, Err: err}
}

// Describe is the verdict for people.
func (o OldKeyVerdict) Describe(t RotationTarget, newOwner string) string {
	if t.Profile.IsServiceAccount() {
		return o.describeSecret(t)
	}
	owner := Clean(t.Profile.OwnerEmail)
	if owner == "" {
		owner = "the old key's admin"
	}
	switch o.State {
	case OldKeyRevoked:
		return "Old key revoked: confirmed. JumpCloud now refuses it."
	case OldKeyAlreadyRevoked:
		return "Old key revoked: confirmed. JumpCloud already refused it before the swap (generating " +
			"the new key revokes the old one at once, or it had expired): this rotation restored a working key."
	case OldKeyStillWorks:
		why := "JumpCloud revokes an admin's previous key when that admin generates a new one, so " +
			"this usually means the new key belongs to a different admin"
		if newOwner != "" && !strings.EqualFold(newOwner, owner) {
			why += fmt.Sprintf(" (%s, not %s)", newOwner, owner)
		}
		return fmt.Sprintf("The old key (%s) still works: JumpCloud has not revoked it. %s. Anyone "+
			"with a copy of it can still use it: sign in as %s and generate a new key (My API Key ▸ "+
			"Generate New API Key revokes the old one), or turn off API access for that admin in "+
			"Settings ▸ Administrators.", t.Masked, why, owner)
	}
	if t.oldKey.IsZero() {
		return "There was no old key in the keyring to check."
	}
	msg := "The old key could not be checked"
	if o.Err != nil {
		msg += ": " + o.Err.Error()
	}
	return msg + ". Run `jcconnect status` later; if the old key still works, revoke it in the console (My API Key)."
}

// StoredKeyNote explains, when the environment sets a credential, that the stored one is not
// the one in use, before and after the rotation.
func (t RotationTarget) StoredKeyNote() string {
	switch {
	case !t.EnvKeyInUse:
		return ""
	case t.Profile.IsServiceAccount():
		return "The environment sets a credential (JUMPCLOUD_CLIENT_ID/SECRET or JUMPCLOUD_API_KEY), so commands " +
			"use that, not the stored client secret. This rotation replaces the stored secret; commands keep " +
			"using the environment's until you update or unset it."
	}
	return "JUMPCLOUD_API_KEY is set, so commands use that key, not the stored one. This rotation " +
		"replaces the stored key; commands keep using JUMPCLOUD_API_KEY until you update or unset it."
}

// RotationOrder is the explanation shown before the new key is pasted.
const RotationOrder = "The moment you generate a new key in the console (My API Key ▸ Generate New " +
	"API Key), the old key stops working. Keep this open: the new key is verified here before it " +
	"replaces the old one, so the stored key is never one that does not work."
