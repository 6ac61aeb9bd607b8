package browser

import (
	"context"
	"os"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/connect"
	"jcconnect/evidence"
	"jcconnect/ui/common"
)

// Browser is the evidence browser (`jcconnect devices`, and pushed from the wizard and home
// screens): a table of devices, and of users and MFA when SSO is connected, with sorting, a `/`
// filter computed off the UI goroutine, quick filters, a detail pane, refresh and export.
//
// Every fetch and every filter/sort computation is stamped with a generation counter: a result
// whose generation is not the current one is stale and dropped.
type Browser struct {
	common.Common
	keys BrowserKeys
	help help.Model
	// helpScroll pages the help and legend page (?) on a short window.
	helpScroll *common.Scroll
	input      filterInput

	collect Collector
	// exportCollect: BrowserOptions.ExportCollect; export: the one running, and the bundle written
	exportCollect      Collector
	export             browserExport
	outDir             string
	keyFromEnvironment bool                // BrowserOptions.KeyFromEnvironment
	thresholds         evidence.Thresholds // the Env's, the ones connect.Collect evaluates a refresh with

	snap *evidence.Snapshot
	kept keptReport // the report shown: its reports packed, but while an early snapshot's is shown
	mode browserMode
	tabs [2]tabState

	filtering    bool
	detail       bool
	detailOffset int

	collecting bool
	collectGen int
	bar        common.WorkBar // the running collection's progress, by pages
	cancel     context.CancelFunc
	collectErr error

	message string
	bad     bool // message is an error

	glyphs, words [5]string // styled glyphs and overall words, rendered once (statusIndex)

	frame    frame           // View's buffer and the parts of the screen it keeps between draws
	frameGen int             // counts the rows, snapshots and reports shown (apply): what frame is keyed by
	keyNames common.KeyNames // names each key once for the move keys (a move allocates nothing)
}

type browserMode int

const (
	modeDevices browserMode = iota
	modeUsers
)

// tabState is one table (devices or users) and what is shown of it.
type tabState struct {
	cols      []column
	rows      []tableRow
	text      *rowText // the text the rows' strings are spans of, with their filter texts
	order     []int    // every row, sorted for orderSpec
	orderSpec viewSpec
	view      []int // order, filtered for spec
	want      []int // per column, the widest cell: no column grows past what it shows
	spec      viewSpec
	Gen       int // generation of the latest filter/sort request
	cursor    int // index into view
	offset    int // first visible index into view
}

// Collector collects a snapshot for the browser (its first load and each refresh). onProgress
// may be called from any goroutine.
type Collector = connect.Collector

// BrowserOptions configure NewBrowser.
type BrowserOptions struct {
	// Shown is a collection to show at once, as the screen opening the browser keeps it
	// (connect.Shown: its snapshot's shell and its report, evaluated with the Env's thresholds,
	// the reports packed), shared read only: the browser neither evaluates nor packs anything,
	// only builds its rows. nil means collect first (with a progress bar) using Collect.
	Shown *evidence.Kept
	// Collect re-collects on refresh; nil disables refresh.
	Collect Collector
	// ExportCollect collects what an export needs when the snapshot shown read only the policy
	// statuses the checks need (every status is evidence); nil refuses such an export.
	ExportCollect Collector
	OutDir        string // where export writes (Documents or home when empty, never ".")
	Users         bool   // start on the users table
	// KeyFromEnvironment: the key is JUMPCLOUD_API_KEY's, so a refused key is fixed there, not by
	// `jcconnect rotate` (which replaces the stored key the variable overrides).
	KeyFromEnvironment bool
	// Context bounds the exports (the program's: a signal that ends it cancels them); nil is
	// context.Background().
	Context context.Context
}

// Messages of the browser.
type (
	viewMsg struct {
		mode  browserMode
		Gen   int
		order []int
		view  []int
		spec  viewSpec
	}
	collectProgressMsg struct {
		Gen    int
		ev     evidence.ProgressEvent
		events <-chan tea.Msg
	}
	// collectEarlyMsg: the collection's early snapshot (connect.WithEarly), drawn while the
	// policies' statuses are still being read.
	collectEarlyMsg struct {
		Gen    int
		snap   *evidence.Snapshot
		rep    *evidence.Report // whole, shared with the collection goroutine (sharedReport)
		tabs   [2]tabState
		events <-chan tea.Msg
	}
	collectDoneMsg struct {
		Gen  int
		snap *evidence.Snapshot // the kept collection's: its shell
		kept keptReport         // kept off the event loop (handOver)
		tabs [2]tabState
		err  error
		// stopped: when the collection failed after its early snapshot was drawn, that snapshot
		// with the sources it was still reading marked unread (Snapshot.ReadingStopped).
		stopped *collectDoneMsg
	}
)

