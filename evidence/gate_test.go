package evidence

import (
	"testing"

	"jcconnect/jumpcloud"
)

// The gate's partial-evidence verdict follows the one completeness rule (Snapshot.Gaps): a System
// Insights table JumpCloud says is not enabled for this organisation is not partial evidence for
// disk_encryption (the agent's own report still decides it), while the same table failing is.
func TestGatePartialFollowsTheGapsRule(t *testing.T) {
	table := InsightSource(jumpcloud.TableDiskEncryption)
	opts, err := ParseGateOptions("failing", nil, []string{"disk_encryption"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		state       string
		wantPartial bool
	}{
		{StateNotEnabled, false},
		{StateNotPermitted, false},
		{StateFailed, true},
		{StateIncomplete, true},
	} {
		snap := &Snapshot{Sources: []SourceStatus{
			{Source: string(jumpcloud.SourceDevices), State: StateOK},
			{Source: table, State: c.state},
		}}
		g := Gate(snap, &Report{}, opts)
		if got := len(g.Partial) > 0; got != c.wantPartial {
			t.Errorf("%s %s: partial = %v (%v), want %v", table, c.state, got, g.Partial, c.wantPartial)
		}
		if got := !snap.Complete(); got != c.wantPartial {
			t.Errorf("%s %s: the export would say complete=%v, the gate partial=%v", table, c.state, !got, c.wantPartial)
		}
	}
}
