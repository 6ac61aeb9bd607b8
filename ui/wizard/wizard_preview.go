package wizard

import (
	"context"
	"errors"
	"fmt"
	"jcconnect/glossary"
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/connect"
	"jcconnect/evidence"
	"jcconnect/jumpcloud"
	"jcconnect/ui/browser"
	"jcconnect/ui/common"
)

// previewStep is step 7: collect a first snapshot with evidence.Collect (a progress bar fed by
// its page counts), show its summary, then offer browse devices (the evidence browser, pushed on
// the app's stack), export evidence (the auditor's bundle) and done.
type previewStep struct {
	common  common.Common
	Gen     int
	running bool
	forKey  string
	counts  map[string]evidence.ProgressEvent // by source, as pages arrive
	bar     common.WorkBar                    // the collection's progress, by pages
	order   []string
	// shown is the collection, as every screen keeps it (connect.Shown: the snapshot's shell and
	// its report, the reports packed), made where it was collected: each browser opened (b) shows
	// it, shared, and evaluates nothing; nothing here keeps the snapshot's records.
	shown    *evidence.Kept
	summary  previewCounts // what the summary shows of the collection, counted before its records went
	err      error
	events   chan tea.Msg
	note     string // outcome of export, or why an action is not available
	k        previewKeys
	canceler context.CancelFunc
	collect  browser.Collector  // re-collects for the browser's refresh
	full     browser.Collector  // collects every policy status, for an export
	export   *browser.ExportRun // the export running, nil when none
	bundle   browser.ExportedBundle
}

func newPreviewStep(c common.Common) *previewStep {
	return &previewStep{common: c, k: newPreviewKeys()}
}

func (p *previewStep) title() string      { return "Preview the evidence" }
func (p *previewStep) keys() help.KeyMap  { return p.k }
func (p *previewStep) capturesBack() bool { return p.export != nil } // esc cancels the export
func (p *previewStep) setSize(w, h int)   { p.common.SetSize(w, h) }

type (
	previewProgressMsg struct {
		Gen int
		ev  evidence.ProgressEvent
	}
	previewDoneMsg struct {
		Gen    int
		shown  *evidence.Kept
		counts previewCounts
		err    error
	}
	previewExportedMsg struct {
		run *browser.ExportRun
		res evidence.ExportResult
		err error
	}
)

func (p *previewStep) enter(st *wizardState) tea.Cmd {
	if st.verified == nil {
		return nil
	}
	if p.forKey == st.key && (p.running || p.shown != nil) {
		return nil
	}
	return p.start(st)
}

func (p *previewStep) start(st *wizardState) tea.Cmd {
	if p.canceler != nil {
		p.canceler()
	}
	p.Gen++
	p.running, p.shown, p.summary, p.err, p.note = true, nil, previewCounts{}, nil, ""
	p.k.ready, p.k.failed = false, false
	p.forKey = st.key
	p.counts = map[string]evidence.ProgressEvent{}
	p.order = nil
	in := st.verified.Integrations
	p.bar = common.NewWorkBar(p.common.Styles, evidence.Integrations{Endpoint: in.EndpointManagement, SSO: in.SSO})
	ctx, cancel := context.WithCancel(st.ctx)
	p.canceler = cancel
	p.collect = previewCollector(*st.verified, st.env, true)
	p.full = previewCollector(*st.verified, st.env, false)
	p.events = make(chan tea.Msg, 256)
	go runPreview(ctx, p.Gen, p.collect, st.env, p.events)
	return waitForEvent(p.events)
}

