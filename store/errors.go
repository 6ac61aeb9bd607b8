package store

import (
	"errors"
	"fmt"
	"strings"

	"github.com/zalando/go-keyring"
)

// Every failure the store reports is one of two types, each carrying the sentence that tells the
// user what to do next (Fix). Callers match outcomes with errors.Is against the sentinel values
// below and print Fix(err) under the message.
//
//   - KeyringError: a keyring call failed (not found, no bus, no service, locked, timed out, …).
//   - StoreError: the metadata, the key's shape or the configuration is wrong.
//
// Neither type ever holds the key: messages name the profile, the file and the cause only.

// KeyringError is a classified failure of one keyring call. The sentinel values (ErrKeyNotFound,
// ErrNoSessionBus, …) are KeyringErrors without Op or Err; errors.Is compares the Kind.
type KeyringError struct {
	Kind    string // "not-found", "no-session-bus", … (stable, for logs and tests)
	Op      string // "get", "set", "delete" ("" on a sentinel)
	Profile string // the keyring user, which is the profile name
	Err     error  // the underlying cause from go-keyring or D-Bus, when there is one
}

func (e *KeyringError) Error() string {
	msg := keyringKinds[e.Kind].message
	if msg == "" {
		msg = "the keyring failed"
	}
	if e.Op != "" {
		where := "keyring " + e.Op
		if e.Profile != "" {
			where += fmt.Sprintf(" for profile %q", e.Profile)
		}
		msg = where + ": " + msg
	}
	if e.Err != nil && !errors.Is(e.Err, keyring.ErrNotFound) {
		msg += " (" + e.Err.Error() + ")"
	}
	return msg
}

// Fix says what the user should do about this outcome.
func (e *KeyringError) Fix() string { return keyringKinds[e.Kind].fix }

// Is makes errors.Is(err, ErrKeyringTimeout) true for every timed-out call, whatever its Op.
func (e *KeyringError) Is(target error) bool {
	t, ok := target.(*KeyringError)
	return ok && t.Kind == e.Kind
}

func (e *KeyringError) Unwrap() error { return e.Err }

// StoreError is a failure of the metadata file, of consistency between the metadata and the
// keyring, or of input (the key's shape, a profile name, JCCONNECT_KEYRING_TIMEOUT).
type StoreError struct {
	Kind    string
	Profile string // when the error concerns one profile
	Path    string // the file concerned, when there is one
	Detail  string // a specific explanation replacing the generic message
	fix     string // a specific fix replacing the generic one
	Err     error
}

func (e *StoreError) Error() string {
	msg := e.Detail
	if msg == "" {
		msg = storeKinds[e.Kind].message
	}
	if e.Path != "" {
		msg = e.Path + ": " + msg
	}
	if e.Profile != "" && e.Path == "" {
		msg = fmt.Sprintf("profile %q: %s", e.Profile, msg)
	}
	if e.Err != nil {
		msg += " (" + e.Err.Error() + ")"
	}
	return msg
}

// Fix says what the user should do about this outcome.
func (e *StoreError) Fix() string {
	if e.fix != "" {
		return e.fix
	}
	return storeKinds[e.Kind].fix
}

// Is compares kinds, like KeyringError.Is.
func (e *StoreError) Is(target error) bool {
	t, ok := target.(*StoreError)
	return ok && t.Kind == e.Kind
}

func (e *StoreError) Unwrap() error { return e.Err }

// Cause is the one clause that says what went wrong, for people, to follow "…: ": the known
// outcome's own words ("no D-Bus session bus is available, …."), without the chain of wrapping messages and the
// underlying D-Bus error that err.Error() carries for logs. Unknown errors give their text.
func Cause(err error) string {
	var msg string
	var ke *KeyringError
	var se *StoreError
	var rb *rollbackError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &rb):
		// The one case where the cause alone misleads: the keyring may no longer hold what it held.
		return Cause(rb.cause) + " " + rb.sentence()
	case errors.As(err, &ke):
		msg = keyringKinds[ke.Kind].message
	case errors.As(err, &se):
		msg = se.Detail
		if msg == "" {
			msg = storeKinds[se.Kind].message
		}
	}
	if msg == "" {
		msg = err.Error()
	}
	return strings.TrimRight(msg, ".") + "."
}

// PreviousKeyUncertain reports that a failed save could not put the previous key back, so nobody
// may say "the old key is still stored" after err.
func PreviousKeyUncertain(err error) bool {
	var rb *rollbackError
	return errors.As(err, &rb) && rb.hadPrevious
}

