package evidence

import (
	"context"
	"strings"
	"testing"

	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
)

// A collection for the checks lists the statuses of only the policies a check needs, and every
// verdict but policies_applied is the same as with every status; policies_applied never passes
// a device the full statuses do not pass.
func TestChecksOnlyCollectionReadsOnlyTheChecksStatuses(t *testing.T) {
	srv := newServer(t, jctest.Options{Devices: 300, Policies: 30, Seed: 11})
	collect := func(checksOnly bool) (*Snapshot, jctest.Stats) {
		srv.ResetCounts()
		opt := both()
		opt.StatusesForChecksOnly = checksOnly
		s, err := Collect(context.Background(), newClient(t, srv, srv.Keys.ReadOnly, nil), opt)
		if err != nil {
			t.Fatal(err)
		}
		return s, srv.Stats()
	}
	full, fullStats := collect(false)
	fast, fastStats := collect(true)
	const route = "/api/v2/policies/{id}/policystatuses"

	needed := map[string]bool{}
	for _, p := range full.Policies {
		if NeedsPolicyStatuses(p.Template) {
			needed[p.ID] = true
		}
	}
	if len(needed) == 0 || len(needed) == len(full.Policies) {
		t.Fatalf("%d of %d policies need statuses: the test needs some of each", len(needed), len(full.Policies))
	}
	if fastStats.ByRoute[route] >= fullStats.ByRoute[route] || fastStats.ByRoute[route] < len(needed) {
		t.Errorf("status requests: %d for the checks, %d for all; want at least one per needed policy (%d) and fewer than all",
			fastStats.ByRoute[route], fullStats.ByRoute[route], len(needed))
	}
	want, got := 0, 0
	for id, n := range full.StatusPolicies() {
		if needed[id] {
			want += n
		}
	}
	for id, n := range fast.StatusPolicies() {
		if !needed[id] {
			t.Fatalf("status of policy %s read though no check needs it", id)
		}
		got += n
	}
	// A collection for the checks keeps what they read of the statuses, not the records.
	if got != want || fast.PolicyStatuses != nil || !fast.PolicyStatusesForChecksOnly || full.PolicyStatusesForChecksOnly {
		t.Errorf("%d statuses read for the checks (%d records kept), want %d (the needed policies' share of %d); flags %v/%v",
			got, len(fast.PolicyStatuses), want, len(full.PolicyStatuses), fast.PolicyStatusesForChecksOnly, full.PolicyStatusesForChecksOnly)
	}

	fullRep, fastRep := Evaluate(full, DefaultThresholds()), Evaluate(fast, DefaultThresholds())
	byID := map[string]DeviceReport{}
	for _, d := range fullRep.Devices {
		byID[d.ID] = d
	}
	changed := 0
	for _, d := range fastRep.Devices {
		f := byID[d.ID]
		for _, r := range d.Results {
			fr := f.Result(r.Check)
			if r.Check != "policies_applied" {
				if r.Status != fr.Status || r.Reason != fr.Reason {
					t.Errorf("%s %s: %s (%s) for the checks, %s (%s) with every status", d.ID, r.Check, r.Status, r.Reason, fr.Status, fr.Reason)
				}
				continue
			}
			if r.Status != fr.Status {
				changed++
			}
			if r.Status == Pass && fr.Status != Pass {
				t.Errorf("%s policies_applied passes on the counters (%s) but is %s with every status (%s)", d.ID, r.Reason, fr.Status, fr.Reason)
			}
		}
		if d.Overall == Pass && f.Overall != Pass {
			t.Errorf("%s is compliant for the checks but %s with every status", d.ID, f.Overall)
		}
	}
	t.Logf("policies_applied differs on %d of %d devices", changed, len(fastRep.Devices))

	if _, _, err := Bundle(fast, fastRep); err == nil || !strings.Contains(err.Error(), "evidence export") {
		t.Errorf("a checks-only snapshot made a bundle: %v", err)
	}
}

func TestPoliciesAppliedOnCountersWhenOnlyTheChecksStatusesWereRead(t *testing.T) {
	counters := func(ps *jumpcloud.PolicyStats, states ...string) func(*Snapshot, *jumpcloud.System) {
		return func(s *Snapshot, d *jumpcloud.System) {
			s.PolicyStatusesForChecksOnly = true
			d.PolicyStats = ps
			s.Policies = []jumpcloud.Policy{{ID: "lock", Name: "Screen Lock", Template: jumpcloud.PolicyTemplate{Name: "screen_lock_darwin"}}}
			for _, st := range states {
				s.PolicyStatuses = append(s.PolicyStatuses, jumpcloud.PolicyResult{PolicyID: "lock", SystemID: "dev", State: st})
			}
		}
	}
	runDeviceCases(t, mac, []deviceCase{
		{name: "every bound policy succeeded", check: "policies_applied", want: Pass, reason: "all 7 bound policies applied (device counters)",
			setup: counters(&jumpcloud.PolicyStats{Total: 7, Success: 7}, "success")},
		{name: "counters say one failed", check: "policies_applied", want: Fail, reason: "1 of 7",
			setup: counters(&jumpcloud.PolicyStats{Total: 7, Success: 6, Failed: 1}, "success")},
		{name: "a status read failed though the counters pass", check: "policies_applied", want: Fail, reason: "Screen Lock",
			setup: counters(&jumpcloud.PolicyStats{Total: 7, Success: 7}, "failed")},
		{name: "a status read pending though the counters pass", check: "policies_applied", want: Unknown, reason: "Screen Lock",
			setup: counters(&jumpcloud.PolicyStats{Total: 7, Success: 7}, "pending")},
		{name: "fewer successes than bound", check: "policies_applied", want: Unknown, reason: "only 5 of 7",
			setup: counters(&jumpcloud.PolicyStats{Total: 7, Success: 5})},
		{name: "no counters is unknown, not nothing bound", check: "policies_applied", want: Unknown, reason: "policyStats",
			setup: counters(nil)},
		{name: "no counters and a status read succeeded is still unknown", check: "policies_applied", want: Unknown, reason: "policyStats",
			setup: counters(nil, "success")},
		{name: "nothing bound", check: "policies_applied", want: NotApplicable, reason: "no policies",
			setup: counters(&jumpcloud.PolicyStats{})},
	})
}
