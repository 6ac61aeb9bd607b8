package connect

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"jcconnect/evidence"
)

// Exporting the auditor's bundle, the use case `jcconnect evidence export` and the home
// screen's export share: collect every source (every policy status: each is evidence), check,
// write the bundle, and say how complete it is and which exit code that means.

// ExportRequest says what to export and where.
type ExportRequest struct {
	// OutDir is the folder the bundle goes in; it is made absolute before anything is written,
	// so the outcome names where the files are whatever the working folder.
	OutDir string
	// Collect collects the snapshot to export; it must read every policy status
	// (CollectorFor(…, false)). Unused when Snapshot is set.
	Collect Collector
	// Snapshot, when set, is exported as it is (a full collection made before). A snapshot
	// that read only the statuses the checks need is refused: it is not the evidence.
	Snapshot *evidence.Snapshot
	// Report is Snapshot's evaluation, when the caller has it (with its thresholds); nil
	// evaluates with env's.
	Report *evidence.Report
	// OnProgress receives the collection's progress; may be nil.
	OnProgress ProgressFunc
}

// ExportOutcome is a written bundle and what it holds.
type ExportOutcome struct {
	Result   evidence.ExportResult // absolute paths of the folder and the zip
	Snapshot *evidence.Snapshot
	// Report is the request's Report, when it gave one with its Snapshot; otherwise nil: the
	// devices were evaluated as they were written and not kept (ExportEvaluating).
	Report *evidence.Report
	// Thresholds are the checks' thresholds the bundle was evaluated with.
	Thresholds evidence.Thresholds
	// Gaps names the sources not read in full ("devices (INCOMPLETE: 50 of 200 read)"); empty
	// when the bundle is complete. The bundle carries the same mark.
	Gaps []string
	// Code is the exit code: ExitOK, or ExitPartial when there are gaps and --allow-partial
	// was not given.
	Code int
}

// Complete reports whether every chosen source was read in full.
func (o ExportOutcome) Complete() bool { return len(o.Gaps) == 0 }

// NothingReadError stops an export in which no source could be read: there is no evidence to
// bundle, only the reasons (Snapshot.Problems). Its exit code is ExitPartial.
type NothingReadError struct{ Snapshot *evidence.Snapshot }

func (e *NothingReadError) Error() string {
	return "no source could be read, so no bundle was written"
}

// BundleWriteError is an export whose collection worked but whose bundle could not be
// written (the folder filled up, a bundle of that name exists). Its exit code is ExitFailure.
type BundleWriteError struct{ Err error }

func (e *BundleWriteError) Error() string { return e.Err.Error() }
func (e *BundleWriteError) Unwrap() error { return e.Err }

// ExportCanceledError is an export stopped by its context (Ctrl+C, esc, a signal). Nothing is
// left behind: a bundle finished while the cancel arrived is removed (Removed names it).
type ExportCanceledError struct{ Removed string }

func (e *ExportCanceledError) Error() string {
	if e.Removed != "" {
		return "export canceled; the bundle written meanwhile was removed (" + e.Removed + ")"
	}
	return "export canceled; nothing was written"
}

func (e *ExportCanceledError) Unwrap() error { return context.Canceled }

// CanceledExport is how an export's caller reports err once ctx has ended: an error that already
// says the export was canceled (an *ExportCanceledError, or "export canceled, but …" naming what
// went wrong as well) or that a bundle was left behind is kept as it is; any other (a request cut
// short reads as a network error, a keyring read canceled as its own) is *ExportCanceledError:
// the export stopped before it wrote anything. While ctx is alive err is kept.
func CanceledExport(ctx context.Context, err error) error {
	if err == nil || ctx.Err() == nil || errors.Is(err, context.Canceled) || errors.Is(err, evidence.ErrBundleLeftBehind) {
		return err
	}
	return &ExportCanceledError{}
}

