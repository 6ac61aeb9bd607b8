package ui

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/jumpcloud"
)

// previewStep is step 7: collect a first snapshot with a progress bar fed by page counts, show
// its summary, then offer browse devices, export evidence and done.
type previewStep struct {
	gen      int
	running  bool
	forKey   string
	counts   map[string]jumpcloud.Progress // by source, as pages arrive
	order    []string
	summary  *previewSummary
	err      error
	events   chan tea.Msg
	note     string // outcome of browse/export when they are not available
	k        previewKeys
	canceler context.CancelFunc
}

type previewKeys struct {
	Browse, Export, Done, Retry key.Binding
	ready, failed               bool
}

func (k previewKeys) ShortHelp() []key.Binding {
	switch {
	case k.ready:
		return []key.Binding{k.Browse, k.Export, k.Done}
	case k.failed:
		return []key.Binding{k.Retry, k.Done}
	}
	return []key.Binding{k.Done}
}
func (k previewKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

func newPreviewStep(Common) *previewStep {
	return &previewStep{k: previewKeys{
		Browse: key.NewBinding(key.WithKeys("b"), key.WithHelp("b", "browse devices")),
		Export: key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "export evidence")),
		Done:   key.NewBinding(key.WithKeys("enter", "q"), key.WithHelp("enter", "done")),
		Retry:  key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "try again")),
	}}
}

func (p *previewStep) title() string      { return "Preview the evidence" }
func (p *previewStep) keys() help.KeyMap  { return p.k }
func (p *previewStep) capturesBack() bool { return false }

// previewSummary is what the preview shows of a snapshot.
type previewSummary struct {
	Devices       int
	ByOS          map[string]int
	FDEOn, FDEOff int // devices reporting disk encryption on / off (unknown: neither)
	PolicyPass    int // policy results succeeded (from each device's policy stats)
	PolicyFail    int
	Users         int
	ActiveUsers   int
	UsersWithMFA  int // active users with MFA
	Policies      int
	Applications  int
	Unreadable    []string // sources that could not be read, with why
}

type (
	previewProgressMsg struct {
		gen int
		p   jumpcloud.Progress
	}
	previewDoneMsg struct {
		gen int
		sum *previewSummary
		err error
	}
)

func (p *previewStep) enter(st *wizardState) tea.Cmd {
	if st.verified == nil {
		return nil
	}
	if p.forKey == st.key && (p.running || p.summary != nil) {
		return nil
	}
	return p.start(st)
}

func (p *previewStep) start(st *wizardState) tea.Cmd {
	if p.canceler != nil {
		p.canceler()
	}
	p.gen++
	p.running, p.summary, p.err, p.note = true, nil, nil, ""
	p.k.ready, p.k.failed = false, false
	p.forKey = st.key
	p.counts = map[string]jumpcloud.Progress{}
	p.order = nil
	ctx, cancel := context.WithCancel(st.ctx)
	p.canceler = cancel
	p.events = make(chan tea.Msg, 64)
	go collectPreview(ctx, p.gen, *st.verified, st.env, p.events)
	return waitForEvent(p.events)
}

// waitForEvent delivers the next event of a background collection as a message.
func waitForEvent(ch chan tea.Msg) tea.Cmd {
	return func() tea.Msg {
		msg, ok := <-ch
		if !ok {
			return nil
		}
		return msg
	}
}

