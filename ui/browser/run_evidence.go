package browser

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/connect"
	"jcconnect/evidence"
	"jcconnect/jumpcloud"
	"jcconnect/store"
	"jcconnect/ui/common"
)

// DevicesFlags are `jcconnect devices`'s flags.
type DevicesFlags struct {
	JSON, CSV bool
	Users     bool // browse users and MFA instead of devices
}

// RunDevices is `jcconnect devices`: the browser on a TTY; without one, or with --json/--csv,
// the same rows as machine output (CSV by default) on stdout and any unread source on stderr.
func RunDevices(ctx context.Context, env *connect.Env, flags DevicesFlags) int {
	if flags.JSON && flags.CSV {
		fmt.Fprintln(env.Err, "jcconnect devices: choose one of --json and --csv.")
		return connect.ExitUsage
	}
	conn, code := evidenceConnection(ctx, env, "devices")
	if code != connect.ExitOK {
		return code
	}
	integ := IntegrationsOf(conn)
	if flags.Users && !integ.SSO {
		fmt.Fprintln(env.Err, "jcconnect devices --users: this profile does not collect users (SSO is not connected).")
		fmt.Fprintln(env.Err, "Run: jcconnect setup --integrations endpoint,sso")
		return connect.ExitUsage
	}
	machine := flags.JSON || flags.CSV || !env.IsTTY || env.Accessible
	if !flags.Users && !integ.Endpoint && machine {
		// A script asked for device rows: users in their place would be a confident wrong answer.
		fmt.Fprintln(env.Err, "jcconnect devices: this profile does not collect devices (Endpoint Management is not connected).")
		fmt.Fprintln(env.Err, "Run: jcconnect setup --integrations endpoint,sso   (or ask for users: jcconnect devices --users)")
		return connect.ExitUsage
	}
	if !flags.Users && !integ.Endpoint {
		fmt.Fprintln(env.Err, "jcconnect devices: this profile does not collect devices (Endpoint Management is not connected); showing users.")
		flags.Users = true
	}
	if machine {
		conn.Client = conn.Client.WithNotice(waitNotice(env)) // the browser shows waits itself
	}
	collect := ChecksCollectorFor(env, conn)

	if flags.JSON || flags.CSV || !env.IsTTY {
		// The snapshot alone, not connect.Collect's whole report: rows are written as they are
		// evaluated (evidence.WriteRows), so no report is held.
		snap, err := connect.CollectSnapshot(ctx, env, collect, nil)
		if err != nil {
			return reportCollectError(env, conn, "devices", err)
		}
		if code, ok := listReadable(env, snap, flags.Users); !ok {
			return code
		}
		if err := evidence.WriteRows(env.Out, snap, env.CheckThresholds(), flags.Users, flags.JSON); err != nil {
			fmt.Fprintln(env.Err, "jcconnect devices: writing the output failed:", err)
			return connect.ExitFailure
		}
		writeProblems(env.Err, snap)
		return partialExit(env, "devices", snap)
	}

	if env.Accessible {
		// A screen reader gets sentences, one device per line, instead of a table of glyphs.
		fmt.Fprintln(env.Err, "Collecting evidence…")
		snap, rep, err := connect.Collect(ctx, env, collect, nil)
		if err != nil {
			return reportCollectError(env, conn, "devices", err)
		}
		if code, ok := listReadable(env, snap, flags.Users); !ok {
			return code
		}
		writePlainReport(env.Out, snap, rep, flags.Users)
		return partialExit(env, "devices", snap)
	}

	c := common.NewCommon(env)
	b := NewBrowser(c, BrowserOptions{Collect: collect, ExportCollect: CollectorFor(env, conn), Users: flags.Users,
		KeyFromEnvironment: conn.KeyFromEnvironment(), Context: ctx})
	_, err := tea.NewProgram(common.NewApp(c, b), tea.WithAltScreen(), tea.WithContext(ctx),
		tea.WithInput(env.In), tea.WithOutput(env.Out)).Run()
	b.StopCollecting() // quit while the statuses were still being read: b.snap says so (a gap)
	b.StopExport()     // ended by a signal mid-export: what it had begun is removed before exit
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		fmt.Fprintln(env.Err, "jcconnect devices:", err)
		return connect.ExitFailure
	}
	if b.collectErr != nil && b.snap == nil {
		return reportCollectError(env, conn, "devices", b.collectErr)
	}
	if b.snap != nil {
		// The browser showed the gaps on its screen, which is gone now: the shell, a script
		// around it and the exit code must say the evidence was partial too.
		return partialExit(env, "devices", b.snap)
	}
	return connect.ExitOK
}

