package wizard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/connect"
	"jcconnect/store"
	"jcconnect/ui/common"
)

// SetupFlags are `jcconnect setup`'s own flags.
type SetupFlags struct {
	WithKey      bool     // read the key from stdin, no TUI
	Integrations []string // "endpoint", "sso"; empty = both

	// A service account instead of a key (run_serviceaccount.go): --service-account
	// --client-id ID --with-secret reads the client secret from stdin, no TUI.
	ServiceAccount, WithSecret bool
	ClientID                   string
	// AllowPrivileged (--allow-privileged) stores a key or a service account whose role is not
	// Read Only; without it --with-key and --with-secret refuse one (connect.RefusePrivileged).
	AllowPrivileged bool
}

// RunSetup runs the wizard (TUI, --accessible prompts, or --with-key) and returns an exit code.
func RunSetup(ctx context.Context, env *connect.Env, flags SetupFlags) int {
	integ, chosen, err := ParseIntegrations(flags.Integrations)
	if err != nil {
		fmt.Fprintln(env.Err, "jcconnect setup:", err)
		return connect.ExitUsage
	}
	switch {
	case flags.ServiceAccount || flags.WithSecret || flags.ClientID != "":
		if err := checkServiceAccountFlags(flags); err != nil {
			fmt.Fprintln(env.Err, "jcconnect setup:", err)
			return connect.ExitUsage
		}
		return runSetupWithSecret(ctx, env, flags, integ)
	case flags.WithKey:
		return runSetupWithKey(ctx, env, integ, flags.AllowPrivileged)
	case env.Accessible:
		return runSetupAccessible(ctx, env, integ, chosen)
	case !env.IsTTY:
		io.WriteString(env.Err, noTTYMessage)
		return connect.ExitUsage
	}
	return runSetupTUI(ctx, env, integ)
}

const noTTYMessage = `jcconnect setup needs a terminal for the wizard, and this is not one.
Without a terminal, pipe the key in instead (never put it on the command line):

  jcconnect setup --with-key --region us < key.txt
  pass show jumpcloud | jcconnect setup --with-key --region eu --integrations endpoint

For a screen reader, run: jcconnect setup --accessible
`

// ParseIntegrations turns --integrations values into the store's flags. chosen is false when
// the flag was not given (both, and the wizard still asks).
func ParseIntegrations(vals []string) (in store.Integrations, chosen bool, err error) {
	if len(vals) == 0 {
		return store.Integrations{EndpointManagement: true, SSO: true}, false, nil
	}
	for _, v := range vals {
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "endpoint", "endpoint-management", "devices":
			in.EndpointManagement = true
		case "sso":
			in.SSO = true
		case "both", "all":
			in.EndpointManagement, in.SSO = true, true
		default:
			return in, true, fmt.Errorf("unknown integration %q: use endpoint, sso or both", v)
		}
	}
	return in, true, nil
}

// runSetupTUI runs the wizard in the app's screen stack.
func runSetupTUI(ctx context.Context, env *connect.Env, integ store.Integrations) int {
	c := common.NewCommon(env)
	w := NewWizard(ctx, c, env)
	w.st.integrations = integ
	defer w.Close()
	p := tea.NewProgram(common.NewApp(c, w), tea.WithAltScreen(), tea.WithContext(ctx),
		tea.WithInput(env.In), tea.WithOutput(env.Out))
	final, err := p.Run()
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		fmt.Fprintln(env.Err, "jcconnect setup:", err)
		return connect.ExitFailure
	}
	code := setupOutcome(env, w.st)
	if app, ok := final.(common.App); (ok && app.Interrupted()) || ctx.Err() != nil {
		// ctrl+c means stop here: `jcconnect` must not go on to the home screen.
		return connect.ExitInterrupted
	}
	return code
}

// setupOutcome prints what the wizard left behind, once the screen is gone.
func setupOutcome(env *connect.Env, st *wizardState) int {
	if !st.saved || st.verified == nil {
		if st.keptInMemory() {
			// The demo keeps nothing between runs, and `jcconnect setup` (without --demo) would
			// start a real setup: point back to the demo itself.
			fmt.Fprintln(env.Out, "The demo ended before its setup finished; the demo keeps nothing. Run `jcconnect --demo` to try it again.")
			return connect.ExitFailure
		}
		fmt.Fprintln(env.Out, "Setup did not finish: nothing was stored. Run `jcconnect setup` again to continue.")
		return connect.ExitFailure
	}
	v := st.verified
	where := "stored in the OS keyring"
	if st.keptInMemory() {
		where = "kept in memory for the demo, now forgotten"
	}
	fmt.Fprintf(env.Out, "Connected %s (profile %q).\nKey %s: %s.\n",
		connect.Clean(v.Org.Name()), st.profileName, v.Masked(), where)
	return connect.ExitOK
}

