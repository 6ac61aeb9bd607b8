package connect

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"jcconnect/jumpcloud"
	"jcconnect/store"
)

// statusConcurrency bounds how many profiles are checked at once.
const statusConcurrency = 4

// ExpiryWarningDays is when status, the home screen and doctor start warning about a key's
// expiry: two weeks leaves time to get a Billing admin to re-enable API access if needed.
const ExpiryWarningDays = 14

// StatusReport is `jcconnect status --json`. Field names are stable: scripts depend on them.
type StatusReport struct {
	// State and ExitCode summarise the run: the first profile that is not valid decides them.
	State      KeyState        `json:"state"`
	ExitCode   int             `json:"exitCode"`
	Message    string          `json:"message,omitempty"`
	Fix        string          `json:"fix,omitempty"`
	FixCommand string          `json:"fixCommand,omitempty"`
	Profiles   []ProfileStatus `json:"profiles"`
}

// ProfileStatus is one profile's stored metadata and live check.
type ProfileStatus struct {
	Profile   string `json:"profile"` // "" when the key comes from the environment alone
	IsDefault bool   `json:"default"`

	// Kind is "api_key" or "service_account"; ClientID names a service account.
	Kind     string `json:"kind,omitempty"`
	ClientID string `json:"clientID,omitempty"`

	// Demo is set for the built-in demo organisation (--demo): its base URL is an internal
	// loopback address, not something to show.
	Demo bool `json:"demo,omitempty"`

	KeySource      store.KeySource `json:"keySource,omitempty"` // keyring, environment, memory
	StoredKeyInUse bool            `json:"storedKeyInUse"`
	MaskedKey      string          `json:"maskedKey,omitempty"`
	Fingerprint    string          `json:"fingerprint,omitempty"`

	OrgID   string `json:"orgID,omitempty"`
	OrgName string `json:"orgName,omitempty"`
	Region  string `json:"region,omitempty"`
	BaseURL string `json:"baseURL,omitempty"`
	Owner   string `json:"owner,omitempty"`
	Role    string `json:"role,omitempty"`
	// LiveRole is the role JumpCloud reports now, when it differs from the stored one.
	LiveRole string `json:"liveRole,omitempty"`

	KeyCreated *time.Time `json:"keyCreated,omitempty"`
	KeyExpires *time.Time `json:"keyExpires,omitempty"`
	// SecretExpires is a service account's client secret's expiry; DaysLeft and ExpiresSoon
	// then count down to it.
	SecretExpires *time.Time `json:"secretExpires,omitempty"`
	DaysLeft      *int       `json:"daysLeft,omitempty"`
	ExpiresSoon   bool       `json:"expiresSoon"`
	Verified      *time.Time `json:"lastVerified,omitempty"`
	RotatedAt     *time.Time `json:"rotatedAt,omitempty"`

	// TokenHost is a service account's token host, and TokenHostReachable whether it answered.
	TokenHost          string `json:"tokenHost,omitempty"`
	TokenHostReachable *bool  `json:"tokenHostReachable,omitempty"`

	Check StatusCheck `json:"check"`
}

// StatusCheck is the live check's verdict with its remedy.
type StatusCheck struct {
	State      KeyState `json:"state"`
	ExitCode   int      `json:"exitCode"`
	Message    string   `json:"message"`
	Fix        string   `json:"fix,omitempty"`
	FixCommand string   `json:"fixCommand,omitempty"`
}

