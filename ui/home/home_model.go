package home

import (
	"context"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/connect"
	"jcconnect/evidence"
	"jcconnect/store"
	"jcconnect/ui/common"
	"jcconnect/ui/rotate"
)

// HomeModel is `jcconnect` once a profile exists: the connection at a glance (organisation,
// role, key expiry, the live check, the last collection and its pass rates) and the actions.
// A key that is refused, expiring or cannot be checked is the first thing shown, with rotation
// one key (r) away. It is the bottom screen of an App: rotation, the export and the wizard are
// pushed on it; actions that run outside the TUI (the browser while it is not a screen,
// disconnect) end the program with Action set, and runHome carries them out.
type HomeModel struct {
	common.Common
	ctx  context.Context
	env  connect.Env // env with the profile being shown
	keys HomeKeys
	help help.Model
	spin spinner.Model

	Gen      int // generation of the status load; older loads are dropped
	loading  bool
	loaded   bool
	status   connect.ProfileStatus
	profile  store.Profile
	profiles []store.Profile
	loadErr  error

	cgen       int // generation of the collection
	collecting bool
	cancel     context.CancelFunc
	// shown is the last collection, as every screen keeps it (connect.Shown: the snapshot's
	// shell and its report, the reports packed): its pass rates are drawn from it, and every
	// browser opened from home shows it, shared, with nothing evaluated or packed again. Nothing
	// here keeps the snapshot's records, which every garbage collection would mark while the
	// user browses.
	shown      *evidence.Kept
	summary    []evidence.CheckSummary // shown's checks, for the pass rates (nil: no collection)
	collectErr error

	cursor     int
	confirming bool // "disconnect?" is showing
	showHelp   bool // ? swapped the screen for every key (home_help.go)
	message    string
	scroll     *common.Scroll // a body taller than the window scrolls (home_view.go)

	// Action is what the user chose that runs after the TUI ends ("" = quit).
	Action HomeAction
	// Screens builds the screens home pushes; tests and the wiring replace them.
	Screens HomeScreens
}

// HomeAction is an action carried out by runHome after the TUI ends.
type HomeAction string

const (
	HomeQuit       HomeAction = ""
	HomeDevices    HomeAction = "devices"
	HomeUsers      HomeAction = "users"
	HomeDisconnect HomeAction = "disconnect"
)

// HomeScreens build the screens the home screen pushes. A nil Browser makes browsing end the
// TUI and run `jcconnect devices` instead.
type HomeScreens struct {
	Rotate func(ctx context.Context, c common.Common) tea.Model
	Wizard func(ctx context.Context, c common.Common) tea.Model
	// Export builds the export screen (never an export into the working folder).
	Export func(ctx context.Context, c common.Common) tea.Model
	// Browser is built in a command (it reads the keyring, and builds the rows); shown is home's
	// last collection, shown at once (browser.BrowserOptions.Shown), or nil.
	Browser func(ctx context.Context, c common.Common, shown *evidence.Kept, users bool) (tea.Model, error)
}

// homeItem is one action of the list.
type homeItem struct {
	label string
	key   key.Binding
	run   func(m *HomeModel) tea.Cmd
	shown func(m *HomeModel) bool
}

// Messages of the home screen.
type (
	homeLoadedMsg struct {
		Gen      int
		profile  store.Profile
		profiles []store.Profile
		status   connect.ProfileStatus
		err      error
	}
	homeCollectedMsg struct {
		Gen   int
		shown *evidence.Kept
		err   error
	}
	// homeRefreshMsg asks for a new status load (after a rotation or the wizard).
	homeRefreshMsg struct{}
	// homeNoticeMsg is a screen that could not be opened, and why.
	homeNoticeMsg struct{ err error }
)

// NewHomeModel builds the home screen for env's profile (env.Profile, else the default).
func NewHomeModel(ctx context.Context, c common.Common) *HomeModel {
	m := &HomeModel{Common: c, ctx: ctx, keys: newHomeKeys(), help: help.New(),
		spin: spinner.New(spinner.WithSpinner(spinner.Line))}
	if c.Env != nil {
		m.env = *c.Env
	}
	m.Common.Env = &m.env
	m.help.Styles.ShortKey = c.Styles.Key
	m.help.Styles.ShortDesc = c.Styles.Help
	m.help.Styles.ShortSeparator = c.Styles.Help
	m.Screens = defaultHomeScreens()
	return m
}

func (m *HomeModel) Init() tea.Cmd { return tea.Batch(m.spin.Tick, m.load()) }

// Status is the live status shown (for tests and runHome).
func (m *HomeModel) Status() connect.ProfileStatus { return m.status }

// ProfileName is the profile shown.
func (m *HomeModel) ProfileName() string { return m.profile.Name }

