package wizard

import (
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/connect"
	"jcconnect/ui/common"
)

// welcomeStep is step 1: what will happen, what the admin needs, which integrations to connect
// and in which region (or the built-in demo organisation).
type welcomeStep struct {
	cursor  int // over welcomeOptions
	problem string
	k       welcomeKeys
}

// welcomeOption is one selectable line: an integration (a checkbox) or a region (a radio).
type welcomeOption struct {
	label       string
	integration string // "endpoint" or "sso"
	region      string // "us", "eu", "in" or RegionDemo
	way         string // "sa" or "key": how to connect
}

var welcomeOptions = []welcomeOption{
	{label: "Service account (recommended for integrations: not tied to a person)", way: "sa"},
	{label: "Read Only administrator's API key (works everywhere)", way: "key"},
	{label: "Endpoint Management (devices, policies, System Insights)", integration: "endpoint"},
	{label: "SSO (users, MFA, SSO applications)", integration: "sso"},
	{label: "US  console.jumpcloud.com", region: "us"},
	{label: "EU  console.eu.jumpcloud.com", region: "eu"},
	{label: "IN  console.in.jumpcloud.com", region: "in"},
	{label: "Demo organisation (built in, no account needed)", region: connect.RegionDemo},
}

func newWelcomeStep(st *wizardState) *welcomeStep {
	w := &welcomeStep{k: newWelcomeKeys()}
	// Start on the chosen region so a newcomer with --demo just presses enter.
	for i, o := range welcomeOptions {
		if o.region != "" && o.region == st.region {
			w.cursor = i
		}
	}
	return w
}

func (w *welcomeStep) title() string                 { return "Welcome" }
func (w *welcomeStep) keys() help.KeyMap             { return w.k }
func (w *welcomeStep) capturesBack() bool            { return false }
func (w *welcomeStep) enter(st *wizardState) tea.Cmd { w.problem = ""; return nil }

func (w *welcomeStep) update(msg tea.Msg, st *wizardState) tea.Cmd {
	if d, ok := msg.(demoStartedMsg); ok {
		if d.err != nil {
			w.problem = "The demo organisation could not start: " + connect.Clean(d.err.Error())
			return nil
		}
		if st.demo != nil { // started twice (enter pressed again meanwhile): keep the first
			d.demo.Close()
		} else {
			st.useDemo(d.demo)
		}
		w.problem = ""
		return wizardNext
	}
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	switch {
	case key.Matches(km, w.k.Up):
		w.cursor = max(w.cursor-1, 0)
	case key.Matches(km, w.k.Down):
		w.cursor = min(w.cursor+1, len(welcomeOptions)-1)
	case key.Matches(km, w.k.Toggle):
		w.Choose(st)
	case key.Matches(km, w.k.Continue):
		// enter on a region (or a way) chooses it too: one key for the common path.
		if welcomeOptions[w.cursor].region != "" || welcomeOptions[w.cursor].way != "" {
			w.Choose(st)
		}
		if !st.integrations.EndpointManagement && !st.integrations.SSO {
			w.problem = "Choose at least one integration (space ticks it)."
			return nil
		}
		if st.isDemo() && st.demo == nil {
			// Starting it opens a listener and a folder: that is I/O, so it is a command, and
			// the step moves on when it reports.
			return startDemoCmd(st.env.StartDemo)
		}
		w.problem = ""
		return wizardNext
	}
	return nil
}

func (w *welcomeStep) Choose(st *wizardState) {
	o := welcomeOptions[w.cursor]
	switch o.integration {
	case "endpoint":
		st.integrations.EndpointManagement = !st.integrations.EndpointManagement
	case "sso":
		st.integrations.SSO = !st.integrations.SSO
	}
	if o.region != "" {
		st.region = o.region
	}
	if o.way != "" {
		st.serviceAccount = o.way == "sa"
	}
	w.problem = ""
}

func (w *welcomeStep) view(st *wizardState, c common.Common) string {
	s := c.Styles
	var b strings.Builder
	b.WriteString("This connects a JumpCloud organisation for compliance evidence, read-only: " +
		"you create a Read Only administrator, paste its API key, jcconnect checks it " +
		"live and stores it in your OS keyring, then shows the evidence it collects.\n")
	b.WriteString(s.Muted.Render("You need: an Administrator with Billing account (only it can create admins).") + "\n\n")
	for i, o := range welcomeOptions {
		switch {
		case i == 0:
			b.WriteString(s.Subtitle.Render("Connect with") + "\n")
		case o.integration != "" && welcomeOptions[i-1].integration == "":
			b.WriteString("\n" + s.Subtitle.Render("Integrations") + "\n")
		case o.region != "" && welcomeOptions[i-1].region == "":
			b.WriteString("\n" + s.Subtitle.Render("Region") + "\n")
		}
		var mark string
		switch {
		case o.way != "":
			mark = radio(st.serviceAccount == (o.way == "sa"))
		case o.integration == "endpoint":
			mark = checkbox(st.integrations.EndpointManagement)
		case o.integration == "sso":
			mark = checkbox(st.integrations.SSO)
		default:
			mark = radio(st.region == o.region)
		}
		line := "  " + mark + " " + o.label
		if i == w.cursor {
			line = common.Focus + s.Selected.Render("> "+mark+" "+o.label)
		}
		b.WriteString(line + "\n")
	}
	if st.env.BaseURL != "" && st.env.Demo == nil {
		b.WriteString("\n" + s.Muted.Render("--base-url "+connect.Clean(st.env.BaseURL)+" is set: the key is checked there; the region only picks the console link.") + "\n")
	}
	if w.problem != "" {
		b.WriteString("\n" + s.Bad.Render(s.GlyphFail+" "+w.problem) + "\n")
	}
	return b.String()
}

func checkbox(on bool) string {
	if on {
		return "[x]"
	}
	return "[ ]"
}

func radio(on bool) string {
	if on {
		return "(•)"
	}
	return "( )"
}