// CollectStatus builds the status report: every profile (or env.Profile), each checked live.
func CollectStatus(ctx context.Context, env *Env) StatusReport {
	now := env.Clock()
	// An interrupted rotation is settled first, so each profile is shown with the key it has.
	_ = env.Store.Reconcile(ctx)
	profiles, defaultName, err := env.Store.Profiles()
	if err != nil {
		return summarise(StatusReport{}, StateOf(err), err, env.Profile, true, "")
	}
	if env.Profile != "" {
		var only []store.Profile
		for _, p := range profiles {
			if p.Name == env.Profile {
				only = append(only, p)
			}
		}
		if len(only) == 0 {
			// The store's own error lists the profiles there are and how to create this one.
			_, err := env.Store.Profile(env.Profile)
			if err == nil {
				err = fmt.Errorf("no profile named %q (profiles: %s)", env.Profile, ProfileNames(profiles))
			}
			return summarise(StatusReport{}, StateNoProfile, err, env.Profile, false, "")
		}
		profiles = only
	}

	var r StatusReport
	if len(profiles) == 0 {
		// No profile: the environment's key alone may still be set (headless and CI use).
		cred, err := env.Store.Key(ctx, "")
		if demo, ok := demoCredential(env); ok && (err != nil || cred.Source != store.SourceEnv) {
			// `status --demo` with nothing set up: the demo organisation's Read Only key, as
			// `devices --demo` and `evidence export --demo` use it.
			cred, err = demo, nil
		}
		if err != nil || (cred.Source != store.SourceEnv && cred.Source != store.SourceMemory) {
			return summarise(r, StateNoProfile, store.ErrNoProfile, "", true, "")
		}
		r.Profiles = append(r.Profiles, StatusFor(ctx, env, store.Profile{}, false, true, cred, nil, now))
	}
	// Profiles are checked concurrently (an MSP may keep one per organisation); the report keeps
	// the stored order.
	checked := make([]ProfileStatus, len(profiles))
	var g errgroup.Group
	g.SetLimit(statusConcurrency)
	for i, p := range profiles {
		g.Go(func() error {
			cred, kerr := env.Store.Key(ctx, p.Name)
			checked[i] = StatusFor(ctx, env, p, true, p.Name == defaultName, cred, kerr, now)
			return nil
		})
	}
	_ = g.Wait() // each profile's failure is in its own status, never returned
	r.Profiles = append(r.Profiles, checked...)
	r.State, r.ExitCode = StateValid, ExitOK
	for _, ps := range r.Profiles {
		if ps.Check.State != StateValid {
			r.State, r.ExitCode = ps.Check.State, ps.Check.ExitCode
			r.Message, r.Fix, r.FixCommand = ps.Check.Message, ps.Check.Fix, ps.Check.FixCommand
			break
		}
	}
	return r
}

// summarise fills a report that has no profile to show.
func summarise(r StatusReport, state KeyState, err error, profile string, isDefault bool, src store.KeySource) StatusReport {
	rem := RemedyFor(state, err, profile, isDefault, src)
	r.State, r.ExitCode = state, state.ExitCode()
	r.Message, r.Fix, r.FixCommand = errMessage(state, err), rem.Why, rem.Command
	if r.Profiles == nil {
		r.Profiles = []ProfileStatus{}
	}
	return r
}

// StatusFor is one profile's line of the report; kerr is the keyring's answer for its key.
func StatusFor(ctx context.Context, env *Env, p store.Profile, hasProfile, isDefault bool,
	cred store.Credential, kerr error, now time.Time) ProfileStatus {
	ps := ProfileStatus{Profile: p.Name, IsDefault: isDefault && hasProfile,
		OrgID: p.OrgID, OrgName: Clean(p.OrgName), Region: p.Region, BaseURL: p.BaseURL,
		Owner: Clean(p.OwnerEmail), Role: Clean(p.Role), KeyCreated: p.KeyCreated,
		KeyExpires: p.KeyExpires, Verified: p.VerifiedAt, RotatedAt: p.RotatedAt}
	if p.KeyLast4 != "" {
		ps.MaskedKey, ps.Fingerprint = "…"+p.KeyLast4, p.Fingerprint
	}
	fail := func(state KeyState, err error) ProfileStatus {
		rem := RemedyFor(state, err, p.Name, isDefault, cred.Source)
		ps.Check = StatusCheck{State: state, ExitCode: state.ExitCode(), Message: errMessage(state, err),
			Fix: rem.Why, FixCommand: rem.Command}
		return ps
	}
	ps.Kind = p.CredentialKind()
	if p.IsServiceAccount() {
		ps.ClientID = Clean(p.ClientID)
	}
	if kerr != nil {
		return fail(StateOf(kerr), kerr)
	}
	ps.KeySource = cred.Source
	ps.MaskedKey, ps.Fingerprint = cred.Key.Mask(), cred.Key.Fingerprint()
	ps.StoredKeyInUse = cred.Source != store.SourceEnv || (hasProfile && p.Fingerprint == ps.Fingerprint)

	conn, err := ConnectWithKey(env, p, hasProfile, cred)
	if err != nil {
		return fail(StateConfig, err)
	}
	ps.OrgID, ps.Region, ps.BaseURL = conn.OrgID, conn.Region, conn.BaseURL
	ps.Demo = env.Demo != nil && conn.BaseURL == env.Demo.BaseURL
	sa := conn.Client.CredentialKind() == jumpcloud.CredentialServiceAccount
	if sa {
		serviceAccountStatus(&ps, p, cred)
		if err := checkTokenHost(ctx, &ps, conn.Client); err != nil {
			ps = fail(StateOf(err), err)
			serviceAccountRemedy(&ps, err, p.Name, isDefault, cred.Source)
			return ps
		}
	} else {
		ps.Kind = store.KindAPIKey
	}
	check := CheckKey(ctx, conn.Client, EvidenceSourceFor(p))
	if check.OrgName != "" {
		ps.OrgName = check.OrgName
	}
	if check.OwnerKnown {
		applyLiveOwner(&ps, check)
	}
	if exp := ps.expiry(); exp != nil {
		days := DaysLeft(now, *exp)
		ps.DaysLeft = &days
		ps.ExpiresSoon = days < ExpiryWarningDays
	}
	if !check.Valid() {
		ps = fail(check.State, check.Err)
		if sa {
			serviceAccountRemedy(&ps, check.Err, p.Name, isDefault, cred.Source)
			return ps
		}
		if check.State == StateInvalidKey && ps.DaysLeft != nil && *ps.DaysLeft < 0 {
			ps.Check.Message = "the key expired on " + Day(ps.KeyExpires) + " and JumpCloud refuses it"
		} else if cause, fix, ok := ExplainRefused(ctx, env, conn, cred.Key, check.Err); ok {
			// One cause, not the client's list of every possible one. A key from the environment
			// keeps its own fix: the variable, not the stored profile, is what to change.
			ps.Check.Message = "the key was refused: " + cause
			if cred.Source != store.SourceEnv {
				ps.Check.Fix = fix
			}
		}
		return ps
	}
	ps.Check = StatusCheck{State: StateValid, ExitCode: ExitOK, Message: "the key works"}
	if ps.ExpiresSoon {
		ps.Check.Message = fmt.Sprintf("the key works but expires in %s", CountNoun(*ps.DaysLeft, "day"))
		ps.Check.Fix = "Generate a new key as the Read Only admin before it expires, then rotate."
		ps.Check.FixCommand = "jcconnect rotate" + ProfileFlag(p.Name, isDefault)
	}
	if sa {
		serviceAccountVerdict(&ps, p.Name, isDefault)
	}
	return ps
}