// NewBrowser builds the browser. With a snapshot the rows are built here, once.
func NewBrowser(c common.Common, opt BrowserOptions) *Browser {
	if opt.OutDir == "" {
		getenv := os.Getenv
		if c.Env != nil && c.Env.Getenv != nil {
			getenv = c.Env.Getenv
		}
		opt.OutDir = connect.DefaultExportDir(getenv) // never the working folder (the repository under go run .)
	}
	in := filterInput{prompt: "/ "}
	b := &Browser{Common: c, keys: newBrowserKeys(), help: help.New(), input: in,
		collect: opt.Collect, exportCollect: opt.ExportCollect, outDir: opt.OutDir, thresholds: c.Env.CheckThresholds(),
		keyFromEnvironment: opt.KeyFromEnvironment, export: browserExport{ctx: opt.Context}}
	b.tabs[modeDevices].cols = deviceColumns()
	b.tabs[modeUsers].cols = userColumns()
	if opt.Users {
		b.mode = modeUsers
	}
	if opt.Shown != nil {
		kept := keptReport{collection: opt.Shown}
		b.apply(opt.Shown.Snapshot(), kept, buildTabs(kept, b.tabs, b.now(opt.Shown.Snapshot())))
	}
	b.syncKeys()
	return b
}

func (b *Browser) now(s *evidence.Snapshot) time.Time {
	if b.Env != nil && b.Env.Now != nil {
		return b.Env.Now()
	}
	return s.CollectedAt
}

// buildTabs builds both tables' rows and first views from a report, keeping each tab's filter
// and sort. It is pure and runs off the UI goroutine after a collection (and in the command that
// opens a browser on a collection kept).
func buildTabs(rep keptReport, prev [2]tabState, now time.Time) [2]tabState {
	var tabs [2]tabState
	for m := range tabs {
		tabs[m] = tabState{cols: prev[m].cols, spec: prev[m].spec, Gen: prev[m].Gen}
	}
	tabs[modeDevices].rows, tabs[modeDevices].text = deviceRows(rep.devices(), rep.deviceHeads(), rep.deviceStatuses(), now)
	tabs[modeUsers].rows, tabs[modeUsers].text = userRows(rep.users(), rep.userStatuses())
	for m := range tabs {
		t := &tabs[m]
		t.order = sortRows(t.rows, t.text, t.spec.sortCol, t.spec.desc)
		t.orderSpec = t.spec
		t.view = filterSearch(t.rows, t.text, t.order, t.spec)
		t.want = cellWidths(t.rows, t.text, len(t.cols))
	}
	return tabs
}

// apply shows a new snapshot, keeping the selection by id where it still exists. The views were
// built for the filters in force when the collection started; a tab whose filter changed since
// is recomputed (the returned command).
func (b *Browser) apply(s *evidence.Snapshot, rep keptReport, tabs [2]tabState) tea.Cmd {
	var cmds []tea.Cmd
	for m := range tabs {
		selected := b.selectedID(browserMode(m))
		old := b.tabs[m]
		b.tabs[m] = tabs[m]
		b.tabs[m].Gen = old.Gen + 1 // results computed for the old rows are stale now
		b.tabs[m].offset = old.offset
		if tabs[m].spec != old.spec {
			b.tabs[m].spec = old.spec
			cmds = append(cmds, b.refilterTab(browserMode(m)))
		}
		b.reselect(browserMode(m), selected)
	}
	b.snap, b.kept = s, rep
	b.frameGen++
	if b.mode == modeUsers && !s.Integrations.SSO {
		b.mode = modeDevices
	}
	if b.mode == modeDevices && !s.Integrations.Endpoint && s.Integrations.SSO {
		b.mode = modeUsers
	}
	b.syncKeys()
	return tea.Batch(cmds...)
}

func (b *Browser) selectedID(m browserMode) string {
	t := &b.tabs[m]
	if t.cursor >= 0 && t.cursor < len(t.view) {
		return t.rows[t.view[t.cursor]].idOf(t.text)
	}
	return ""
}

