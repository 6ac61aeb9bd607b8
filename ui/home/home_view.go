package home

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"

	"jcconnect/connect"
	"jcconnect/evidence"
	"jcconnect/glossary"
	"jcconnect/store"
	"jcconnect/ui/common"
)

// Drawing of the home screen (home_model.go holds its state and behaviour).

// View draws the banner (when the key needs attention), the connection, the evidence and the
// actions.
func (m *HomeModel) View() string {
	if m.TooSmall() {
		return m.TooSmallView()
	}
	s := m.Styles
	width := min(max(m.Width-4, 20), 100)
	title := "jcconnect"
	if name := connect.Clean(m.profile.OrgName); name != "" {
		title += " — " + name
	}
	header := s.Title.Render(title)
	if m.profile.Name != "" {
		header += s.Muted.Render("   profile " + m.profile.Name)
	}
	page := func(body string) string {
		return m.scroller().Page(s, m.Width, m.Height, header, body, m.helpView())
	}

	if !m.loaded {
		return page(m.spin.View() + " Checking the connection with JumpCloud…")
	}
	if m.loadErr != nil {
		return page(common.Boxed(s.ErrorBox, width, "The stored connection could not be read: "+
			m.loadErr.Error()+"\n"+store.Fix(m.loadErr)))
	}
	if m.confirming {
		return page(m.confirmView(width))
	}
	if m.showHelp {
		return page(m.fullHelpView())
	}
	// Everything but the pass rates has a fixed height; the pass rates get what is left, and on
	// a short window the actions fold into a few lines. What still does not fit scrolls, with
	// the chosen action kept in view.
	head := ""
	if banner := m.banner(width); banner != "" {
		head += banner + "\n"
	}
	bottom := ""
	if m.message != "" {
		bottom += "\n" + s.Muted.Render(m.message) + "\n"
	}
	// As Page lays it out: header, a blank line, the body, the scroll note, the key hints.
	room := m.Height - lipgloss.Height(common.Wrap(header, m.Width)) - 2 - lipgloss.Height(m.helpView())
	// Layouts from the roomiest to the tightest; each keeps at least minRates pass rates.
	layouts := []struct {
		compactConn, compactActions bool
		minRates                    int
	}{{false, false, 3}, {true, false, 3}, {true, true, 2}, {true, true, 0}}
	var body string
	for _, l := range layouts {
		actions := m.actionsView()
		if l.compactActions {
			actions = m.compactActionsView(width)
		}
		top := head + m.connectionView(l.compactConn)
		for rates := homePassRateLines; rates >= l.minRates; rates-- {
			body = top + "\n" + m.evidenceView(rates) + "\n" + actions + bottom
			if lineCount(common.Wrap(strings.TrimRight(body, "\n"), m.Width)) <= room {
				return page(body)
			}
		}
	}
	return page(body)
}

// scroller is the body's scroll, made on first use.
func (m *HomeModel) scroller() *common.Scroll {
	if m.scroll == nil {
		m.scroll = common.NewScroll()
	}
	return m.scroll
}

// lineCount is how many terminal lines s takes (a trailing newline does not start a line).
func lineCount(s string) int { return strings.Count(strings.TrimSuffix(s, "\n"), "\n") + 1 }

// helpView is the key hints that fit in the width, quit always last.
func (m *HomeModel) helpView() string {
	if m.showHelp {
		return common.HelpLine(m.Styles, m.Width, closeHelp)
	}
	k := m.keys
	k.confirming = m.confirming
	var keys []key.Binding
	for _, b := range k.ShortHelp() {
		if b.Help().Key != k.Quit.Help().Key {
			keys = append(keys, b)
		}
	}
	last := k.Help // what does not fit is under ?
	keys = append(keys, k.Quit)
	if m.confirming {
		last, keys = k.No, keys[:len(keys)-2]
	}
	return common.HelpLine(m.Styles, m.Width, last, keys...)
}