// expiry is the date the credential in use expires: the key's, or the client secret's.
func (ps ProfileStatus) expiry() *time.Time {
	if ps.Kind == store.KindServiceAccount {
		return ps.SecretExpires
	}
	return ps.KeyExpires
}

// applyLiveOwner fills what JumpCloud says now about the key's owner where the profile is silent,
// and reports a role that changed since the key was stored (an admin was promoted).
func applyLiveOwner(ps *ProfileStatus, check KeyCheck) {
	if ps.Owner == "" {
		ps.Owner = Clean(check.Owner.Admin.Email)
	}
	live := Clean(check.Owner.Role)
	switch {
	case ps.Role == "":
		ps.Role = live
	case live != "" && !strings.EqualFold(live, ps.Role):
		ps.LiveRole = live
	}
	if h := check.Owner.Admin.APIKeyHash; h != nil && ps.StoredKeyInUse {
		if ps.KeyExpires == nil && h.ExpireAt != nil {
			ps.KeyExpires = h.ExpireAt
		}
		if ps.KeyCreated == nil && h.CreatedAt != nil {
			ps.KeyCreated = h.CreatedAt
		}
	}
}

// DaysLeft counts whole days from now until t (negative once past).
func DaysLeft(now, t time.Time) int {
	return int(math.Floor(t.Sub(now).Hours() / 24))
}

// errMessage is the one-line description of a state's error: for an API error its summary
// (the remedy is printed on its own line), else the error.
func errMessage(state KeyState, err error) string {
	var je *jumpcloud.Error
	switch {
	case err == nil:
		return string(state)
	case errors.As(err, &je):
		return je.Summary()
	}
	return err.Error()
}

func ProfileNames(ps []store.Profile) string {
	if len(ps) == 0 {
		return "none"
	}
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name
	}
	return strings.Join(names, ", ")
}

func CountNoun(n int, unit string) string {
	if n == 1 || n == -1 {
		return fmt.Sprintf("%d %s", n, unit)
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// Day is a date as the reports show it (UTC), "" for none.
func Day(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format("2006-01-02")
}

// Stamp is a time as the reports show it (UTC, to the minute), "" for none.
func Stamp(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// demoCredential is the demo organisation's Read Only key (kept in memory), when --demo is on.
func demoCredential(env *Env) (store.Credential, bool) {
	if env.Demo == nil || len(env.Demo.Keys) == 0 {
		return store.Credential{}, false
	}
	k, err := store.NewKey(env.Demo.Keys[0].Key)
	return store.Credential{Key: k, Source: store.SourceMemory}, err == nil
}
