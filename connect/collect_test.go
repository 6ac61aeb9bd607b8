package connect

import (
	"runtime"
	"testing"
	"time"
	"weak"

	"jcconnect/evidence"
)

// RecentSnapshots hands a collection on only when it is the one the caller would collect and
// evaluate: same organisation, key, integrations, server rules and thresholds, and collected
// moments ago.
func TestRecentSnapshotsOnlyHandsOnTheSameCollection(t *testing.T) {
	at := time.Date(2026, 12, 1, 23, 0, 0, 0, time.UTC)
	both := evidence.Integrations{Endpoint: true, SSO: true}
	linux := evidence.ServerRules{OS: []string{"linux"}}
	snap := &evidence.Snapshot{OrgID: "o1", KeyFingerprint: "fp", Integrations: both, CollectedAt: at, ServerRules: &linux,
		PolicyStatusesForChecksOnly: true}
	th := evidence.DefaultThresholds()
	kept := evidence.Keep(snap, evidence.Evaluate(snap, th))
	var r *RecentSnapshots
	r.Remember(kept) // a nil cache remembers nothing, and does not panic
	if r.For("o1", "fp", both, linux, th, at) != nil {
		t.Fatal("a nil cache handed a collection on")
	}
	r = &RecentSnapshots{}
	r.Remember(kept)
	if r.For("o1", "fp", both, linux, evidence.Thresholds{}, at.Add(time.Minute)) != kept {
		t.Error("the same collection a minute later was not handed on (the zero thresholds are the defaults)")
	}
	stricter := th
	stricter.StaleDays++
	for name, got := range map[string]*evidence.Kept{
		"another organisation": r.For("o2", "fp", both, linux, th, at),
		"another key":          r.For("o1", "fp2", both, linux, th, at),
		"other integrations":   r.For("o1", "fp", evidence.Integrations{SSO: true}, linux, th, at),
		"other server rules":   r.For("o1", "fp", both, evidence.ServerRules{}, th, at),
		"other thresholds":     r.For("o1", "fp", both, linux, stricter, at),
	} {
		if got != nil {
			t.Errorf("%s: handed on", name)
		}
	}
}

// A collection too old to be handed on is handed on no more and let go of: nothing keeps its
// packed reports (watched through a weak pointer: reachability, not sizes).
func TestRecentSnapshotsForgetsACollectionTooOld(t *testing.T) {
	at := time.Date(2026, 12, 1, 23, 0, 0, 0, time.UTC)
	both := evidence.Integrations{Endpoint: true, SSO: true}
	th := evidence.DefaultThresholds()
	r := &RecentSnapshots{}
	kept := func() weak.Pointer[evidence.Kept] { // the test keeps no strong pointer to it
		snap := &evidence.Snapshot{OrgID: "o1", KeyFingerprint: "fp", Integrations: both, CollectedAt: at,
			PolicyStatusesForChecksOnly: true}
		k := evidence.Keep(snap, evidence.Evaluate(snap, th))
		r.Remember(k)
		return weak.Make(k)
	}()
	gone := func() bool {
		runtime.GC()
		runtime.GC() // the first may only finish a cycle already under way
		return kept.Value() == nil
	}
	if r.For("o1", "fp", both, evidence.ServerRules{}, th, at.Add(recentFor)) == nil || gone() {
		t.Fatal("a collection just young enough was not handed on, or not kept")
	}
	if r.For("o1", "fp", both, evidence.ServerRules{}, th, at.Add(recentFor+time.Second)) != nil {
		t.Fatal("a collection too old was handed on")
	}
	if r.last != nil || !gone() {
		t.Error("the collection too old is still kept")
	}
	if r.For("o1", "fp", both, evidence.ServerRules{}, th, at) != nil {
		t.Error("a collection forgotten was handed on again")
	}
}
