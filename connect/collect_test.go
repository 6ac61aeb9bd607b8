package connect

import (
	"testing"
	"time"

	"jcconnect/evidence"
)

// RecentSnapshots hands a snapshot on only when it is the one the caller would collect: same
// organisation, key, integrations and server rules, and collected moments ago.
func TestRecentSnapshotsOnlyHandsOnTheSameCollection(t *testing.T) {
	at := time.Date(2026, 12, 1, 23, 0, 0, 0, time.UTC)
	both := evidence.Integrations{Endpoint: true, SSO: true}
	linux := evidence.ServerRules{OS: []string{"linux"}}
	snap := &evidence.Snapshot{OrgID: "o1", KeyFingerprint: "fp", Integrations: both, CollectedAt: at, ServerRules: &linux}
	var r *RecentSnapshots
	r.Remember(snap) // a nil cache remembers nothing, and does not panic
	if r.For("o1", "fp", both, linux, at) != nil {
		t.Fatal("a nil cache handed a snapshot on")
	}
	r = &RecentSnapshots{}
	r.Remember(snap)
	if r.For("o1", "fp", both, linux, at.Add(time.Minute)) != snap {
		t.Error("the same collection a minute later was not handed on")
	}
	for name, got := range map[string]*evidence.Snapshot{
		"another organisation": r.For("o2", "fp", both, linux, at),
		"another key":          r.For("o1", "fp2", both, linux, at),
		"other integrations":   r.For("o1", "fp", evidence.Integrations{SSO: true}, linux, at),
		"other server rules":   r.For("o1", "fp", both, evidence.ServerRules{}, at),
		"too old":              r.For("o1", "fp", both, linux, at.Add(recentFor+time.Second)),
	} {
		if got != nil {
			t.Errorf("%s: handed on", name)
		}
	}
}
