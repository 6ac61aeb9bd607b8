// Command jcconnect connects a JumpCloud organisation for compliance evidence collection: it sets
// up a Read Only API key (verified live, stored in the OS keyring), rotates it, and browses and
// exports device and user compliance evidence.
//
// This file is flags, commands and wiring only; the work is in ui, evidence, store and jumpcloud.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"jcconnect/connect"
	"jcconnect/demo"
	"jcconnect/evidence"
	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
	"jcconnect/ui/browser"
	"jcconnect/ui/home"
	"jcconnect/ui/rotate"
	"jcconnect/ui/wizard"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	jumpcloud.Version = version // the User-Agent names the program and its version
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// exitError carries an exit code out of a cobra RunE.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()

	var g globals
	env := newEnv(stdin, stdout, stderr)

	// prepare turns the global flags into env before any command runs. Commands that need no
	// store (sandbox) skip it.
	var cleanup []func()
	defer func() {
		for _, f := range cleanup {
			f()
		}
	}()
	prepare := func() error {
		c, err := g.apply(env, stdin, stdout)
		cleanup = append(cleanup, c...)
		if err == nil {
			home.WarnExposures(env)
		}
		return err
	}
	code := func(c int) error {
		if c == 0 {
			return nil
		}
		return exitError{c}
	}
	withEnv := func(f func() int) func(*cobra.Command, []string) error {
		return func(*cobra.Command, []string) error {
			if err := prepare(); err != nil {
				return err
			}
			return code(f())
		}
	}

	root := rootCmd(withEnv(func() int { return home.RunHome(ctx, env) }))
	g.register(root)

	c := &cli{ctx: ctx, env: env, withEnv: withEnv, stdout: stdout}
	root.AddCommand(c.setupCmd(), c.rotateCmd(), c.statusCmd(), c.devicesCmd(), c.evidenceCmd(), c.logoutCmd(), c.doctorCmd(), c.sandboxCmd(), c.profileCmd())
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)

	err := root.ExecuteContext(ctx)
	var ee exitError
	switch {
	case err == nil:
		return connect.ExitOK
	case errors.As(err, &ee):
		return ee.code
	default:
		fmt.Fprintln(stderr, "jcconnect:", err)
		return connect.ExitUsage
	}
}

// newEnv is the environment every command gets before its flags are applied: the streams, the
// clock, the client (with JCCONNECT_HTTP_TIMEOUT) and the one demo starter.
func newEnv(stdin io.Reader, stdout, stderr io.Writer) *connect.Env {
	env := &connect.Env{In: stdin, Out: stdout, Err: stderr, Getenv: os.Getenv, Now: time.Now,
		NewClient: jumpcloud.New, StartDemo: demo.Start, Recent: &connect.RecentSnapshots{}}
	if d, ok := httpTimeout(os.Getenv(envHTTPTimeout)); ok {
		env.NewClient = func(cfg jumpcloud.Config) (*jumpcloud.Client, error) {
			cfg.Timeout = d
			return jumpcloud.New(cfg)
		}
	} else if os.Getenv(envHTTPTimeout) != "" {
		fmt.Fprintf(stderr, "warning: %s=%q is not a duration between 100ms and 10m (such as 10s); the default 30s is used.\n",
			envHTTPTimeout, os.Getenv(envHTTPTimeout))
	}
	return env
}

