package ui

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"jcconnect/connect"
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
	State      connect.KeyState `json:"state"`
	ExitCode   int              `json:"exitCode"`
	Message    string           `json:"message,omitempty"`
	Fix        string           `json:"fix,omitempty"`
	FixCommand string           `json:"fixCommand,omitempty"`
	Profiles   []ProfileStatus  `json:"profiles"`
}

// ProfileStatus is one profile's stored metadata and live check.
type ProfileStatus struct {
	Profile   string `json:"profile"` // "" when the key comes from the environment alone
	IsDefault bool   `json:"default"`

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

	KeyCreated  *time.Time `json:"keyCreated,omitempty"`
	KeyExpires  *time.Time `json:"keyExpires,omitempty"`
	DaysLeft    *int       `json:"daysLeft,omitempty"`
	ExpiresSoon bool       `json:"expiresSoon"`
	Verified    *time.Time `json:"lastVerified,omitempty"`
	RotatedAt   *time.Time `json:"rotatedAt,omitempty"`

	Check StatusCheck `json:"check"`
}

// StatusCheck is the live check's verdict with its remedy.
type StatusCheck struct {
	State      connect.KeyState `json:"state"`
	ExitCode   int              `json:"exitCode"`
	Message    string           `json:"message"`
	Fix        string           `json:"fix,omitempty"`
	FixCommand string           `json:"fixCommand,omitempty"`
}