// banner is the first thing shown when the key needs attention, with the key that fixes it. A
// service account's banner speaks of its client secret and its role: rotating a secret never
// changes a role, so for a role it points to the console instead of r.
func (m *HomeModel) banner(width int) string {
	s := m.Styles
	ps := m.status
	w := bannerWordsFor(m.profile.IsServiceAccount())
	rotate := " Press " + s.Key.Render("r") + " to rotate."
	var text string
	box := s.ErrorBox
	switch ps.Check.State {
	case connect.StateValid:
		box = s.Box
		if (!ps.ExpiresSoon || ps.DaysLeft == nil) && m.privileged() {
			text = s.Warn.Bold(true).Render("This "+w.Name+" is not Read Only: "+w.Role+" is "+m.liveRole()+".") +
				"\nIt can change your organisation; evidence needs only Read Only. " + w.fixRole(s)
			break
		}
		if !ps.ExpiresSoon || ps.DaysLeft == nil {
			return ""
		}
		text = s.Warn.Bold(true).Render(fmt.Sprintf("The %s expires in %s (%s): press r to rotate.", w.Secret,
			connect.CountNoun(*ps.DaysLeft, "day"), connect.Day(ps.KeyExpires))) + "\n" + w.generate
	case connect.StateInvalidKey:
		what := "JumpCloud refuses the stored " + w.Secret + ": it was revoked or has expired."
		if ps.DaysLeft != nil && *ps.DaysLeft < 0 {
			what = "The " + w.Secret + " expired on " + connect.Day(ps.KeyExpires) + ": JumpCloud refuses it."
		}
		text = s.Bad.Bold(true).Render(what) + "\nNothing can be collected until it is replaced: press " + s.Key.Render("r") + " to rotate."
	case connect.StateForbidden, connect.StateNoKey:
		text = s.Bad.Bold(true).Render(ps.Check.Message) + "\n" + ps.Check.Fix
		if !(w.serviceAccount && ps.Check.State == connect.StateForbidden) {
			text += rotate // a new secret of the same account keeps its role: r cannot fix a 403
		}
	default:
		text = s.Warn.Bold(true).Render("The "+w.Secret+" could not be checked: "+ps.Check.Message) + "\n" + ps.Check.Fix
		if ps.Check.FixCommand != "" {
			text += "\nRun: " + s.Code.Render(ps.Check.FixCommand)
		}
	}
	if ps.KeySource == store.SourceEnv && !ps.StoredKeyInUse {
		text += "\n" + s.Muted.Render("(The "+w.Secret+" checked is "+w.EnvVar+", not the stored one.)")
	}
	return common.Boxed(box, width, text)
}

// bannerWords are the banner's words for the credential in use: the glossary's, plus how to
// get the next one when it expires soon.
type bannerWords struct {
	glossary.Credential
	serviceAccount bool
	generate       string
}

func bannerWordsFor(serviceAccount bool) bannerWords {
	w := bannerWords{Credential: glossary.CredentialFor(serviceAccount), serviceAccount: serviceAccount,
		generate: "Generate the new key as the Read Only admin (My API Key) when ready."}
	if serviceAccount {
		w.generate = "Create the service account's second client secret (Settings ▸ Service Accounts) when ready."
	}
	return w
}

// fixRole is what fixes a credential that is not Read Only: another admin's key (r), or the
// service account's role changed in the console (a new secret would keep the role).
func (w bannerWords) fixRole(s common.Styles) string {
	if w.serviceAccount {
		return w.RoleFix + " in Settings ▸ Service Accounts."
	}
	return "Press " + s.Key.Render("r") + " to rotate to a Read Only admin's key."
}

// connectionView is the connection at a glance; compact puts two facts per line, for short
// windows.
// keyLabel is the masked key and where it comes from.
func (m *HomeModel) keyLabel() string {
	s, ps := m.Styles, m.status
	key := ps.MaskedKey
	switch ps.KeySource {
	case store.SourceEnv:
		key += s.Muted.Render("  from " + envSourceLabel(ps))
	case store.SourceKeyring:
		key += s.Muted.Render("  in the OS keyring")
	case store.SourceMemory:
		key += s.Muted.Render("  in memory (demo)")
	}
	return key
}

// roleLabel is the key owner's role, warned about when unknown, changed or not Read Only.
func (m *HomeModel) roleLabel() string {
	s, ps := m.Styles, m.status
	role := ps.Role
	switch {
	case role == "":
		role = s.Warn.Render("role unknown")
	case ps.LiveRole != "":
		role = s.Warn.Render(role + " (JumpCloud now says " + ps.LiveRole + ")")
	case !strings.EqualFold(role, "Read Only"):
		role = s.Warn.Render(role + " (not Read Only)")
	}
	return role
}

