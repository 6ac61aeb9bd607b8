package evidence

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"jcconnect/jumpcloud/jctest"
)

// sandboxDeviceReports are the device reports of every way a sandbox organisation is
// evaluated: a collection of only the checks' statuses and one of every status, and, for each,
// the early snapshot's report and the whole one's made after it (EvaluateAfterEarly).
func sandboxDeviceReports(t *testing.T) (reports map[string]*Report, snaps map[string]*Snapshot) {
	t.Helper()
	org := jctest.Options{Devices: 400, Users: 80, Policies: 12, Seed: 23}
	reports, snaps = map[string]*Report{}, map[string]*Snapshot{}
	for _, only := range []bool{true, false} {
		name := map[bool]string{true: "checks' statuses", false: "every status"}[only]
		srv := newServer(t, org)
		r := startEarly(t, context.Background(), srv, srv.Keys.ReadOnly, only)
		early := r.waitEarly(t)
		reports[name+", early"] = Evaluate(early, DefaultThresholds())
		snaps[name+", early"] = early
		r.open()
		res := <-r.done
		if res.err != nil {
			t.Fatal(res.err)
		}
		reports[name] = Evaluate(res.snap, DefaultThresholds())
		snaps[name] = res.snap
		reports[name+", after early"] = EvaluateAfterEarly(res.snap, DefaultThresholds(), reports[name+", early"])
	}
	return reports, snaps
}

// Every device's results are its checks in DeviceChecks' order, one each, whichever way the
// report was made: the CSV's columns, the bundle's tallies and the browser's cells are by
// position. A result made elsewhere than its check (a zero Result{} where a check was added to
// DeviceChecks only) would be a column with no check and no status in every output.
func TestDeviceResultsAreDeviceChecksInOrder(t *testing.T) {
	reports, snaps := sandboxDeviceReports(t)
	for name, rep := range reports {
		if len(rep.Devices) != 400 {
			t.Fatalf("%s: %d device reports, want 400", name, len(rep.Devices))
		}
		for _, d := range rep.Devices {
			assertDeviceChecksInOrder(t, name, d)
		}
	}
	// A row of `devices --json` is made of a report in the scratch arrays: the same report as
	// Evaluate's, the same order.
	for name, s := range snaps {
		th := DefaultThresholds().withDefaults()
		ix := newIndex(s, th)
		for i := range s.Devices {
			e := newDeviceEvidence()
			r := scratchDeviceReport(s, ix, th, &s.Devices[i], ix.statuses.of(i), e)
			assertDeviceChecksInOrder(t, name+" (scratch)", r)
			if want := reports[name].Devices[i]; !reflect.DeepEqual(r, want) {
				t.Errorf("%s: device %s: the scratch report differs from Evaluate's:\n%+v\n%+v", name, r.ID, r, want)
			}
			e.done()
		}
	}
}

func assertDeviceChecksInOrder(t *testing.T, name string, d DeviceReport) {
	t.Helper()
	if len(d.Results) != len(DeviceChecks) {
		t.Fatalf("%s: device %s has %d results, want one per device check (%d)", name, d.ID, len(d.Results), len(DeviceChecks))
	}
	for i, r := range d.Results {
		if r.Check != DeviceChecks[i].ID || r.Status == "" {
			t.Fatalf("%s: device %s's result %d is check %q, status %q: want check %q with a status", name, d.ID, i, r.Check, r.Status, DeviceChecks[i].ID)
		}
	}
}