// Fix returns the sentence that tells a user what to do about err ("" when none is known).
func Fix(err error) string {
	var f interface{ Fix() string }
	if errors.As(err, &f) {
		return f.Fix()
	}
	return ""
}

const (
	kindNotFound        = "not-found"
	kindNoSessionBus    = "no-session-bus"
	kindNoSecretService = "no-secret-service"
	kindLocked          = "locked"
	kindTimeout         = "timeout"
	kindTooBig          = "too-big"
	kindUnsupported     = "unsupported"
	kindReadBack        = "read-back-mismatch"
	kindKeyringOther    = "keyring-failed"

	kindNoProfile          = "no-profile"
	kindCorrupt            = "metadata-corrupt"
	kindMetadataIO         = "metadata-io"
	kindBusy               = "metadata-busy"
	kindMismatch           = "key-mismatch"
	kindOrphan             = "orphan-key"
	kindInvalidKey         = "invalid-key"
	kindInvalidProfile     = "invalid-profile-name"
	kindBadTimeout         = "bad-timeout"
	kindEnvConflict        = "env-credential"
	kindCannotList         = "keyring-cannot-list"
	kindNotFoundForRebuild = "rebuild-not-found"
)

type kindText struct{ message, fix string }

var keyringKinds = map[string]kindText{
	kindNotFound: {"no key is stored in the keyring",
		"Run `jcconnect setup` to store a key, or set JUMPCLOUD_API_KEY for this shell."},
	kindNoSessionBus: {"no D-Bus session bus is available, so the Secret Service cannot be reached",
		"On a headless machine set JUMPCLOUD_API_KEY (and JUMPCLOUD_ORG_ID) in the environment instead; or run jcconnect in a desktop session, where the login keyring is started and unlocked for you (`dbus-run-session` alone starts neither a keyring nor an unlock)."},
	kindNoSecretService: {"no Secret Service (org.freedesktop.secrets) is running on the session bus",
		"Install and start a keyring such as gnome-keyring (`sudo apt install gnome-keyring`, then log in again) or KeePassXC with Secret Service enabled, or set JUMPCLOUD_API_KEY and JUMPCLOUD_ORG_ID instead."},
	kindLocked: {"the keyring is locked and could not be unlocked",
		"Unlock your login keyring (log in to the desktop session, or open \"Passwords and Keys\" and unlock \"Login\"), then try again. On a machine without a desktop, set JUMPCLOUD_API_KEY and JUMPCLOUD_ORG_ID instead."},
	kindTimeout: {"the keyring did not answer before the deadline",
		"The Secret Service may be waiting for an unlock prompt or be stuck: answer any prompt on screen, or restart it (`pkill -HUP gnome-keyring-daemon` or log out and in), then try again. JCCONNECT_KEYRING_TIMEOUT (for example 30s) allows more time."},
	kindTooBig: {"the keyring refused the data as too big",
		"An API key is short: check that only the key was pasted, then run `jcconnect setup` again."},
	kindUnsupported: {"there is no supported keyring on this platform",
		"Set JUMPCLOUD_API_KEY and JUMPCLOUD_ORG_ID in the environment instead; jcconnect never stores keys in plain files."},
	kindReadBack: {"the keyring returned a different key than the one just written",
		"The keyring is misbehaving: run `jcconnect doctor`, fix what it reports, then run the command again. The previous key was left in place."},
	kindKeyringOther: {"the keyring failed",
		"Run `jcconnect doctor` to see which part of the keyring is failing and how to fix it."},
}