func (m *HomeModel) load() tea.Cmd {
	m.Gen++
	m.loading = true
	gen, ctx, env := m.Gen, m.ctx, m.env
	return func() tea.Msg {
		msg := homeLoadedMsg{Gen: gen}
		_ = env.Store.Reconcile(ctx) // settle an interrupted rotation before showing the profile
		profiles, def, err := env.Store.Profiles()
		if err != nil {
			msg.err = err
			return msg
		}
		msg.profiles = profiles
		p, err := env.Store.Profile(env.Profile)
		if err != nil {
			msg.err = err
			return msg
		}
		msg.profile = p
		cred, kerr := env.Store.Key(ctx, p.Name)
		msg.status = connect.StatusFor(ctx, &env, p, true, p.Name == def, cred, kerr, env.Clock())
		return msg
	}
}

// collect reads a snapshot in the background for the pass rates, and records when. reuse
// takes one collected moments ago (see collectForHome); "collect again" (c) never does.
func (m *HomeModel) collect(reuse bool) tea.Cmd {
	if m.cancel != nil {
		m.cancel()
	}
	m.cgen++
	m.collecting, m.collectErr = true, nil
	ctx, cancel := context.WithCancel(m.ctx)
	m.cancel = cancel
	gen, env, p := m.cgen, m.env, m.profile
	return func() tea.Msg {
		defer cancel()
		shown, err := collectForHome(ctx, &env, p, reuse)
		return homeCollectedMsg{Gen: gen, shown: shown, err: err}
	}
}

// Stop cancels a collection still running (when the program ends).
func (m *HomeModel) Stop() {
	if m.cancel != nil {
		m.cancel()
	}
}

func (m *HomeModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.SetSize(msg.Width, msg.Height)
		m.help.Width = msg.Width
		return m, nil
	case spinner.TickMsg:
		if !m.loading && !m.collecting {
			return m, nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	case homeLoadedMsg:
		if msg.Gen != m.Gen {
			return m, nil
		}
		m.loading, m.loaded = false, true
		m.loadErr, m.profile, m.profiles, m.status = msg.err, msg.profile, msg.profiles, msg.status
		m.cursor = 0 // rotation when the key needs it, else the first evidence action
		if msg.err == nil && m.status.Check.State == connect.StateValid && m.shown == nil && !m.collecting {
			return m, tea.Batch(m.spin.Tick, m.collect(true))
		}
		return m, nil
	case homeCollectedMsg:
		if msg.Gen != m.cgen {
			return m, nil
		}
		m.collecting, m.cancel = false, nil
		m.collectErr = msg.err
		if msg.err == nil {
			// Never nil once collected: "no check could be decided" is a result to show too.
			m.summary = append(make([]evidence.CheckSummary, 0, len(msg.shown.Report().Summary)), msg.shown.Report().Summary...)
			m.shown = msg.shown
			at := msg.shown.Snapshot().CollectedAt
			m.profile.LastCollectedAt = &at
		}
		return m, nil
	case homeNoticeMsg:
		m.message = "Could not open the browser: " + connect.Clean(msg.err.Error())
		if fix := store.Fix(msg.err); fix != "" {
			m.message += " " + fix
		}
		return m, nil
	case homeRefreshMsg, rotate.RotationDoneMsg:
		m.shown, m.summary = nil, nil
		return m, tea.Batch(m.spin.Tick, m.load())
	case tea.KeyMsg:
		if m.scroller().Update(msg) {
			return m, nil
		}
		return m.handleKey(msg)
	}
	return m, nil
}

// items are the actions, in display order; which are shown depends on the profile.
func (m *HomeModel) items() []homeItem {
	k := m.keys
	endpoint := func(m *HomeModel) bool { return m.profile.Integrations.EndpointManagement }
	sso := func(m *HomeModel) bool { return m.profile.Integrations.SSO }
	always := func(*HomeModel) bool { return true }
	all := []homeItem{
		{"Rotate the key", k.Rotate, (*HomeModel).rotate, always},
		{"Browse devices", k.Devices, func(m *HomeModel) tea.Cmd { return m.browse(false) }, endpoint},
		{"Browse users and MFA", k.Users, func(m *HomeModel) tea.Cmd { return m.browse(true) }, sso},
		{"Export evidence for auditors", k.Export, (*HomeModel).export, always},
		{"Add another organisation", k.AddOrg, (*HomeModel).addOrg, always},
		{"Disconnect this profile", k.Disconnect, func(m *HomeModel) tea.Cmd { m.confirming = true; return nil }, always},
		{"Quit", k.Quit, func(m *HomeModel) tea.Cmd { return m.leave(HomeQuit) }, always},
	}
	// Rotation comes first when the key needs it (one key away, and under the cursor);
	// otherwise the evidence does.
	order := []int{1, 2, 3, 0, 4, 5, 6}
	if m.needsRotation() {
		order = []int{0, 1, 2, 3, 4, 5, 6}
	}
	var shown []homeItem
	for _, i := range order {
		if all[i].shown(m) {
			shown = append(shown, all[i])
		}
	}
	return shown
}

