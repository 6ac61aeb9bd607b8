package connect

import (
	"context"
	"errors"
	"fmt"
	"time"

	"jcconnect/jumpcloud"
	"jcconnect/store"
)

// DoctorStatus is one doctor line's verdict.
type DoctorStatus string

const (
	DoctorOK   DoctorStatus = "ok"
	DoctorWarn DoctorStatus = "warn" // works, but needs attention soon (expiry, role)
	DoctorFail DoctorStatus = "fail"
	DoctorSkip DoctorStatus = "skip" // not run because an earlier check failed
)

// DoctorCheck is one line of `jcconnect doctor`: what was checked, the verdict, and when it is
// not OK the fix (a sentence and, when one exists, a command).
type DoctorCheck struct {
	Group    string // "Keyring", "Connection"
	Name     string
	Status   DoctorStatus
	Detail   string
	Fix      string
	Command  string
	ExitCode int // the code this problem maps to (0 when OK)
}

// reachTimeout bounds the unauthenticated reachability probe: long enough for a slow proxy,
// short enough that a black-holed network does not look like a hang.
const reachTimeout = 15 * time.Second

// Diagnosis runs every doctor check and returns them in order.
// doctorProbeKey is the placeholder key of the reachability probe: any HTTP answer proves the
// network path, so no real key is sent. (It has a key's shape, so it passes the one rule.)
var doctorProbeKey = store.MustSecret("doctor-probe-not-a-real-key", false)

func Diagnosis(ctx context.Context, env *Env) []DoctorCheck {
	var checks []DoctorCheck
	keyringOK := true
	// The store's doctor knows the keyring it uses: the OS keyring with its deadlines, or the
	// demo's memory (then only a round trip runs).
	for _, kc := range store.Diagnose(ctx, env.Store.Keyring()) {
		c := DoctorCheck{Group: "Keyring", Name: kc.Name, Status: DoctorOK, Detail: kc.Detail}
		if !kc.OK {
			keyringOK = false
			c.Status, c.ExitCode, c.Fix = DoctorFail, ExitKeyring, kc.Fix
			if kc.Err != nil {
				c.Detail = kc.Err.Error()
			}
			if c.Fix == "" {
				c.Fix = store.Fix(kc.Err)
			}
			if c.Fix == "" {
				c.Fix = "On a machine without a keyring, set JUMPCLOUD_API_KEY instead."
			}
		}
		checks = append(checks, c)
	}
	return append(checks, connectionChecks(ctx, env, keyringOK)...)
}

// connectionChecks check the profile, its key, reaching JumpCloud and the key itself.
func connectionChecks(ctx context.Context, env *Env, keyringOK bool) []DoctorCheck {
	const group = "Connection"
	var checks []DoctorCheck
	add := func(c DoctorCheck) { c.Group = group; checks = append(checks, c) }

	p, perr := env.Store.Profile(env.Profile)
	hasProfile := perr == nil
	for _, c := range ExposureChecks(env.Store) {
		add(c)
	}
	switch {
	case hasProfile:
		add(DoctorCheck{Name: "profile", Status: DoctorOK,
			Detail: fmt.Sprintf("%s: organisation %s", p.Name, orgLabel(p))})
	case errors.Is(perr, store.ErrNoProfile):
		// Not a failure by itself: the environment's key may be in use. Reported below.
	default:
		add(failCheck("profile", perr, ExitFailure, store.Fix(perr), ""))
	}

	// Reaching JumpCloud does not need a key: any HTTP answer from the API host proves the
	// network path (DNS, proxy, TLS) works.
	probe := ClientConfig(env, p, hasProfile, store.Credential{Key: doctorProbeKey})
	reach := reachAPI(ctx, env, probe)
	add(reach)

	cred, kerr := env.Store.Key(ctx, env.Profile)
	switch {
	case kerr == nil:
		detail := fmt.Sprintf("%s from %s", cred.Key.Mask(), sourceLabel(cred.Source))
		if cred.IsServiceAccount() || (hasProfile && p.IsServiceAccount() && cred.Source != store.SourceEnv) {
			detail = serviceAccountKeyDetail(cred, p)
		}
		add(DoctorCheck{Name: "key", Status: DoctorOK, Detail: detail})
	case !hasProfile && (errors.Is(kerr, store.ErrNoProfile) || errors.Is(kerr, store.ErrKeyNotFound)):
		rem := RemedyFor(StateNoProfile, kerr, env.Profile, env.Profile == "", "")
		add(DoctorCheck{Name: "profile", Status: DoctorFail, Detail: "nothing is set up on this computer",
			Fix: rem.Why, Command: rem.Command, ExitCode: ExitNoProfile})
		return checks
	case IsKeyringError(kerr) && !keyringOK:
		add(DoctorCheck{Name: "key", Status: DoctorSkip, Detail: "the keyring cannot be used (see above)"})
		return checks
	default:
		state := StateOf(kerr)
		rem := RemedyFor(state, kerr, p.Name, env.Profile == "", "")
		add(failCheck("key", kerr, state.ExitCode(), rem.Why, rem.Command))
		return checks
	}

	if reach.Status == DoctorFail {
		add(DoctorCheck{Name: "key accepted", Status: DoctorSkip, Detail: "JumpCloud cannot be reached (see above)"})
		return checks
	}
	for _, c := range keyInUseChecks(ctx, env, p, hasProfile, cred) {
		add(c)
	}
	return checks
}