// expiryLabel is the key's expiry and how far away it is, warned about when close or past.
func (m *HomeModel) expiryLabel() string {
	s, ps := m.Styles, m.status
	exp := ps.KeyExpires
	if isServiceAccount(ps) {
		exp = ps.SecretExpires
	}
	if exp == nil {
		return "not known"
	}
	expires := connect.Day(exp)
	if ps.DaysLeft == nil {
		return expires
	}
	switch d := *ps.DaysLeft; {
	case d < 0:
		return s.Bad.Render(expires + " (expired)")
	case ps.ExpiresSoon:
		return s.Warn.Render(fmt.Sprintf("%s (in %s)", expires, connect.CountNoun(d, "day")))
	default:
		return expires + fmt.Sprintf(" (in %s)", connect.CountNoun(d, "day"))
	}
}

// connectionView is the stored connection and its live check, compact on small windows.
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
	org := connect.Clean(m.profile.OrgName)
	if org == "" {
		org = m.profile.OrgID
	}
	region := connect.RegionLabel(m.profile.Region)
	switch {
	case m.env.Demo != nil && m.profile.BaseURL == m.env.Demo.BaseURL:
		region = connect.RegionLabel(connect.RegionDemo) + " (built in)"
	case m.profile.BaseURL != "":
		region = m.profile.BaseURL
	}
	key, role, expires := m.keyLabel(), m.roleLabel(), m.expiryLabel()
	check := s.OK.Render(s.GlyphPass + " " + ps.Check.Message)
	if ps.Check.State != connect.StateValid {
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
	if isServiceAccount(ps) {
		row("Kind", kindLabel(ps))
	}
	row(secretLabel(ps), key)
	row("Owner", ps.Owner)
	row("Role", role)
	if isServiceAccount(ps) {
		row("Secret expires", expires)
	} else {
		row("Expires", expires)
	}
	row("Token host", tokenHostLabel(ps))
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
		last = connect.Stamp(m.profile.LastCollectedAt)
	}
	b.WriteString("  " + s.Muted.Render(fmt.Sprintf("%-14s", "Last collected")) + " " + last + "\n")
	switch {
	case m.collecting:
		b.WriteString("  " + m.spin.View() + " collecting a fresh snapshot for the pass rates…\n")
	case m.collectErr != nil:
		b.WriteString("  " + s.Bad.Render(common.Wrap("The collection failed: "+connect.Clean(m.collectErr.Error()), max(m.Width-8, 20))) + "\n")
	case m.summary != nil:
		b.WriteString(m.passRates(rates))
	case m.status.Check.State != connect.StateValid:
		b.WriteString("  " + s.Muted.Render("Pass rates need a working key.") + "\n")
	}
	return b.String()
}

// homePassRateLines bounds the pass-rate list so the actions stay on screen.
const homePassRateLines = 8

func (m *HomeModel) passRates(limit int) string {
	s := m.Styles
	var decided []evidence.CheckSummary
	for _, c := range m.summary {
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
			connect.Clean(c.Title), c.Pass, c.Pass+c.Fail, c.Subject)
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
	// The focus mark at the end keeps the actions in view when the window is short.
	return s.Subtitle.Render("Actions") + "  " + strings.Join(parts, " · ") + common.Focus + "\n"
}

func (m *HomeModel) actionsView() string {
	s := m.Styles
	var b strings.Builder
	b.WriteString(s.Subtitle.Render("Actions") + "\n")
	for i, it := range m.items() {
		line := fmt.Sprintf("%s  %s", it.key.Help().Key, it.label)
		if i == m.cursor {
			b.WriteString(common.Focus + s.Selected.Render("> "+line) + "\n")
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
		"This removes the key (…" + p.KeyLast4 + ") from this computer's keyring and forgets the profile. " +
		"It does NOT revoke the key in JumpCloud: to do that, sign in as the key's admin and generate a " +
		"new key (My API Key), or turn off its API access in Settings ▸ Administrators." +
		"\n\n" + s.Key.Render("y") + " disconnect    " + s.Key.Render("n") + " keep it"
	return common.Boxed(s.Box, width, msg) + "\n"
}

// stateLabel names a state for people, in a few words.
func stateLabel(st connect.KeyState) string {
	switch st {
	case connect.StateInvalidKey:
		return "refused: revoked or expired"
	case connect.StateForbidden:
		return "forbidden: the role cannot read evidence"
	case connect.StateUnreachable:
		return "JumpCloud could not be reached"
	case connect.StateKeyring:
		return "the keyring could not be used"
	case connect.StateNoKey:
		return "no key in the keyring"
	case connect.StateOrg:
		return "organisation problem"
	case connect.StateConfig:
		return "configuration problem"
	}
	return string(st)
}