// rootCmd is `jcconnect` with no command; runE runs the wizard or the home screen.
func rootCmd(runE func(*cobra.Command, []string) error) *cobra.Command {
	return &cobra.Command{
		Use:   "jcconnect",
		Short: "Connect a JumpCloud organisation for compliance evidence collection",
		Long: `jcconnect sets up a Read Only JumpCloud API key for evidence collection: it walks you
through creating a Read Only administrator, verifies the key live, stores it in the OS keyring,
and previews, browses and exports device and user compliance evidence.

Run it with no command: the setup wizard when nothing is stored yet, the home screen otherwise.
Try it without an account: jcconnect --demo

Environment:
  JUMPCLOUD_API_KEY, JUMPCLOUD_ORG_ID  a key to use instead of the stored one (headless, CI)
  JUMPCLOUD_CLIENT_ID, JUMPCLOUD_CLIENT_SECRET
                                       a service account to use instead (with --base-url, add --token-url)
  JCCONNECT_KEYRING_TIMEOUT            one deadline for a command's keyring work (default 5s reads, 20s writes)
  JCCONNECT_HTTP_TIMEOUT               the deadline of each request to JumpCloud (default 30s)
  NO_COLOR, ACCESSIBLE                 plain colours; line-by-line prompts

A collection (devices, evidence export) or the wizard stopped by Ctrl-C, SIGTERM or SIGHUP exits 130.`,
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		RunE:          runE,
	}
}

// cli builds the commands: each gets the context, the environment the global flags fill in
// before it runs (withEnv), and stdout for the sandbox, which needs no environment.
type cli struct {
	ctx     context.Context
	env     *connect.Env
	withEnv func(func() int) func(*cobra.Command, []string) error
	stdout  io.Writer
}

func (c *cli) setupCmd() *cobra.Command {
	var setup wizard.SetupFlags
	setupCmd := &cobra.Command{
		Use:   "setup",
		Short: "Set up the integration: create a Read Only admin, verify its key, store it",
		Long: `The setup wizard. With --with-key the key is read from standard input (never from a flag,
which would land in shell history and ps), verified live and stored without the TUI:

  jcconnect setup --with-key --region eu < key.txt

A key that is not Read Only is refused there (exit 3, nothing stored) unless --allow-privileged
is given; the wizard asks instead.

Without --profile, setup writes the profile every other command uses without --profile (the one
"jcconnect profile list" marks), or "default" when none is stored yet; replacing that profile's
key is said before it is saved. Give --profile NAME to connect another organisation beside it.

With --accessible the wizard is plain line-by-line prompts for a screen reader, offering both ways:
a service account (its Client ID shown, its client secret hidden) or an administrator's API key
(hidden).

` + setupTroubleshooting,
		Args: cobra.NoArgs,
		RunE: c.withEnv(func() int { return wizard.RunSetup(c.ctx, c.env, setup) }),
	}
	setupCmd.Flags().BoolVar(&setup.WithKey, "with-key", false, "read the API key from stdin and run without the TUI")
	setupCmd.Flags().StringSliceVar(&setup.Integrations, "integrations", nil, "integrations to connect: endpoint, sso (default both)")
	addServiceAccountSetupFlags(setupCmd, &setup)
	setupCmd.Long += "\n\n" + exitCodesHelp(ec(connect.ExitOK, "the key was verified and stored"),
		ec(connect.ExitFailure, "any other failure (nothing stored, or the wizard was left without saving)"),
		ec(connect.ExitUsage, "bad flags or input (an unusable key, --profile, --base-url or --org-id)"),
		ec(connect.ExitInvalidKey, "the key was refused (invalid, revoked, expired), is forbidden, or is not\nRead Only and --allow-privileged was not given; nothing was stored"),
		ec(connect.ExitKeyring, "the keyring could not be used; nothing was stored"),
		ec(connect.ExitNetwork), ec(connect.ExitInterrupted, "the wizard was quit with Ctrl-C"))
	return setupCmd
}

