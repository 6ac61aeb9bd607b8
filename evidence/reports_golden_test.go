package evidence

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"strings"
	"testing"

	"jcconnect/jumpcloud/jctest"
)

var updateReportDigests = flag.Bool("update-report-digests", false, "rewrite testdata/sandbox_reports.sha256")

// The bundle's digests (TestSandboxBundleBytesAreStable) pin the reports of a collection of
// every status. What `devices --json/--csv` and the browser evaluate is another collection
// (only the checks' statuses: policies_applied decided on the device counters) and, in the
// browser, an early snapshot evaluated while the statuses are still being read, then the whole
// one evaluated after it. Their bytes are pinned here the same way: a change to how the checks
// build their results (shared texts, one evidence array per device) must not change one.
// A deliberate change of a report's content regenerates them with -update-report-digests, and
// says why in its commit.
func TestSandboxReportBytesAreStable(t *testing.T) {
	var got strings.Builder
	add := func(name string, b []byte) { got.WriteString(sha256Hex(b) + "  " + name + "\n") }
	report := func(name string, r *Report) {
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		add(name, b)
	}
	rows := func(name string, s *Snapshot) {
		for _, users := range []bool{false, true} {
			for _, jsonLines := range []bool{false, true} {
				var b bytes.Buffer
				if err := WriteRows(&b, s, DefaultThresholds(), users, jsonLines); err != nil {
					t.Fatal(err)
				}
				kind := map[bool]string{false: "devices", true: "users"}[users] + map[bool]string{false: ".csv", true: ".jsonl"}[jsonLines]
				add(name+" rows "+kind, b.Bytes())
			}
		}
	}
	org := jctest.Options{Devices: 400, Users: 80, Policies: 12, Seed: 23}

	checksOnly := collectForChecks(t, org)
	report("checks' statuses report", Evaluate(checksOnly, DefaultThresholds()))
	rows("checks' statuses", checksOnly)
	strict := DefaultThresholds()
	strict.MinOSVersion = map[string]string{"darwin": "15.1", "windows": "10.0.22631", "linux": "24.04"}
	strict.LockPasswordOptional, strict.MaxLockSeconds, strict.StaleDays, strict.InsightsMaxAgeDays = true, 300, 3, 1
	report("checks' statuses report, other thresholds", Evaluate(checksOnly, strict))

	for _, only := range []bool{true, false} {
		name := map[bool]string{true: "early (checks' statuses)", false: "early (every status)"}[only]
		srv := newServer(t, org)
		r := startEarly(t, context.Background(), srv, srv.Keys.ReadOnly, only)
		early := r.waitEarly(t)
		earlyRep := Evaluate(early, DefaultThresholds())
		report(name+" report", earlyRep)
		r.open()
		res := <-r.done
		if res.err != nil {
			t.Fatal(res.err)
		}
		report(name+" then the whole", EvaluateAfterEarly(res.snap, DefaultThresholds(), earlyRep))
		if !only {
			rows("every status", res.snap)
		}
	}

	matchDigests(t, "sandbox_reports.sha256", *updateReportDigests, got.String(), "the reports")
}
