package connect

import (
	"testing"
	"time"

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
		"too old":              r.For("o1", "fp", both, linux, th, at.Add(recentFor+time.Second)),
	} {
		if got != nil {
			t.Errorf("%s: handed on", name)
		}
	}
}
