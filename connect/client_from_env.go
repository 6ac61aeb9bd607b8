package connect

import (
	"context"
	"errors"
	"fmt"

	"jcconnect/jumpcloud"
	"jcconnect/store"
)

// Connection is what a command needs to talk to JumpCloud: a client, and where each part of its
// configuration came from so the command can say so ("key from the environment", "region eu from
// the profile"). It never holds the key itself; Masked and Fingerprint are safe to print.
type Connection struct {
	Client *jumpcloud.Client

	// Profile is the stored profile; HasProfile is false when none exists and the key came from
	// JUMPCLOUD_API_KEY alone.
	Profile    store.Profile
	HasProfile bool

	Source      store.KeySource // keyring, environment or memory
	Masked      string          // store.Mask(key)
	Fingerprint string          // store.Fingerprint(key)

	Region  string // "us", "eu", "in" or "custom"
	BaseURL string // set when a base URL (flag, profile or demo) overrides the region
	OrgID   string // sent as x-org-id; "" for none
}

// KeyFromEnvironment reports whether JUMPCLOUD_API_KEY is in use, so the stored key is not.
func (c Connection) KeyFromEnvironment() bool { return c.Source == store.SourceEnv }

// Where describes the API endpoint for messages: "region eu" or the base URL.
func (c Connection) Where() string {
	if c.BaseURL != "" {
		return Clean(RedactURL(c.BaseURL))
	}
	return "region " + c.Region
}

// ConfigError is a configuration problem found before any request: a bad --base-url, an unknown
// region in a profile. ExitCodeFor maps it to ExitUsage.
type ConfigError struct{ Err error }

func (e *ConfigError) Error() string { return e.Err.Error() }
func (e *ConfigError) Unwrap() error { return e.Err }

// ClientFromEnv builds the client for a command from env: the key from env.Store.Key (the
// JUMPCLOUD_API_KEY variable first, else the keyring), the region, base URL and organisation from
// the flags, else from the profile, else the demo's base URL, else the US region.
//
// Errors: store.ErrNoProfile when there is neither a profile nor an environment key; the
// store's keyring errors as they are (each has a store.Fix); *ConfigError for a configuration
// the client refuses. ExitCodeFor turns any of them into the documented exit code.
func ClientFromEnv(ctx context.Context, env *Env) (Connection, error) {
	p, perr := env.Store.Profile(env.Profile)
	hasProfile := perr == nil
	if perr != nil && !errors.Is(perr, store.ErrNoProfile) {
		return Connection{}, perr
	}
	cred, err := env.Store.Key(ctx, env.Profile)
	if err != nil {
		if !hasProfile && (errors.Is(err, store.ErrKeyNotFound) || errors.Is(err, store.ErrNoProfile)) {
			// Nothing set up at all: say "no profile", whose fix is the wizard.
			return Connection{}, store.ErrNoProfile
		}
		return Connection{}, err
	}
	return ConnectWithKey(env, p, hasProfile, cred)
}

// ConnectWithKey builds the client for a given credential, with the same precedence as
// ClientFromEnv. Rotation uses it for the new key (same profile, different key); status uses it
// for each profile in turn.
func ConnectWithKey(env *Env, p store.Profile, hasProfile bool, cred store.Credential) (Connection, error) {
	c := Connection{Profile: p, HasProfile: hasProfile, Source: cred.Source,
		Masked: cred.Key.Mask(), Fingerprint: cred.Key.Fingerprint()}
	cfg := ClientConfig(env, p, hasProfile, cred)
	c.Region, c.BaseURL, c.OrgID = string(cfg.Region), cfg.BaseURL, cfg.OrgID
	if c.BaseURL != "" {
		c.Region = "custom"
	}
	newClient := jumpcloud.New
	if env.NewClient != nil {
		newClient = env.NewClient
	}
	client, err := newClient(cfg)
	if err != nil {
		return c, &ConfigError{fmt.Errorf("cannot use %s: %w", c.Where(), err)}
	}
	c.Client = client
	return c, nil
}

// ClientConfig is the jumpcloud.Config for a credential under env's flags and a profile.
// Precedence, most specific first:
//   - endpoint: NewVerifyRequest's row (requestEndpoint): the demo in use (--demo), else
//     --base-url, else --region, else the profile's base URL or region, else US;
//   - organisation: --org-id, else JUMPCLOUD_ORG_ID (when the key came from the environment),
//     else the profile's organisation;
//   - a service account's token endpoint: --token-url, else the profile's, else the region's.
//
// A service account's secret (from the environment, or a profile of that kind when the credential
// does not say) becomes the client id and secret, exchanged at the token host: it must never be
// sent as x-api-key.
func ClientConfig(env *Env, p store.Profile, hasProfile bool, cred store.Credential) jumpcloud.Config {
	cfg := jumpcloud.Config{APIKey: cred.Key.Reveal()}
	if cred.IsServiceAccount() || (cred.Kind == "" && hasProfile && p.IsServiceAccount()) {
		cfg = jumpcloud.Config{ClientID: cred.ClientID, ClientSecret: cred.Key.Reveal()}
		if hasProfile && p.IsServiceAccount() {
			cfg.TokenURL = p.TokenURL
			if cfg.ClientID == "" {
				cfg.ClientID = p.ClientID
			}
			if cred.Source != store.SourceEnv && p.SecretExpires != nil {
				cfg.SecretExpires = *p.SecretExpires
			}
		}
		if env.TokenURL != "" {
			cfg.TokenURL = env.TokenURL
		}
	}
	// The endpoint row is the verification's (requestEndpoint), so a command talks to where its
	// credential was verified.
	var prof *store.Profile
	if hasProfile {
		prof = &p
	}
	if region, baseURL := requestEndpoint(env, "", prof, env.Demo); baseURL != "" {
		cfg.BaseURL = baseURL
	} else {
		cfg.Region = jumpcloud.Region(region)
	}
	switch {
	case env.OrgID != "":
		cfg.OrgID = env.OrgID
	case cred.Source == store.SourceEnv && cred.OrgID != "":
		cfg.OrgID = cred.OrgID
	case hasProfile:
		cfg.OrgID = p.OrgID
	}
	return cfg
}

// IsKeyringError reports whether err means the keyring could not be used (no bus, no service,
// locked, timed out, a failed write or read-back), as opposed to "no key stored"
// (store.ErrKeyNotFound).
func IsKeyringError(err error) bool {
	var ke *store.KeyringError
	return errors.As(err, &ke) && !errorIs(err, store.ErrKeyNotFound)
}

// ExitCodeFor maps an error from ClientFromEnv, the store or the client to the exit codes
// documented in `jcconnect status --help` (through the same states status reports).
func ExitCodeFor(err error) int { return StateOf(err).ExitCode() }

// errorIs is errors.Is that tolerates a sentinel not yet set (nil never matches).
func errorIs(err, target error) bool { return target != nil && errors.Is(err, target) }
