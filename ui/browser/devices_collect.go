package browser

import (
	"context"
	"errors"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/connect"
	"jcconnect/evidence"
	"jcconnect/ui/common"
)

// startCollect runs the collector in a goroutine and streams its progress to the browser as
// messages. The result carries the collection's generation: if another collection was started
// since, it is dropped. Rows are built in the goroutine too, so the UI never stalls on 50,000
// devices.
func (b *Browser) startCollect() tea.Cmd {
	b.collectGen++
	gen := b.collectGen
	if b.cancel != nil {
		b.cancel()
	}
	ctx, cancel := context.WithCancel(context.Background())
	b.cancel = cancel
	b.collecting = true
	b.collectErr = nil
	integ := evidence.Integrations{Endpoint: true, SSO: true}
	if b.snap != nil {
		integ = b.snap.Integrations
	}
	b.bar = common.NewWorkBar(b.Styles, integ)
	b.setMessage("", false)

	withEarly := connect.WithEarly
	if b.mode == modeUsers {
		withEarly = connect.WithEarlyUsers // the users' table is the one drawn first
	}
	events := make(chan tea.Msg, 256)
	collect, prev, env, th := b.collect, b.tabs, b.Env, b.thresholds
	rowsNow := func(snap *evidence.Snapshot) time.Time {
		if env != nil && env.Now != nil {
			return env.Now()
		}
		return snap.CollectedAt
	}
	go func() {
		defer close(events) // a waitEvent still pending then returns nil instead of blocking
		defer cancel()
		// The table is drawn from the early snapshot as soon as what it shows is in, while the
		// policies' statuses and (under the device table) the users are read: its cells that
		// wait for them say so; the whole snapshot replaces it when the collection ends.
		// The early report is not packed (sharedReport): this goroutine keeps it whole until the
		// collection ends (EvaluateAfterEarly starts from it), so the browser shares it, read
		// only, and the first table does not wait for packing; the whole snapshot's is packed.
		var early *collectEarlyMsg
		ctx := withEarly(ctx, func(snap *evidence.Snapshot) {
			rep := evidence.Evaluate(snap, th)
			early = &collectEarlyMsg{Gen: gen, snap: snap, rep: rep, tabs: buildTabs(sharedReport(rep), prev, rowsNow(snap)), events: events}
			select {
			case events <- *early:
			case <-ctx.Done():
			}
		})
		// connect.CollectSnapshot records LastCollectedAt (file I/O: here, never in Update); the
		// whole snapshot is evaluated from the early table's report when there was one (only
		// the checks the statuses decide, and the owners, again), and the rows are built here too.
		snap, err := connect.CollectSnapshot(ctx, env, collect, func(ev evidence.ProgressEvent) {
			msg := collectProgressMsg{Gen: gen, ev: ev, events: events}
			if ev.Done {
				// Never dropped (the bar counts finished sources), unless the browser is gone.
				select {
				case events <- msg:
				case <-ctx.Done():
				}
				return
			}
			select {
			case events <- msg:
			default: // the UI is behind: the next page's event will say more
			}
		})
		// What the browser is sent is the collection kept (connect.Shown): the snapshot's shell,
		// never its records, which nothing keeps once this goroutine ends (nor the early
		// snapshot's, which the whole one replaces).
		done := collectDoneMsg{Gen: gen, err: err}
		switch {
		case err == nil:
			var earlyRep *evidence.Report
			if early != nil {
				earlyRep = early.rep
			}
			rep := evidence.EvaluateAfterEarly(snap, th, earlyRep)
			tabs, kept := handOver(rep, func() *evidence.Kept { return connect.Shown(env, snap, rep) }, prev, rowsNow(snap))
			done.snap, done.kept, done.tabs = kept.collection.Snapshot(), kept, tabs
		case early != nil && ctx.Err() == nil:
			// The early table stays, its unread sources marked as such (never "reading" for ever);
			// kept, but not remembered for another screen to show: the collection failed.
			s := early.snap.ReadingStopped(connect.Clean(err.Error()))
			rep := evidence.Evaluate(s, th)
			tabs, kept := handOver(rep, func() *evidence.Kept { return evidence.Keep(s, rep) }, early.tabs, rowsNow(s))
			done.stopped = &collectDoneMsg{Gen: gen, snap: kept.collection.Snapshot(), kept: kept, tabs: tabs}
		}
		early, snap = nil, nil
		select {
		case events <- done:
		case <-ctx.Done(): // the browser was closed: nobody will read it
		}
	}()
	return waitEvent(events)
}

