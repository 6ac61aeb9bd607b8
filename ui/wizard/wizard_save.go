package wizard

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/connect"
	"jcconnect/store"
	"jcconnect/ui/common"
)

// saveStep is step 6: store the verified key in the OS keyring with its profile. Nothing is
// written before this step. When the keyring cannot be used, the doctor's diagnosis and fixes
// are shown with retry, and the JUMPCLOUD_API_KEY route is explained for headless machines.
type saveStep struct {
	saving   bool
	err      error
	diag     []store.Check
	existing *store.Profile // the profile already stored under this name, if any
	named    bool           // the profile's name is settled (existingProfileMsg arrived)
	// serviceAccount: a client secret is saved (its headless route is JUMPCLOUD_CLIENT_ID/SECRET)
	serviceAccount bool
	k              saveKeys
}

// saveDoneMsg is the outcome of a save; on failure the keyring doctor's checks come with it.
type saveDoneMsg struct {
	err  error
	diag []store.Check
}

func newSaveStep(common.Common) *saveStep {
	return &saveStep{k: newSaveKeys()}
}

func (s *saveStep) title() string      { return "Save the key" }
func (s *saveStep) keys() help.KeyMap  { return s.k }
func (s *saveStep) capturesBack() bool { return s.saving }

func (s *saveStep) enter(st *wizardState) tea.Cmd {
	s.k.saved = st.saved
	s.existing, s.named = nil, false
	s.serviceAccount = st.verified != nil && st.verified.IsServiceAccount()
	// Reading the profiles file is I/O: a command, whose answer says whether a stored key would
	// be replaced.
	return existingProfileCmd(st.store(), st.env.Profile, st.verified)
}

// existingProfileMsg names the profile the save writes (connect.SetupProfileName, read from the
// store the save writes to) and carries the profile whose key it would replace, nil when none.
type existingProfileMsg struct {
	name string
	p    *store.Profile
}

func existingProfileCmd(s *store.Store, flag string, v *connect.Verified) tea.Cmd {
	return func() tea.Msg {
		name := connect.SetupProfileName(s, flag)
		if v == nil {
			return existingProfileMsg{name: name}
		}
		if p, ok := connect.KeyToReplace(s, name, v.Key); ok {
			return existingProfileMsg{name, &p}
		}
		return existingProfileMsg{name: name}
	}
}

func (s *saveStep) update(msg tea.Msg, st *wizardState) tea.Cmd {
	switch msg := msg.(type) {
	case existingProfileMsg:
		s.existing, s.named = msg.p, true
		if !st.saved {
			st.profileName = msg.name
		}
		return nil
	case saveDoneMsg:
		s.saving = false
		s.err, s.diag = msg.err, msg.diag
		s.k.failed = msg.err != nil
		if msg.err == nil {
			st.saved, s.k.saved = true, true
		}
		return nil
	case tea.KeyMsg:
		if s.saving || st.verified == nil || !s.named {
			return nil // a save waits for the profile's name and what it would replace
		}
		switch {
		case st.saved && key.Matches(msg, s.k.Continue):
			return wizardNext
		case !st.saved && (key.Matches(msg, s.k.Save) || (s.err != nil && key.Matches(msg, s.k.Retry))):
			s.saving, s.err, s.diag = true, nil, nil
			return saveCmd(st.ctx, st.store(), st.profileName, *st.verified)
		}
	}
	return nil
}

// saveCmd stores the verified key (connect.SaveVerified, the one save of every face); on
// failure it runs the keyring doctor so the screen can show why.
func saveCmd(ctx context.Context, s *store.Store, name string, v connect.Verified) tea.Cmd {
	return func() tea.Msg {
		err := connect.SaveVerified(ctx, s, name, v)
		if err == nil {
			return saveDoneMsg{}
		}
		dctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		return saveDoneMsg{err: err, diag: store.Diagnose(dctx, s.Keyring())}
	}
}