// listReadable refuses to print a fleet when its list could not be read at all: an empty CSV or
// JSON would read as "no devices". It says why on stderr and returns connect.ExitPartial.
func listReadable(env *connect.Env, snap *evidence.Snapshot, users bool) (int, bool) {
	src := string(jumpcloud.SourceDevices)
	if users {
		src = string(jumpcloud.SourceUsers)
	}
	if !snap.Unread(src) {
		return connect.ExitOK, true
	}
	st := snap.Status(src)
	fmt.Fprintf(env.Err, "jcconnect devices: the %s list could not be read, so nothing is printed: %s\n", src, connect.Clean(st.Describe()))
	writeProblems(env.Err, snap)
	return connect.ExitPartial, false
}

// partialExit is the exit code of an evidence command: connect.ExitPartial when the snapshot has gaps
// (named on stderr), unless --allow-partial; connect.ExitOK otherwise.
func partialExit(env *connect.Env, cmd string, snap *evidence.Snapshot) int {
	gaps := snap.GapNames()
	if len(gaps) == 0 {
		return connect.ExitOK
	}
	fmt.Fprintf(env.Err, "jcconnect %s: INCOMPLETE evidence: not read in full: %s\n", cmd, connect.Clean(strings.Join(gaps, ", ")))
	if connect.ExitFor(env, snap) == connect.ExitOK {
		fmt.Fprintln(env.Err, "(--allow-partial: exiting 0; the output is marked INCOMPLETE)")
		return connect.ExitOK
	}
	fmt.Fprintf(env.Err, "Exit %d: partial evidence. Run it again, or pass --allow-partial to accept it.\n", connect.ExitPartial)
	return connect.ExitPartial
}

// writePlainReport is the browser's content as sentences (--accessible): one line per device or
// user with its overall status and the reason of every failed or undecided check.
func writePlainReport(w io.Writer, snap *evidence.Snapshot, rep *evidence.Report, users bool) {
	fmt.Fprintf(w, "%s, collected %s. %s.\n", connect.Clean(snap.OrgName), snap.CollectedAt.UTC().Format("2006-01-02 15:04 UTC"),
		rep.Thresholds.Describe())
	for _, p := range snap.Problems() {
		fmt.Fprintf(w, "Not read: %s, %s.\n", p.Source, connect.Clean(p.Describe()))
	}
	line := func(name, what string, overall evidence.Status, results []evidence.Result) {
		var notes []string
		for _, r := range results {
			if r.Status == evidence.Fail || r.Status == evidence.Unknown {
				notes = append(notes, fmt.Sprintf("%s %s: %s", r.Check, r.Status, connect.Clean(r.Reason)))
			}
		}
		text := fmt.Sprintf("%s%s: %s", connect.Clean(name), what, statusWord(overall))
		if len(notes) > 0 {
			text += ". " + strings.Join(notes, "; ")
		}
		fmt.Fprintln(w, text+".")
	}
	if users {
		fmt.Fprintf(w, "%d users.\n", len(rep.Users))
		for _, u := range rep.Users {
			line(u.Username, " ("+u.State+")", u.Overall, u.Results)
		}
		return
	}
	fmt.Fprintf(w, "%d devices.\n", len(rep.Devices))
	for _, d := range rep.Devices {
		line(d.Name, " ("+connect.Clean(strings.TrimSpace(d.OS+" "+d.OSVersion))+")", d.Overall, d.Results)
	}
}