func (c *cli) rotateCmd() *cobra.Command {
	var rotateFlags rotate.RotateFlags
	rotateCmd := &cobra.Command{
		Use:   "rotate",
		Short: "Replace the stored key with a new one, verified before the swap",
		Args:  cobra.NoArgs,
		RunE:  c.withEnv(func() int { return rotate.RunRotate(c.ctx, c.env, rotateFlags) }),
	}
	rotateCmd.Flags().BoolVar(&rotateFlags.WithKey, "with-key", false, "read the new API key from stdin and run without the TUI")
	rotateCmd.Flags().BoolVar(&rotateFlags.AcceptChanges, "accept-changes", false, "with --with-key: store a key whose owner or role differs from the stored one")
	rotateCmd.Flags().BoolVar(&rotateFlags.AllowPrivileged, "allow-privileged", false, "with --with-key or --with-secret: store a credential that is not Read Only (refused otherwise)")
	addServiceAccountRotateFlags(rotateCmd, &rotateFlags)
	rotateCmd.Long += "\n\n" + exitCodesHelp(ec(connect.ExitOK, "the new key is stored"),
		ec(connect.ExitFailure, "any other failure, or a change was declined: the old key is still stored"),
		ec(connect.ExitUsage, "bad flags or input, or --with-key met a change of owner or role without\n--accept-changes: nothing was changed"),
		ec(connect.ExitInvalidKey, "the new key was refused or is forbidden, or is not Read Only and\n--allow-privileged was not given: the old key is still stored"),
		ec(connect.ExitNoProfile), ec(connect.ExitKeyring), ec(connect.ExitNetwork))
	return rotateCmd
}

func (c *cli) statusCmd() *cobra.Command {
	var statusJSON bool
	statusCmd := &cobra.Command{
		Use:   "status",
		Short: "Show the stored connection and check the key live",
		Long: `Shows each profile (or --profile): where the key comes from, the masked key, organisation,
region, owner and role, expiry and last verification, then checks the key live. With --demo and
nothing set up, it checks the demo organisation's Read Only key.

` + exitCodesHelp(ec(connect.ExitOK, "every key checked is valid"),
			ec(connect.ExitUsage, "the key no longer sees the profile's organisation, or a flag was refused (e.g. --base-url)"),
			ec(connect.ExitInvalidKey), ec(connect.ExitNoProfile), ec(connect.ExitKeyring), ec(connect.ExitNetwork), ec(connect.ExitFailure)),
		Args: cobra.NoArgs,
		RunE: c.withEnv(func() int { return home.RunStatus(c.ctx, c.env, statusJSON) }),
	}
	statusCmd.Flags().BoolVar(&statusJSON, "json", false, "machine-readable output")
	return statusCmd
}

func (c *cli) devicesCmd() *cobra.Command {
	var devices browser.DevicesFlags
	var devicesPartial bool
	devicesCmd := &cobra.Command{
		Use:   "devices",
		Short: "Browse device compliance (a table on a TTY; JSON or CSV otherwise)",
		Long: `The compliance browser on a terminal; without one, or with --json/--csv, one row per device
(or user, with --users) on stdout and what could not be read on stderr. On a terminal the
table is drawn as soon as the devices are in, and the policies' statuses and the users follow
in the background: the cells waiting for them (an owner's name too) show … until they arrive
(quitting before is exit 7). e exports the auditor's bundle (reading every policy status
first); esc, q or Ctrl-C while it runs cancels it and leaves the folder as it was.

` + evidenceExitCodes,
		Args: cobra.NoArgs,
		RunE: c.withEnv(func() int { c.env.AllowPartial = devicesPartial; return browser.RunDevices(c.ctx, c.env, devices) }),
	}
	devicesCmd.Flags().BoolVar(&devices.JSON, "json", false, "one JSON object per device")
	devicesCmd.Flags().BoolVar(&devices.CSV, "csv", false, "CSV with stable column names")
	devicesCmd.Flags().BoolVar(&devices.Users, "users", false, "users and MFA instead of devices")
	devicesCmd.Flags().BoolVar(&devicesPartial, "allow-partial", false, "exit 0 even when some evidence could not be read in full")
	return devicesCmd
}