func (s *saveStep) view(st *wizardState, c common.Common) string {
	sty := c.Styles
	v := st.verified
	if v == nil {
		return "Verify a key first (esc goes back)."
	}
	var b strings.Builder
	row := func(k, val string) {
		b.WriteString(common.Hang(fmt.Sprintf("  %-14s ", k), val, min(c.Width, common.MaxTextWidth)) + "\n")
	}
	row("Organisation", connect.Clean(v.Org.Name())+sty.Muted.Render(" ("+connect.Clean(v.Org.ID)+")"))
	owner := connect.Clean(v.Owner.Admin.Email)
	if owner == "" {
		owner = "unknown"
	}
	role := connect.Clean(v.Owner.Role)
	if role == "" {
		role = "unknown"
	}
	row("Key owner", owner+", role "+role)
	row("Key", sty.Code.Render(v.Masked()))
	if v.Expires != nil {
		row("Expires", v.Expires.Format("2 Jan 2006"))
	}
	row("Profile", st.profileName)
	b.WriteString("\n")
	if st.keptInMemory() {
		b.WriteString(sty.Warn.Render("Demo: the key is kept in memory only and forgotten when jcconnect exits; "+
			"nothing goes to your keyring, and the profile lives in a temporary folder.") + "\n\n")
	} else {
		b.WriteString("Where: your OS keyring (Keychain, Credential Manager or the Secret Service). Only " +
			"the profile above, never the key, is written to " + sty.Code.Render("jcconnect/profiles") + " in your config folder.\n\n")
	}
	if s.existing != nil && !st.saved {
		b.WriteString(sty.Warn.Render(connect.ReplaceNotice(st.profileName, *s.existing)) + "\n" +
			sty.Muted.Render("The old key keeps working in JumpCloud until you revoke it there.") + "\n\n")
	}
	if store.CredentialInEnv(st.env.Getenv) && !st.keptInMemory() {
		b.WriteString(sty.Warn.Render(connect.EnvCredentialSet(st.env.Getenv)+" in this shell: while it is, jcconnect uses "+
			"the environment instead of the stored key. Unset it to use the key saved here.") + "\n\n")
	}
	switch {
	case st.saved:
		b.WriteString(sty.OK.Render(sty.GlyphPass+" Saved.") + " Press enter to preview the evidence.\n")
	case s.saving:
		b.WriteString("Saving…\n")
	case s.err != nil:
		b.WriteString(s.failureView(sty))
	case !s.named:
		// enter waits until what a save would replace is known (and shown above).
		b.WriteString("Reading the stored profiles…\n")
	default:
		b.WriteString("Press " + sty.Key.Render("enter") + " to save.\n")
	}
	return b.String()
}

func (s *saveStep) failureView(sty common.Styles) string {
	var b strings.Builder
	what := "key"
	if s.serviceAccount {
		what = "client secret"
	}
	b.WriteString(sty.Bad.Render(sty.GlyphFail+" The "+what+" could not be stored: "+connect.Clean(store.Cause(s.err))) + "\n")
	if fix := connect.FixFor(s.err, s.serviceAccount); fix != "" {
		b.WriteString("  " + fix + "\n")
	}
	if len(s.diag) > 0 {
		b.WriteString("\nKeyring diagnosis:\n")
		said := map[string]bool{store.Fix(s.err): true}
		for _, ch := range s.diag {
			mark := sty.OK.Render(sty.GlyphPass)
			line := ch.Name
			if !ch.OK {
				mark = sty.Bad.Render(sty.GlyphFail)
				line += connect.DiagnosisDetail(ch, said)
			}
			b.WriteString("  " + mark + " " + line + "\n")
		}
	}
	b.WriteString("\n" + common.Focus + "Nothing was stored; the key stays verified here. Fix the keyring and press r.\n")
	// The headless route names the credential's own variables (connect.HeadlessAlternative).
	if errors.Is(s.err, store.ErrKeyringTimeout) || errors.Is(s.err, store.ErrNoSessionBus) ||
		errors.Is(s.err, store.ErrNoSecretService) || errors.Is(s.err, store.ErrUnsupported) {
		b.WriteString(sty.Muted.Render("A headless machine (server, CI) has no keyring. "+connect.HeadlessAlternative(s.serviceAccount)) + "\n")
	} else {
		b.WriteString(sty.Muted.Render("No keyring here? "+connect.HeadlessAlternative(s.serviceAccount)) + "\n")
	}
	return b.String()
}
