package evidence

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
)

// A 50-per-page server for 200 devices gives all 200, marked complete.
func TestCollectFromAServerPagingByFiftyGetsEveryDevice(t *testing.T) {
	srv := newServer(t, jctest.Options{Devices: 200, Seed: 61})
	srv.Inject(jctest.Fault{Kind: jctest.FaultPageCap, Items: 50})
	snap, err := Collect(context.Background(), newClient(t, srv, srv.Keys.Admin, nil), both())
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Devices) != 200 || !snap.Readable(string(jumpcloud.SourceDevices)) {
		t.Fatalf("%d devices, %+v", len(snap.Devices), snap.Status(string(jumpcloud.SourceDevices)))
	}
	if !snap.Complete() {
		t.Fatalf("gaps: %v", snap.GapNames())
	}
	if n := srv.Requests("/api/systems"); n < 4 {
		t.Fatalf("%d requests for 200 devices by 50: the cap was not in force", n)
	}
}

// Pages that run out before the total keep what was read, mark the source incomplete ("200 of
// 210") and carry the mark into summary.md, manifest.json and raw/collection.json. The bundle is
// private: 0700 folders, 0600 files and zip.
func TestAnIncompleteSourceIsMarkedEverywhereInTheBundle(t *testing.T) {
	srv := newServer(t, jctest.Options{Devices: 200, Seed: 62})
	srv.Inject(jctest.Fault{PathPrefix: "/api/systems", Kind: jctest.FaultTotalInflated, Items: 10})
	snap, err := Collect(context.Background(), newClient(t, srv, srv.Keys.Admin, nil), both())
	if err != nil {
		t.Fatal(err)
	}
	st := snap.Status(string(jumpcloud.SourceDevices))
	if st.State != StateIncomplete || st.Items != 200 || st.Total != 210 || len(snap.Devices) != 200 {
		t.Fatalf("devices: %+v with %d kept; want incomplete, 200 of 210", st, len(snap.Devices))
	}
	if snap.Complete() || len(snap.Gaps()) != 1 || snap.GapNames()[0] != "devices (INCOMPLETE: 200 of 210 read)" {
		t.Fatalf("gaps %v", snap.GapNames())
	}

	out := filepath.Join(t.TempDir(), "new", "folder")
	res, err := Export(context.Background(), snap, Evaluate(snap, DefaultThresholds()), out)
	if err != nil {
		t.Fatal(err)
	}
	summary, _ := os.ReadFile(filepath.Join(res.Dir, "summary.md"))
	if !strings.HasPrefix(string(summary), "**INCOMPLETE EVIDENCE**") || !strings.Contains(string(summary), "200 of 210") {
		t.Fatalf("summary.md does not open with the mark:\n%.300s", summary)
	}
	for _, name := range []string{"manifest.json", "raw/collection.json"} {
		var doc struct{ Evidence Completeness }
		b, _ := os.ReadFile(filepath.Join(res.Dir, filepath.FromSlash(name)))
		if err := json.Unmarshal(b, &doc); err != nil || doc.Evidence.Complete || len(doc.Evidence.Gaps) != 1 {
			t.Fatalf("%s: %+v (%v)", name, doc.Evidence, err)
		}
	}
	for _, p := range []string{out, res.Dir, filepath.Join(res.Dir, "raw")} {
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o700 {
			t.Errorf("%s: %v %v, want 0700", p, fi.Mode().Perm(), err)
		}
	}
	for _, p := range []string{res.Zip, filepath.Join(res.Dir, "summary.md"), filepath.Join(res.Dir, "raw", "devices.json")} {
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v, want 0600", p, fi.Mode().Perm(), err)
		}
	}
}

// Optional sources that are not available to the key (403/404/405) are not gaps; required
// sources that could not be read, and any failure, are.
func TestGapsFollowTheOptionalSourceRule(t *testing.T) {
	srv := newServer(t, jctest.Options{Devices: 20, Seed: 63})
	srv.Inject(jctest.Fault{PathPrefix: "/api/users", Kind: jctest.FaultStatus, Status: 405})
	srv.Inject(jctest.Fault{PathPrefix: "/api/v2/authn", Kind: jctest.FaultStatus, Status: 404})
	snap, err := Collect(context.Background(), newClient(t, srv, srv.Keys.ReadOnly, nil), both())
	if err != nil {
		t.Fatal(err)
	}
	for _, src := range []jumpcloud.Source{jumpcloud.SourceAdmins, jumpcloud.SourceAuthnPolicies} {
		if st := snap.Status(string(src)); st.State != StateNotEnabled || !strings.Contains(st.Reason, "not available to this key") {
			t.Errorf("%s: %+v", src, st)
		}
	}
	if !snap.Complete() {
		t.Fatalf("optional sources not available made gaps: %v", snap.GapNames())
	}

	srv.Inject(jctest.Fault{PathPrefix: "/api/systemusers", Kind: jctest.FaultStatus, Status: 404})
	snap, err = Collect(context.Background(), newClient(t, srv, srv.Keys.ReadOnly, nil), both())
	if err != nil {
		t.Fatal(err)
	}
	if g := snap.GapNames(); len(g) != 1 || g[0] != "users (failed)" {
		t.Fatalf("a required source's 404 must be a gap: %v", g)
	}
}

func TestPrepareOutDirRefusesAFile(t *testing.T) {
	f := filepath.Join(t.TempDir(), "file")
	os.WriteFile(f, nil, 0o600)
	if err := PrepareOutDir(f); err == nil || !strings.Contains(err.Error(), "not a folder") {
		t.Fatalf("got %v", err)
	}
}