// keyInUseChecks check the key itself: accepted by JumpCloud (with its organisation and role),
// least privilege, and its expiry.
func keyInUseChecks(ctx context.Context, env *Env, p store.Profile, hasProfile bool, cred store.Credential) []DoctorCheck {
	var out []DoctorCheck
	conn, err := ConnectWithKey(env, p, hasProfile, cred)
	if err != nil {
		rem := RemedyFor(StateConfig, err, p.Name, env.Profile == "", cred.Source)
		out = append(out, failCheck("key accepted", err, ExitUsage, rem.Why, rem.Command))
		return out
	}
	sa := conn.Client.CredentialKind() == jumpcloud.CredentialServiceAccount
	if sa {
		c, ok := tokenHostDoctorCheck(ctx, conn.Client, p.Name, env.Profile == "")
		if out = append(out, c); !ok {
			return out
		}
	}
	check := CheckKey(ctx, conn.Client, EvidenceSourceFor(p))
	if !check.Valid() {
		rem := RemedyFor(check.State, check.Err, p.Name, env.Profile == "", cred.Source)
		out = append(out, failCheck("key accepted", check.Err, check.State.ExitCode(), rem.Why, rem.Command))
		return out
	}
	detail := "organisation " + check.OrgName
	if check.OwnerKnown && check.Owner.RoleKnown() {
		detail += ", role " + Clean(check.Owner.Role)
	}
	out = append(out, DoctorCheck{Name: "key accepted", Status: DoctorOK, Detail: detail})
	if check.OwnerKnown && check.Owner.RoleKnown() && !jumpcloud.IsReadOnlyRole(check.Owner.Role) {
		out = append(out, DoctorCheck{Name: "least privilege", Status: DoctorWarn,
			Detail: fmt.Sprintf("the key's admin has the role %q, which can change your organisation",
				Clean(check.Owner.Role)),
			Fix:     leastPrivilegeFix(sa),
			Command: "jcconnect rotate" + ProfileFlag(p.Name, env.Profile == "")})
	}
	expires := expiryOf(p, check)
	if sa {
		expires = p.SecretExpires
		if cred.Source == store.SourceEnv {
			expires = nil // the profile's date is not this secret's
		}
	}
	if expires != nil {
		days := DaysLeft(env.Clock(), *expires)
		c := DoctorCheck{Name: "expiry", Status: DoctorOK,
			Detail: fmt.Sprintf("%s (in %s)", Day(expires), CountNoun(days, "day"))}
		if days < ExpiryWarningDays {
			c.Status = DoctorWarn
			c.Fix = "Generate a new key as the Read Only admin before it expires, then rotate."
			c.Command = "jcconnect rotate" + ProfileFlag(p.Name, env.Profile == "")
			if sa {
				c.Fix = "Generate the second client secret in Settings ▸ Service Accounts before this one expires, then rotate to it."
				c.Command = "jcconnect rotate --with-secret" + ProfileFlag(p.Name, env.Profile == "")
			}
		}
		out = append(out, c)
	}
	return out
}

// expiryOf is the key's expiry: the stored one, else what JumpCloud says now.
func expiryOf(p store.Profile, check KeyCheck) *time.Time {
	if p.KeyExpires != nil {
		return p.KeyExpires
	}
	if check.OwnerKnown && check.Owner.Admin.APIKeyHash != nil {
		return check.Owner.Admin.APIKeyHash.ExpireAt
	}
	return nil
}

// reachAPI asks the API host for any answer without the key (Client.Ping): it checks DNS,
// proxy, TLS and routing, not the key. It goes through the client, so the redirect refusal, the
// User-Agent, the size bound and the transport are the same as for every other request.
func reachAPI(ctx context.Context, env *Env, cfg jumpcloud.Config) DoctorCheck {
	c := DoctorCheck{Name: "reach JumpCloud"}
	newClient := jumpcloud.New
	if env.NewClient != nil {
		newClient = env.NewClient
	}
	client, err := newClient(cfg)
	if err != nil {
		return failCheck(c.Name, err, ExitUsage,
			"Check --region and --base-url (http is accepted on loopback only).", "")
	}
	base := client.BaseURL()
	ctx, cancel := context.WithTimeout(ctx, reachTimeout)
	defer cancel()
	status, err := client.Ping(ctx)
	if err != nil {
		fix := jumpcloud.KindOf(err).Fix()
		if fix == "" {
			fix = jumpcloud.KindNetwork.Fix()
		}
		return failCheck(c.Name, err, ExitNetwork, fix, "")
	}
	if status >= 500 {
		return failCheck(c.Name, fmt.Errorf("%s answered HTTP %d", base, status), ExitNetwork,
			jumpcloud.KindServer.Fix(), "")
	}
	c.Status, c.Detail = DoctorOK, fmt.Sprintf("%s answered (HTTP %d)", base, status)
	return c
}

func failCheck(name string, err error, code int, fix, command string) DoctorCheck {
	c := DoctorCheck{Name: name, Status: DoctorFail, Fix: fix, Command: command, ExitCode: code}
	if err != nil {
		c.Detail = err.Error()
	}
	return c
}

func orgLabel(p store.Profile) string {
	if name := Clean(p.OrgName); name != "" {
		return name
	}
	return p.OrgID
}

func sourceLabel(s store.KeySource) string {
	switch s {
	case store.SourceEnv:
		return "the environment (JUMPCLOUD_API_KEY)"
	case store.SourceKeyring:
		return "the OS keyring"
	case store.SourceMemory:
		return "memory (demo)"
	}
	return string(s)
}
