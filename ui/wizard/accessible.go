package wizard

import (
	"context"
	"errors"
	"fmt"
	"strconv"
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
	st := &wizardState{ctx: ctx, env: env, demo: env.Demo, integrations: integ, profileName: env.Profile}
	if st.profileName == "" {
		st.profileName = store.DefaultProfileName
	}
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
		p.Say("Stopped after saving: the key is stored; only the preview was skipped.")
		return connect.ExitOK
	case errors.Is(err, common.ErrCanceled):
		p.Say("Canceled: nothing was stored.")
	default:
		p.Say("Input ended before setup finished: nothing was stored.")
	}
	return connect.ExitFailure
}

// accessibleStep names the steps of the accessible flow; each step says which comes next, so
// "back to the admin step" and "paste another key" are returns, not jumps.
type accessibleStep int

const (
	accAdmin accessibleStep = iota
	accPaste
	accVerify
	accSave
	accPreview
	accDone
)

// accessible is one run of the accessible setup: its prompter, the wizard's shared answers and
// the exit code once done.
type accessible struct {
	p    *common.Prompter
	st   *wizardState
	code int
}

func accessibleFlow(p *common.Prompter, st *wizardState, integChosen bool) (int, error) {
	ac := &accessible{p: p, st: st}
	next, err := ac.welcome(integChosen)
	for err == nil && next != accDone {
		switch next {
		case accAdmin:
			next, err = ac.admin()
		case accPaste:
			next, err = ac.paste()
		case accVerify:
			next, err = ac.verify()
		case accSave:
			next, err = ac.save()
		case accPreview:
			next, err = ac.preview()
		}
	}
	return ac.code, err
}

// welcome is step 1: what this does, the integrations (unless --integrations chose them) and
// the region (unless --demo or --region did), starting the demo when chosen.
func (ac *accessible) welcome(integChosen bool) (accessibleStep, error) {
	env := ac.st.env
	ac.p.Say("jcconnect setup, step 1 of 7: welcome.")
	ac.p.Say("This connects a JumpCloud organisation for compliance evidence, read-only. You create a Read Only administrator, paste its API key, jcconnect checks it live and stores it in your OS keyring, then shows the evidence it collects.")
	ac.p.Say("You need an Administrator with Billing account: only it can create admins.")
	if !integChosen {
		i, err := ac.p.Choose("Which integrations do you want to connect?",
			[]string{"Endpoint Management and SSO", "Endpoint Management only (devices, policies)", "SSO only (users, MFA, applications)"}, 1)
		if err != nil {
			return 0, err
		}
		ac.st.integrations = store.Integrations{EndpointManagement: i != 2, SSO: i != 1}
	}
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
			return 0, err
		}
		ac.st.region = regions[i]
	}
	if ac.st.isDemo() {
		if err := ac.st.startDemo(); err != nil {
			ac.p.Say("The demo organisation could not start: %s", connect.Clean(err.Error()))
			ac.code = connect.ExitFailure
			return accDone, nil
		}
	}
	return accAdmin, nil

}

// admin is steps 2 and 3: create the Read Only admin, then generate its key.
func (ac *accessible) admin() (accessibleStep, error) {
	ac.p.Say("")
	ac.p.Say("Step 2 of 7: create a Read Only administrator.")
	ac.p.Say("Why: an API key has exactly the permissions of the admin who generates it. A Read Only admin's key can read the evidence and change nothing.")
	if ac.st.isDemo() {
		ac.p.Say("Demo: there is no console to visit; the demo organisation already has a Read Only admin.")
	} else {
		ac.p.Say("Console: %s", ConsoleURL(ac.st.region))
	}
	for i, it := range glossary.AdminSteps {
		ac.p.Say("  %d. %s", i+1, it)
	}
	ac.p.Say("%s", glossary.AdminStepsMTP)
	if _, err := ac.p.Ask("Press enter when the admin exists."); err != nil {
		return 0, err
	}
	ac.p.Say("")
	ac.p.Say("Step 3 of 7: generate the API key, signed in as the Read Only admin.")
	ac.p.Say("Warning, before you click: generating a key again revokes the previous key of that admin immediately.")
	for i, it := range glossary.KeygenSteps {
		ac.p.Say("  %d. %s", i+1, it)
	}
	ac.p.Say("%s", glossary.KeyExpiry)
	ac.p.Say("%s", glossary.NoAPIKeyPermissionFix)
	if _, err := ac.p.Ask("Press enter when you have copied the key."); err != nil {
		return 0, err
	}
	return accPaste, nil
}

// paste is step 4: the key, hidden, checked for its shape (or a demo key by number).
func (ac *accessible) paste() (accessibleStep, error) {
	ac.p.Say("")
	ac.p.Say("Step 4 of 7: paste the key.")
	if ac.st.isDemo() && ac.st.demo != nil {
		ac.p.Say("The demo's keys are fake. Type a number to use one, or paste a key:")
		for i, dk := range ac.st.demo.Keys {
			ac.p.Say("  %d. %s: %s", i+1, dk.Label, dk.Key)
		}
	}
	for {
		a, err := ac.p.AskSecret("Paste the API key and press enter (it is not shown):")
		if errors.Is(err, common.ErrInputTooLong) {
			ac.p.Say("Not accepted: %s", err)
			continue
		}
		if err != nil {
			return 0, err
		}
		if ac.st.isDemo() && ac.st.demo != nil {
			if n, err := strconv.Atoi(a); err == nil && n >= 1 && n <= len(ac.st.demo.Keys) {
				a = ac.st.demo.Keys[n-1].Key
			}
		}
		k, err := connect.CheckKeyShape(a)
		if err != nil {
			ac.p.Say("Not accepted: %s", err)
			continue
		}
		ac.st.key = k
		break
	}
	return accVerify, nil
}