// runStatus is `jcconnect status`. It only reads: checking a key never rewrites the profile, so
// a status run in cron cannot race a rotation in another terminal.
func runStatus(ctx context.Context, env *connect.Env, asJSON bool) int {
	r := CollectStatus(ctx, env)
	if asJSON {
		enc := json.NewEncoder(env.Out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(r); err != nil {
			fmt.Fprintln(env.Err, "jcconnect: cannot write the report:", err)
			return connect.ExitFailure
		}
	} else {
		writeStatusText(env.Out, r)
	}
	return r.ExitCode
}

// CollectStatus builds the status report: every profile (or env.Profile), each checked live.
func CollectStatus(ctx context.Context, env *connect.Env) StatusReport {
	now := envNow(env)
	profiles, defaultName, err := env.Store.Profiles()
	if err != nil {
		return summarise(StatusReport{}, connect.StateOf(err), err, env.Profile, true, "")
	}
	if env.Profile != "" {
		var only []store.Profile
		for _, p := range profiles {
			if p.Name == env.Profile {
				only = append(only, p)
			}
		}
		if len(only) == 0 {
			err := fmt.Errorf("no profile named %q (profiles: %s)", env.Profile, profileNames(profiles))
			return summarise(StatusReport{}, connect.StateNoProfile, err, env.Profile, false, "")
		}
		profiles = only
	}

	var r StatusReport
	if len(profiles) == 0 {
		// No profile: the environment's key alone may still be set (headless and CI use).
		cred, err := env.Store.Key(ctx, "")
		if err != nil || cred.Source != store.SourceEnv {
			return summarise(r, connect.StateNoProfile, store.ErrNoProfile, "", true, "")
		}
		r.Profiles = append(r.Profiles, statusFor(ctx, env, store.Profile{}, false, true, cred, nil, now))
	}
	// Profiles are checked concurrently (an MSP may keep one per organisation); the report keeps
	// the stored order.
	checked := make([]ProfileStatus, len(profiles))
	var g errgroup.Group
	g.SetLimit(statusConcurrency)
	for i, p := range profiles {
		g.Go(func() error {
			cred, kerr := env.Store.Key(ctx, p.Name)
			checked[i] = statusFor(ctx, env, p, true, p.Name == defaultName, cred, kerr, now)
			return nil
		})
	}
	_ = g.Wait() // each profile's failure is in its own status, never returned
	r.Profiles = append(r.Profiles, checked...)
	r.State, r.ExitCode = connect.StateValid, connect.ExitOK
	for _, ps := range r.Profiles {
		if ps.Check.State != connect.StateValid {
			r.State, r.ExitCode = ps.Check.State, ps.Check.ExitCode
			r.Message, r.Fix, r.FixCommand = ps.Check.Message, ps.Check.Fix, ps.Check.FixCommand
			break
		}
	}
	return r
}

// summarise fills a report that has no profile to show.
func summarise(r StatusReport, state connect.KeyState, err error, profile string, isDefault bool, src store.KeySource) StatusReport {
	rem := connect.RemedyFor(state, err, profile, isDefault, src)
	r.State, r.ExitCode = state, state.ExitCode()
	r.Message, r.Fix, r.FixCommand = errMessage(state, err), rem.Why, rem.Command
	if r.Profiles == nil {
		r.Profiles = []ProfileStatus{}
	}
	return r
}

// statusFor is one profile's line of the report; kerr is the keyring's answer for its key.
func statusFor(ctx context.Context, env *connect.Env, p store.Profile, hasProfile, isDefault bool,
	cred store.Credential, kerr error, now time.Time) ProfileStatus {
	ps := ProfileStatus{Profile: p.Name, IsDefault: isDefault && hasProfile,
		OrgID: p.OrgID, OrgName: connect.Clean(p.OrgName), Region: p.Region, BaseURL: p.BaseURL,
		Owner: connect.Clean(p.OwnerEmail), Role: connect.Clean(p.Role), KeyCreated: p.KeyCreated,
		KeyExpires: p.KeyExpires, Verified: p.VerifiedAt, RotatedAt: p.RotatedAt}
	if p.KeyLast4 != "" {
		ps.MaskedKey, ps.Fingerprint = "…"+p.KeyLast4, p.Fingerprint
	}
	fail := func(state connect.KeyState, err error) ProfileStatus {
		rem := connect.RemedyFor(state, err, p.Name, isDefault, cred.Source)
		ps.Check = StatusCheck{State: state, ExitCode: state.ExitCode(), Message: errMessage(state, err),
			Fix: rem.Why, FixCommand: rem.Command}
		return ps
	}
	if kerr != nil {
		return fail(connect.StateOf(kerr), kerr)
	}
	ps.KeySource = cred.Source
	ps.MaskedKey, ps.Fingerprint = store.Mask(cred.Key), store.Fingerprint(cred.Key)
	ps.StoredKeyInUse = cred.Source != store.SourceEnv || (hasProfile && p.Fingerprint == ps.Fingerprint)

	conn, err := connect.ConnectWithKey(env, p, hasProfile, cred)
	if err != nil {
		return fail(connect.StateConfig, err)
	}
	ps.OrgID, ps.Region, ps.BaseURL = conn.OrgID, conn.Region, conn.BaseURL
	check := connect.CheckKey(ctx, conn.Client, connect.EvidenceSourceFor(p))
	if check.OrgName != "" {
		ps.OrgName = check.OrgName
	}
	if check.OwnerKnown {
		applyLiveOwner(&ps, check)
	}
	if ps.KeyExpires != nil {
		days := daysLeft(now, *ps.KeyExpires)
		ps.DaysLeft = &days
		ps.ExpiresSoon = days < ExpiryWarningDays
	}
	if !check.Valid() {
		ps = fail(check.State, check.Err)
		if check.State == connect.StateInvalidKey && ps.DaysLeft != nil && *ps.DaysLeft < 0 {
			ps.Check.Message = "the key expired on " + day(ps.KeyExpires) + " and JumpCloud refuses it"
		}
		return ps
	}
	ps.Check = StatusCheck{State: connect.StateValid, ExitCode: connect.ExitOK, Message: "the key works"}
	if ps.ExpiresSoon {
		ps.Check.Message = fmt.Sprintf("the key works but expires in %s", countNoun(*ps.DaysLeft, "day"))
		ps.Check.Fix = "Generate a new key as the Read Only admin before it expires, then rotate."
		ps.Check.FixCommand = "jcconnect rotate" + connect.ProfileFlag(p.Name, isDefault)
	}
	return ps
}

// applyLiveOwner fills what JumpCloud says now about the key's owner where the profile is silent,
// and reports a role that changed since the key was stored (an admin was promoted).
func applyLiveOwner(ps *ProfileStatus, check connect.KeyCheck) {
	if ps.Owner == "" {
		ps.Owner = connect.Clean(check.Owner.Admin.Email)
	}
	live := connect.Clean(check.Owner.Role)
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

// daysLeft counts whole days from now until t (negative once past).
func daysLeft(now, t time.Time) int {
	return int(math.Floor(t.Sub(now).Hours() / 24))
}

// errMessage is the one-line description of a state's error: for an API error its summary
// (the remedy is printed on its own line), else the error.
func errMessage(state connect.KeyState, err error) string {
	var je *jumpcloud.Error
	switch {
	case err == nil:
		return string(state)
	case errors.As(err, &je):
		return je.Summary()
	}
	return err.Error()
}

func profileNames(ps []store.Profile) string {
	if len(ps) == 0 {
		return "none"
	}
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name
	}
	return strings.Join(names, ", ")
}

func countNoun(n int, unit string) string {
	if n == 1 || n == -1 {
		return fmt.Sprintf("%d %s", n, unit)
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// envNow is env.Now, or the clock when unset.
func envNow(env *connect.Env) time.Time {
	if env.Now != nil {
		return env.Now()
	}
	return time.Now()
}