// runSetupWithKey is `setup --with-key`: the key from stdin, steps 5 and 6 without the TUI.
func runSetupWithKey(ctx context.Context, env *connect.Env, integ store.Integrations, allowPrivileged bool) int {
	raw, err := common.ReadKeyWhole(ctx, env.In, env.Err, "Paste the API key and press enter (it is not shown):")
	if errors.Is(err, common.ErrCanceled) {
		fmt.Fprintln(env.Err, "jcconnect setup: canceled while waiting for the key on stdin; nothing was stored.")
		return connect.ExitFailure
	}
	if err != nil {
		fmt.Fprintln(env.Err, "jcconnect setup: could not read the key from stdin:", err)
		return connect.ExitUsage
	}
	k, err := connect.CheckKeyShape(raw)
	if err != nil {
		fmt.Fprintln(env.Err, "jcconnect setup: the input on stdin is not an API key:", err)
		return connect.ExitUsage
	}
	req := requestFromEnv(env, k, integ)
	fmt.Fprintf(env.Out, "Verifying %s against %s\n", store.Mask(k), req.Where())
	v, err := connect.VerifyKey(ctx, req, nil, func(r connect.CheckResult) { printCheck(env.Out, r) })
	if err != nil {
		fmt.Fprintln(env.Err, "jcconnect setup:", err)
		return connect.ExitCodeForChecks(v.Checks)
	}
	if !connect.RefusePrivileged(env.Err, v, allowPrivileged) {
		return connect.ExitPrivilegedRefused
	}
	name := env.Profile
	if name == "" {
		name = store.DefaultProfileName
	}
	if old, ok := connect.KeyToReplace(env.Store, name, k); ok {
		fmt.Fprintln(env.Out, connect.ReplaceNotice(name, old))
	}
	if err := env.Store.Save(ctx, v.Profile(name), k); err != nil {
		printSaveFailure(ctx, env.Err, env.Store, err)
		return connect.ExitKeyring
	}
	where := "in the OS keyring"
	if env.Demo != nil {
		where = "in memory (demo: forgotten at exit)"
	}
	fmt.Fprintf(env.Out, "Saved: %s (%s), key %s %s, profile %q.\n", connect.Clean(v.Org.Name()), connect.Clean(v.Org.ID),
		v.Masked(), where, name)
	return connect.ExitOK
}

// requestFromEnv builds the verification request from the global flags (and the demo).
func requestFromEnv(env *connect.Env, k string, integ store.Integrations) connect.VerifyRequest {
	req := connect.VerifyRequest{Key: k, Region: strings.ToLower(env.Region), BaseURL: env.BaseURL,
		OrgID: env.OrgID, Integrations: integ, NewClient: env.NewClient, Now: env.Now,
		Known: connect.HistoryOf(env.Store, k), RegionHosts: env.RegionHosts}
	if env.Demo != nil {
		req.Region, req.BaseURL = connect.RegionDemo, env.Demo.BaseURL
	}
	if req.Region == "" {
		req.Region = "us"
	}
	return req
}

// printCheck writes one verification line for plain output.
func printCheck(w io.Writer, r connect.CheckResult) {
	fmt.Fprintf(w, "  %-8s %s: %s\n", r.Glyph(), r.Name, r.Detail)
	if r.Fix != "" && (r.State == connect.CheckFailed || r.State == connect.CheckWarning) {
		fmt.Fprintf(w, "           %s\n", r.Fix)
	}
}

// printSaveFailure explains a failed save: the error, its fix, the keyring doctor's checks and
// the environment-variable route for headless machines.
func printSaveFailure(ctx context.Context, w io.Writer, s *store.Store, err error) {
	fmt.Fprintln(w, "The key could not be stored: "+connect.Clean(store.Cause(err)))
	if fix := store.Fix(err); fix != "" {
		fmt.Fprintln(w, "  "+fix)
	}
	dctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	said := map[string]bool{store.Fix(err): true}
	for _, ch := range store.Diagnose(dctx, s.Keyring()) {
		mark := "ok"
		line := ch.Name
		if !ch.OK {
			mark = "failed"
			line += diagnosisDetail(ch, said)
		}
		fmt.Fprintf(w, "  %-7s %s\n", mark, line)
	}
	fmt.Fprintln(w, "Nothing was stored. On a headless machine, set JUMPCLOUD_API_KEY (and JUMPCLOUD_ORG_ID for a multi-tenant key) in the environment instead.")
}

// diagnosisDetail is what to add after a failed doctor check's name: its fix the first time that
// fix is seen (the checks of one cause share it), else its error.
func diagnosisDetail(ch store.Check, said map[string]bool) string {
	switch {
	case ch.Fix != "" && !said[ch.Fix]:
		said[ch.Fix] = true
		return ": " + ch.Fix
	case ch.Err != nil:
		return ": " + connect.Clean(ch.Err.Error())
	}
	return ""
}
