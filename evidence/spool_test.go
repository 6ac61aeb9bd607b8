package evidence

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"testing"

	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
)

// An export's collection spools its raw sources as their pages arrive; the bundle copied from the
// spool is the pinned bundle, byte for byte (the digests TestSandboxBundleBytesAreStable pins), and
// the spool goes when the snapshot lets it go.
func TestSpooledExportIsThePinnedBundle(t *testing.T) {
	srv := newServer(t, jctest.Options{Devices: 300, Users: 60, Policies: 9, Seed: 11})
	parent := t.TempDir()
	snap, err := Collect(SpoolRawSources(t.Context(), parent), newClient(t, srv, srv.Keys.ReadOnly, nil), both())
	if err != nil {
		t.Fatal(err)
	}
	for _, src := range []string{"devices", "users", "policy results", InsightSource(jumpcloud.InsightTables[0]), InsightSource(jumpcloud.TableMounts)} {
		if f, ok := snap.raw.kept(src); !ok || f.count() == 0 {
			t.Fatalf("%s was not spooled: the test would prove nothing", src)
		}
	}
	want, err := os.ReadFile(filepath.Join("testdata", "sandbox_bundle.sha256"))
	if err != nil {
		t.Fatal(err)
	}
	res, _, err := ExportEvaluating(context.Background(), snap, DefaultThresholds(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if got := bundleDigests(t, res); got != string(want) {
		t.Errorf("the bundle copied from the spool differs:\ngot\n%s\nwant\n%s", got, want)
	}
	if err := snap.CloseRaw(); err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(parent); len(left) != 0 {
		t.Errorf("the spool was left behind: %v", left)
	}
}

// Whatever a collection kept (incomplete lists, a policy whose statuses failed, System Insights
// rows tied on device and time), the bundle of a spooled collection is the bundle of the same
// collection held in memory, file for file.
func TestSpooledBundleIsTheRecordsBundle(t *testing.T) {
	srv := newServer(t, jctest.Options{Devices: 450, Users: 130, Policies: 6, Seed: 61})
	srv.Inject(jctest.Fault{PathPrefix: "/api/systems", Kind: jctest.FaultTotalInflated, Items: 7})
	srv.Inject(jctest.Fault{PathPrefix: "/api/systemusers", Kind: jctest.FaultPageCap, Items: 40})
	pols, err := newClient(t, srv, srv.Keys.ReadOnly, nil).Policies(t.Context(), jumpcloud.ListOptions{})
	if err != nil || len(pols) < 2 {
		t.Fatalf("%d policies: %v", len(pols), err)
	}
	srv.Inject(jctest.Fault{PathPrefix: "/api/v2/policies/" + pols[1].ID + "/policystatuses", Kind: jctest.FaultStatus, Status: 500})
	outcomes := map[bool]map[string]int{}
	bundle := func(spool bool) []BundleFile {
		ctx := t.Context()
		if spool {
			ctx = SpoolRawSources(ctx, t.TempDir())
		}
		snap, err := Collect(ctx, newClient(t, srv, srv.Keys.ReadOnly, nil), both())
		if err != nil {
			t.Fatal(err)
		}
		defer snap.CloseRaw()
		if (snap.raw != nil) != spool {
			t.Fatalf("spooled %v, want %v", snap.raw != nil, spool)
		}
		if stateOf(snap, "devices") != StateIncomplete || stateOf(snap, "policy results") != StateFailed {
			t.Fatalf("devices %s, policy results %s: the faults did not happen", stateOf(snap, "devices"), stateOf(snap, "policy results"))
		}
		// A spooled export keeps no status records, only what the checks read of them: the
		// same checks files below, and the same outcomes for the preview.
		if held := len(snap.PolicyStatuses) > 0; held == spool {
			t.Fatalf("spooled %v, yet %d status records held", spool, len(snap.PolicyStatuses))
		}
		outcomes[spool] = snap.PolicyOutcomes()
		files, _, err := Bundle(snap, Evaluate(snap, DefaultThresholds()))
		if err != nil {
			t.Fatal(err)
		}
		return files
	}
	fromRecords, spooled := bundle(false), bundle(true)
	if !maps.Equal(outcomes[false], outcomes[true]) || len(outcomes[true]) == 0 {
		t.Errorf("policy outcomes from the records %v, from the spooled export's table %v", outcomes[false], outcomes[true])
	}
	ties := 0
	for _, f := range fromRecords {
		if f.Path == "raw/system_insights/bitlocker_info.json" {
			ties = bytes.Count(f.data, []byte(`"drive_letter"`))
		}
	}
	if ties < 2 {
		t.Fatal("no device has two BitLocker volumes: the order by content is not tested")
	}
	if len(spooled) != len(fromRecords) {
		t.Fatalf("%d files from the spool, %d from the records", len(spooled), len(fromRecords))
	}
	for i := range spooled {
		if spooled[i].Path != fromRecords[i].Path || !bytes.Equal(spooled[i].data, fromRecords[i].data) {
			t.Errorf("%s differs from the spool (%d bytes) and from the records (%d bytes)",
				fromRecords[i].Path, len(spooled[i].data), len(fromRecords[i].data))
		}
	}
}

// Once its spool is gone, a snapshot that kept only the checks' columns is no bundle.
func TestASpooledSnapshotIsExportedOnce(t *testing.T) {
	srv := newServer(t, jctest.Options{Devices: 50, Seed: 63})
	snap, err := Collect(SpoolRawSources(t.Context(), t.TempDir()), newClient(t, srv, srv.Keys.ReadOnly, nil), both())
	if err != nil {
		t.Fatal(err)
	}
	if err := snap.CloseRaw(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Bundle(snap, Evaluate(snap, DefaultThresholds())); !errors.Is(err, errSpoolGone) {
		t.Fatalf("err %v, want the spool gone", err)
	}
}

// The spool goes with a collection that failed or was canceled.
func TestASpoolIsRemovedWhenTheCollectionStops(t *testing.T) {
	srv := newServer(t, jctest.Options{Devices: 450, Seed: 62})
	t.Run("canceled", func(t *testing.T) {
		parent := t.TempDir()
		ctx, cancel := context.WithCancel(t.Context())
		opt := both()
		opt.OnProgress = func(ev ProgressEvent) {
			if ev.Source == "devices" && ev.Items >= 100 {
				cancel()
			}
		}
		_, err := Collect(SpoolRawSources(ctx, parent), newClient(t, srv, srv.Keys.ReadOnly, nil), opt)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err %v, want canceled", err)
		}
		if left, _ := os.ReadDir(parent); len(left) != 0 {
			t.Errorf("a canceled collection left its spool: %v", left)
		}
	})
	t.Run("key refused", func(t *testing.T) {
		parent := t.TempDir()
		_, err := Collect(SpoolRawSources(t.Context(), parent), newClient(t, srv, srv.Keys.Revoked, nil), both())
		if !errors.Is(err, jumpcloud.ErrInvalidKey) {
			t.Fatalf("err %v, want the key refused", err)
		}
		if left, _ := os.ReadDir(parent); len(left) != 0 {
			t.Errorf("a failed collection left its spool: %v", left)
		}
	})
	t.Run("checks only: no spool", func(t *testing.T) {
		parent := t.TempDir()
		opt := both()
		opt.StatusesForChecksOnly = true
		snap, err := Collect(SpoolRawSources(t.Context(), parent), newClient(t, srv, srv.Keys.ReadOnly, nil), opt)
		if err != nil {
			t.Fatal(err)
		}
		if left, _ := os.ReadDir(parent); len(left) != 0 || snap.raw != nil {
			t.Errorf("a collection for the checks spooled: %v", left)
		}
	})
}