// liveRole is the key's role as JumpCloud says it now, else as stored.
func (m *HomeModel) liveRole() string {
	if m.status.LiveRole != "" {
		return m.status.LiveRole
	}
	return m.status.Role
}

// privileged reports whether the key's role is known and is not Read Only.
func (m *HomeModel) privileged() bool {
	r := m.liveRole()
	return r != "" && !strings.EqualFold(strings.TrimSpace(r), "Read Only")
}

// needsRotation reports whether the key is refused, forbidden, missing or expiring soon.
func (m *HomeModel) needsRotation() bool {
	switch m.status.Check.State {
	case connect.StateInvalidKey, connect.StateForbidden, connect.StateNoKey:
		return true
	}
	return m.status.ExpiresSoon
}

func (m *HomeModel) handleKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	if m.helpKey(msg) {
		return m, nil
	}
	if m.confirming {
		switch {
		case key.Matches(msg, m.keys.Yes):
			m.confirming = false
			return m, m.leave(HomeDisconnect)
		case key.Matches(msg, m.keys.No):
			m.confirming = false
		}
		return m, nil
	}
	items := m.items()
	switch {
	case key.Matches(msg, m.keys.Up):
		m.cursor = max(m.cursor-1, 0)
		return m, nil
	case key.Matches(msg, m.keys.Down):
		m.cursor = min(m.cursor+1, len(items)-1)
		return m, nil
	case key.Matches(msg, m.keys.Select):
		if m.cursor < len(items) {
			return m, items[m.cursor].run(m)
		}
		return m, nil
	case key.Matches(msg, m.keys.Collect):
		if m.status.Check.State == connect.StateValid {
			return m, tea.Batch(m.spin.Tick, m.collect(false))
		}
		return m, nil
	case key.Matches(msg, m.keys.Profile):
		return m, m.nextProfile()
	}
	for _, it := range items {
		if key.Matches(msg, it.key) {
			return m, it.run(m)
		}
	}
	return m, nil
}

// leave ends the program with an action for runHome.
func (m *HomeModel) leave(a HomeAction) tea.Cmd {
	m.Action = a
	m.Stop()
	return tea.Quit
}

func (m *HomeModel) rotate() tea.Cmd {
	if m.Screens.Rotate == nil {
		return nil
	}
	return common.Push(m.Screens.Rotate(m.ctx, m.Common))
}

func (m *HomeModel) browse(users bool) tea.Cmd {
	if m.Screens.Browser == nil {
		if users {
			return m.leave(HomeUsers)
		}
		return m.leave(HomeDevices)
	}
	build, ctx, c, shown := m.Screens.Browser, m.ctx, m.Common, m.shown
	return func() tea.Msg {
		screen, err := build(ctx, c, shown, users)
		if err != nil {
			return homeNoticeMsg{err: err}
		}
		return common.PushMsg{Screen: screen}
	}
}

// export pushes the export screen (folder, progress, the bundle's path and completeness).
func (m *HomeModel) export() tea.Cmd {
	if m.Screens.Export == nil {
		return nil
	}
	build, ctx, c := m.Screens.Export, m.ctx, m.Common
	// Built in a command: it looks for the Documents folder, which is I/O.
	return func() tea.Msg { return common.PushMsg{Screen: build(ctx, c)} }
}

// addOrg pushes the wizard for a new profile, so the current one is not replaced.
func (m *HomeModel) addOrg() tea.Cmd {
	if m.Screens.Wizard == nil {
		return nil
	}
	env := m.env
	env.Profile = nextProfileName(m.profiles)
	c := m.Common
	c.Env = &env
	m.message = fmt.Sprintf("The new organisation is saved as profile %q; switch with p.", env.Profile)
	return common.Push(m.Screens.Wizard(m.ctx, c))
}

// nextProfile shows the next stored profile.
func (m *HomeModel) nextProfile() tea.Cmd {
	if len(m.profiles) < 2 {
		m.message = "There is only one profile. Add another organisation with a."
		return nil
	}
	i := 0
	for j, p := range m.profiles {
		if p.Name == m.profile.Name {
			i = (j + 1) % len(m.profiles)
		}
	}
	m.env.Profile = m.profiles[i].Name
	m.Stop()
	m.shown, m.summary, m.collecting, m.message = nil, nil, false, ""
	return tea.Batch(m.spin.Tick, m.load())
}

// nextProfileName is "org-2", "org-3", ...: the first that is not taken.
func nextProfileName(ps []store.Profile) string {
	taken := map[string]bool{}
	for _, p := range ps {
		taken[p.Name] = true
	}
	for i := 2; ; i++ {
		if name := fmt.Sprintf("org-%d", i); !taken[name] {
			return name
		}
	}
}