func (c *cli) evidenceCmd() *cobra.Command {
	var outDir string
	var exportPartial bool
	evidenceCmd := &cobra.Command{Use: "evidence", Short: "Evidence for auditors"}
	exportCmd := &cobra.Command{
		Use:   "export",
		Short: "Collect evidence and write an auditor's bundle (folder and zip)",
		Long: `Collects every chosen source and writes an auditor's bundle (a folder and its zip, private to
you: 0700/0600) in --out, which is created if missing and checked before anything is collected.
While it collects, the raw sources are written to a hidden .jcconnect-export-* folder in --out
(so memory does not grow with them; --out needs room for them twice), removed when the export
ends, fails or is canceled. Ctrl-C, SIGTERM or SIGHUP stops the export at once, also while it writes
the bundle, and leaves --out as it was (exit 130). When some evidence could not be read in full, summary.md opens with INCOMPLETE EVIDENCE and
manifest.json and raw/collection.json carry "evidence": {"complete": false, "gaps": [...]}.
The folder and zip are printed as absolute paths. On the home screen (jcconnect, then e) the
export runs inside the TUI: it asks for the folder (your Documents folder, else your home;
never the working folder), shows its progress by pages, and ends on the paths, whether the
bundle is complete, and o to open the folder; esc or Ctrl-C while it runs cancels it and
leaves nothing behind.

` + evidenceExitCodes,
		Args: cobra.NoArgs,
		RunE: c.withEnv(func() int { c.env.AllowPartial = exportPartial; return browser.RunExport(c.ctx, c.env, outDir) }),
	}
	exportCmd.Flags().StringVar(&outDir, "out", ".", "folder in which to create the bundle (created 0700 if missing)")
	exportCmd.Flags().BoolVar(&exportPartial, "allow-partial", false, "exit 0 even when some evidence could not be read in full (the bundle stays marked INCOMPLETE)")
	var check browser.CheckFlags
	checkCmd := &cobra.Command{
		Use:   "check",
		Short: "A compliance gate for CI and cron: collect, check, and exit non-zero when a gate fails",
		Long: fmt.Sprintf(`Collects the evidence, runs every check (or those of --only) and judges it:
a check fails its gate when any device, user or setting fails it (--fail-on failing, the default),
also when any is unknown (--fail-on unknown), or, for a check given --min-pass-rate, when its pass
rate (passes over decided results) is below the rate.

  jcconnect evidence check --only disk_encryption,screen_lock --min-pass-rate disk_encryption=95%%

%s

Checks, their severity and the SOC 2 / ISO 27001:2022 controls they are evidence for:
%s`, exitCodesHelp(ec(connect.ExitOK, "every gate holds and the evidence is complete"),
			ec(connect.ExitGate, "a gate failed (the output names the check and the first devices or users failing it)"),
			ec(connect.ExitPartial, "no gate failed, but evidence a selected check needs could not be read (partial evidence)"),
			ec(connect.ExitUsage, "bad flags"), ec(connect.ExitInvalidKey, "the key was refused"), ec(connect.ExitNetwork, "JumpCloud could not be reached"),
			ec(connect.ExitNoProfile, "nothing is set up")),
			evidence.ControlsHelp()),
		Args: cobra.NoArgs,
		RunE: c.withEnv(func() int { return browser.RunCheck(c.ctx, c.env, check) }),
	}
	checkCmd.Flags().StringVar(&check.FailOn, "fail-on", "failing", "what fails a gate: failing, or unknown (failing, or without enough evidence to pass or fail)")
	checkCmd.Flags().StringSliceVar(&check.MinPassRate, "min-pass-rate", nil, "judge a check by its pass rate instead, e.g. disk_encryption=95%")
	checkCmd.Flags().StringSliceVar(&check.Only, "only", nil, "only these checks, e.g. disk_encryption,mfa_enrolled")
	checkCmd.Flags().StringVar(&check.Output, "output", "text", "text, json or csv")
	evidenceCmd.AddCommand(exportCmd, checkCmd)
	return evidenceCmd
}

