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

func accessibleFlow(p *common.Prompter, st *wizardState, integChosen bool) (int, error) {
	env := st.env
	p.Say("jcconnect setup, step 1 of 7: welcome.")
	p.Say("This connects a JumpCloud organisation for compliance evidence, read-only. You create a Read Only administrator, paste its API key, jcconnect checks it live and stores it in your OS keyring, then shows the evidence it collects.")
	p.Say("You need an Administrator with Billing account: only it can create admins.")
	if !integChosen {
		i, err := p.Choose("Which integrations do you want to connect?",
			[]string{"Endpoint Management and SSO", "Endpoint Management only (devices, policies)", "SSO only (users, MFA, applications)"}, 1)
		if err != nil {
			return 0, err
		}
		st.integrations = store.Integrations{EndpointManagement: i != 2, SSO: i != 1}
	}
	switch {
	case env.Demo != nil:
		st.region = connect.RegionDemo
		p.Say("Region: the built-in demo organisation (--demo).")
	case env.Region != "":
		st.region = strings.ToLower(env.Region)
		p.Say("Region: %s (--region).", connect.RegionLabel(st.region))
	default:
		regions := []string{"us", "eu", "in", connect.RegionDemo}
		i, err := p.Choose("Where is your organisation?", []string{"US (console.jumpcloud.com)",
			"EU (console.eu.jumpcloud.com)", "IN (console.in.jumpcloud.com)", "The built-in demo organisation (no account needed)"}, 1)
		if err != nil {
			return 0, err
		}
		st.region = regions[i]
	}
	if st.isDemo() {
		if err := st.startDemo(); err != nil {
			p.Say("The demo organisation could not start: %s", connect.Clean(err.Error()))
			return connect.ExitFailure, nil
		}
	}

adminSteps:
	p.Say("")
	p.Say("Step 2 of 7: create a Read Only administrator.")
	p.Say("Why: an API key has exactly the permissions of the admin who generates it. A Read Only admin's key can read the evidence and change nothing.")
	if st.isDemo() {
		p.Say("Demo: there is no console to visit; the demo organisation already has a Read Only admin.")
	} else {
		p.Say("Console: %s", ConsoleURL(st.region))
	}
	for i, it := range newAdminStep().list.items {
		p.Say("  %d. %s", i+1, it)
	}
	if _, err := p.Ask("Press enter when the admin exists."); err != nil {
		return 0, err
	}
	p.Say("")
	p.Say("Step 3 of 7: generate the API key, signed in as the Read Only admin.")
	p.Say("Warning, before you click: generating a key again revokes the previous key of that admin immediately.")
	for i, it := range newKeygenStep().list.items {
		p.Say("  %d. %s", i+1, it)
	}
	if _, err := p.Ask("Press enter when you have copied the key."); err != nil {
		return 0, err
	}

pasteKey:
	p.Say("")
	p.Say("Step 4 of 7: paste the key.")
	if st.isDemo() && st.demo != nil {
		p.Say("The demo's keys are fake. Type a number to use one, or paste a key:")
		for i, dk := range st.demo.Keys {
			p.Say("  %d. %s: %s", i+1, dk.Label, dk.Key)
		}
	}
	for {
		a, err := p.AskSecret("Paste the API key and press enter (it is not shown):")
		if errors.Is(err, common.ErrInputTooLong) {
			p.Say("Not accepted: %s", err)
			continue
		}
		if err != nil {
			return 0, err
		}
		if st.isDemo() && st.demo != nil {
			if n, err := strconv.Atoi(a); err == nil && n >= 1 && n <= len(st.demo.Keys) {
				a = st.demo.Keys[n-1].Key
			}
		}
		k, err := common.CheckKeyShape(a)
		if err != nil {
			p.Say("Not accepted: %s", err)
			continue
		}
		st.key = k
		break
	}

	p.Say("")
	p.Say("Step 5 of 7: verifying %s live against %s.", store.Mask(st.key), connect.RegionLabel(st.region))
	for {
		picker := func(orgs []jumpcloud.Organization) (jumpcloud.Organization, error) {
			names := make([]string, len(orgs))
			for i, o := range orgs {
				names[i] = fmt.Sprintf("%s (%s)", connect.Clean(o.Name()), connect.Clean(o.ID))
			}
			i, err := p.Choose("This key is multi-tenant. Which organisation is this integration for?", names, 1)
			if err != nil {
				return jumpcloud.Organization{}, err
			}
			return orgs[i], nil
		}
		v, err := connect.VerifyKey(st.ctx, st.verifyRequest(), picker, func(r connect.CheckResult) { printCheck(p.Out, r) })
		if errors.Is(err, common.ErrInputClosed) || errors.Is(err, common.ErrCanceled) {
			return 0, err
		}
		if err != nil {
			last := v.Checks[len(v.Checks)-1]
			if last.Retryable {
				a, err := p.Ask("JumpCloud could not be reached or was busy. Type r and enter to retry, or enter to paste another key:")
				if err != nil {
					return 0, err
				}
				if strings.EqualFold(a, "r") {
					continue
				}
			}
			goto pasteKey
		}
		if connect.IsPrivileged(v.Owner) {
			p.Say("This key is not Read Only: its admin's role is %s.", connect.Clean(v.Owner.Role))
			p.Say("%s", connect.LeastPrivilegeWarning)
			a, err := p.Ask("Type back to create a Read Only admin (recommended), or continue to use this key knowingly:")
			if err != nil {
				return 0, err
			}
			if !strings.EqualFold(a, "continue") {
				goto adminSteps
			}
			v.AcceptedPrivileged = true
		}
		st.verified = &v
		break
	}

	p.Say("")
	p.Say("Step 6 of 7: save the key.")
	v := st.verified
	if st.keptInMemory() {
		p.Say("Demo: the key is kept in memory only and forgotten when jcconnect exits.")
	} else {
		p.Say("The key goes to your OS keyring; only the profile (organisation, owner, role, last 4 characters of the key) is written to your config folder.")
	}
	if old, err := st.store().Profile(st.profileName); err == nil && old.Fingerprint != store.Fingerprint(v.Key) {
		p.Say("This replaces the key stored for profile %q (ending %s).", st.profileName, connect.Clean(old.KeyLast4))
	}
	for {
		a, err := p.Ask("Press enter to save, or type q and enter to quit without saving:")
		if err != nil {
			return 0, err
		}
		if strings.EqualFold(a, "q") {
			p.Say("Nothing was stored.")
			return connect.ExitFailure, nil
		}
		if err := st.store().Save(st.ctx, v.Profile(st.profileName), v.Key); err != nil {
			printSaveFailure(st.ctx, p.Out, st.store(), err)
			p.Say("Fix the keyring, then try again.")
			continue
		}
		st.saved = true
		p.Say("Saved: %s, key %s, profile %q.", connect.Clean(v.Org.Name()), v.Masked(), st.profileName)
		break
	}

	p.Say("")
	p.Say("Step 7 of 7: a first snapshot of the evidence.")
	events := make(chan tea.Msg, 256)
	go runPreview(st.ctx, 1, previewCollector(*v, env), env.CheckThresholds(), events)
	var done previewDoneMsg
	for msg := range events {
		if d, ok := msg.(previewDoneMsg); ok {
			done = d
		}
	}
	if done.err != nil {
		p.Say("Collection stopped: %s. %s", connect.Clean(summaryOf(done.err)), jumpcloud.KindOf(done.err).Fix())
		return connect.ExitOK, nil // the key is saved; the preview is a courtesy
	}
	p.Say("%s", strings.TrimRight(ansi.Strip(previewSummary(common.NewStyles(true), done.snap, done.rep)), "\n"))
	p.Say("Setup is complete. Next: jcconnect devices, or jcconnect evidence export.")
	return connect.ExitOK, nil
}