// StopCollecting cancels a running collection (the browser's program has ended).
func (b *Browser) StopCollecting() {
	if b.cancel != nil {
		b.cancel()
	}
}

// waitEvent delivers the next message of a running collection.
func waitEvent(events <-chan tea.Msg) tea.Cmd {
	return func() tea.Msg {
		msg, ok := <-events
		if !ok {
			return nil
		}
		return msg
	}
}

// collected applies a finished collection.
func (b *Browser) collected(msg collectDoneMsg) tea.Cmd {
	if msg.Gen != b.collectGen {
		return nil // an older collection, superseded
	}
	b.collecting = false
	b.cancel = nil
	if msg.err != nil {
		b.collectErr = msg.err
		var cmd tea.Cmd
		if msg.stopped != nil {
			cmd = b.apply(msg.stopped.snap, msg.stopped.kept, msg.stopped.tabs)
		}
		b.setCollectErrorMessage(msg.err)
		return cmd
	}
	b.setMessage("", false) // what could not be read is on the line above the table
	return b.apply(msg.snap, msg.kept, msg.tabs)
}

// setCollectErrorMessage says why a collection stopped.
func (b *Browser) setCollectErrorMessage(err error) {
	var refused *evidence.KeyRefusedError
	switch {
	case errors.Is(err, context.Canceled):
		b.setMessage("Collection canceled.", false)
	case errors.As(err, &refused):
		// Short enough to fit one line: the full text is in errorLines when nothing is shown.
		b.setMessage("Stopped: the API key was refused (revoked or expired). "+b.refusedKeyFix()+", then press r.", true)
	default:
		b.setMessage("Collection failed: "+connect.Clean(err.Error()), true)
	}
}

// progressLine draws the collection's progress: bubbles' bar over the pages read and expected
// (common.WorkBar: weighted by work, not by source), the pages and items, and the source with
// the most pages left.
func (b *Browser) progressLine(width int) string {
	if b.snap != nil {
		if reading := b.snap.Reading(); len(reading) > 0 {
			// The table is the early snapshot's: say what its "…" cells wait for.
			return fit("Still reading "+strings.Join(reading, ", ")+" "+b.bar.View(20)+" · cells marked "+readingGlyph+" fill in when it is in", width)
		}
	}
	line := "Collecting " + b.bar.View(20)
	if busy := common.BusyText(b.bar.Work(), 1); len(busy) > 0 {
		line += " · " + busy[0]
	}
	return fit(line, width)
}

// CollectorFor is the Collector of a connection for an export: every policy status is read.
func CollectorFor(env *connect.Env, conn connect.Connection) Collector {
	return connect.CollectorFor(env, conn, false)
}

// ChecksCollectorFor is CollectorFor for what is drawn (the browser, `devices`, the home screen):
// it reads per-policy statuses only for the policies a check needs, so the table comes sooner.
// Its snapshots are not an export's: an export collects with CollectorFor.
func ChecksCollectorFor(env *connect.Env, conn connect.Connection) Collector {
	return connect.CollectorFor(env, conn, true)
}

// IntegrationsOf is what a connection collects: the profile's choice, else everything.
func IntegrationsOf(conn connect.Connection) evidence.Integrations {
	return connect.IntegrationsOf(conn)
}