func (c *cli) logoutCmd() *cobra.Command {
	var yes bool
	logoutCmd := &cobra.Command{
		Use:   "logout",
		Short: "Remove the stored key and profile (does not revoke the key in JumpCloud)",
		Long: `Removes the profile's key from the keyring and its metadata, then says how to revoke the key in
JumpCloud (removing it here does not revoke it there).

` + exitCodesHelp(ec(connect.ExitOK, "the key and the profile were removed"),
			ec(connect.ExitFailure, "any other failure, or the confirmation was declined: nothing was removed"),
			ec(connect.ExitUsage, "not on a terminal and no --yes: nothing was removed"),
			ec(connect.ExitNoProfile), ec(connect.ExitKeyring, "the keyring could not be used (the output says what is left)")),
		Args: cobra.NoArgs,
		RunE: c.withEnv(func() int { return home.RunLogout(c.ctx, c.env, yes) }),
	}
	logoutCmd.Flags().BoolVar(&yes, "yes", false, "do not ask for confirmation")
	return logoutCmd
}

// profileCmd is `profile list|use NAME`: which profile a command without --profile uses.
func (c *cli) profileCmd() *cobra.Command {
	profileCmd := &cobra.Command{
		Use:   "profile",
		Short: "List the stored profiles, or choose the one used without --profile",
		Args:  cobra.NoArgs,
	}
	profileCmd.AddCommand(&cobra.Command{
		Use:   "list",
		Short: "List the stored profiles; * marks the one used without --profile",
		Args:  cobra.NoArgs,
		RunE:  c.withEnv(func() int { return home.RunProfileList(c.env) }),
	}, &cobra.Command{
		Use:   "use NAME",
		Short: "Make NAME the profile every command uses without --profile",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.withEnv(func() int { return home.RunProfileUse(c.env, args[0]) })(cmd, args)
		},
	}, &cobra.Command{
		Use:   "servers [ITEM...|none]",
		Short: "Show or set which devices of the profile are servers, whose screen lock does not apply",
		Long: `Servers (bastion, database, build hosts) have no one at their screen, so the screen-lock check is
"not applicable" for them, with the reason, in the browser, the CSV and the summary. Mark them by
JumpCloud device group, hostname pattern or OS family:

  jcconnect profile servers group:Servers host:db-* os:linux
  jcconnect profile servers none

The setting is saved with the profile (--profile, else the default); --servers on any command
overrides it for that run. A device group that cannot be read (or does not exist) is partial
evidence (exit 7): its devices' screen lock is unknown, never judged as if they were not servers.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.withEnv(func() int { return home.RunProfileServers(c.env, args) })(cmd, args)
		},
	}, &cobra.Command{
		Use:   "rebuild [NAME...]",
		Short: "Record again the profiles of the keys in the keyring, after profiles.json was lost or damaged",
		Long: `A damaged profiles.json is moved aside (the message names where); the keys stay in the keyring.
This records their profiles again and checks each key live to learn its organisation, owner and
role. Without NAMEs it takes every key jcconnect stored in the keyring: the Secret Service (Linux,
BSD) can list them; on macOS and Windows jcconnect cannot, so give the names (the ones you gave
with --profile; a profile set up without one is "default"). Give --region eu or in for keys of
those regions. A service account's profile cannot be rebuilt: set it up again.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.withEnv(func() int { return home.RunProfileRebuild(c.ctx, c.env, args) })(cmd, args)
		},
	})
	return profileCmd
}

func (c *cli) doctorCmd() *cobra.Command {
	doctorCmd := &cobra.Command{
		Use:   "doctor",
		Short: "Diagnose the keyring and the connection to JumpCloud, with a fix for each problem",
		Long: `Checks the keyring, then the connection (the profile, its key, reaching the region's API, the key
accepted, its expiry), and prints a fix for each problem. Warnings do not fail.

` + exitCodesHelp(ec(connect.ExitOK, "nothing failed"),
			ec(connect.ExitFailure, "another check failed"),
			ec(connect.ExitUsage, "a flag or the profile's organisation is wrong"),
			ec(connect.ExitInvalidKey), ec(connect.ExitNoProfile), ec(connect.ExitKeyring), ec(connect.ExitNetwork)) + `

The code is that of the first failed check: fix the problems from the top.`,
		Args: cobra.NoArgs,
		RunE: c.withEnv(func() int { return home.RunDoctor(c.ctx, c.env) }),
	}
	return doctorCmd
}