// stopExport cancels a running export and waits until it has removed what it had begun (the
// wizard is closed: the process must not exit first).
func (p *previewStep) stopExport() {
	if p.export != nil {
		p.export.Stop()
	}
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

// previewCollector collects what the verified key's integrations need from its organisation
// (connect.CollectorForVerified; the snapshot is remembered, so home does not collect again).
func previewCollector(v connect.Verified, env *connect.Env, checksOnly bool) browser.Collector {
	return connect.CollectorForVerified(env, v, checksOnly)
}

// runPreview collects, evaluates, counts what the summary shows and keeps the collection as
// every screen keeps it (connect.Shown, which env.Recent remembers for the home screen), all
// off the event loop, sending progress without ever blocking the collection (a full channel
// drops an intermediate count, never the final message).
func runPreview(ctx context.Context, gen int, collect browser.Collector, env *connect.Env, out chan<- tea.Msg) {
	defer close(out)
	snap, err := collect(ctx, func(ev evidence.ProgressEvent) {
		select {
		case out <- previewProgressMsg{Gen: gen, ev: ev}:
		default:
		}
	})
	done := previewDoneMsg{Gen: gen, err: err}
	if err == nil {
		rep := evidence.Evaluate(snap, env.CheckThresholds())
		done.counts = countPreview(snap, rep)
		done.shown = connect.Shown(env, snap, rep)
	}
	out <- done
}

// summaryOf is an error's few-word summary (the client's, when it is an API error).
func summaryOf(err error) string {
	var je *jumpcloud.Error
	if errors.As(err, &je) {
		return je.Summary()
	}
	return err.Error()
}

func (p *previewStep) update(msg tea.Msg, st *wizardState) tea.Cmd {
	switch msg := msg.(type) {
	case previewProgressMsg:
		if msg.Gen != p.Gen {
			return nil
		}
		if _, seen := p.counts[msg.ev.Source]; !seen {
			p.order = append(p.order, msg.ev.Source)
		}
		if !p.counts[msg.ev.Source].Done {
			p.counts[msg.ev.Source] = msg.ev
		}
		p.bar.Add(msg.ev)
		return waitForEvent(p.events)
	case previewDoneMsg:
		if msg.Gen != p.Gen {
			return nil
		}
		p.running = false
		p.shown, p.summary, p.err = msg.shown, msg.counts, msg.err
		p.k.ready = msg.err == nil
		p.k.failed = msg.err != nil
		return nil
	case previewExportedMsg:
		if msg.run != p.export {
			return nil
		}
		p.export, p.k.exporting = nil, false
		if msg.err != nil {
			p.note, _ = browser.ExportFailedNote(msg.err) // the preview shows either kind alike
		} else {
			p.note = fmt.Sprintf("Exported the auditor's bundle: %s (and %s)", connect.Clean(msg.res.Dir), connect.Clean(msg.res.Zip)) // the folder was typed: no escape reaches the terminal
		}
		return nil
	case tea.KeyMsg:
		if p.export != nil {
			// esc, q or ctrl+c stop the export (which removes what it had begun); the step stays.
			if key.Matches(msg, p.k.Cancel) {
				p.export.Cancel()
				p.note = "Canceling the export…"
			}
			return nil
		}
		switch {
		case p.k.failed && key.Matches(msg, p.k.Retry):
			return p.start(st)
		case p.k.ready && key.Matches(msg, p.k.Browse):
			c := p.common
			c.Env = st.env
			// The browser shows the collection kept, shared with this step: it builds its rows
			// (tens of milliseconds at 50,000 devices) in the command, off the event loop.
			opt := browser.BrowserOptions{Shown: p.shown, Collect: p.collect, ExportCollect: p.full, OutDir: st.exportDir, Context: st.ctx}
			return func() tea.Msg { return common.PushMsg{Screen: browser.NewBrowser(c, opt)} }
		case p.k.ready && key.Matches(msg, p.k.Export):
			shown, dir, full, env, prev := p.shown, st.exportDir, p.full, st.env, &p.bundle
			snap := shown.Snapshot()
			run := browser.StartExport(st.ctx, func(ctx context.Context) (evidence.ExportResult, error) {
				return browser.ExportSnapshot(ctx, env, snap, shown.Whole, dir, full, prev)
			})
			p.export, p.k.exporting = run, true
			p.note = browser.ExportingNote(snap)
			return func() tea.Msg {
				res, err := run.Wait()
				return previewExportedMsg{run: run, res: res, err: err}
			}
		case key.Matches(msg, p.k.Done):
			if p.canceler != nil {
				p.canceler()
			}
			return func() tea.Msg { return wizardNextMsg{} }
		}
	}
	return nil
}

func (p *previewStep) view(st *wizardState, c common.Common) string {
	s := c.Styles
	var b strings.Builder
	if st.verified == nil {
		return "Verify and save a key first (esc goes back)."
	}
	org := connect.Clean(st.verified.Org.Name())
	switch {
	case p.running:
		b.WriteString("Collecting a first snapshot from " + org + "…\n\n")
		b.WriteString(p.bar.View(min(max(c.Width-50, 10), 40)) + "\n\n")
		for _, src := range p.order {
			ev := p.counts[src]
			total := "?"
			if ev.Total >= 0 {
				total = fmt.Sprint(ev.Total)
			}
			state := ""
			if ev.Done {
				state = "  " + s.OK.Render(s.GlyphPass)
			}
			b.WriteString(fmt.Sprintf("  %-32s %d / %s%s\n", connect.Clean(src), ev.Items, total, state))
		}
	case p.err != nil:
		b.WriteString(s.Bad.Render(s.GlyphFail+" Collection stopped: "+connect.Clean(summaryOf(p.err))) + "\n")
		if fix := jumpcloud.KindOf(p.err).Fix(); fix != "" {
			b.WriteString("  " + fix + "\n")
		}
		b.WriteString("  The key is saved; r collects again.\n")
	case p.shown != nil:
		b.WriteString(s.OK.Render(s.GlyphPass+" Connected: "+org) + ". First snapshot:\n\n")
		b.WriteString(previewSummary(s, p.shown.Snapshot(), p.summary))
	}
	if p.note != "" {
		b.WriteString("\n" + s.Muted.Render(p.note) + "\n")
	}
	return b.String()
}

// previewCounts is what the preview's summary shows of a collection: counts, not the report nor
// the records (the snapshot kept is a shell: Snapshot.Shell).
type previewCounts struct {
	devices      int
	byOS         []string // "macOS 12", sorted
	overall      map[evidence.Status]int
	summary      []evidence.CheckSummary
	users        int
	policies     int
	outcomes     map[string]int // policy results by outcome (policyOutcomes)
	applications int
}

// countPreview counts what previewSummary shows of snap and its report rep.
func countPreview(snap *evidence.Snapshot, rep *evidence.Report) previewCounts {
	byOS := map[string]int{}
	c := previewCounts{devices: len(rep.Devices), overall: map[evidence.Status]int{}, users: len(rep.Users),
		summary: append([]evidence.CheckSummary(nil), rep.Summary...), policies: len(snap.Policies),
		applications: len(snap.Applications)}
	if snap.Integrations.Endpoint {
		c.outcomes = policyOutcomes(snap)
	}
	for _, d := range rep.Devices {
		byOS[osLabel(d.Family)]++
		c.overall[d.Overall]++
	}
	for os, n := range byOS {
		c.byOS = append(c.byOS, fmt.Sprintf("%s %d", os, n))
	}
	sort.Strings(c.byOS)
	return c
}

// previewSummary is the snapshot at a glance: devices by OS and how many pass each check, users
// and MFA coverage, policies and their results, and what could not be read. rep is the
// collection counted (countPreview); snap is its snapshot (a shell: its sources only are read).
func previewSummary(s common.Styles, snap *evidence.Snapshot, rep previewCounts) string {
	var b strings.Builder
	line := func(label, text string) { b.WriteString(fmt.Sprintf("  %-18s %s\n", label, text)) }
	if snap.Integrations.Endpoint {
		line("Devices", fmt.Sprintf("%d (%s): %d compliant, %d failing, %d "+glossary.Unknown, rep.devices,
			strings.Join(rep.byOS, ", "), rep.overall[evidence.Pass], rep.overall[evidence.Fail], rep.overall[evidence.Unknown]))
		for _, cs := range rep.summary {
			if cs.Subject == "device" {
				b.WriteString("    " + checkCounts(s, cs) + "\n")
			}
		}
		line("Policies", fmt.Sprintf("%d; results: %d succeeded, %d failed, %d pending", rep.policies,
			rep.outcomes[jumpcloud.OutcomeSuccess], rep.outcomes[jumpcloud.OutcomeFailed], rep.outcomes[jumpcloud.OutcomePending]))
	}
	if snap.Integrations.SSO {
		line("Users", fmt.Sprintf("%d; SSO applications: %d", rep.users, rep.applications))
		for _, cs := range rep.summary {
			if cs.Subject == "user" && cs.Check == "mfa_enrolled" {
				rate := "–"
				if r, ok := cs.PassRate(); ok {
					rate = fmt.Sprintf("%.0f%%", r*100)
				}
				line("MFA coverage", fmt.Sprintf("%s (%d enrolled, %d not, %d unknown)", rate, cs.Pass, cs.Fail, cs.Unknown))
			}
		}
	}
	for _, st := range snap.Problems() {
		b.WriteString("  " + s.Warn.Render("! "+connect.Clean(st.Source)+": "+connect.Clean(st.Describe())) + "\n")
	}
	return b.String()
}

// checkCounts is one check's line: "✓ Disk encryption  210 pass, 30 fail, 60 unknown".
func checkCounts(s common.Styles, cs evidence.CheckSummary) string {
	mark := s.OK.Render(s.GlyphPass)
	if cs.Fail > 0 {
		mark = s.Warn.Render("!")
	}
	text := fmt.Sprintf("%s %-36s %d pass, %d fail", mark, cs.Title, cs.Pass, cs.Fail)
	if cs.Unknown > 0 {
		text += fmt.Sprintf(", %d unknown", cs.Unknown)
	}
	if cs.NotApplicable > 0 {
		text += fmt.Sprintf(", %d n/a", cs.NotApplicable)
	}
	return text
}

func osLabel(family string) string { return connect.Clean(glossary.OS(family)) }

// policyOutcomes counts policy results by outcome: from the devices' own counters when only the
// checks' statuses were read (the statuses would undercount), else from the statuses.
func policyOutcomes(snap *evidence.Snapshot) map[string]int {
	outcomes := map[string]int{}
	if snap.PolicyStatusesForChecksOnly {
		for i := range snap.Devices {
			if ps := snap.Devices[i].PolicyStats(); ps != nil {
				outcomes[jumpcloud.OutcomeSuccess] += ps.Success
				outcomes[jumpcloud.OutcomeFailed] += ps.Failed
				outcomes[jumpcloud.OutcomePending] += ps.Pending
			}
		}
		return outcomes
	}
	return snap.PolicyOutcomes()
}