// collectPreview reads the sources the chosen integrations need, counting pages as they arrive,
// and summarises them. Progress is sent without blocking the client: a full channel drops an
// intermediate count, never the final one.
func collectPreview(ctx context.Context, gen int, v Verified, env *Env, out chan<- tea.Msg) {
	defer close(out)
	req := VerifyRequest{Key: v.Key, Region: v.Region, BaseURL: v.BaseURL}
	if env != nil {
		req.NewClient = env.NewClient
	}
	base, err := req.Client()
	if err != nil {
		out <- previewDoneMsg{gen: gen, err: err}
		return
	}
	c := ClientForOrg(base, v.Org, v.OrgCount, "")
	onPage := func(pr jumpcloud.Progress) {
		select {
		case out <- previewProgressMsg{gen: gen, p: pr}:
		default:
		}
	}
	opt := func(src jumpcloud.Source) jumpcloud.ListOptions {
		return jumpcloud.ListOptions{Source: string(src), OnPage: onPage}
	}
	sum := &previewSummary{ByOS: map[string]int{}}
	var mu sync.Mutex
	unreadable := func(src jumpcloud.Source, err error) {
		mu.Lock()
		defer mu.Unlock()
		sum.Unreadable = append(sum.Unreadable, fmt.Sprintf("%s: %s", src, Clean(summaryOf(err))))
	}
	var wg sync.WaitGroup
	var fatal error
	run := func(f func() error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := f(); err != nil && jumpcloud.KindOf(err) == jumpcloud.KindInvalidKey {
				mu.Lock()
				fatal = err
				mu.Unlock()
			}
		}()
	}
	if v.Integrations.EndpointManagement {
		run(func() error {
			systems, err := c.Systems(ctx, opt(jumpcloud.SourceDevices))
			if err != nil {
				unreadable(jumpcloud.SourceDevices, err)
				return err
			}
			mu.Lock()
			defer mu.Unlock()
			sum.Devices = len(systems)
			for _, s := range systems {
				sum.ByOS[osLabel(s.Family())]++
				if s.FDE != nil {
					if s.FDE.Active {
						sum.FDEOn++
					} else {
						sum.FDEOff++
					}
				}
				if s.PolicyStats != nil {
					sum.PolicyPass += s.PolicyStats.Success
					sum.PolicyFail += s.PolicyStats.Failed
				}
			}
			return nil
		})
		run(func() error {
			pols, err := c.Policies(ctx, opt(jumpcloud.SourcePolicies))
			if err != nil {
				unreadable(jumpcloud.SourcePolicies, err)
				return err
			}
			mu.Lock()
			sum.Policies = len(pols)
			mu.Unlock()
			return nil
		})
	}
	if v.Integrations.SSO {
		run(func() error {
			users, err := c.SystemUsers(ctx, opt(jumpcloud.SourceUsers))
			if err != nil {
				unreadable(jumpcloud.SourceUsers, err)
				return err
			}
			mu.Lock()
			defer mu.Unlock()
			sum.Users = len(users)
			for _, u := range users {
				active := !u.Suspended && !u.AccountLocked && (u.Activated == nil || *u.Activated)
				if !active {
					continue
				}
				sum.ActiveUsers++
				if (u.TOTPEnabled != nil && *u.TOTPEnabled) || (u.MFA != nil && u.MFA.Configured) {
					sum.UsersWithMFA++
				}
			}
			return nil
		})
		run(func() error {
			apps, err := c.Applications(ctx, opt(jumpcloud.SourceApplications))
			if err != nil {
				unreadable(jumpcloud.SourceApplications, err)
				return err
			}
			mu.Lock()
			sum.Applications = len(apps)
			mu.Unlock()
			return nil
		})
	}
	wg.Wait()
	sort.Strings(sum.Unreadable)
	out <- previewDoneMsg{gen: gen, sum: sum, err: fatal}
}

// summaryOf is an error's few-word summary (the client's, when it is an API error).
func summaryOf(err error) string {
	var je *jumpcloud.Error
	if errors.As(err, &je) {
		return je.Summary()
	}
	return err.Error()
}

func osLabel(family string) string {
	switch family {
	case "darwin":
		return "macOS"
	case "windows":
		return "Windows"
	case "linux":
		return "Linux"
	case "":
		return "unknown"
	}
	return Clean(family)
}

func (p *previewStep) update(msg tea.Msg, st *wizardState) tea.Cmd {
	switch msg := msg.(type) {
	case previewProgressMsg:
		if msg.gen != p.gen {
			return nil
		}
		if _, seen := p.counts[msg.p.Source]; !seen {
			p.order = append(p.order, msg.p.Source)
		}
		p.counts[msg.p.Source] = msg.p
		return waitForEvent(p.events)
	case previewDoneMsg:
		if msg.gen != p.gen {
			return nil
		}
		p.running = false
		p.summary, p.err = msg.sum, msg.err
		p.k.ready = msg.err == nil
		p.k.failed = msg.err != nil
		return nil
	case tea.KeyMsg:
		switch {
		case p.k.failed && key.Matches(msg, p.k.Retry):
			return p.start(st)
		case p.k.ready && key.Matches(msg, p.k.Browse):
			p.note = "The device browser is coming: it will open here. Until then, `jcconnect devices` lists them."
			return nil
		case p.k.ready && key.Matches(msg, p.k.Export):
			p.note = "Export is coming: it will write an auditor's bundle from here. Until then, `jcconnect evidence export`."
			return nil
		case key.Matches(msg, p.k.Done):
			if p.canceler != nil {
				p.canceler()
			}
			return func() tea.Msg { return wizardNextMsg{} }
		}
	}
	return nil
}