// Export prepares the folder (before any request: a folder that cannot take the bundle would
// waste the whole collection), collects, evaluates and writes the bundle. Errors: the folder's,
// the collection's (ExitCodeFor maps them), *NothingReadError, *ExportCanceledError, or the
// writing's.
func Export(ctx context.Context, env *Env, req ExportRequest) (ExportOutcome, error) {
	dir, err := filepath.Abs(defaultDir(req.OutDir))
	if err != nil {
		return ExportOutcome{}, err
	}
	if err := evidence.PrepareOutDir(dir); err != nil {
		return ExportOutcome{}, err
	}
	snap := req.Snapshot
	if snap == nil {
		if req.Collect == nil {
			return ExportOutcome{}, errors.New("connect.Export: nothing to collect with")
		}
		// The raw sources go to a spool beside the bundle as their pages arrive, so neither
		// the collection nor the writing holds them whole; it goes when the export ends, however.
		spool, err := os.MkdirTemp(dir, ".jcconnect-export-")
		if err != nil {
			return ExportOutcome{}, fmt.Errorf("cannot write in the output folder %q: %w; pass another --out", dir, err)
		}
		defer os.RemoveAll(spool)
		if snap, err = req.Collect(evidence.SpoolRawSources(ctx, spool), req.OnProgress); err != nil {
			if errors.Is(err, context.Canceled) { // the spool goes with the deferred removal
				return ExportOutcome{}, &ExportCanceledError{}
			}
			return ExportOutcome{}, CanceledExport(ctx, err)
		}
		defer snap.CloseRaw() // the spool serves this export only
	} else if snap.PolicyStatusesForChecksOnly {
		return ExportOutcome{}, errors.New("this snapshot read the statuses of only the policies the checks need; an export collects every status")
	} else if reading := snap.Reading(); len(reading) > 0 {
		// An early snapshot (WithEarly): its bundle would lack what is still being read.
		return ExportOutcome{}, fmt.Errorf("this snapshot was drawn before %s had been read; export when the collection has finished", strings.Join(reading, ", "))
	}
	if ctx.Err() != nil {
		return ExportOutcome{}, &ExportCanceledError{}
	}
	if snap.ReadNothing() {
		return ExportOutcome{Snapshot: snap}, &NothingReadError{Snapshot: snap}
	}
	var res evidence.ExportResult
	var th evidence.Thresholds
	rep := req.Report
	if rep != nil && req.Snapshot != nil {
		res, err = evidence.Export(ctx, snap, rep, dir)
		th = rep.Thresholds
	} else {
		// Each device is evaluated as it is written: at 50,000 devices the whole report is
		// about 100 MB that an export need not hold.
		rep = nil
		res, th, err = evidence.ExportEvaluating(ctx, snap, env.CheckThresholds(), dir)
	}
	if err != nil && ctx.Err() != nil {
		// Canceled while the files were written: the writing stopped and removed them.
		if errors.Is(err, evidence.ErrExportCanceled) && !errors.Is(err, evidence.ErrBundleLeftBehind) {
			return ExportOutcome{}, &ExportCanceledError{}
		}
		return ExportOutcome{}, fmt.Errorf("export canceled (%w), but: %w", ctx.Err(), err)
	}
	if ctx.Err() == nil {
		// A canceled export leaves the configuration as it was, like any canceled command.
		MarkCollected(env, snap)
	}
	if err != nil {
		return ExportOutcome{Snapshot: snap}, &BundleWriteError{Err: err}
	}
	if ctx.Err() != nil {
		// Canceled while the files were written: a bundle the person said not to make must not
		// be left looking complete.
		rmErr := errors.Join(os.RemoveAll(res.Dir), os.Remove(res.Zip))
		if rmErr != nil {
			// Says canceled (it wraps ctx's error), so no caller reads it as "nothing was written".
			return ExportOutcome{}, fmt.Errorf("export canceled (%w), but the bundle written meanwhile could not be removed: %w", ctx.Err(), rmErr)
		}
		return ExportOutcome{}, &ExportCanceledError{Removed: res.Dir}
	}
	return ExportOutcome{Result: res, Snapshot: snap, Report: rep, Thresholds: th, Gaps: snap.GapNames(), Code: ExitFor(env, snap)}, nil
}

func defaultDir(dir string) string {
	if dir == "" {
		return "."
	}
	return dir
}

// DefaultExportDir is where the TUI offers to put a bundle: the user's Documents folder when
// it exists (XDG_DOCUMENTS_DIR, else ~/Documents), else the home folder. Never the working
// folder: under `go run .` that is the repository.
func DefaultExportDir(getenv func(string) string) string {
	home := getenv("HOME")
	if home == "" {
		if h, err := os.UserHomeDir(); err == nil {
			home = h
		}
	}
	candidates := []string{getenv("XDG_DOCUMENTS_DIR")}
	if home != "" {
		candidates = append(candidates, filepath.Join(home, "Documents"))
	}
	for _, c := range candidates {
		if c == "" || !filepath.IsAbs(c) {
			continue
		}
		if st, err := os.Stat(c); err == nil && st.IsDir() {
			return c
		}
	}
	if home != "" {
		return home
	}
	return os.TempDir()
}

// ExportExitCode is the exit code of an export that failed with err: ExitPartial when nothing
// could be read, ExitInterrupted when canceled, else ExitCodeFor's.
func ExportExitCode(err error) int {
	var none *NothingReadError
	var write *BundleWriteError
	switch {
	case errors.As(err, &none):
		return ExitPartial
	case errors.As(err, &write):
		return ExitFailure
	case errors.Is(err, context.Canceled):
		return ExitInterrupted
	}
	return ExitCodeFor(err)
}
