package evidence

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
)

// The check files written while evaluating (ExportEvaluating: each device evaluated, written to
// checks.json, checks.csv and devices.csv, and dropped) are byte for byte those of the report
// Evaluate makes, whatever the snapshot holds: both integrations, one, none, no administrators
// read, nothing at all.
func TestEvaluatingBundleEqualsTheReportsBundle(t *testing.T) {
	snapshots := map[string]func(*Snapshot){
		"rich":           func(*Snapshot) {},
		"no sso":         func(s *Snapshot) { s.Integrations.SSO = false },
		"no endpoint":    func(s *Snapshot) { s.Integrations.Endpoint = false },
		"no integration": func(s *Snapshot) { s.Integrations = Integrations{} },
		"admins not read": func(s *Snapshot) {
			s.Admins = nil
			setState(s, string(jumpcloud.SourceAdmins), StateNotPermitted)
		},
		"no devices or users": func(s *Snapshot) { s.Devices, s.Users = nil, nil },
	}
	th := DefaultThresholds()
	th.StaleDays = 9
	for name, tweak := range snapshots {
		s := richSnapshot()
		tweak(s)
		want, wantM, err := Bundle(s, Evaluate(s, th))
		if err != nil {
			t.Fatal(name, err)
		}
		got, gotM, err := renderBundle(s, newEvaluation(s, th), memorySink{})
		if err != nil {
			t.Fatal(name, err)
		}
		if len(got) != len(want) || len(gotM.Files) != len(wantM.Files) {
			t.Fatalf("%s: %d files written while evaluating, %d from the report", name, len(got), len(want))
		}
		for i := range want {
			if got[i].Path != want[i].Path || !bytes.Equal(got[i].data, want[i].data) || got[i].SHA256 != want[i].SHA256 {
				t.Errorf("%s: %s differs:\ngot  %.300q\nwant %.300q", name, want[i].Path, got[i].data, want[i].data)
			}
		}
	}
}

// The sandbox organisation's bundle exported while evaluating has the digests
// TestSandboxBundleBytesAreStable pins for the bundle of the whole report (the same file: this
// test never rewrites it).
func TestSandboxBundleExportedWhileEvaluatingIsTheSame(t *testing.T) {
	srv := newServer(t, jctest.Options{Devices: 300, Users: 60, Policies: 9, Seed: 11})
	snap, err := Collect(t.Context(), newClient(t, srv, srv.Keys.ReadOnly, nil), both())
	if err != nil {
		t.Fatal(err)
	}
	res, th, err := ExportEvaluating(context.Background(), snap, DefaultThresholds(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if th.OSSupportAsOf == "" || th.StaleDays != DefaultThresholds().StaleDays {
		t.Errorf("thresholds used not returned: %+v", th)
	}
	got := bundleDigests(t, res)
	want, err := os.ReadFile(filepath.Join("testdata", "sandbox_bundle.sha256"))
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("exported while evaluating, the bundle differs:\ngot\n%s\nwant\n%s", got, want)
	}
	for _, f := range res.Manifest.Files {
		if _, err := os.Stat(filepath.Join(res.Dir, filepath.FromSlash(f.Path))); err != nil {
			t.Errorf("%s listed but not written: %v", f.Path, err)
		}
	}
}

// A snapshot that read only the checks' policy statuses is refused, before anything is written.
func TestExportEvaluatingRefusesAChecksOnlySnapshot(t *testing.T) {
	s := richSnapshot()
	s.PolicyStatusesForChecksOnly = true
	dir := t.TempDir()
	if _, _, err := ExportEvaluating(context.Background(), s, DefaultThresholds(), dir); err == nil || !strings.Contains(err.Error(), "evidence export") {
		t.Errorf("a checks-only snapshot was exported: %v", err)
	}
	if left := readTree(t, dir); len(left) != 0 {
		t.Errorf("a refused export left files: %v", left)
	}
}

// failingSink fails the write of one file after some bytes; every file it opened must be closed.
type failingSink struct {
	memorySink
	failOn string
	open   map[string]bool
}

type failingFile struct {
	bundleFileWriter
	s    *failingSink
	path string
}

var errDiskFull = errors.New("no space left on device")

func (f *failingSink) create(path string) (bundleFileWriter, error) {
	w, _ := f.memorySink.create(path)
	f.open[path] = true
	return &failingFile{w, f, path}, nil
}

func (f *failingFile) Write(p []byte) (int, error) {
	if f.path == f.s.failOn {
		return 0, errDiskFull
	}
	return f.bundleFileWriter.Write(p)
}

func (f *failingFile) close() (BundleFile, error) {
	delete(f.s.open, f.path)
	return f.bundleFileWriter.close()
}

// A check file that cannot be written (a full disk) fails the bundle with its error, and the
// other check files written beside it are closed all the same.
func TestACheckFileThatCannotBeWrittenFailsTheBundle(t *testing.T) {
	s := richSnapshot()
	for _, path := range []string{"checks.json", "checks.csv", "devices.csv", "users.csv", "administrators.csv"} {
		sink := &failingSink{failOn: path, open: map[string]bool{}}
		files, _, err := renderBundle(s, newEvaluation(s, DefaultThresholds()), sink)
		if !errors.Is(err, errDiskFull) || files != nil {
			t.Errorf("%s failing: err %v, %d files", path, err, len(files))
		}
		if len(sink.open) != 0 {
			t.Errorf("%s failing: left open %v", path, sink.open)
		}
	}
}

var _ io.Writer = (*failingFile)(nil)
