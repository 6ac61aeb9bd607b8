package wizard

import (
	"context"
	"errors"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"jcconnect/connect"
	"jcconnect/glossary"
	"jcconnect/jumpcloud"
	"jcconnect/store"
	"jcconnect/ui/common"
)

// The accessible setup: the wizard's seven steps as plain line-by-line prompts for screen
// readers (--accessible, ACCESSIBLE=1). No cursor movement, no colour, no redraws: every line is
// printed once, every question ends with what to type.

func runSetupAccessible(ctx context.Context, env *connect.Env, integ store.Integrations, integChosen bool) int {
	p := common.NewPrompter(ctx, env)
	st := &wizardState{ctx: ctx, env: env, demo: env.Demo, integrations: integ,
		profileName: connect.SetupProfileName(env.Store, env.Profile)}
	defer func() {
		if st.started != nil {
			st.started.Close()
		}
	}()
	code, err := accessibleFlow(p, st, integChosen)
	switch {
	case err == nil:
		return code
	case st.saved:
		p.Say("Stopped after saving: the %s is stored; only the preview was skipped.", connect.CredentialWord(st.serviceAccount))
		return connect.ExitOK
	case errors.Is(err, common.ErrCanceled):
		p.Say("Canceled: nothing was stored.")
	default:
		p.Say("Input ended before setup finished: nothing was stored.")
	}
	return connect.ExitFailure
}

// accessible is one run of the accessible setup: its prompter, the wizard's shared answers and
// the exit code once done. The steps from the Client ID to the save are connect.RunSetup's; this
// face adds what only a person needs: the welcome, the console's instructions and the preview.
type accessible struct {
	p    accessiblePrompter
	st   *wizardState
	code int
}

// accessiblePrompter is the line-by-line Prompter, numbering the steps RunSetup walks through.
type accessiblePrompter struct{ *common.Prompter }

// The accessible face of connect.RunSetup, checked when compiling (the unattended one is
// common.Unattended, shared with rotate).
var (
	_ connect.Stepper  = accessiblePrompter{}
	_ connect.Prompter = accessiblePrompter{}
)

func (a accessiblePrompter) Step(n int, what string) {
	a.Say("")
	a.Say("Step %d of 7: %s.", n, what)
}

func accessibleFlow(p *common.Prompter, st *wizardState, integChosen bool) (int, error) {
	ac := &accessible{p: accessiblePrompter{p}, st: st}
	if done, err := ac.welcome(integChosen); done || err != nil {
		return ac.code, err
	}
	for {
		if err := ac.instructions(); err != nil {
			return 0, err
		}
		res, err := connect.RunSetup(st.ctx, st.env, ac.target(), ac.p)
		if err != nil {
			return 0, err
		}
		st.verified, st.saved = res.Verified, res.Saved
		switch {
		case res.Back:
			continue // create a Read Only admin (or account) first, then paste again
		case res.Saved:
			ac.preview()
		default:
			ac.code = res.Code
		}
		return ac.code, nil
	}
}

// target is what RunSetup sets up: the welcome's answers.
func (ac *accessible) target() connect.SetupTarget {
	st := ac.st
	return connect.SetupTarget{Region: st.region, Demo: st.demo, Store: st.store(),
		Integrations: st.integrations, ServiceAccount: st.serviceAccount}
}

// instructions are steps 2 and 3 for a key (create the Read Only admin, generate its key), or
// step 2 for a service account (create it in the console; its Client ID is RunSetup's step 3).
func (ac *accessible) instructions() error {
	if ac.st.serviceAccount {
		return ac.checklist("Step 2 of 7: create a service account.", newSAConsoleStep().list.items,
			"Why: a service account is not tied to a person, so evidence collection does not stop when an admin leaves. With the Read Only role it reads the evidence and changes nothing.",
			"", "Press enter when you have copied the Client ID and the Client Secret.")
	}
	if err := ac.checklist("Step 2 of 7: create a Read Only administrator.", glossary.AdminSteps,
		"Why: an API key has exactly the permissions of the admin who generates it. A Read Only admin's key can read the evidence and change nothing.",
		glossary.AdminStepsMTP, "Press enter when the admin exists."); err != nil {
		return err
	}
	ac.p.Say("")
	ac.p.Say("Step 3 of 7: generate the API key, signed in as the Read Only admin.")
	ac.p.Say("Warning, before you click: generating a key again revokes the previous key of that admin immediately.")
	for i, it := range glossary.KeygenSteps {
		ac.p.Say("  %d. %s", i+1, it)
	}
	ac.p.Say("%s", glossary.KeyExpiry)
	ac.p.Say("%s", glossary.NoAPIKeyPermissionFix)
	_, err := ac.p.Ask("Press enter when you have copied the key.")
	return err
}