// fraction is the share of items read over the sources whose total is known.
func (p *previewStep) fraction() float64 {
	var items, total int
	for _, c := range p.counts {
		if c.Total > 0 {
			items += min(c.Items, c.Total)
			total += c.Total
		}
	}
	if total == 0 {
		return 0
	}
	return float64(items) / float64(total)
}

func (p *previewStep) view(st *wizardState, c Common) string {
	s := c.Styles
	var b strings.Builder
	if st.verified == nil {
		return "Verify and save a key first (esc goes back)."
	}
	org := Clean(st.verified.Org.Name())
	switch {
	case p.running:
		b.WriteString("Collecting a first snapshot from " + org + "…\n\n")
		b.WriteString(progressBar(s, p.fraction(), min(max(c.Width-20, 20), 60)) + "\n\n")
		for _, src := range p.order {
			pr := p.counts[src]
			total := "?"
			if pr.Total >= 0 {
				total = fmt.Sprint(pr.Total)
			}
			b.WriteString(fmt.Sprintf("  %-18s %d / %s\n", src, pr.Items, total))
		}
	case p.err != nil:
		b.WriteString(s.Bad.Render(s.GlyphFail+" Collection stopped: "+Clean(summaryOf(p.err))) + "\n")
		b.WriteString("  " + jumpcloud.KindOf(p.err).Fix() + "\n")
	case p.summary != nil:
		b.WriteString(s.OK.Render(s.GlyphPass+" Connected: "+org) + ". First snapshot:\n\n")
		b.WriteString(p.summary.view(s))
	}
	if p.note != "" {
		b.WriteString("\n" + s.Muted.Render(p.note) + "\n")
	}
	return b.String()
}

func (sum *previewSummary) view(s Styles) string {
	var b strings.Builder
	pct := func(n, of int) string {
		if of == 0 {
			return "–"
		}
		return fmt.Sprintf("%d%%", n*100/of)
	}
	if sum.Devices > 0 || len(sum.ByOS) > 0 {
		var oses []string
		for os, n := range sum.ByOS {
			oses = append(oses, fmt.Sprintf("%s %d", os, n))
		}
		sort.Strings(oses)
		b.WriteString(fmt.Sprintf("  %-16s %d (%s)\n", "Devices", sum.Devices, strings.Join(oses, ", ")))
		b.WriteString(fmt.Sprintf("  %-16s %d on, %d off, %d unknown\n", "Disk encryption", sum.FDEOn, sum.FDEOff, sum.Devices-sum.FDEOn-sum.FDEOff))
		b.WriteString(fmt.Sprintf("  %-16s %d policies; results: %d passed, %d failed (%s pass)\n", "Policies",
			sum.Policies, sum.PolicyPass, sum.PolicyFail, pct(sum.PolicyPass, sum.PolicyPass+sum.PolicyFail)))
	}
	if sum.Users > 0 {
		b.WriteString(fmt.Sprintf("  %-16s %d (%d active)\n", "Users", sum.Users, sum.ActiveUsers))
		b.WriteString(fmt.Sprintf("  %-16s %d of %d active users (%s)\n", "MFA", sum.UsersWithMFA, sum.ActiveUsers, pct(sum.UsersWithMFA, sum.ActiveUsers)))
		b.WriteString(fmt.Sprintf("  %-16s %d\n", "SSO applications", sum.Applications))
	}
	for _, u := range sum.Unreadable {
		b.WriteString("  " + s.Warn.Render("! "+u) + "\n")
	}
	return b.String()
}

// progressBar draws a bar of width cells and the percentage. It is hand-made because
// bubbles/progress needs a module this project does not carry.
func progressBar(s Styles, frac float64, width int) string {
	frac = min(max(frac, 0), 1)
	full := int(frac * float64(width))
	return s.OK.Render(strings.Repeat("█", full)) + s.Muted.Render(strings.Repeat("░", width-full)) +
		fmt.Sprintf(" %3d%%", int(frac*100))
}