// A check in DeviceChecks with no function (a ninth entry), a function for a check not listed,
// or a check listed twice is refused by name; as the package starts, DeviceChecks and
// deviceCheckFuncs match.
func TestOrderDeviceChecksRefusesAMismatch(t *testing.T) {
	if got, err := orderDeviceChecks(DeviceChecks, deviceCheckFuncs); err != nil || len(got) != len(DeviceChecks) {
		t.Fatalf("DeviceChecks and deviceCheckFuncs: %d functions, %v", len(got), err)
	}
	ninth := append(slices.Clone(DeviceChecks), CheckInfo{ID: "usb_storage", Short: "USB", Title: "USB storage blocked"})
	fewer := map[string]deviceCheck{}
	for id, f := range deviceCheckFuncs {
		if id != "antivirus" {
			fewer[id] = f
		}
	}
	twice := append(slices.Clone(DeviceChecks[:len(DeviceChecks)-1]), DeviceChecks[0])
	for _, c := range []struct {
		checks []CheckInfo
		funcs  map[string]deviceCheck
		want   string
	}{
		{ninth, deviceCheckFuncs, `"usb_storage" (DeviceChecks) has no function`},
		{DeviceChecks, fewer, `"antivirus" (DeviceChecks) has no function`},
		{DeviceChecks[:len(DeviceChecks)-1], deviceCheckFuncs, `function "system_insights" (deviceCheckFuncs) is not in DeviceChecks`},
		{twice, deviceCheckFuncs, `"disk_encryption" is listed twice`},
	} {
		got, err := orderDeviceChecks(c.checks, c.funcs)
		if err == nil || !strings.Contains(err.Error(), c.want) || got != nil {
			t.Errorf("%d checks, %d functions: %v, want an error saying %s", len(c.checks), len(c.funcs), err, c.want)
		}
	}
}

// EvaluateAfterEarly's report keeps early's evidence arrays for the checks it does not evaluate
// again, while early's readers (the browser's table) go on reading them: no append to the new
// report's evidence reaches them, even where early's arrays had room after their evidence (a
// report made some other way).
func TestEvaluateAfterEarlyNeverAppendsToEarlysEvidence(t *testing.T) {
	srv := newServer(t, jctest.Options{Devices: 120, Users: 30, Policies: 9, Seed: 5})
	r := startEarly(t, context.Background(), srv, srv.Keys.ReadOnly, true)
	early := Evaluate(r.waitEarly(t), DefaultThresholds())
	r.open()
	res := <-r.done
	if res.err != nil {
		t.Fatal(res.err)
	}
	room := Evidence{Name: "room", Value: "after early's evidence"}
	for i := range early.Devices {
		for k := range early.Devices[i].Results {
			res := &early.Devices[i].Results[k]
			if n := len(res.Evidence); n > 0 {
				ev := make([]Evidence, n+1)
				copy(ev, res.Evidence)
				ev[n] = room
				res.Evidence = ev[:n]
			}
		}
	}
	before, err := json.Marshal(early)
	if err != nil {
		t.Fatal(err)
	}

	after := EvaluateAfterEarly(res.snap, DefaultThresholds(), early)
	shared, appended := 0, 0
	for i, d := range after.Devices {
		for k := range d.Results {
			ev := d.Results[k].Evidence
			if was := early.Devices[i].Results[k].Evidence; len(ev) > 0 && len(was) > 0 && &ev[0] == &was[0] {
				shared++
			}
			if cap(ev) != len(ev) {
				t.Fatalf("device %s: %s's evidence has room for %d more: an append would write into it", d.ID, d.Results[k].Check, cap(ev)-len(ev))
			}
			appended += len(append(ev, Evidence{Name: "later", Value: "append"}))
		}
	}
	if shared == 0 || appended == 0 {
		t.Fatalf("%d evidence arrays are early's, %d evidence appended: the test shows nothing", shared, appended)
	}
	for _, d := range early.Devices {
		for _, res := range d.Results {
			if n := len(res.Evidence); n > 0 && res.Evidence[:n+1][n] != room {
				t.Fatalf("device %s: after early's %s evidence, %+v was written", d.ID, res.Check, res.Evidence[:n+1][n])
			}
		}
	}
	if now, _ := json.Marshal(early); string(now) != string(before) {
		t.Error("EvaluateAfterEarly changed the early report")
	}
}
