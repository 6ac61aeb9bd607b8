package ui

import (
	"context"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/evidence"
	"jcconnect/store"
)

// HomeModel is `jcconnect` once a profile exists: the connection at a glance (organisation,
// role, key expiry, the live check, the last collection and its pass rates) and the actions.
// A key that is refused, expiring or cannot be checked is the first thing shown, with rotation
// one key (r) away. It is the bottom screen of an App: rotation and the wizard are pushed on
// it; actions that run outside the TUI (the browser while it is not a screen, export,
// disconnect) end the program with Action set, and runHome carries them out.
type HomeModel struct {
	Common
	ctx  context.Context
	env  Env // env with the profile being shown
	keys HomeKeys
	help help.Model
	spin spinner.Model

	gen      int // generation of the status load; older loads are dropped
	loading  bool
	loaded   bool
	status   ProfileStatus
	profile  store.Profile
	profiles []store.Profile
	loadErr  error

	cgen       int // generation of the collection
	collecting bool
	cancel     context.CancelFunc
	snap       *evidence.Snapshot
	report     *evidence.Report
	collectErr error

	cursor     int
	confirming bool // "disconnect?" is showing
	message    string

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
	HomeExport     HomeAction = "export"
	HomeDisconnect HomeAction = "disconnect"
)

// HomeScreens build the screens the home screen pushes. A nil Browser makes browsing end the
// TUI and run `jcconnect devices` instead.
type HomeScreens struct {
	Rotate func(ctx context.Context, c Common) tea.Model
	Wizard func(ctx context.Context, c Common) tea.Model
	// Browser is built in a command (it reads the keyring); snap is home's last collection,
	// shown at once, or nil.
	Browser func(ctx context.Context, c Common, snap *evidence.Snapshot, users bool) (tea.Model, error)
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
		gen      int
		profile  store.Profile
		profiles []store.Profile
		status   ProfileStatus
		err      error
	}
	homeCollectedMsg struct {
		gen    int
		snap   *evidence.Snapshot
		report *evidence.Report
		err    error
	}
	// homeRefreshMsg asks for a new status load (after a rotation or the wizard).
	homeRefreshMsg struct{}
	// homeNoticeMsg is a screen that could not be opened, and why.
	homeNoticeMsg struct{ err error }
)

// NewHomeModel builds the home screen for env's profile (env.Profile, else the default).
func NewHomeModel(ctx context.Context, c Common) *HomeModel {
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
func (m *HomeModel) Status() ProfileStatus { return m.status }

// ProfileName is the profile shown.
func (m *HomeModel) ProfileName() string { return m.profile.Name }

func (m *HomeModel) load() tea.Cmd {
	m.gen++
	m.loading = true
	gen, ctx, env := m.gen, m.ctx, m.env
	return func() tea.Msg {
		msg := homeLoadedMsg{gen: gen}
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
		msg.status = statusFor(ctx, &env, p, true, p.Name == def, cred, kerr, envNow(&env))
		return msg
	}
}

// collect reads a snapshot in the background for the pass rates, and records when.
func (m *HomeModel) collect() tea.Cmd {
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
		snap, rep, err := collectForHome(ctx, &env, p)
		return homeCollectedMsg{gen: gen, snap: snap, report: rep, err: err}
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
		if msg.gen != m.gen {
			return m, nil
		}
		m.loading, m.loaded = false, true
		m.loadErr, m.profile, m.profiles, m.status = msg.err, msg.profile, msg.profiles, msg.status
		m.cursor = 0 // rotation when the key needs it, else the first evidence action
		if msg.err == nil && m.status.Check.State == StateValid && m.snap == nil && !m.collecting {
			return m, tea.Batch(m.spin.Tick, m.collect())
		}
		return m, nil
	case homeCollectedMsg:
		if msg.gen != m.cgen {
			return m, nil
		}
		m.collecting, m.cancel = false, nil
		m.collectErr = msg.err
		if msg.err == nil {
			m.snap, m.report = msg.snap, msg.report
			at := msg.snap.CollectedAt
			m.profile.LastCollectedAt = &at
		}
		return m, nil
	case homeNoticeMsg:
		m.message = "Could not open the browser: " + Clean(msg.err.Error())
		if fix := store.Fix(msg.err); fix != "" {
			m.message += " " + fix
		}
		return m, nil
	case homeRefreshMsg, RotationDoneMsg:
		m.snap, m.report = nil, nil
		return m, tea.Batch(m.spin.Tick, m.load())
	case tea.KeyMsg:
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
		{"Export evidence for auditors", k.Export, func(m *HomeModel) tea.Cmd { return m.leave(HomeExport) }, always},
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
	case StateInvalidKey, StateForbidden, StateNoKey:
		return true
	}
	return m.status.ExpiresSoon
}