// writeProblems lists on stderr what could not be read, so a script's log says why a column is
// "unknown".
func writeProblems(w io.Writer, snap *evidence.Snapshot) {
	for _, p := range snap.Problems() {
		fmt.Fprintf(w, "note: %s: %s\n", p.Source, connect.Clean(p.Describe()))
	}
}

// RunExport is `jcconnect evidence export [--out DIR]`: the connect.Export use case, with its
// progress as one line per finished source on stderr and the bundle's place and completeness
// on stdout.
func RunExport(ctx context.Context, env *connect.Env, outDir string) int {
	// Before any request: a folder that cannot take the bundle would waste the whole collection.
	if err := evidence.PrepareOutDir(outDir); err != nil {
		fmt.Fprintln(env.Err, "jcconnect evidence export:", connect.Clean(err.Error()))
		return connect.ExitFailure
	}
	conn, code := evidenceConnection(ctx, env, "evidence export")
	if code != connect.ExitOK {
		return code
	}
	conn.Client = conn.Client.WithNotice(waitNotice(env))
	where := connect.Clean(conn.Where())
	if env.Demo != nil && conn.BaseURL == env.Demo.BaseURL {
		where = "the demo organisation" // its loopback address is an internal detail
	}
	fmt.Fprintf(env.Err, "Collecting evidence from %s (key %s)…\n", where, conn.Masked)
	out, err := connect.Export(ctx, env, connect.ExportRequest{OutDir: outDir, Collect: CollectorFor(env, conn),
		OnProgress: func(ev evidence.ProgressEvent) {
			if ev.Done {
				fmt.Fprintf(env.Err, "  %-42s %s\n", ev.Source, doneText(ev))
			}
		}})
	var none *connect.NothingReadError
	switch {
	case errors.As(err, &none):
		fmt.Fprintln(env.Err, "jcconnect evidence export: no source could be read, so no bundle was written:")
		writeProblems(env.Err, none.Snapshot)
		return connect.ExitPartial
	case errors.Is(err, context.Canceled):
		fmt.Fprintf(env.Err, "jcconnect evidence export: interrupted; %s.\n", canceledWhat(err))
		return connect.ExitInterrupted
	case errors.As(err, new(*connect.BundleWriteError)):
		fmt.Fprintln(env.Err, "jcconnect evidence export:", connect.Clean(err.Error()))
		return connect.ExitFailure
	case err != nil:
		return reportCollectError(env, conn, "evidence export", err)
	}
	writeExportReport(env.Out, out)
	return partialExit(env, "evidence export", out.Snapshot)
}

// canceledWhat says what an interrupted export left: nothing, or a bundle removed; or, when its
// unfinished bundle could not be removed, the error that says where it is.
func canceledWhat(err error) string {
	var c *connect.ExportCanceledError
	switch {
	case !errors.As(err, &c):
		return connect.Clean(err.Error())
	case c.Removed != "":
		return "the bundle written meanwhile was removed"
	}
	return "nothing was written"
}

// writeExportReport says where the bundle is, what it holds and what could not be read.
func writeExportReport(w io.Writer, out connect.ExportOutcome) {
	snap, res := out.Snapshot, out.Result
	title := "Evidence bundle"
	if !out.Complete() {
		title = "INCOMPLETE evidence bundle"
	}
	org := snap.OrgName
	if org == "" {
		org = snap.OrgID + " (JumpCloud did not give its name)"
	}
	fmt.Fprintf(w, "%s for %s (collected %s, key fingerprint %s)\n", title, connect.Clean(org),
		snap.CollectedAt.UTC().Format("2006-01-02 15:04 UTC"), snap.KeyFingerprint)
	fmt.Fprintf(w, "  Folder  %s\n  Zip     %s\n  Files   %d, each listed with its SHA-256 in manifest.json\n",
		res.Dir, res.Zip, len(res.Manifest.Files)+1)
	fmt.Fprintf(w, "  Checks  %s\n", out.Thresholds.Describe())
	if probs := snap.Problems(); len(probs) > 0 {
		fmt.Fprintln(w, "  Not read (the summary says why):")
		for _, p := range probs {
			fmt.Fprintf(w, "    - %s: %s\n", p.Source, connect.Clean(p.Describe()))
		}
	}
}

