// The global flags and what they set in the environment every command gets.

package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"

	"jcconnect/connect"
	"jcconnect/evidence"
	"jcconnect/jumpcloud"
	"jcconnect/store"
)

// globals are the flags every command takes.
type globals struct {
	region, baseURL, orgID, profile string
	demo, accessible                bool
	staleDays, minPasswordLength    int
	minOS                           map[string]string
	maxLockSeconds, insightsMaxAge  int
	lockPassword                    bool
	tokenURL                        string
	servers                         []string
}

func (g *globals) register(root *cobra.Command) {
	f := root.PersistentFlags()
	f.StringVar(&g.region, "region", "", "JumpCloud region: us, eu or in")
	f.StringVar(&g.baseURL, "base-url", "", "API base URL (http only on loopback, e.g. a sandbox)")
	f.StringVar(&g.tokenURL, "token-url", "", "a service account's token endpoint, when not its region's (https; http only on loopback, e.g. a sandbox's URL/oauth2/token)")
	f.StringVar(&g.orgID, "org-id", "", "organisation id, for multi-tenant keys")
	f.StringVar(&g.profile, "profile", "", "profile name (default: the default profile)")
	f.BoolVar(&g.demo, "demo", false, "use the built-in demo organisation (no account needed)")
	f.BoolVar(&g.accessible, "accessible", false, "plain line-by-line prompts, for screen readers")
	f.IntVar(&g.staleDays, "stale-days", 0, "days without check-in before a device counts as stale (default 30)")
	f.StringToStringVar(&g.minOS, "min-os", nil, "minimum OS version per family, e.g. darwin=14.0,windows=10.0.19045,linux=22.04, instead of the built-in end-of-support table (dated "+evidence.OSSupport().AsOf+")")
	f.IntVar(&g.maxLockSeconds, "max-lock-seconds", 0, "longest idle time before the screen locks (default 900)")
	f.BoolVar(&g.lockPassword, "lock-password-required", true, "a screen lock passes only when it asks for a password")
	f.IntVar(&g.insightsMaxAge, "insights-max-age-days", 0, "System Insights rows older than this are not evidence (default 7)")
	f.IntVar(&g.minPasswordLength, "min-password-length", 0, "shortest password length the org's policy must require (default 12)")
	f.StringSliceVar(&g.servers, "servers", nil, "devices that are servers, whose screen lock does not apply: group:NAME (a JumpCloud device group), host:PATTERN (e.g. host:db-*), os:linux; default: the profile's setting (jcconnect profile servers)")
}

// thresholds checks the threshold flags and returns them (zero fields: the defaults).
func (g *globals) thresholds() (evidence.Thresholds, error) {
	var t evidence.Thresholds
	if g.staleDays < 0 || g.minPasswordLength < 0 || g.maxLockSeconds < 0 || g.insightsMaxAge < 0 {
		return t, errors.New("--stale-days, --min-password-length, --max-lock-seconds and --insights-max-age-days must be positive")
	}
	t.StaleDays, t.MinPasswordLength = g.staleDays, g.minPasswordLength
	t.MaxLockSeconds, t.InsightsMaxAgeDays, t.LockPasswordOptional = g.maxLockSeconds, g.insightsMaxAge, !g.lockPassword
	for family, v := range g.minOS {
		family = strings.ToLower(strings.TrimSpace(family))
		switch family {
		case "darwin", "windows", "linux", "ios", "ipados", "android":
		default:
			return t, fmt.Errorf("--min-os: unknown OS family %q: use darwin, windows, linux, ios, ipados or android", family)
		}
		if !dottedVersion.MatchString(strings.TrimSpace(v)) {
			return t, fmt.Errorf("--min-os: %s=%q is not a version like 14.0 or 10.0.19045", family, v)
		}
		if t.MinOSVersion == nil {
			t.MinOSVersion = map[string]string{}
		}
		t.MinOSVersion[family] = strings.TrimSpace(v)
	}
	return t, nil
}

// apply fills env from the flags and the environment: the region, the store (a memory keyring
// for the demo), the demo sandbox. It returns what to clean up at exit.
func (g *globals) apply(env *connect.Env, stdin io.Reader, stdout io.Writer) ([]func(), error) {
	var cleanup []func()
	env.Region = strings.ToLower(strings.TrimSpace(g.region))
	switch env.Region {
	case "", "us", "eu", "in":
	default:
		return nil, fmt.Errorf("unknown region %q: use us, eu or in", g.region)
	}
	env.BaseURL, env.OrgID, env.Profile = g.baseURL, g.orgID, g.profile
	if strings.TrimSpace(g.tokenURL) != "" {
		// Checked here, not only when a service account's client is built: a client secret must
		// never be offered to an http or userinfo URL, whatever the command.
		u, err := jumpcloud.CheckTokenURL(g.tokenURL)
		if err != nil {
			return nil, fmt.Errorf("--token-url: %w", err)
		}
		env.TokenURL = u
	}
	if g.profile != "" {
		// Refused before anything runs: a setup would otherwise verify the key and only then
		// find it cannot store it under this name.
		if err := store.CheckProfileName(g.profile); err != nil {
			return nil, fmt.Errorf("--profile: %w", err)
		}
	}
	th, err := g.thresholds()
	if err != nil {
		return nil, err
	}
	env.Thresholds = th
	if g.servers != nil {
		if _, err := evidence.ParseServerRules(g.servers); err != nil {
			return nil, fmt.Errorf("--servers: %w", err)
		}
		env.Servers = g.servers
	}
	env.Accessible = g.accessible || isTruthy(os.Getenv("ACCESSIBLE"))
	env.NoColor = os.Getenv("NO_COLOR") != ""
	env.IsTTY = isTerminal(stdin) && isTerminal(stdout)

	if g.demo {
		// The demo never touches the real keyring or config: keys stay in memory, profiles in
		// a temporary folder removed at exit.
		d, err := env.StartDemo()
		if err != nil {
			return cleanup, err
		}
		cleanup = append(cleanup, d.Close)
		env.BaseURL, env.Demo, env.Store, env.Getenv = d.Demo.BaseURL, d.Demo, d.Store, d.Getenv
		return cleanup, nil
	}
	st, err := store.Open(store.Options{Getenv: os.Getenv})
	if err != nil {
		return cleanup, err
	}
	env.Store = st
	return cleanup, nil
}

func httpTimeout(raw string) (time.Duration, bool) {
	d, err := time.ParseDuration(strings.TrimSpace(raw))
	return d, err == nil && d >= 100*time.Millisecond && d <= 10*time.Minute
}

func isTerminal(v any) bool {
	f, ok := v.(interface{ Fd() uintptr })
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

func isTruthy(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

var dottedVersion = regexp.MustCompile(`^[0-9]+(\.[0-9]+)*$`)

// envHTTPTimeout sets the deadline of each request to JumpCloud (default 30s): longer for a slow
// proxy, shorter for a cron job or the fault matrix that must not wait.
const envHTTPTimeout = "JCCONNECT_HTTP_TIMEOUT"