func (m *HomeModel) handleKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
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
		if m.status.Check.State == StateValid {
			return m, tea.Batch(m.spin.Tick, m.collect())
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
	return Push(m.Screens.Rotate(m.ctx, m.Common))
}

func (m *HomeModel) browse(users bool) tea.Cmd {
	if m.Screens.Browser == nil {
		if users {
			return m.leave(HomeUsers)
		}
		return m.leave(HomeDevices)
	}
	build, ctx, c, snap := m.Screens.Browser, m.ctx, m.Common, m.snap
	return func() tea.Msg {
		screen, err := build(ctx, c, snap, users)
		if err != nil {
			return homeNoticeMsg{err: err}
		}
		return PushMsg{Screen: screen}
	}
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
	return Push(m.Screens.Wizard(m.ctx, c))
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
	m.snap, m.report, m.collecting, m.message = nil, nil, false, ""
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

// View draws the banner (when the key needs attention), the connection, the evidence and the
// actions.
func (m *HomeModel) View() string {
	if m.TooSmall() {
		return m.TooSmallView()
	}
	s := m.Styles
	width := min(max(m.Width-4, 20), 100)
	var b strings.Builder
	title := "jcconnect"
	if name := Clean(m.profile.OrgName); name != "" {
		title += " — " + name
	}
	b.WriteString(s.Title.Render(title))
	if m.profile.Name != "" {
		b.WriteString(s.Muted.Render("   profile " + m.profile.Name))
	}
	b.WriteString("\n\n")

	if !m.loaded {
		b.WriteString(m.spin.View() + " Checking the connection with JumpCloud…\n")
		return b.String()
	}
	if m.loadErr != nil {
		b.WriteString(s.ErrorBox.Width(width).Render(wrap("The stored connection could not be read: "+
			m.loadErr.Error()+"\n"+store.Fix(m.loadErr), width-4)) + "\n")
		return b.String()
	}
	if m.confirming {
		b.WriteString(m.confirmView(width))
		b.WriteString("\n" + m.helpView())
		return b.String()
	}
	// Everything but the pass rates has a fixed height; the pass rates get what is left, and on
	// a short window the actions fold into a few lines so they are never the part cut off.
	head := b.String()
	if banner := m.banner(width); banner != "" {
		head += banner + "\n"
	}
	bottom := ""
	if m.message != "" {
		bottom += "\n" + s.Muted.Render(wrap(m.message, width)) + "\n"
	}
	bottom += "\n" + m.helpView()
	// Layouts from the roomiest to the tightest; each keeps at least minRates pass rates.
	layouts := []struct {
		compactConn, compactActions bool
		minRates                    int
	}{{false, false, 3}, {true, false, 3}, {true, true, 2}, {true, true, 0}}
	var out string
	for _, l := range layouts {
		actions := m.actionsView()
		if l.compactActions {
			actions = m.compactActionsView(width)
		}
		top := head + m.connectionView(l.compactConn)
		for rates := homePassRateLines; rates >= l.minRates; rates-- {
			out = top + "\n" + m.evidenceView(rates) + "\n" + actions + bottom
			if lineCount(out) <= m.Height {
				return out
			}
		}
	}
	return out // the App cuts what still does not fit, with a marker
}

// lineCount is how many terminal lines s takes (a trailing newline does not start a line).
func lineCount(s string) int { return strings.Count(strings.TrimSuffix(s, "\n"), "\n") + 1 }

func (m *HomeModel) helpView() string {
	k := m.keys
	k.confirming = m.confirming
	return m.help.View(k)
}

// banner is the first thing shown when the key needs attention, with the key that fixes it.
func (m *HomeModel) banner(width int) string {
	s := m.Styles
	ps := m.status
	var text string
	box := s.ErrorBox
	switch ps.Check.State {
	case StateValid:
		box = s.Box
		if (!ps.ExpiresSoon || ps.DaysLeft == nil) && m.privileged() {
			text = s.Warn.Bold(true).Render("This key is not Read Only: its admin's role is "+m.liveRole()+".") +
				"\nIt can change your organisation; evidence needs only Read Only. Press " + s.Key.Render("r") +
				" to rotate to a Read Only admin's key."
			break
		}
		if !ps.ExpiresSoon || ps.DaysLeft == nil {
			return ""
		}
		text = s.Warn.Bold(true).Render(fmt.Sprintf("The key expires in %s (%s): press r to rotate.",
			countNoun(*ps.DaysLeft, "day"), day(ps.KeyExpires))) +
			"\nGenerate the new key as the Read Only admin (My API Key) when ready."
	case StateInvalidKey:
		what := "JumpCloud refuses the stored key: it was revoked or has expired."
		if ps.DaysLeft != nil && *ps.DaysLeft < 0 {
			what = "The key expired on " + day(ps.KeyExpires) + ": JumpCloud refuses it."
		}
		text = s.Bad.Bold(true).Render(what) + "\nNothing can be collected until it is replaced: press " +
			s.Key.Render("r") + " to rotate."
	case StateForbidden, StateNoKey:
		text = s.Bad.Bold(true).Render(ps.Check.Message) + "\n" + ps.Check.Fix + " Press " + s.Key.Render("r") + " to rotate."
	default:
		text = s.Warn.Bold(true).Render("The key could not be checked: "+ps.Check.Message) + "\n" + ps.Check.Fix
		if ps.Check.FixCommand != "" {
			text += "\nRun: " + s.Code.Render(ps.Check.FixCommand)
		}
	}
	if ps.KeySource == store.SourceEnv && !ps.StoredKeyInUse {
		text += "\n" + s.Muted.Render("(The key checked is JUMPCLOUD_API_KEY, not the stored one.)")
	}
	return box.Width(width).Render(text)
}

// connectionView is the connection at a glance; compact puts two facts per line, for short
// windows.
func (m *HomeModel) connectionView(compact bool) string {
	s := m.Styles
	ps := m.status
	var b strings.Builder
	b.WriteString(s.Subtitle.Render("Connection") + "\n")
	row := func(label, value string) {
		if value != "" {
			b.WriteString("  " + s.Muted.Render(fmt.Sprintf("%-14s", label)) + " " + value + "\n")
		}
	}
	org := Clean(m.profile.OrgName)
	if org == "" {
		org = m.profile.OrgID
	}
	region := RegionLabel(m.profile.Region)
	if m.profile.BaseURL != "" {
		region = m.profile.BaseURL
	}
	key := ps.MaskedKey
	switch ps.KeySource {
	case store.SourceEnv:
		key += s.Muted.Render("  from JUMPCLOUD_API_KEY")
	case store.SourceKeyring:
		key += s.Muted.Render("  in the OS keyring")
	case store.SourceMemory:
		key += s.Muted.Render("  in memory (demo)")
	}
	role := ps.Role
	switch {
	case role == "":
		role = s.Warn.Render("role unknown")
	case ps.LiveRole != "":
		role = s.Warn.Render(role + " (JumpCloud now says " + ps.LiveRole + ")")
	case !strings.EqualFold(role, "Read Only"):
		role = s.Warn.Render(role + " (not Read Only)")
	}
	expires := "not known"
	if ps.KeyExpires != nil {
		expires = day(ps.KeyExpires)
		if ps.DaysLeft != nil {
			switch d := *ps.DaysLeft; {
			case d < 0:
				expires = s.Bad.Render(expires + " (expired)")
			case ps.ExpiresSoon:
				expires = s.Warn.Render(fmt.Sprintf("%s (in %s)", expires, countNoun(d, "day")))
			default:
				expires += fmt.Sprintf(" (in %s)", countNoun(d, "day"))
			}
		}
	}
	check := s.OK.Render(s.GlyphPass + " the key works")
	if ps.Check.State != StateValid {
		check = s.Bad.Render(s.GlyphFail + " " + stateLabel(ps.Check.State))
	}
	if m.loading {
		check = m.spin.View() + " checking…"
	}
	profiles := ""
	if len(m.profiles) > 1 {
		profiles = fmt.Sprintf("%d stored (p shows the next)", len(m.profiles))
	}
	if compact {
		row("Organisation", org+s.Muted.Render(" · "+region))
		row("Key", key+s.Muted.Render(" · expires ")+expires)
		row("Owner", strings.TrimPrefix(ps.Owner+" · ", " · ")+role)
		row("Live check", check)
		row("Profiles", profiles)
		return b.String()
	}
	row("Organisation", org)
	row("Region", region)
	row("Key", key)
	row("Owner", ps.Owner)
	row("Role", role)
	row("Expires", expires)
	row("Live check", check)
	row("Profiles", profiles)
	return b.String()
}

// evidenceView is the last collection and its pass rates, at most rates lines of them.
func (m *HomeModel) evidenceView(rates int) string {
	s := m.Styles
	var b strings.Builder
	b.WriteString(s.Subtitle.Render("Evidence") + "\n")
	last := "never"
	if m.profile.LastCollectedAt != nil {
		last = stamp(m.profile.LastCollectedAt)
	}
	b.WriteString("  " + s.Muted.Render(fmt.Sprintf("%-14s", "Last collected")) + " " + last + "\n")
	switch {
	case m.collecting:
		b.WriteString("  " + m.spin.View() + " collecting a fresh snapshot for the pass rates…\n")
	case m.collectErr != nil:
		b.WriteString("  " + s.Bad.Render(wrap("The collection failed: "+Clean(m.collectErr.Error()), max(m.Width-8, 20))) + "\n")
	case m.report != nil:
		b.WriteString(m.passRates(rates))
	case m.status.Check.State != StateValid:
		b.WriteString("  " + s.Muted.Render("Pass rates need a working key.") + "\n")
	}
	return b.String()
}

// homePassRateLines bounds the pass-rate list so the actions stay on screen.
const homePassRateLines = 8

func (m *HomeModel) passRates(limit int) string {
	s := m.Styles
	var decided []evidence.CheckSummary
	for _, c := range m.report.Summary {
		if _, ok := c.PassRate(); ok {
			decided = append(decided, c)
		}
	}
	if len(decided) == 0 {
		return "  " + s.Muted.Render("No check could be decided from this collection.") + "\n"
	}
	more := ""
	if len(decided) > limit {
		keep := max(limit-1, 0)
		more = "  " + s.Muted.Render(fmt.Sprintf("… %d more checks in the browser and the export", len(decided)-keep)) + "\n"
		decided = decided[:keep]
	}
	var b strings.Builder
	for _, c := range decided {
		rate, _ := c.PassRate()
		style := s.OK
		switch {
		case rate < 0.8:
			style = s.Bad
		case rate < 1:
			style = s.Warn
		}
		line := fmt.Sprintf("  %s  %-34s %d of %d %ss", style.Render(fmt.Sprintf("%3.0f%%", rate*100)),
			Clean(c.Title), c.Pass, c.Pass+c.Fail, c.Subject)
		if c.Unknown > 0 {
			line += s.Muted.Render(fmt.Sprintf(" (%d unknown)", c.Unknown))
		}
		b.WriteString(line + "\n")
	}
	return b.String() + more
}

// compactActionsView lists the actions on as few lines as the width allows, for short windows.
func (m *HomeModel) compactActionsView(width int) string {
	s := m.Styles
	var parts []string
	for _, it := range m.items() {
		label := it.label
		if label != "" {
			label = strings.ToLower(label[:1]) + label[1:]
		}
		parts = append(parts, s.Key.Render(it.key.Help().Key)+" "+label)
	}
	return s.Subtitle.Render("Actions") + "  " + wrap(strings.Join(parts, " · "), width) + "\n"
}

func (m *HomeModel) actionsView() string {
	s := m.Styles
	var b strings.Builder
	b.WriteString(s.Subtitle.Render("Actions") + "\n")
	for i, it := range m.items() {
		line := fmt.Sprintf("%s  %s", it.key.Help().Key, it.label)
		if i == m.cursor {
			b.WriteString(s.Selected.Render("> "+line) + "\n")
		} else {
			b.WriteString("  " + line + "\n")
		}
	}
	return b.String()
}

func (m *HomeModel) confirmView(width int) string {
	s := m.Styles
	p := m.profile
	msg := s.Warn.Bold(true).Render(fmt.Sprintf("Disconnect profile %q?", p.Name)) + "\n\n" +
		wrap("This removes the key (…"+p.KeyLast4+") from this computer's keyring and forgets the profile. "+
			"It does NOT revoke the key in JumpCloud: to do that, sign in as the key's admin and generate a "+
			"new key (My API Key), or turn off its API access in Settings ▸ Administrators.", width-4) +
		"\n\n" + s.Key.Render("y") + " disconnect    " + s.Key.Render("n") + " keep it"
	return s.Box.Width(width).Render(msg) + "\n"
}

// stateLabel names a state for people, in a few words.
func stateLabel(st KeyState) string {
	switch st {
	case StateInvalidKey:
		return "refused: revoked or expired"
	case StateForbidden:
		return "forbidden: the role cannot read evidence"
	case StateUnreachable:
		return "JumpCloud could not be reached"
	case StateKeyring:
		return "the keyring could not be used"
	case StateNoKey:
		return "no key in the keyring"
	case StateOrg:
		return "organisation problem"
	case StateConfig:
		return "configuration problem"
	}
	return string(st)
}