// doneText says how a source ended, for the export's progress lines.
func doneText(ev evidence.ProgressEvent) string {
	switch ev.State {
	case evidence.StateOK:
		return fmt.Sprintf("%d read", ev.Items)
	case evidence.StateNotPermitted:
		return "not permitted for this role"
	case evidence.StateNotEnabled:
		return "not enabled for this organisation"
	case evidence.StateIncomplete:
		return fmt.Sprintf("INCOMPLETE: %d read, fewer than JumpCloud's total (reason below)", ev.Items)
	}
	return fmt.Sprintf("FAILED after %d items (reason below)", ev.Items)
}

// evidenceConnection builds the client for an evidence command. With --demo and nothing stored,
// it uses the demo's Read Only key, so `jcconnect devices --demo` works with no setup.
func evidenceConnection(ctx context.Context, env *connect.Env, cmd string) (connect.Connection, int) {
	conn, err := connect.EvidenceConnection(ctx, env)
	if err == nil {
		return conn, connect.ExitOK
	}
	fmt.Fprintf(env.Err, "jcconnect %s: %s\n", cmd, connect.Clean(err.Error()))
	switch {
	case errors.Is(err, store.ErrNoProfile) && store.HasOtherProfiles(err):
		fmt.Fprintln(env.Err, store.Fix(err))
	case errors.Is(err, store.ErrNoProfile):
		fmt.Fprintln(env.Err, "Nothing is set up yet. Run: jcconnect setup   (or try: jcconnect --demo)")
	default:
		if fix := store.Fix(err); fix != "" {
			fmt.Fprintln(env.Err, fix)
		}
	}
	return conn, connect.ExitCodeFor(err)
}

// reportCollectError explains a collection that stopped, with the next step.
func reportCollectError(env *connect.Env, conn connect.Connection, cmd string, err error) int {
	if errors.Is(err, context.Canceled) {
		// Ctrl-C, or SIGHUP/SIGTERM from a closing terminal or a cron timeout.
		fmt.Fprintf(env.Err, "jcconnect %s: interrupted; nothing was written.\n", cmd)
		return connect.ExitInterrupted
	}
	msg := connect.Clean(err.Error())
	var refused *evidence.KeyRefusedError
	if errors.As(err, &refused) && conn.KeyFromEnvironment() {
		// Rotation replaces the stored key, which JUMPCLOUD_API_KEY overrides: the fix is the variable.
		msg = strings.Replace(msg, connect.Clean(refused.Error()), connect.Clean(refused.Fact()), 1)
		fmt.Fprintf(env.Err, "jcconnect %s: %s\n", cmd, msg)
		fmt.Fprintln(env.Err, connect.RemedyFor(connect.StateInvalidKey, err, conn.Profile.Name, true, conn.Source).Why)
		return connect.ExitCodeFor(err)
	}
	if errors.As(err, &refused) {
		// Name the one cause (expired, revoked, another region) as status does, not every cause.
		if cred, kerr := env.Store.Key(context.Background(), conn.Profile.Name); kerr == nil {
			if cause, fix, ok := connect.ExplainRefused(context.Background(), env, conn, cred.Key, err); ok {
				fmt.Fprintf(env.Err, "jcconnect %s: collection stopped: the API key was refused while reading %s: %s.\n", cmd, refused.Source, connect.Clean(cause))
				fmt.Fprintln(env.Err, fix)
				if strings.Contains(fix, connect.RefusedKeyFix) {
					fmt.Fprintln(env.Err, "Then run: jcconnect rotate")
				}
				return connect.ExitCodeFor(err)
			}
		}
	}
	fmt.Fprintf(env.Err, "jcconnect %s: %s\n", cmd, msg)
	if errors.As(err, &refused) && !strings.Contains(msg, "jcconnect rotate") {
		fmt.Fprintln(env.Err, "Run: jcconnect rotate")
	}
	return connect.ExitCodeFor(err)
}
