package browser

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"weak"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/connect"
	"jcconnect/evidence"
)

// ExportSnapshot writes the bundle of snap through connect.Export (absolute paths, nothing
// written when nothing was read). When snap read only the policy statuses the checks need (the
// table drawn sooner), the bundle is of a new collection with every status (full), each being
// evidence, made as `jcconnect evidence export` makes it: raw sources spooled to disk and each
// device evaluated as it is written, so neither that collection nor its report outlives the
// export. prev remembers where that bundle went, so exporting snap again is refused as existing
// while it is there, as it always was (and collects afresh once it was moved away).
//
// report gives snap's report, asked for only when snap itself is written (not checks-only): the
// browser keeps its device and user reports packed, and unpacking 50,000 devices takes tens of
// milliseconds, which a checks-only snapshot's export would spend for nothing.
//
// Canceling ctx stops the collection or the writing and leaves the folder as it was: the error is
// then a *connect.ExportCanceledError (or says what could not be removed).
func ExportSnapshot(ctx context.Context, env *connect.Env, snap *evidence.Snapshot, report func() *evidence.Report, dir string,
	full Collector, prev *ExportedBundle) (evidence.ExportResult, error) {
	var req connect.ExportRequest
	if !snap.PolicyStatusesForChecksOnly {
		req = connect.ExportRequest{OutDir: dir, Snapshot: snap, Report: report()}
	} else {
		if full == nil {
			return evidence.ExportResult{}, errors.New("this view read the statuses of only the policies the checks need; run `jcconnect evidence export` for the bundle")
		}
		if err := prev.refusal(snap, dir); err != nil {
			return evidence.ExportResult{}, err
		}
		req = connect.ExportRequest{OutDir: dir, Collect: full}
	}
	out, err := connect.Export(ctx, env, req)
	if err != nil {
		return evidence.ExportResult{}, connect.CanceledExport(ctx, err)
	}
	if snap.PolicyStatusesForChecksOnly {
		prev.remember(snap, out.Result)
	}
	return out.Result, nil
}

// ExportedBundle remembers the bundle last written for a checks-only snapshot: its paths only,
// never the full collection nor its report (at 50,000 devices a second ~200 MB that every
// garbage collection would mark while the user browses), nor the snapshot itself (weakly held:
// a refresh lets it go). The zero value is ready to use.
type ExportedBundle struct {
	mu  sync.Mutex
	of  weak.Pointer[evidence.Snapshot]
	res evidence.ExportResult
}

// refusal is the error exporting snap to dir again gives while the bundle written for it is
// still there: the one evidence.Export gives for an existing bundle.
func (e *ExportedBundle) refusal(snap *evidence.Snapshot, dir string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.of.Value() != snap || e.res.Dir == "" {
		return nil
	}
	if abs, err := filepath.Abs(dir); err != nil || abs != filepath.Dir(e.res.Dir) {
		return nil // another folder: a bundle of its own
	}
	return evidence.RefuseExisting(e.res)
}

func (e *ExportedBundle) remember(snap *evidence.Snapshot, res evidence.ExportResult) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.of, e.res = weak.Make(snap), res
}

// ExportingNote is what to show while ExportSnapshot runs.
func ExportingNote(snap *evidence.Snapshot) string {
	if snap.PolicyStatusesForChecksOnly {
		return "Exporting: reading every policy status first (each is evidence)…"
	}
	return "Exporting…"
}

// ExportFailedNote is what to show when ExportSnapshot failed: "Export canceled: nothing was
// written." (or the bundle removed) for a cancel, which is not an error (failed false), else
// "Export failed: " and why (failed true).
func ExportFailedNote(err error) (note string, failed bool) {
	var canceled *connect.ExportCanceledError
	if errors.As(err, &canceled) {
		if canceled.Removed != "" {
			return "Export canceled: the bundle written meanwhile was removed (" + connect.Clean(canceled.Removed) + ").", false
		}
		return "Export canceled: nothing was written.", false
	}
	return "Export failed: " + connect.Clean(err.Error()), true
}

// ExportRun is one in-TUI export running off the UI goroutine, from the moment its key is
// pressed: canceled by a key, and waited for when the program ends, so a quit never leaves a
// half-written bundle or a spool behind.
type ExportRun struct {
	cancel context.CancelFunc
	done   chan struct{} // closed when the export has ended, its cleanup done
	res    evidence.ExportResult
	err    error
}

// StartExport runs export in a goroutine under a context of its own, derived from parent.
func StartExport(parent context.Context, export func(ctx context.Context) (evidence.ExportResult, error)) *ExportRun {
	if parent == nil {
		parent = context.Background()
	}
	ctx, cancel := context.WithCancel(parent)
	r := &ExportRun{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(r.done)
		defer cancel()
		r.res, r.err = export(ctx)
	}()
	return r
}

// Cancel asks the export to stop; Wait then returns its *connect.ExportCanceledError.
func (r *ExportRun) Cancel() { r.cancel() }

// Wait waits for the export to end and returns what it wrote.
func (r *ExportRun) Wait() (evidence.ExportResult, error) {
	<-r.done
	return r.res, r.err
}

// Stop cancels the export and waits until it has removed what it had begun.
func (r *ExportRun) Stop() {
	r.Cancel()
	r.Wait()
}

// browserExport is the browser's export: the one running, and the bundle written for the
// checks-only snapshot shown.
type browserExport struct {
	ctx    context.Context // BrowserOptions.Context
	run    *ExportRun      // nil when none runs
	bundle ExportedBundle
}

// exportDoneMsg: run has ended.
type exportDoneMsg struct {
	run *ExportRun
	res evidence.ExportResult
	err error
}

// CapturesQuit keeps ctrl+c for the export while it runs: it cancels the export (which removes
// what it had begun) instead of ending the program mid-write.
func (b *Browser) CapturesQuit() bool { return b.export.run != nil }

// cancelsExport handles a key that stops the running export: ctrl+c anywhere, esc and q (back)
// outside the filter, the help page and the detail pane. The browser stays, saying so.
func (b *Browser) cancelsExport(msg tea.KeyMsg) bool {
	if b.export.run == nil {
		return false
	}
	quit := key.Matches(msg, b.Keys.Quit)
	back := key.Matches(msg, b.keys.Back) && !b.filtering && !b.help.ShowAll && !b.detail
	if !quit && !back {
		return false
	}
	b.export.run.Cancel()
	b.setMessage("Canceling the export…", false)
	return true
}

// StopExport cancels a running export and waits until it has removed what it had begun (the
// browser's program has ended: the process must not exit first).
func (b *Browser) StopExport() {
	if b.export.run != nil {
		b.export.run.Stop()
	}
}

// StopAndWait is StopExport (common.Stopper: the browser pushed by home or the wizard).
func (b *Browser) StopAndWait() { b.StopExport() }

// setBackHelp names what esc does in the help line. That line is drawn once per frame (keyed by
// frameGen): it is drawn anew.
func (b *Browser) setBackHelp(what string) {
	b.keys.Back.SetHelp("esc", what)
	b.frameGen++
}

// exported shows how the export ended.
func (b *Browser) exported(msg exportDoneMsg) tea.Cmd {
	if msg.run != b.export.run {
		return nil
	}
	b.export.run = nil
	b.setBackHelp("back")
	if msg.err != nil {
		b.setMessage(ExportFailedNote(msg.err))
		return nil
	}
	b.setMessage(fmt.Sprintf("Exported %d files to %s (and %s)", len(msg.res.Manifest.Files)+1,
		connect.Clean(msg.res.Dir), connect.Clean(msg.res.Zip)), false)
	return nil
}
