package ui

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
)

// The accessible setup: the wizard's seven steps as plain line-by-line prompts for screen
// readers (--accessible, ACCESSIBLE=1). No cursor movement, no colour, no redraws: every line is
// printed once, every question ends with what to type.

func runSetupAccessible(ctx context.Context, env *connect.Env, integ store.Integrations, integChosen bool) int {
	p := newPrompter(ctx, env)
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
		p.say("Stopped after saving: the key is stored; only the preview was skipped.")
		return connect.ExitOK
	case errors.Is(err, errCanceled):
		p.say("Canceled: nothing was stored.")
	default:
		p.say("Input ended before setup finished: nothing was stored.")
	}
	return connect.ExitFailure
}

func accessibleFlow(p *prompter, st *wizardState, integChosen bool) (int, error) {
	env := st.env
	p.say("jcconnect setup, step 1 of 7: welcome.")
	p.say("This connects a JumpCloud organisation for compliance evidence, read-only. You create a Read Only administrator, paste its API key, jcconnect checks it live and stores it in your OS keyring, then shows the evidence it collects.")
	p.say("You need an Administrator with Billing account: only it can create admins.")
	if !integChosen {
		i, err := p.choose("Which integrations do you want to connect?",
			[]string{"Endpoint Management and SSO", "Endpoint Management only (devices, policies)", "SSO only (users, MFA, applications)"}, 1)
		if err != nil {
			return 0, err
		}
		st.integrations = store.Integrations{EndpointManagement: i != 2, SSO: i != 1}
	}
	switch {
	case env.Demo != nil:
		st.region = connect.RegionDemo
		p.say("Region: the built-in demo organisation (--demo).")
	case env.Region != "":
		st.region = strings.ToLower(env.Region)
		p.say("Region: %s (--region).", connect.RegionLabel(st.region))
	default:
		regions := []string{"us", "eu", "in", connect.RegionDemo}
		i, err := p.choose("Where is your organisation?", []string{"US (console.jumpcloud.com)",
			"EU (console.eu.jumpcloud.com)", "IN (console.in.jumpcloud.com)", "The built-in demo organisation (no account needed)"}, 1)
		if err != nil {
			return 0, err
		}
		st.region = regions[i]
	}
	if st.isDemo() {
		if err := st.startDemo(); err != nil {
			p.say("The demo organisation could not start: %s", connect.Clean(err.Error()))
			return connect.ExitFailure, nil
		}
	}

adminSteps:
	p.say("")
	p.say("Step 2 of 7: create a Read Only administrator.")
	p.say("Why: an API key has exactly the permissions of the admin who generates it. A Read Only admin's key can read the evidence and change nothing.")
	if st.isDemo() {
		p.say("Demo: there is no console to visit; the demo organisation already has a Read Only admin.")
	} else {
		p.say("Console: %s", ConsoleURL(st.region))
	}
	for i, it := range newAdminStep().list.items {
		p.say("  %d. %s", i+1, it)
	}
	if _, err := p.ask("Press enter when the admin exists."); err != nil {
		return 0, err
	}
	p.say("")
	p.say("Step 3 of 7: generate the API key, signed in as the Read Only admin.")
	p.say("Warning, before you click: generating a key again revokes the previous key of that admin immediately.")
	for i, it := range newKeygenStep().list.items {
		p.say("  %d. %s", i+1, it)
	}
	if _, err := p.ask("Press enter when you have copied the key."); err != nil {
		return 0, err
	}

pasteKey:
	p.say("")
	p.say("Step 4 of 7: paste the key.")
	if st.isDemo() && st.demo != nil {
		p.say("The demo's keys are fake. Type a number to use one, or paste a key:")
		for i, dk := range st.demo.Keys {
			p.say("  %d. %s: %s", i+1, dk.Label, dk.Key)
		}
	}
	for {
		a, err := p.askSecret("Paste the API key and press enter (it is not shown):")
		if errors.Is(err, errInputTooLong) {
			p.say("Not accepted: %s", err)
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
		k, err := CheckKeyShape(a)
		if err != nil {
			p.say("Not accepted: %s", err)
			continue
		}
		st.key = k
		break
	}

	p.say("")
	p.say("Step 5 of 7: verifying %s live against %s.", store.Mask(st.key), connect.RegionLabel(st.region))
	for {
		picker := func(orgs []jumpcloud.Organization) (jumpcloud.Organization, error) {
			names := make([]string, len(orgs))
			for i, o := range orgs {
				names[i] = fmt.Sprintf("%s (%s)", connect.Clean(o.Name()), connect.Clean(o.ID))
			}
			i, err := p.choose("This key is multi-tenant. Which organisation is this integration for?", names, 1)
			if err != nil {
				return jumpcloud.Organization{}, err
			}
			return orgs[i], nil
		}
		v, err := connect.VerifyKey(st.ctx, st.verifyRequest(), picker, func(r connect.CheckResult) { printCheck(p.out, r) })
		if errors.Is(err, errInputClosed) || errors.Is(err, errCanceled) {
			return 0, err
		}
		if err != nil {
			last := v.Checks[len(v.Checks)-1]
			if last.Retryable {
				a, err := p.ask("JumpCloud could not be reached or was busy. Type r and enter to retry, or enter to paste another key:")
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
			p.say("This key is not Read Only: its admin's role is %s.", connect.Clean(v.Owner.Role))
			p.say("%s", connect.LeastPrivilegeWarning)
			a, err := p.ask("Type back to create a Read Only admin (recommended), or continue to use this key knowingly:")
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

	p.say("")
	p.say("Step 6 of 7: save the key.")
	v := st.verified
	if st.keptInMemory() {
		p.say("Demo: the key is kept in memory only and forgotten when jcconnect exits.")
	} else {
		p.say("The key goes to your OS keyring; only the profile (organisation, owner, role, last 4 characters of the key) is written to your config folder.")
	}
	if old, err := st.store().Profile(st.profileName); err == nil && old.Fingerprint != store.Fingerprint(v.Key) {
		p.say("This replaces the key stored for profile %q (ending %s).", st.profileName, connect.Clean(old.KeyLast4))
	}
	for {
		a, err := p.ask("Press enter to save, or type q and enter to quit without saving:")
		if err != nil {
			return 0, err
		}
		if strings.EqualFold(a, "q") {
			p.say("Nothing was stored.")
			return connect.ExitFailure, nil
		}
		if err := st.store().Save(st.ctx, v.Profile(st.profileName), v.Key); err != nil {
			printSaveFailure(st.ctx, p.out, st.store(), err)
			p.say("Fix the keyring, then try again.")
			continue
		}
		st.saved = true
		p.say("Saved: %s, key %s, profile %q.", connect.Clean(v.Org.Name()), v.Masked(), st.profileName)
		break
	}

	p.say("")
	p.say("Step 7 of 7: a first snapshot of the evidence.")
	events := make(chan tea.Msg, 256)
	go runPreview(st.ctx, 1, previewCollector(*v, env), env.CheckThresholds(), events)
	var done previewDoneMsg
	for msg := range events {
		if d, ok := msg.(previewDoneMsg); ok {
			done = d
		}
	}
	if done.err != nil {
		p.say("Collection stopped: %s. %s", connect.Clean(summaryOf(done.err)), jumpcloud.KindOf(done.err).Fix())
		return connect.ExitOK, nil // the key is saved; the preview is a courtesy
	}
	p.say("%s", strings.TrimRight(ansi.Strip(previewSummary(NewStyles(true), done.snap, done.rep)), "\n"))
	p.say("Setup is complete. Next: jcconnect devices, or jcconnect evidence export.")
	return connect.ExitOK, nil
}
