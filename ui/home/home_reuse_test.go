package home

import (
	"testing"

	"jcconnect/connect"
	"jcconnect/evidence"
	"jcconnect/internal/uitest"
	"jcconnect/store"
)

// Issue 11 item 16: home opened right after the wizard's preview shows the preview's snapshot
// instead of collecting the whole organisation again. The sandbox counts the requests.
func TestHomeAfterThePreviewDoesNotCollectAgain(t *testing.T) {
	f := newDay2Fixture(t)
	f.Env.Recent = &connect.RecentSnapshots{}
	f.Save("default", f.Srv.Keys.ReadOnly)

	f.Srv.ResetCounts()
	preview, gone := previewOf(t, f, f.Srv.Keys.ReadOnly)
	collection := f.Srv.Stats()
	f.Srv.ResetCounts()

	d, home := openHome(t, f)
	opened := f.Srv.Stats()
	t.Logf("requests: the preview's collection %d, opening home %d %v", collection.Requests, opened.Requests, opened.ByRoute)
	if home.shown != preview {
		t.Fatalf("home did not show the preview's collection (got %p, preview %p)", home.shown, preview)
	}
	// Reused as the preview kept it: nothing keeps the preview snapshot's records.
	if !gone() {
		t.Error("home reused the preview's collection and its snapshot's records are still reachable")
	}
	// Opening home checks the key live (a few requests); a collection reads every source.
	for _, route := range []string{"/api/systemusers", "/api/v2/systeminsights", "/api/v2/policies", "/api/v2/applications"} {
		if n := f.Srv.Requests(route); n != 0 {
			t.Errorf("home collected again after the preview: %d requests to %s", n, route)
		}
	}
	if opened.Requests*3 > collection.Requests {
		t.Errorf("opening home took %d requests, a collection %d: it collected again", opened.Requests, collection.Requests)
	}
	wantIn(t, d.View(), "%", "of", "devices")

	// "Collect again" (c) does ask JumpCloud: the counters above are not blind.
	f.Srv.ResetCounts()
	d.Keys("c")
	if n := f.Srv.Requests("/api/systemusers"); n == 0 {
		t.Errorf("c did not collect again: %v", f.Srv.Stats().ByRoute)
	}
	if home.shown == preview {
		t.Error("c kept the old collection")
	}
}

// A snapshot of another key (rotated since) is not reused.
func TestRecentSnapshotOfAnotherKeyIsNotReused(t *testing.T) {
	f := newDay2Fixture(t)
	f.Env.Recent = &connect.RecentSnapshots{}
	f.Save("default", f.Srv.Keys.ReadOnly)
	other, _ := previewOf(t, f, f.Srv.Keys.Admin)
	f.Srv.ResetCounts()
	_, home := openHome(t, f)
	if home.shown == other || home.shown == nil {
		t.Fatal("home showed a snapshot read with another key")
	}
	if f.Srv.Requests("/api/systems") == 0 {
		t.Error("home did not collect")
	}
}

// previewOf runs the wizard's preview for key, as the wizard does: verify, then the verified
// key's collector, and the collection kept as the preview keeps it (connect.Shown, which
// remembers it in f.Env.Recent). gone says whether the snapshot's records are garbage now.
func previewOf(t *testing.T, f *day2Fixture, key string) (*evidence.Kept, func() bool) {
	t.Helper()
	v, err := connect.VerifyKey(f.Ctx, connect.VerifyRequest{Key: store.MustSecret(key, false), BaseURL: f.Srv.URL,
		Integrations: store.Integrations{EndpointManagement: true, SSO: true},
		NewClient:    uitest.FastRetryClient, Now: f.Env.Now}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	snap, err := connect.CollectorForVerified(f.Env, v, true)(f.Ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	return connect.Shown(f.Env, snap, evidence.Evaluate(snap, f.Env.CheckThresholds())), uitest.RecordsGone(snap)
}
