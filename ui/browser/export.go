package browser

import (
	"context"
	"errors"
	"sync"

	"jcconnect/connect"
	"jcconnect/evidence"
)

// ExportSnapshot writes the bundle of snap through connect.Export (absolute paths, nothing
// written when nothing was read); when snap read only the policy statuses the checks need (the
// table drawn sooner), the bundle is of a collection with every status (full), each being
// evidence. fulls keeps that collection for snap, so exporting again writes the same bundle
// (and is refused as existing) instead of collecting once more.
func ExportSnapshot(ctx context.Context, snap *evidence.Snapshot, rep *evidence.Report, dir string,
	full Collector, th evidence.Thresholds, fulls *FullSnapshots) (evidence.ExportResult, error) {
	if snap.PolicyStatusesForChecksOnly {
		if full == nil {
			return evidence.ExportResult{}, errors.New("this view read the statuses of only the policies the checks need; run `jcconnect evidence export` for the bundle")
		}
		var err error
		if snap, rep, err = fulls.of(ctx, snap, full, th); err != nil {
			return evidence.ExportResult{}, err
		}
	}
	out, err := connect.Export(ctx, nil, connect.ExportRequest{OutDir: dir, Snapshot: snap, Report: rep})
	return out.Result, err
}

// FullSnapshots remembers the collection with every policy status made for one checks-only
// snapshot. The zero value is ready to use.
type FullSnapshots struct {
	mu         sync.Mutex
	checksOnly *evidence.Snapshot
	full       *evidence.Snapshot
	rep        *evidence.Report
}

func (f *FullSnapshots) of(ctx context.Context, snap *evidence.Snapshot, full Collector, th evidence.Thresholds) (*evidence.Snapshot, *evidence.Report, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.checksOnly != snap {
		s, err := full(ctx, nil)
		if err != nil {
			return nil, nil, err
		}
		f.checksOnly, f.full, f.rep = snap, s, evidence.Evaluate(s, th)
	}
	return f.full, f.rep, nil
}

// ExportingNote is what to show while ExportSnapshot runs.
func ExportingNote(snap *evidence.Snapshot) string {
	if snap.PolicyStatusesForChecksOnly {
		return "Exporting: reading every policy status first (each is evidence)…"
	}
	return "Exporting…"
}
