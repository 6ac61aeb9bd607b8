package wizard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

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
		return runSetupUnattended(ctx, env, flags, integ)
	case flags.WithKey:
		return runSetupUnattended(ctx, env, flags, integ)
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
	common.StopScreens(final) // a browser pushed by the preview may be exporting
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		fmt.Fprintln(env.Err, "jcconnect setup:", err)
		return connect.ExitFailure
	}
	code := setupOutcome(env, w.st)
	if app, ok := final.(*common.App); (ok && app.Interrupted()) || ctx.Err() != nil {
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
		// Not "now forgotten": the home screen follows, and may rotate it; home's closing line
		// names the key in use at the end and says when it is forgotten.
		where = "kept in memory for the demo"
	}
	what := "Key " + v.Masked()
	if v.IsServiceAccount() {
		what = fmt.Sprintf("Service account %s, client secret %s", connect.Clean(v.ClientID), v.Masked())
	}
	fmt.Fprintf(env.Out, "Connected %s (profile %q).\n%s: %s.\n", connect.Clean(v.Org.Name()), st.profileName, what, where)
	return connect.ExitOK
}

// runSetupUnattended is `setup --with-key` and `setup --service-account --client-id ID
// --with-secret`: the credential from stdin, connect.RunSetup's steps with no one to ask.
func runSetupUnattended(ctx context.Context, env *connect.Env, flags SetupFlags, integ store.Integrations) int {
	t := connect.SetupTarget{Integrations: integ, ServiceAccount: flags.ServiceAccount, ClientID: flags.ClientID}
	res, err := connect.RunSetup(ctx, env, t, common.NewUnattended(ctx, env, flags.AllowPrivileged, false))
	if err != nil { // an unattended face asks nothing that can end this way; say it plainly anyway
		fmt.Fprintln(env.Err, "jcconnect setup:", err)
		return connect.ExitFailure
	}
	return res.Code
}
