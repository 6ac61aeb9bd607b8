package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"jcconnect/connect"
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

// runDoctor is `jcconnect doctor`: the keyring's own checks, then the connection (the profile,
// its key, reaching the region's API, the key accepted, its expiry). Exit code: that of the first
// failed check, 0 when nothing failed (warnings do not fail).
func runDoctor(ctx context.Context, env *connect.Env) int {
	checks := Diagnosis(ctx, env)
	writeDoctor(env.Out, checks)
	for _, c := range checks {
		if c.Status == DoctorFail {
			return c.ExitCode
		}
	}
	return connect.ExitOK
}

// Diagnosis runs every doctor check and returns them in order.
func Diagnosis(ctx context.Context, env *connect.Env) []DoctorCheck {
	var checks []DoctorCheck
	keyringOK := true
	// The store's doctor knows the keyring it uses: the OS keyring with its deadlines, or the
	// demo's memory (then only a round trip runs).
	for _, kc := range store.Diagnose(ctx, env.Store.Keyring()) {
		c := DoctorCheck{Group: "Keyring", Name: kc.Name, Status: DoctorOK, Detail: kc.Detail}
		if !kc.OK {
			keyringOK = false
			c.Status, c.ExitCode, c.Fix = DoctorFail, connect.ExitKeyring, kc.Fix
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
func connectionChecks(ctx context.Context, env *connect.Env, keyringOK bool) []DoctorCheck {
	const group = "Connection"
	var checks []DoctorCheck
	add := func(c DoctorCheck) { c.Group = group; checks = append(checks, c) }

	p, perr := env.Store.Profile(env.Profile)
	hasProfile := perr == nil
	switch {
	case hasProfile:
		add(DoctorCheck{Name: "profile", Status: DoctorOK,
			Detail: fmt.Sprintf("%s: organisation %s", p.Name, orgLabel(p))})
	case errors.Is(perr, store.ErrNoProfile):
		// Not a failure by itself: the environment's key may be in use. Reported below.
	default:
		add(failCheck("profile", perr, connect.ExitFailure, store.Fix(perr), ""))
	}

	// Reaching JumpCloud does not need a key: any HTTP answer from the API host proves the
	// network path (DNS, proxy, TLS) works.
	probe := connect.ClientConfig(env, p, hasProfile, store.Credential{Key: "doctor-probe"})
	reach := reachAPI(ctx, env, probe)
	add(reach)

	cred, kerr := env.Store.Key(ctx, env.Profile)
	switch {
	case kerr == nil:
		add(DoctorCheck{Name: "key", Status: DoctorOK,
			Detail: fmt.Sprintf("%s from %s", store.Mask(cred.Key), sourceLabel(cred.Source))})
	case !hasProfile && (errors.Is(kerr, store.ErrNoProfile) || errors.Is(kerr, store.ErrKeyNotFound)):
		rem := connect.RemedyFor(connect.StateNoProfile, kerr, env.Profile, env.Profile == "", "")
		add(DoctorCheck{Name: "profile", Status: DoctorFail, Detail: "nothing is set up on this computer",
			Fix: rem.Why, Command: rem.Command, ExitCode: connect.ExitNoProfile})
		return checks
	case connect.IsKeyringError(kerr) && !keyringOK:
		add(DoctorCheck{Name: "key", Status: DoctorSkip, Detail: "the keyring cannot be used (see above)"})
		return checks
	default:
		state := connect.StateOf(kerr)
		rem := connect.RemedyFor(state, kerr, p.Name, env.Profile == "", "")
		add(failCheck("key", kerr, state.ExitCode(), rem.Why, rem.Command))
		return checks
	}

	if reach.Status == DoctorFail {
		add(DoctorCheck{Name: "key accepted", Status: DoctorSkip, Detail: "JumpCloud cannot be reached (see above)"})
		return checks
	}
	conn, err := connect.ConnectWithKey(env, p, hasProfile, cred)
	if err != nil {
		rem := connect.RemedyFor(connect.StateConfig, err, p.Name, env.Profile == "", cred.Source)
		add(failCheck("key accepted", err, connect.ExitUsage, rem.Why, rem.Command))
		return checks
	}
	check := connect.CheckKey(ctx, conn.Client, connect.EvidenceSourceFor(p))
	if !check.Valid() {
		rem := connect.RemedyFor(check.State, check.Err, p.Name, env.Profile == "", cred.Source)
		add(failCheck("key accepted", check.Err, check.State.ExitCode(), rem.Why, rem.Command))
		return checks
	}
	detail := "organisation " + check.OrgName
	if check.OwnerKnown && check.Owner.RoleKnown() {
		detail += ", role " + connect.Clean(check.Owner.Role)
	}
	add(DoctorCheck{Name: "key accepted", Status: DoctorOK, Detail: detail})
	if check.OwnerKnown && check.Owner.RoleKnown() && !jumpcloud.IsReadOnlyRole(check.Owner.Role) {
		add(DoctorCheck{Name: "least privilege", Status: DoctorWarn,
			Detail: fmt.Sprintf("the key's admin has the role %q, which can change your organisation",
				connect.Clean(check.Owner.Role)),
			Fix:     "Evidence collection needs only Read Only. Create a Read Only admin, generate its key, and rotate.",
			Command: "jcconnect rotate" + connect.ProfileFlag(p.Name, env.Profile == "")})
	}
	if expires := expiryOf(p, check); expires != nil {
		days := connect.DaysLeft(env.Clock(), *expires)
		c := DoctorCheck{Name: "expiry", Status: DoctorOK,
			Detail: fmt.Sprintf("%s (in %s)", connect.Day(expires), connect.CountNoun(days, "day"))}
		if days < connect.ExpiryWarningDays {
			c.Status = DoctorWarn
			c.Fix = "Generate a new key as the Read Only admin before it expires, then rotate."
			c.Command = "jcconnect rotate" + connect.ProfileFlag(p.Name, env.Profile == "")
		}
		add(c)
	}
	return checks
}

// expiryOf is the key's expiry: the stored one, else what JumpCloud says now.
func expiryOf(p store.Profile, check connect.KeyCheck) *time.Time {
	if p.KeyExpires != nil {
		return p.KeyExpires
	}
	if check.OwnerKnown && check.Owner.Admin.APIKeyHash != nil {
		return check.Owner.Admin.APIKeyHash.ExpireAt
	}
	return nil
}

// reachAPI sends one request without any credential to the API host and accepts any HTTP
// answer: it checks DNS, proxy, TLS and routing, not the key. Redirects are not followed.
func reachAPI(ctx context.Context, env *connect.Env, cfg jumpcloud.Config) DoctorCheck {
	c := DoctorCheck{Name: "reach JumpCloud"}
	newClient := jumpcloud.New
	if env.NewClient != nil {
		newClient = env.NewClient
	}
	client, err := newClient(cfg)
	if err != nil {
		return failCheck(c.Name, err, connect.ExitUsage,
			"Check --region and --base-url (http is accepted on loopback only).", "")
	}
	base := client.BaseURL()
	ctx, cancel := context.WithTimeout(ctx, reachTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(base, "/")+"/api/organizations?limit=1", nil)
	if err != nil {
		return failCheck(c.Name, err, connect.ExitUsage, "Check --base-url.", "")
	}
	req.Header.Set("Accept", "application/json")
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if cfg.Transport != nil {
		hc.Transport = cfg.Transport
	}
	resp, err := hc.Do(req)
	if err != nil {
		return failCheck(c.Name, fmt.Errorf("%s: %w", base, err), connect.ExitNetwork,
			jumpcloud.KindNetwork.Fix(), "")
	}
	resp.Body.Close()
	if resp.StatusCode >= 500 {
		return failCheck(c.Name, fmt.Errorf("%s answered %s", base, resp.Status), connect.ExitNetwork,
			jumpcloud.KindServer.Fix(), "")
	}
	c.Status, c.Detail = DoctorOK, fmt.Sprintf("%s answered (HTTP %d)", base, resp.StatusCode)
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
	if name := connect.Clean(p.OrgName); name != "" {
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

// writeDoctor prints the checks grouped, each problem followed by its fix.
func writeDoctor(w io.Writer, checks []DoctorCheck) {
	group, problems, warnings := "", 0, 0
	for _, c := range checks {
		if c.Group != group {
			if group != "" {
				fmt.Fprintln(w)
			}
			group = c.Group
			fmt.Fprintln(w, group)
		}
		glyph := map[DoctorStatus]string{DoctorOK: "✓", DoctorWarn: "!", DoctorFail: "✗", DoctorSkip: "–"}[c.Status]
		line := fmt.Sprintf("  %s %s", glyph, c.Name)
		if c.Detail != "" {
			line += ": " + c.Detail
		}
		fmt.Fprintln(w, line)
		if c.Status == DoctorFail || c.Status == DoctorWarn {
			if c.Fix != "" {
				fmt.Fprintf(w, "      fix: %s\n", c.Fix)
			}
			if c.Command != "" {
				fmt.Fprintf(w, "      run: %s\n", c.Command)
			}
		}
		switch c.Status {
		case DoctorFail:
			problems++
		case DoctorWarn:
			warnings++
		}
	}
	fmt.Fprintln(w)
	switch {
	case problems > 0:
		fmt.Fprintf(w, "%s found; fix them from the top: later checks depend on earlier ones.\n",
			connect.CountNoun(problems, "problem"))
	case warnings > 0:
		fmt.Fprintf(w, "No problems; %s to look at.\n", connect.CountNoun(warnings, "warning"))
	default:
		fmt.Fprintln(w, "No problems found.")
	}
}
