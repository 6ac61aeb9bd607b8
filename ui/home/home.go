package home

import (
	"context"
	"errors"
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/connect"
	"jcconnect/evidence"
	"jcconnect/store"
	"jcconnect/ui/browser"
	"jcconnect/ui/common"
	"jcconnect/ui/rotate"
	"jcconnect/ui/wizard"
)

// runHome is `jcconnect` with no command: the wizard when nothing is set up, else the home
// screen on a terminal (the status report otherwise, or with --accessible). The browser,
// rotation, the export and the wizard are pushed on the home screen; disconnect ends the
// program and is carried out here, so its report stays on the terminal.
func runHome(ctx context.Context, env *connect.Env) int {
	if env.Recent == nil {
		env.Recent = &connect.RecentSnapshots{} // the wizard's preview hands its collection to home
	}
	_, err := env.Store.Profile(env.Profile)
	if errors.Is(err, store.ErrMetadataCorrupt) {
		// The file was just set aside: without this, the next read finds no profile and the
		// wizard would start over while the keys are still in the keyring.
		if code, ok := offerRebuild(ctx, env, err); !ok {
			return code
		}
		_, err = env.Store.Profile(env.Profile)
	}
	if errors.Is(err, store.ErrNoProfile) && !store.CredentialInEnv(env.Getenv) {
		code := wizard.RunSetup(ctx, env, wizard.SetupFlags{})
		if _, err := env.Store.Profile(env.Profile); code != connect.ExitOK || err != nil || !env.IsTTY || env.Accessible {
			return code
		}
		// Set up just now: go on to the home screen, where the admin lands from now on (in the
		// demo, whose key lives in memory, this is the only way to see it).
	}
	_, err = env.Store.Profile(env.Profile)
	switch {
	case err != nil, !env.IsTTY, env.Accessible:
		code := runStatus(ctx, env, false)
		if err == nil {
			fmt.Fprintln(env.Out, "\nCommands: jcconnect devices | devices --users | evidence export | rotate | setup --profile NAME | logout")
		}
		return code
	}
	for {
		c := common.NewCommon(env)
		home := NewHomeModel(ctx, c)
		final, err := tea.NewProgram(common.NewApp(c, home), tea.WithAltScreen(), tea.WithContext(ctx),
			tea.WithInput(env.In), tea.WithOutput(env.Out)).Run()
		home.Stop()
		common.StopScreens(final) // the browser or the wizard it pushed may be exporting
		if err != nil {
			if errors.Is(err, tea.ErrProgramKilled) || ctx.Err() != nil {
				return connect.ExitFailure
			}
			fmt.Fprintln(env.Err, "jcconnect:", err)
			return connect.ExitFailure
		}
		shown := *env
		shown.Profile = home.ProfileName()
		switch home.Action {
		case HomeDevices, HomeUsers:
			if code := browser.RunDevices(ctx, &shown, browser.DevicesFlags{Users: home.Action == HomeUsers}); code != connect.ExitOK {
				return code
			}
			continue // back to the home screen
		case HomeDisconnect:
			return runLogout(ctx, &shown, true) // confirmed on the home screen
		}
		if line := closingLine(&shown); line != "" {
			fmt.Fprintln(env.Out, line)
		}
		return connect.ExitOK
	}
}

// closingLine is the last word on the terminal when the home screen closes: the key in use now.
// The wizard's "Key …: stored" line above it may name a key rotated since (the demo's exit line
// named the old key).
func closingLine(env *connect.Env) string {
	p, err := env.Store.Profile(env.Profile)
	if err != nil || p.KeyLast4 == "" {
		return ""
	}
	where := "stored in the OS keyring"
	if env.Demo != nil {
		where = "kept in memory for the demo, now forgotten"
	}
	return fmt.Sprintf("Profile %q now uses key …%s (%s).", p.Name, connect.Clean(p.KeyLast4), where)
}

// defaultHomeScreens are the screens the home screen pushes.
func defaultHomeScreens() HomeScreens {
	return HomeScreens{
		Rotate: func(ctx context.Context, c common.Common) tea.Model { return rotate.NewRotateModel(ctx, c) },
		Export: func(ctx context.Context, c common.Common) tea.Model { return NewExportModel(ctx, c) },
		Wizard: func(ctx context.Context, c common.Common) tea.Model {
			return &wizardFromHome{Wizard: wizard.NewWizard(ctx, c, c.Env)}
		},
		Browser: func(ctx context.Context, c common.Common, shown *evidence.Kept, users bool) (tea.Model, error) {
			conn, err := connect.ClientFromEnv(ctx, c.Env)
			if err != nil {
				return nil, err
			}
			return browser.NewBrowser(c, browser.BrowserOptions{Shown: shown, Collect: browser.ChecksCollectorFor(c.Env, conn),
				ExportCollect: browser.CollectorFor(c.Env, conn), Users: users, KeyFromEnvironment: conn.KeyFromEnvironment(), Context: ctx}), nil
		},
	}
}

// wizardFromHome is the wizard pushed by the home screen: when the wizard is done it pops and
// asks home to reload (a new profile may exist).
type wizardFromHome struct{ *wizard.Wizard }

func (w *wizardFromHome) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(wizard.WizardDoneMsg); ok {
		w.Close()
		return w, tea.Sequence(common.Pop(), func() tea.Msg { return homeRefreshMsg{} })
	}
	_, cmd := w.Wizard.Update(msg)
	return w, cmd
}

// collectForHome collects the profile's organisation for the pass rates and records when
// (LastCollectedAt; the store keeps the key fields as they are), and keeps it as every screen
// keeps a collection it shows (connect.Shown), here in the command, off the event loop. With
// reuse, a collection of the same organisation and key shown moments ago (the wizard's
// preview, just before home opens, or `devices`) is shown instead of asking JumpCloud for
// everything again, and is not evaluated again.
func collectForHome(ctx context.Context, env *connect.Env, p store.Profile, reuse bool) (*evidence.Kept, error) {
	cred, err := env.Store.Key(ctx, p.Name)
	if err != nil {
		return nil, err
	}
	conn, err := connect.ConnectWithKey(env, p, true, cred)
	if err != nil {
		return nil, err
	}
	if reuse {
		if shown := env.Recent.For(p.OrgID, conn.Fingerprint, connect.IntegrationsOf(conn),
			connect.ServerRulesFor(env, p), env.CheckThresholds(), env.Clock()); shown != nil {
			connect.MarkCollected(env, shown.Snapshot())
			return shown, nil
		}
	}
	// Pass rates only: an export collects every status itself.
	snap, rep, err := connect.Collect(ctx, env, connect.CollectorFor(env, conn, true), nil)
	if err != nil {
		return nil, err
	}
	if fresh, err := env.Store.Profile(p.Name); err == nil && fresh.Fingerprint == conn.Fingerprint {
		// A whole collection with the stored key is a verification too ("last verified").
		at := snap.CollectedAt
		fresh.VerifiedAt = &at
		_ = env.Store.UpdateProfile(fresh) // best effort: the pass rates are shown either way
	}
	return connect.Shown(env, snap, rep), nil
}
