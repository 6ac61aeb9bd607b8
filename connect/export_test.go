package connect

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"jcconnect/evidence"
	"jcconnect/jumpcloud/jctest"
)

// The export use case against jctest over real HTTP: where the bundle goes, the exit code
// from Snapshot.Gaps (--allow-partial), nothing read, canceled, and a folder that cannot take it.

func exportFixture(t *testing.T) (*coreFixture, Collector) {
	t.Helper()
	f := newDay2Fixture(t)
	f.save("default", f.srv.Keys.ReadOnly)
	conn, err := EvidenceConnection(f.ctx, f.env)
	if err != nil {
		t.Fatal(err)
	}
	return f, CollectorFor(f.env, conn, false)
}

func TestExportCompleteIsAbsoluteAndExitsZero(t *testing.T) {
	f, collect := exportFixture(t)
	f.env.Thresholds.StaleDays = 11
	dir := t.TempDir()
	t.Chdir(dir)
	var done int
	out, err := Export(f.ctx, f.env, ExportRequest{OutDir: "bundles", Collect: collect,
		OnProgress: func(ev evidence.ProgressEvent) {
			if ev.Done {
				done++
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	// t.TempDir may sit behind a symlink (macOS /var): compare what the OS resolves.
	wantDir, _ := filepath.EvalSymlinks(filepath.Join(dir, "bundles"))
	gotDir, _ := filepath.EvalSymlinks(filepath.Dir(out.Result.Dir))
	if !filepath.IsAbs(out.Result.Dir) || gotDir != wantDir {
		t.Errorf("bundle at %q, want an absolute path under %q", out.Result.Dir, wantDir)
	}
	if !out.Complete() || out.Code != ExitOK || out.Snapshot.PolicyStatusesForChecksOnly {
		t.Errorf("complete %v code %d checks-only %v gaps %v", out.Complete(), out.Code, out.Snapshot.PolicyStatusesForChecksOnly, out.Gaps)
	}
	if done == 0 {
		t.Error("no progress was reported")
	}
	// The devices were checked as they were written (no report kept), with env's thresholds.
	summary, _ := os.ReadFile(filepath.Join(out.Result.Dir, "summary.md"))
	if out.Report != nil || out.Thresholds.StaleDays != 11 || !strings.Contains(string(summary), "stale after 11 days") {
		t.Errorf("report kept %v, thresholds %+v", out.Report != nil, out.Thresholds)
	}
	if p, _ := f.st.Profile("default"); p.LastCollectedAt == nil {
		t.Error("LastCollectedAt not recorded")
	}
}

func TestExportWithGapsExitsPartialUnlessAllowed(t *testing.T) {
	f, collect := exportFixture(t)
	f.srv.Inject(jctest.Fault{PathPrefix: "/api/systemusers", Kind: jctest.FaultStatus, Status: 500})
	out, err := Export(f.ctx, f.env, ExportRequest{OutDir: t.TempDir(), Collect: collect})
	if err != nil {
		t.Fatal(err)
	}
	if out.Complete() || out.Code != ExitPartial || len(out.Gaps) != 1 || out.Gaps[0] != "users (failed)" {
		t.Errorf("gaps %v code %d", out.Gaps, out.Code)
	}
	f.env.AllowPartial = true
	out, err = Export(f.ctx, f.env, ExportRequest{OutDir: t.TempDir(), Collect: collect})
	if err != nil || out.Code != ExitOK || out.Complete() {
		t.Errorf("--allow-partial: code %d complete %v err %v", out.Code, out.Complete(), err)
	}
}

func TestExportNothingReadWritesNothing(t *testing.T) {
	f, collect := exportFixture(t)
	f.srv.Inject(jctest.Fault{PathPrefix: "/api", Kind: jctest.FaultStatus, Status: 403})
	dir := t.TempDir()
	_, err := Export(f.ctx, f.env, ExportRequest{OutDir: dir, Collect: collect})
	var none *NothingReadError
	if !errors.As(err, &none) || ExportExitCode(err) != ExitPartial || len(none.Snapshot.Problems()) == 0 {
		t.Fatalf("err %v (exit %d)", err, ExportExitCode(err))
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("%d files written", len(entries))
	}
}

// Canceled as the collection ends (the collector returns a snapshot, the person pressed esc
// meanwhile): no bundle is written, and the error says so.
func TestExportCanceledWritesNothing(t *testing.T) {
	f, collect := exportFixture(t)
	ctx, cancel := context.WithCancel(f.ctx)
	defer cancel()
	dir := t.TempDir()
	_, err := Export(ctx, f.env, ExportRequest{OutDir: dir,
		Collect: func(ctx context.Context, p ProgressFunc) (*evidence.Snapshot, error) {
			snap, err := collect(ctx, p)
			cancel()
			return snap, err
		}})
	var c *ExportCanceledError
	if !errors.As(err, &c) || !errors.Is(err, context.Canceled) || ExportExitCode(err) != ExitInterrupted {
		t.Fatalf("err %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("%d files written after the cancel", len(entries))
	}
}

func TestExportToAFileFailsBeforeAnyRequest(t *testing.T) {
	f, collect := exportFixture(t)
	file := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	f.srv.ResetCounts()
	_, err := Export(f.ctx, f.env, ExportRequest{OutDir: file, Collect: collect})
	if err == nil || f.srv.Stats().Requests != 0 {
		t.Errorf("err %v after %d requests", err, f.srv.Stats().Requests)
	}
}

func TestExportRefusesAChecksOnlySnapshot(t *testing.T) {
	f := newDay2Fixture(t)
	f.save("default", f.srv.Keys.ReadOnly)
	conn, err := EvidenceConnection(f.ctx, f.env)
	if err != nil {
		t.Fatal(err)
	}
	snap, err := CollectorFor(f.env, conn, true)(f.ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Export(f.ctx, f.env, ExportRequest{OutDir: t.TempDir(), Snapshot: snap}); err == nil {
		t.Error("a snapshot with only the checks' policy statuses was exported as evidence")
	}
}

func TestDefaultExportDirIsDocumentsThenHome(t *testing.T) {
	home := t.TempDir()
	vars := map[string]string{"HOME": home}
	getenv := func(k string) string { return vars[k] }
	if got := DefaultExportDir(getenv); got != home {
		t.Errorf("no Documents: %q, want %q", got, home)
	}
	docs := filepath.Join(home, "Documents")
	if err := os.Mkdir(docs, 0o700); err != nil {
		t.Fatal(err)
	}
	if got := DefaultExportDir(getenv); got != docs {
		t.Errorf("%q, want %q", got, docs)
	}
	xdg := filepath.Join(home, "Dokumente")
	if err := os.Mkdir(xdg, 0o700); err != nil {
		t.Fatal(err)
	}
	vars["XDG_DOCUMENTS_DIR"] = xdg
	if got := DefaultExportDir(getenv); got != xdg {
		t.Errorf("XDG_DOCUMENTS_DIR: %q, want %q", got, xdg)
	}
	vars["XDG_DOCUMENTS_DIR"] = "relative/docs" // never relative to the working folder
	if got := DefaultExportDir(getenv); got != docs {
		t.Errorf("relative XDG_DOCUMENTS_DIR: %q, want %q", got, docs)
	}
}

// An export spools its raw sources beside the bundle while it collects, and the spool goes
// whether the export is written, fails (a bundle of that name is there) or is canceled.
func TestExportSpoolIsRemovedOnEveryPath(t *testing.T) {
	f, collect := exportFixture(t)
	dir := t.TempDir()
	spooled := 0
	spying := func(ctx context.Context, p ProgressFunc) (*evidence.Snapshot, error) {
		snap, err := collect(ctx, p)
		spools, _ := filepath.Glob(filepath.Join(dir, ".jcconnect-export-*", ".jcconnect-spool-*", "source-*"))
		spooled = len(spools)
		return snap, err
	}
	left := func() []string {
		var names []string
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), ".") {
				names = append(names, e.Name())
			}
		}
		return names
	}
	if _, err := Export(f.ctx, f.env, ExportRequest{OutDir: dir, Collect: spying}); err != nil {
		t.Fatal(err)
	}
	if spooled == 0 {
		t.Fatal("the collection spooled nothing: the test proves nothing")
	}
	if l := left(); len(l) != 0 {
		t.Errorf("written: left %v", l)
	}
	// The same snapshot time again: the bundle exists, the write fails after the collection.
	if _, err := Export(f.ctx, f.env, ExportRequest{OutDir: dir, Collect: spying}); err == nil {
		t.Fatal("a second bundle of the same name was written")
	}
	if l := left(); len(l) != 0 {
		t.Errorf("failed: left %v", l)
	}
	ctx, cancel := context.WithCancel(f.ctx)
	defer cancel()
	_, err := Export(ctx, f.env, ExportRequest{OutDir: dir, Collect: func(ctx context.Context, p ProgressFunc) (*evidence.Snapshot, error) {
		cancel()
		return spying(ctx, p)
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("canceled: err %v", err)
	}
	if l := left(); len(l) != 0 {
		t.Errorf("canceled: left %v", l)
	}
}

// Canceled while the bundle is written, at a known point (a file just completed: the third, or
// manifest.json, the last, so the zip is next): the writing stops there, and --out holds what it
// held before — no bundle, no zip, no temporary folder, no spool. The stored key and the
// configuration are as they were, and the error says the export was canceled (exit 130).
func TestExportCanceledWhileWritingLeavesNothing(t *testing.T) {
	for _, at := range []string{"third file", "manifest.json"} {
		t.Run(at, func(t *testing.T) {
			f, collect := exportFixture(t)
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("the auditor's notes"), 0o600); err != nil {
				t.Fatal(err)
			}
			outBefore, configBefore, keyBefore := treeOf(t, dir), treeOf(t, f.st.Dir()), f.storedKey("default")
			if keyBefore == "" || len(configBefore) == 0 {
				t.Fatalf("the fixture stored no key (%t) or no configuration (%d files)", keyBefore != "", len(configBefore))
			}

			ctx, cancel := context.WithCancel(f.ctx)
			defer cancel()
			var mu sync.Mutex
			var written []string
			var during []string // --out's hidden entries when the cancel came: the write was under way
			ctx = evidence.OnBundleFile(ctx, func(path string) {
				mu.Lock()
				defer mu.Unlock()
				written = append(written, path)
				if (at == "third file" && len(written) == 3) || path == at {
					during = hiddenIn(t, dir)
					cancel()
				}
			})
			out, err := Export(ctx, f.env, ExportRequest{OutDir: dir, Collect: collect})

			mu.Lock()
			defer mu.Unlock()
			if len(during) < 2 {
				t.Fatalf("the cancel came with %v in --out, want the spool and the unfinished bundle: it was not during the write", during)
			}
			var canceled *ExportCanceledError
			if !errors.As(err, &canceled) || !strings.Contains(err.Error(), "export canceled") || ExportExitCode(err) != ExitInterrupted {
				t.Fatalf("err = %v (exit %d), want an ExportCanceledError saying so, exit %d", err, ExportExitCode(err), ExitInterrupted)
			}
			if out.Result.Dir != "" {
				t.Errorf("a canceled export names a bundle: %+v", out.Result)
			}
			if last := written[len(written)-1]; (at == "third file" && len(written) != 3) || (at != "third file" && last != at) {
				t.Errorf("files completed after the cancel: %v", written)
			}
			if got := treeOf(t, dir); !maps.Equal(got, outBefore) {
				t.Errorf("--out holds %v, want only what it held before (%v)", keys(got), keys(outBefore))
			}
			if f.storedKey("default") != keyBefore {
				t.Error("the stored key changed")
			}
			if got := treeOf(t, f.st.Dir()); !maps.Equal(got, configBefore) {
				t.Errorf("the configuration changed: %v, was %v", keys(got), keys(configBefore))
			}

			// The control: the same export, not canceled, writes its bundle and records the
			// collection in the configuration, which the comparison above would have seen.
			if _, err := Export(f.ctx, f.env, ExportRequest{OutDir: dir, Collect: collect}); err != nil {
				t.Fatalf("the export after the canceled one: %v", err)
			}
			if got := treeOf(t, f.st.Dir()); maps.Equal(got, configBefore) {
				t.Error("a finished export left the configuration as it was: the comparison proves nothing")
			}
		})
	}
}

// treeOf is every file under dir, by path, with its content.
func treeOf(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			files[rel+"/"] = ""
			return nil
		}
		b, err := os.ReadFile(p)
		files[rel] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func hiddenIn(t *testing.T, dir string) []string {
	var names []string
	for p := range treeOf(t, dir) {
		if strings.HasPrefix(p, ".") && strings.Count(strings.TrimSuffix(p, "/"), "/") == 0 {
			names = append(names, p)
		}
	}
	return names
}

func keys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }

// CanceledExport turns an error a canceled context caused into "nothing was written", and keeps
// every error that already says what the cancel left: a caller never reads "the bundle could not
// be removed" as "nothing was written".
func TestCanceledExportKeepsWhatTheCancelLeft(t *testing.T) {
	live := context.Background()
	ended, cancel := context.WithCancel(context.Background())
	cancel()
	netErr := errors.New("Get \"https://console.jumpcloud.com/api/systems\": read: connection reset")
	left := fmt.Errorf("%w (%s): %w", evidence.ErrBundleLeftBehind, "/out/.tmp", errors.New("permission denied"))
	butErr := fmt.Errorf("export canceled (%w), but the bundle written meanwhile could not be removed: %w", context.Canceled, errors.New("busy"))
	canceled := &ExportCanceledError{Removed: "/out/bundle"}
	for _, c := range []struct {
		name         string
		ctx          context.Context
		err          error
		wantNothing  bool // *ExportCanceledError with nothing removed
		wantSameText bool
	}{
		{"no error", ended, nil, false, true},
		{"context alive: any error kept", live, netErr, false, true},
		{"cut request after the cancel", ended, netErr, true, false},
		{"already an ExportCanceledError", ended, canceled, false, true},
		{"canceled, but the bundle stayed", ended, butErr, false, true},
		{"a bundle left behind", ended, left, false, true},
	} {
		got := CanceledExport(c.ctx, c.err)
		var ce *ExportCanceledError
		if isNothing := errors.As(got, &ce) && ce.Removed == "" && got.Error() == (&ExportCanceledError{}).Error(); isNothing != c.wantNothing {
			t.Errorf("%s: got %v, want nothing-written %v", c.name, got, c.wantNothing)
		}
		if c.wantSameText && got != c.err {
			t.Errorf("%s: got %v, want the error kept as it is: %v", c.name, got, c.err)
		}
	}
}