func (c *cli) sandboxCmd() *cobra.Command {
	var sb jctest.Options
	var sbAddr string
	sandboxCmd := &cobra.Command{
		Use:   "sandbox",
		Short: "Serve a synthetic JumpCloud-compatible organisation on loopback, for trying things",
		Long: `Serves a generated organisation over the JumpCloud API until interrupted, and prints its base
URL and keys. Point any command at it:

  jcconnect sandbox --addr 127.0.0.1:8085 &
  jcconnect status --base-url http://127.0.0.1:8085

As a benchmark rig: size the organisation (--devices, --users, --policies), delay every answer
(--latency 20ms), answer 429 to every Nth request (--rate-limit N), and read the traffic a
command caused at GET /__stats (requests per route, the most in flight at once, 429s answered);
the same line is printed when the sandbox stops. Each page of devices, users, policies, statuses
and System Insights is encoded the first time it is asked for and its bytes replayed after, so a
repeated run costs the sandbox little CPU. scripts/perf.sh in the source repository runs the
built program against it and reproduces every figure of "Performance" in the README.`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return jctest.RunSandbox(c.ctx, c.stdout, sbAddr, sb)
		},
	}
	sandboxCmd.Flags().StringVar(&sbAddr, "addr", "127.0.0.1:0", "loopback address to listen on")
	sandboxCmd.Flags().IntVar(&sb.Devices, "devices", 200, "number of devices to generate")
	sandboxCmd.Flags().Int64Var(&sb.Seed, "seed", 1, "generator seed (same seed, same organisation)")
	sandboxCmd.Flags().IntVar(&sb.Users, "users", 0, "number of users to generate (default devices/5+10)")
	sandboxCmd.Flags().IntVar(&sb.Policies, "policies", 0, "number of policies to generate (default 8)")
	sandboxCmd.Flags().DurationVar(&sb.Latency, "latency", 0, "delay before every answer, e.g. 20ms (a round trip to JumpCloud)")
	sandboxCmd.Flags().IntVar(&sb.RateLimitEvery, "rate-limit", 0, "answer 429 to every Nth request (deterministic: the same requests on any machine); 0: never")
	sandboxCmd.Flags().StringVar(&sb.RetryAfter, "retry-after", "1", "the Retry-After header (seconds) sent with --rate-limit's 429s; \"\" for none")
	return sandboxCmd
}

// evidenceExitCodes documents the exit codes of the evidence commands.
var evidenceExitCodes = exitCodesHelp(ec(connect.ExitOK, "every chosen source was read in full"),
	ec(connect.ExitFailure, "any other failure (e.g. the export's --out folder cannot take a bundle)"),
	ec(connect.ExitUsage, "bad flags"), ec(connect.ExitInvalidKey, "the key was refused (invalid, revoked, expired)"),
	ec(connect.ExitNoProfile), ec(connect.ExitKeyring), ec(connect.ExitNetwork, "JumpCloud could not be reached"),
	ec(connect.ExitPartial, `partial evidence: a source failed or ended before JumpCloud's total; stderr names them and
the output is marked INCOMPLETE (--allow-partial exits 0 instead, with the same marks).
Also when the device (or user) list itself could not be read, and nothing is printed, or
when no source at all could be read, and no bundle is written: --allow-partial does not
change these two.`),
	ec(connect.ExitInterrupted, "the collection was stopped by Ctrl-C, SIGTERM or SIGHUP"))