var storeKinds = map[string]kindText{
	kindNoProfile: {"no profile is stored",
		"Run `jcconnect setup` to connect an organisation, or set JUMPCLOUD_API_KEY and JUMPCLOUD_ORG_ID."},
	kindCorrupt: {"the profile metadata file is damaged",
		"The damaged file was set aside; the keys in the keyring are kept: run `jcconnect profile rebuild` to record their profiles again."},
	kindMetadataIO: {"the profile metadata could not be read or written",
		"Check that your config folder exists and is writable by you (and that the disk is not full), then try again."},
	kindBusy: {"another jcconnect is saving profiles and did not finish in time",
		"Wait for the other jcconnect to finish (or close it), then try again."},
	kindMismatch: {"the key in the keyring is not the key this profile recorded",
		"Run `jcconnect status` to check the stored key live; if it is wrong, run `jcconnect setup` (or `jcconnect rotate`) to store the right one."},
	kindOrphan: {"a key is stored in the keyring but its profile metadata is missing",
		"Run `jcconnect setup` to record the connection again, or `jcconnect logout` to remove the leftover key."},
	kindInvalidKey: {"the API key is not valid",
		"Copy the key again from the JumpCloud admin portal (your name, top right → My API Key) and paste only the key."},
	kindInvalidProfile: {"the profile name is not valid",
		"Use 1 to 64 letters, digits, dots, dashes or underscores, for example \"work\" or \"acme-eu\"."},
	kindEnvConflict: {"the credential in the environment is ambiguous or incomplete",
		"Set either JUMPCLOUD_API_KEY, or JUMPCLOUD_CLIENT_ID and JUMPCLOUD_CLIENT_SECRET, not both kinds."},
	kindCannotList: {"this keyring cannot list the keys jcconnect stored in it (only the Secret Service, on Linux and BSD, can)",
		"Name the profiles to rebuild: `jcconnect profile rebuild NAME...` (the names you gave with --profile; a profile set up without one is called \"default\")."},
	kindNotFoundForRebuild: {"some profiles have no key in the keyring",
		"Check the names (`jcconnect profile rebuild` without names lists what the keyring holds, where it can), or set those up again with `jcconnect setup --profile NAME`."},
	kindBadTimeout: {"JCCONNECT_KEYRING_TIMEOUT is not a usable duration",
		"Set JCCONNECT_KEYRING_TIMEOUT to a Go duration between 100ms and 10m, such as 10s or 1m30s, or unset it for the defaults."},
}

// Keyring outcomes, each with its own fix (see KeyringError.Fix). Match with errors.Is.
var (
	ErrKeyNotFound     error = &KeyringError{Kind: kindNotFound}        // no item for this profile
	ErrNoSessionBus    error = &KeyringError{Kind: kindNoSessionBus}    // no D-Bus session bus
	ErrNoSecretService error = &KeyringError{Kind: kindNoSecretService} // org.freedesktop.secrets not provided
	ErrKeyringLocked   error = &KeyringError{Kind: kindLocked}          // the collection is locked and could not be unlocked
	ErrKeyringTimeout  error = &KeyringError{Kind: kindTimeout}         // the keyring did not answer before the deadline
	ErrDataTooBig      error = &KeyringError{Kind: kindTooBig}
	ErrUnsupported     error = &KeyringError{Kind: kindUnsupported} // no keyring on this platform
	ErrNoProfile       error = &StoreError{Kind: kindNoProfile}     // no stored profile
)

// More outcomes, added beside the contract's.
var (
	// ErrReadBackMismatch: the keyring accepted a write but returned something else.
	ErrReadBackMismatch error = &KeyringError{Kind: kindReadBack}
	// ErrKeyringFailed: a keyring failure that matches none of the known causes.
	ErrKeyringFailed error = &KeyringError{Kind: kindKeyringOther}

	// ErrMetadataCorrupt: the metadata file could not be parsed; it was moved aside.
	ErrMetadataCorrupt error = &StoreError{Kind: kindCorrupt}
	// ErrMetadataIO: the metadata file could not be read or written.
	ErrMetadataIO error = &StoreError{Kind: kindMetadataIO}
	// ErrMetadataBusy: another process held the metadata lock for too long.
	ErrMetadataBusy error = &StoreError{Kind: kindBusy}
	// ErrKeyMismatch: metadata present, keyring item present, but they describe different keys.
	ErrKeyMismatch error = &StoreError{Kind: kindMismatch}
	// ErrOrphanKey: keyring item present, metadata missing (the reverse of ErrKeyNotFound).
	ErrOrphanKey error = &StoreError{Kind: kindOrphan}
	// ErrInvalidKey: NormalizeKey refused the key.
	ErrInvalidKey error = &StoreError{Kind: kindInvalidKey}
	// ErrInvalidProfileName: a profile name outside [A-Za-z0-9._-]{1,64}.
	ErrInvalidProfileName error = &StoreError{Kind: kindInvalidProfile}
	// ErrBadTimeout: JCCONNECT_KEYRING_TIMEOUT could not be used.
	ErrBadTimeout error = &StoreError{Kind: kindBadTimeout}
	// ErrEnvCredential: the environment sets both kinds of credential, or half a service account.
	ErrEnvCredential error = &StoreError{Kind: kindEnvConflict}
	// ErrCannotList: the keyring cannot enumerate its items (KeyringProfiles).
	ErrCannotList error = &StoreError{Kind: kindCannotList}
)