// reselect puts the cursor on the row with id, or clamps it.
func (b *Browser) reselect(m browserMode, id string) {
	t := &b.tabs[m]
	if id != "" {
		for k, i := range t.view {
			if t.rows[i].idOf(t.text) == id {
				t.cursor = k
				b.scrollToCursor(m)
				return
			}
		}
	}
	t.cursor = min(t.cursor, max(len(t.view)-1, 0))
	b.scrollToCursor(m)
}

// Init starts the first collection when the browser has no snapshot yet.
func (b *Browser) Init() tea.Cmd {
	if b.snap == nil && b.collect != nil {
		return b.startCollect()
	}
	return nil
}

// Snapshot is the snapshot shown (nil before the first collection ends): once a collection has
// ended, its shell (evidence.Kept), as every screen keeps it.
func (b *Browser) Snapshot() *evidence.Snapshot { return b.snap }

func (b *Browser) tab() *tabState { return &b.tabs[b.mode] }

// tableHeight is how many rows fit: the window minus title, info, header, status, help and the
// optional progress and message lines.
func (b *Browser) tableHeight() int {
	h := b.Height - 6
	if b.collecting {
		h--
	}
	if b.message != "" {
		h--
	}
	return max(h, 1)
}

// refilter asks for the current tab's view to be recomputed off the UI goroutine. The result
// carries the generation it was asked for; a newer request makes it stale.
func (b *Browser) refilter() tea.Cmd { return b.refilterTab(b.mode) }

func (b *Browser) refilterTab(mode browserMode) tea.Cmd {
	t := &b.tabs[mode]
	t.Gen++
	gen, rows, text, spec := t.Gen, t.rows, t.text, t.spec
	order, needSort := t.order, !spec.sameSort(t.orderSpec) || t.order == nil
	// Typing more of the query can only narrow the result: filter what is shown (which was
	// computed for t.orderSpec) instead of every row.
	base := order
	if !needSort && narrows(t.orderSpec, spec) {
		base = t.view
	}
	return func() tea.Msg {
		if needSort {
			order = sortRows(rows, text, spec.sortCol, spec.desc)
			base = order
		}
		return viewMsg{mode: mode, Gen: gen, order: order, view: filterSearch(rows, text, base, spec), spec: spec}
	}
}

// narrows reports whether next only adds to prev's filter (the query extended, the same quick
// filters), so every row next keeps is among those prev kept.
func narrows(prev, next viewSpec) bool {
	return prev.failing == next.failing && prev.flag == next.flag && prev.group == next.group &&
		len(next.query) >= len(prev.query) && strings.HasPrefix(strings.ToLower(next.query), strings.ToLower(prev.query))
}

func (b *Browser) setMessage(msg string, bad bool) { b.message, b.bad = msg, bad }

// Update handles keys, window sizes and the results of the browser's commands.
func (b *Browser) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		b.SetSize(msg.Width, msg.Height)
		b.help.Width = msg.Width
		b.scrollToCursor(modeDevices)
		b.scrollToCursor(modeUsers)
		return b, nil
	case viewMsg:
		t := &b.tabs[msg.mode]
		if msg.Gen != t.Gen {
			return b, nil // stale: a newer filter or sort was asked for since
		}
		selected := b.selectedID(msg.mode)
		t.order, t.orderSpec, t.view = msg.order, msg.spec, msg.view
		b.reselect(msg.mode, selected)
		return b, nil
	case collectProgressMsg:
		if msg.Gen != b.collectGen {
			return b, waitEvent(msg.events) // drain a superseded collection until it ends
		}
		b.bar.Add(msg.ev)
		return b, waitEvent(msg.events)
	case collectEarlyMsg:
		if msg.Gen != b.collectGen {
			return b, waitEvent(msg.events)
		}
		return b, tea.Batch(b.apply(msg.snap, sharedReport(msg.rep), msg.tabs), waitEvent(msg.events))
	case collectDoneMsg:
		return b, b.collected(msg)
	case exportDoneMsg:
		return b, b.exported(msg)
	case tea.KeyMsg:
		return b.updateKey(msg)
	}
	return b, nil
}

func nextGroup(groups []string, cur string) string {
	for i, g := range groups {
		if g == cur {
			return groups[(i+1)%len(groups)]
		}
	}
	return ""
}
