package evidence

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"jcconnect/jumpcloud/jctest"
)

var updateBundleDigests = flag.Bool("update-bundle-digests", false, "rewrite testdata/sandbox_bundle.sha256")

// The bundle of one sandbox organisation, collected at a pinned time, must not change by a byte
// when the way it is collected, held or written changes (compact rows, streamed files): its
// digests were recorded with the in-memory renderer the streaming one replaced. A deliberate
// change of the bundle's content regenerates them with -update-bundle-digests, and says why in
// its commit.
func TestSandboxBundleBytesAreStable(t *testing.T) {
	srv := newServer(t, jctest.Options{Devices: 300, Users: 60, Policies: 9, Seed: 11})
	snap, err := Collect(t.Context(), newClient(t, srv, srv.Keys.ReadOnly, nil), both())
	if err != nil {
		t.Fatal(err)
	}
	res, err := Export(context.Background(), snap, Evaluate(snap, DefaultThresholds()), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	matchDigests(t, "sandbox_bundle.sha256", *updateBundleDigests, bundleDigests(t, res), "the bundle")
}

// matchDigests compares got with the digests pinned in testdata/file, after rewriting the file
// with got when update is set (a deliberate change, said in its commit); what names what they
// are the digests of.
func matchDigests(t *testing.T, file string, update bool, got, what string) {
	t.Helper()
	golden := filepath.Join("testdata", file)
	if update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("%s of the same sandbox organisation changed:\ngot\n%s\nwant\n%s", what, got, want)
	}
}

// bundleDigests lists an exported bundle's digests as sandbox_bundle.sha256 holds them: each
// file's ("<sha256>  <path>"), then the zip's.
func bundleDigests(t *testing.T, res ExportResult) string {
	t.Helper()
	var got strings.Builder
	for _, f := range res.Manifest.Files {
		got.WriteString(f.SHA256 + "  " + f.Path + "\n")
	}
	zip, err := os.ReadFile(res.Zip)
	if err != nil {
		t.Fatal(err)
	}
	got.WriteString(sha256Hex(zip) + "  (zip)\n")
	return got.String()
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// checks.json is written result by result (writeReportJSON); it must be exactly what encoding/json
// writes for the whole report, including the lists that are empty or absent (null), so a field
// added to Report and not to the streaming writer fails here.
func TestStreamedChecksJSONEqualsTheWholeReport(t *testing.T) {
	rich := richSnapshot()
	noSSO := richSnapshot()
	noSSO.Integrations.SSO = false
	empty := &Report{}
	for name, rep := range map[string]*Report{
		"rich":    Evaluate(rich, DefaultThresholds()),
		"no sso":  Evaluate(noSSO, DefaultThresholds()),
		"nothing": empty,
	} {
		var want, got bytes.Buffer
		if err := jsonFile(rep)(&want); err != nil {
			t.Fatal(err)
		}
		if err := writeReportJSON(&got, rep); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%s: streamed checks.json differs from the report's encoding:\ngot  %.400q\nwant %.400q", name, got.String(), want.String())
		}
	}
}

// Export (files written to disk as rendered, the zip copied from them) and Bundle (in memory)
// give the same files.
func TestExportWritesWhatBundleRenders(t *testing.T) {
	s := richSnapshot()
	rep := Evaluate(s, DefaultThresholds())
	files, _, err := Bundle(s, rep)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Export(context.Background(), s, rep, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	onDisk := readTree(t, res.Dir)
	if len(onDisk) != len(files) {
		t.Errorf("%d files on disk, %d rendered", len(onDisk), len(files))
	}
	for _, f := range files {
		if !bytes.Equal(onDisk[f.Path], f.data) {
			t.Errorf("%s differs on disk", f.Path)
		}
	}
}
