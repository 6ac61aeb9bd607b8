package connect

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"jcconnect/jumpcloud"
	"jcconnect/store"
)

// KeyState is the outcome of a live check of a stored connection. The values are stable: they
// are the "state" field of `jcconnect status --json`.
type KeyState string

const (
	StateValid       KeyState = "valid"
	StateInvalidKey  KeyState = "invalid_key" // refused: invalid, revoked or expired (401)
	StateForbidden   KeyState = "forbidden"   // accepted, but may not read evidence (403)
	StateUnreachable KeyState = "unreachable" // network, timeout, 5xx, 429, not JSON
	StateKeyring     KeyState = "keyring_unavailable"
	StateNoKey       KeyState = "no_key"     // a profile without a keyring item
	StateNoProfile   KeyState = "no_profile" // nothing set up
	StateOrg         KeyState = "org_problem"
	StateConfig      KeyState = "config_error"
	StateError       KeyState = "error"
)

// ExitCode is the documented exit code of a state.
func (s KeyState) ExitCode() int {
	switch s {
	case StateValid:
		return ExitOK
	case StateInvalidKey, StateForbidden:
		return ExitInvalidKey
	case StateNoKey, StateNoProfile:
		return ExitNoProfile
	case StateKeyring:
		return ExitKeyring
	case StateUnreachable:
		return ExitNetwork
	case StateOrg, StateConfig:
		return ExitUsage
	}
	return ExitFailure
}

// StateOf classifies an error from the store or the client.
func StateOf(err error) KeyState {
	var cfgErr *ConfigError
	switch {
	case err == nil:
		return StateValid
	case errors.As(err, &cfgErr):
		return StateConfig
	case errorIs(err, store.ErrNoProfile):
		return StateNoProfile
	case errorIs(err, store.ErrKeyNotFound):
		return StateNoKey
	case IsKeyringError(err):
		return StateKeyring
	}
	switch jumpcloud.KindOf(err) {
	case jumpcloud.KindInvalidKey, jumpcloud.KindInvalidClient, jumpcloud.KindSecretExpired, jumpcloud.KindTokenRefused:
		// A service account's refused or expired secret, or a token the API refuses, is the
		// same state as a refused key: the credential must be replaced.
		return StateInvalidKey
	case jumpcloud.KindForbidden:
		return StateForbidden
	case jumpcloud.KindOrgRequired, jumpcloud.KindOrgNotFound, jumpcloud.KindOrgNotAllowed:
		return StateOrg
	case jumpcloud.KindTimeout, jumpcloud.KindNetwork, jumpcloud.KindServer,
		jumpcloud.KindRateLimited, jumpcloud.KindNotJSON, jumpcloud.KindRedirect,
		jumpcloud.KindTooLarge, jumpcloud.KindNotFound, jumpcloud.KindTokenUnreachable:
		return StateUnreachable
	}
	return StateError
}

// KeyCheck is the result of checking a key live.
type KeyCheck struct {
	State KeyState
	Err   error // why, when State is not valid; never holds the key

	OrgName string             // the checked organisation's name, when seen
	Owner   jumpcloud.KeyOwner // when the API told who owns the key
	// OwnerKnown is false when the owner endpoints did not answer (they are undocumented).
	OwnerKnown bool
}

// Valid reports whether the key works.
func (c KeyCheck) Valid() bool { return c.State == StateValid }

// CheckKey checks a key live, in the order that gives the most precise answer with the fewest
// requests: the organisation list (validates the key, never sends x-org-id), the chosen
// organisation among them, the owner and role (best effort: undocumented endpoints), then one
// smallest read of an evidence source (a 403 there means the role may not read evidence).
func CheckKey(ctx context.Context, client *jumpcloud.Client, src jumpcloud.Source) KeyCheck {
	orgs, err := client.Organizations(ctx)
	if err != nil {
		return KeyCheck{State: StateOf(err), Err: err}
	}
	var c KeyCheck
	orgID := client.OrgID()
	switch {
	case orgID != "":
		found := false
		for _, o := range orgs {
			if o.ID == orgID {
				found, c.OrgName = true, Clean(o.Name())
			}
		}
		if !found {
			return KeyCheck{State: StateOrg, Err: fmt.Errorf(
				"this key cannot see organisation %s (it sees %d organisation(s)); "+
					"check --org-id or JUMPCLOUD_ORG_ID, or run `jcconnect setup` to pick one", orgID, len(orgs))}
		}
	case len(orgs) > 1:
		return KeyCheck{State: StateOrg, Err: fmt.Errorf(
			"this is a multi-tenant key that sees %d organisations and none is chosen; "+
				"pass --org-id, or run `jcconnect setup` to pick one", len(orgs))}
	case len(orgs) == 1:
		c.OrgName = Clean(orgs[0].Name())
	}

	owner, err := client.KeyOwner(ctx)
	switch {
	case err == nil:
		c.Owner, c.OwnerKnown = owner, true
	case jumpcloud.KindOf(err) == jumpcloud.KindInvalidKey:
		return KeyCheck{State: StateInvalidKey, Err: err}
	}
	// Any other owner failure is not a verdict on the key: the endpoints are undocumented.

	if src == "" {
		src = jumpcloud.SourceDevices
	}
	// The same rule as verification and collection: only an optional source may be "not
	// available to this key"; a required one that cannot be read is a verdict.
	if err := client.CanRead(ctx, src); err != nil {
		if _, ok := jumpcloud.NotAvailable(err); !ok || !src.Optional() {
			c.State, c.Err = StateOf(err), err
			return c
		}
	}
	c.State = StateValid
	return c
}