// checklist says one console step: its title, why, where and what to click (and after, when
// set, another way to do it), then waits for enter.
func (ac *accessible) checklist(title string, items []string, why, after, done string) error {
	ac.p.Say("")
	ac.p.Say("%s", title)
	ac.p.Say("%s", why)
	if ac.st.isDemo() {
		ac.p.Say("Demo: there is no console to visit; the demo organisation already has what this step creates.")
	} else {
		ac.p.Say("Console: %s", ConsoleURL(ac.st.region))
	}
	for i, it := range items {
		ac.p.Say("  %d. %s", i+1, it)
	}
	if after != "" {
		ac.p.Say("%s", after)
	}
	_, err := ac.p.Ask(done)
	return err
}

// welcome is step 1: what this does, the way to connect (a service account or an admin's API
// key), the integrations (unless --integrations chose them) and the region (unless --demo or
// --region did), starting the demo when chosen. done is set when the setup cannot go on.
func (ac *accessible) welcome(integChosen bool) (done bool, err error) {
	ac.p.Say("jcconnect setup, step 1 of 7: welcome.")
	ac.p.Say("This connects a JumpCloud organisation for compliance evidence, read-only. You create a Read Only identity in the console (a service account, or an administrator and its API key), give jcconnect its credential, jcconnect checks it live and stores it in your OS keyring, then shows the evidence it collects.")
	ac.p.Say("You need an Administrator with Billing account: only it can create admins and service accounts.")
	way, err := ac.p.Choose("How should jcconnect connect?", []string{welcomeOptions[0].label, welcomeOptions[1].label}, 2)
	if err != nil {
		return false, err
	}
	ac.st.serviceAccount = way == 0
	if !integChosen {
		i, err := ac.p.Choose("Which integrations do you want to connect?",
			[]string{"Endpoint Management and SSO", "Endpoint Management only (devices, policies)", "SSO only (users, MFA, applications)"}, 1)
		if err != nil {
			return false, err
		}
		ac.st.integrations = store.Integrations{EndpointManagement: i != 2, SSO: i != 1}
	}
	if err := ac.chooseRegion(); err != nil {
		return false, err
	}
	if ac.st.isDemo() {
		if err := ac.st.startDemo(); err != nil {
			ac.p.Say("The demo organisation could not start: %s", connect.Clean(err.Error()))
			ac.code = connect.ExitFailure
			return true, nil
		}
	}
	return false, nil
}

// chooseRegion settles the region: --demo, --region, or asked.
func (ac *accessible) chooseRegion() error {
	env := ac.st.env
	switch {
	case env.Demo != nil:
		ac.st.region = connect.RegionDemo
		ac.p.Say("Region: the built-in demo organisation (--demo).")
	case env.Region != "":
		ac.st.region = strings.ToLower(env.Region)
		ac.p.Say("Region: %s (--region).", connect.RegionLabel(ac.st.region))
	default:
		regions := []string{"us", "eu", "in", connect.RegionDemo}
		i, err := ac.p.Choose("Where is your organisation?", []string{"US (console.jumpcloud.com)",
			"EU (console.eu.jumpcloud.com)", "IN (console.in.jumpcloud.com)", "The built-in demo organisation (no account needed)"}, 1)
		if err != nil {
			return err
		}
		ac.st.region = regions[i]
	}
	return nil
}

// preview is step 7: a first collection and its summary (a courtesy: the credential is saved,
// so the setup ends with exit 0 whatever the collection says).
func (ac *accessible) preview() {
	ac.p.Say("")
	ac.p.Say("Step 7 of 7: a first snapshot of the evidence.")
	env := ac.st.env
	ac.code = connect.ExitOK
	events := make(chan tea.Msg, 256)
	go runPreview(ac.st.ctx, 1, previewCollector(*ac.st.verified, env, true), env, events)
	var done previewDoneMsg
	for msg := range events {
		if d, ok := msg.(previewDoneMsg); ok {
			done = d
		}
	}
	if done.err != nil {
		ac.p.Say("Collection stopped: %s. %s", connect.Clean(summaryOf(done.err)), jumpcloud.KindOf(done.err).Fix())
		return
	}
	ac.p.Say("%s", strings.TrimRight(ansi.Strip(previewSummary(common.NewStyles(true), done.shown.Snapshot(), done.counts)), "\n"))
	ac.p.Say("Setup is complete. Next: jcconnect devices, or jcconnect evidence export.")
}