// verify is step 5: the live check. A failure goes back to pasting (after a retry offer when
// JumpCloud was unreachable); a key that is not Read Only goes back to the admin step unless the
// user continues knowingly.
func (ac *accessible) verify() (accessibleStep, error) {
	ac.p.Say("")
	ac.p.Say("Step 5 of 7: verifying %s live against %s.", store.Mask(ac.st.key), connect.RegionLabel(ac.st.region))
	for {
		picker := func(orgs []jumpcloud.Organization) (jumpcloud.Organization, error) {
			names := make([]string, len(orgs))
			for i, o := range orgs {
				names[i] = fmt.Sprintf("%s (%s)", connect.Clean(o.Name()), connect.Clean(o.ID))
			}
			i, err := ac.p.Choose("This key is multi-tenant. Which organisation is this integration for?", names, 1)
			if err != nil {
				return jumpcloud.Organization{}, err
			}
			return orgs[i], nil
		}
		v, err := connect.VerifyKey(ac.st.ctx, ac.st.verifyRequest(), picker, func(r connect.CheckResult) { printCheck(ac.p.Out, r) })
		if errors.Is(err, common.ErrInputClosed) || errors.Is(err, common.ErrCanceled) {
			return 0, err
		}
		if err != nil {
			last := v.Checks[len(v.Checks)-1]
			if last.Retryable {
				a, err := ac.p.Ask("JumpCloud could not be reached or was busy. Type r and enter to retry, or enter to paste another key:")
				if err != nil {
					return 0, err
				}
				if strings.EqualFold(a, "r") {
					continue
				}
			}
			return accPaste, nil
		}
		if connect.IsPrivileged(v.Owner) {
			ac.p.Say("This key is not Read Only: its admin's role is %s.", connect.Clean(v.Owner.Role))
			ac.p.Say("%s", connect.LeastPrivilegeWarning)
			a, err := ac.p.Ask("Type back to create a Read Only admin (recommended), or continue to use this key knowingly:")
			if err != nil {
				return 0, err
			}
			if !strings.EqualFold(a, "continue") {
				return accAdmin, nil
			}
			v.AcceptedPrivileged = true
		}
		ac.st.verified = &v
		break
	}
	return accSave, nil
}

// save is step 6: the keyring, retried until it works or the user quits.
func (ac *accessible) save() (accessibleStep, error) {
	ac.p.Say("")
	ac.p.Say("Step 6 of 7: save the key.")
	v := ac.st.verified
	if ac.st.keptInMemory() {
		ac.p.Say("Demo: the key is kept in memory only and forgotten when jcconnect exits.")
	} else {
		ac.p.Say("The key goes to your OS keyring; only the profile (organisation, owner, role, last 4 characters of the key) is written to your config folder.")
	}
	if old, ok := connect.KeyToReplace(ac.st.store(), ac.st.profileName, v.Key); ok {
		ac.p.Say("%s", connect.ReplaceNotice(ac.st.profileName, old))
	}
	for {
		a, err := ac.p.Ask("Press enter to save, or type q and enter to quit without saving:")
		if err != nil {
			return 0, err
		}
		if strings.EqualFold(a, "q") {
			ac.p.Say("Nothing was stored.")
			ac.code = connect.ExitFailure
			return accDone, nil
		}
		if err := ac.st.store().Save(ac.st.ctx, v.Profile(ac.st.profileName), v.Key); err != nil {
			printSaveFailure(ac.st.ctx, ac.p.Out, ac.st.store(), err)
			ac.p.Say("Fix the keyring, then try again.")
			continue
		}
		ac.st.saved = true
		ac.p.Say("Saved: %s, key %s, profile %q.", connect.Clean(v.Org.Name()), v.Masked(), ac.st.profileName)
		break
	}
	return accPreview, nil
}

// preview is step 7: a first collection and its summary (a courtesy: the key is saved).
func (ac *accessible) preview() (accessibleStep, error) {
	ac.p.Say("")
	ac.p.Say("Step 7 of 7: a first snapshot of the evidence.")
	env := ac.st.env
	events := make(chan tea.Msg, 256)
	go runPreview(ac.st.ctx, 1, previewCollector(*ac.st.verified, env, true), env.CheckThresholds(), events)
	var done previewDoneMsg
	for msg := range events {
		if d, ok := msg.(previewDoneMsg); ok {
			done = d
		}
	}
	if done.err != nil {
		ac.p.Say("Collection stopped: %s. %s", connect.Clean(summaryOf(done.err)), jumpcloud.KindOf(done.err).Fix())
		ac.code = connect.ExitOK // the key is saved; the preview is a courtesy
		return accDone, nil
	}
	ac.p.Say("%s", strings.TrimRight(ansi.Strip(previewSummary(common.NewStyles(true), done.snap, done.rep)), "\n"))
	ac.p.Say("Setup is complete. Next: jcconnect devices, or jcconnect evidence export.")
	ac.code = connect.ExitOK
	return accDone, nil
}