// EvidenceSourceFor picks the source a profile's live check reads: devices for Endpoint
// Management, users for SSO only.
func EvidenceSourceFor(p store.Profile) jumpcloud.Source {
	if p.Integrations.SSO && !p.Integrations.EndpointManagement {
		return jumpcloud.SourceUsers
	}
	return jumpcloud.SourceDevices
}

// ProfileFlag is " --profile NAME" when the command must name a profile, quoted for the shell
// when the name needs it.
func ProfileFlag(name string, isDefault bool) string {
	if name == "" || isDefault {
		return ""
	}
	return " --profile " + shellQuote(name)
}

// shellQuote quotes s for a POSIX shell when it holds anything but plain word characters.
func shellQuote(s string) string {
	plain := s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r == '-' || r == '_' || r == '.' || r == '@' ||
			(r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9'))
	}) < 0
	if plain {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Remedy is what fixes a state: a sentence and, when one exists, the exact command.
type Remedy struct {
	Why     string
	Command string
}

// RemedyFor says what fixes state for a profile whose key came from source.
func RemedyFor(state KeyState, err error, profile string, isDefault bool, source store.KeySource) Remedy {
	pf := ProfileFlag(profile, isDefault)
	fromEnv := source == store.SourceEnv
	switch state {
	case StateValid:
		return Remedy{}
	case StateInvalidKey:
		if fromEnv {
			return Remedy{Why: "JumpCloud refused the key in JUMPCLOUD_API_KEY. Set it to a new key " +
				"(generated as the Read Only admin: My API Key), or unset it to use the stored key.",
				Command: "unset JUMPCLOUD_API_KEY"}
		}
		return Remedy{Why: "JumpCloud refused the stored key: it was revoked (a new key was generated " +
			"for its admin), it expired, or the admin lost API access. Generate a new key as the Read " +
			"Only admin (My API Key) and rotate.", Command: "jcconnect rotate" + pf}
	case StateForbidden:
		return Remedy{Why: "The key works but its admin's role may not read evidence (or JumpCloud " +
			"blocked this IP). Use the key of a Read Only admin.", Command: "jcconnect rotate" + pf}
	case StateUnreachable:
		return Remedy{Why: "JumpCloud could not be reached or did not answer properly. " +
			jumpcloud.KindOf(err).Fix(), Command: "jcconnect doctor" + pf}
	case StateKeyring:
		why := store.Fix(err)
		if why == "" {
			why = "The OS keyring could not be used."
		}
		if !strings.Contains(why, "JUMPCLOUD_API_KEY") {
			why += " On a machine without a keyring, set JUMPCLOUD_API_KEY instead."
		}
		return Remedy{Why: why, Command: "jcconnect doctor" + pf}
	case StateNoKey:
		return Remedy{Why: "The profile exists but its key is not in the keyring (removed outside " +
			"jcconnect, or a different keyring). Set it up again.", Command: "jcconnect setup" + pf}
	case StateNoProfile:
		if store.HasOtherProfiles(err) {
			return Remedy{Why: store.Fix(err)}
		}
		return Remedy{Why: "Nothing is set up yet. Run the wizard (or try it first with --demo); on a " +
			"headless machine set JUMPCLOUD_API_KEY.", Command: "jcconnect setup"}
	case StateOrg:
		return Remedy{Why: "The organisation could not be used with this key.",
			Command: "jcconnect setup" + pf}
	case StateConfig:
		return Remedy{Why: "Check --region and --base-url (http is accepted on loopback only)."}
	}
	return Remedy{Why: "Try again; if it persists, run the doctor.", Command: "jcconnect doctor" + pf}
}
