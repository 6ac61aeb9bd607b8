package evidence

import (
	"strings"
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

// The recommended key (a Read Only admin) may not read the administrators list: JumpCloud answers
// 403, the export calls the evidence complete, and so must the gate of a run over every check;
// admin_mfa is then named as not available to this key instead of turning exit 0 into exit 7
// on every run. Asked for by name (--only admin_mfa) it stays partial: the one check asked for
// could not be judged. A failed administrators list is partial either way.
func TestGateAdminMFANotAvailableIsNotPartialUnlessAskedFor(t *testing.T) {
	all, err := ParseGateOptions("failing", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	only, err := ParseGateOptions("failing", nil, []string{"admin_mfa"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name        string
		state       string
		opts        GateOptions
		wantPartial bool
	}{
		{"every check, 403", StateNotPermitted, all, false},
		{"every check, failed", StateFailed, all, true},
		{"--only admin_mfa, 403", StateNotPermitted, only, true},
	} {
		snap := &Snapshot{Sources: []SourceStatus{
			{Source: SourceOrganization, State: StateOK},
			{Source: string(jumpcloud.SourceAdmins), State: c.state},
		}}
		g := Gate(snap, &Report{}, c.opts)
		if g.IsPartial() != c.wantPartial {
			t.Errorf("%s: partial = %v (partial %v, not evaluated %v), want %v", c.name, g.IsPartial(), g.Partial, g.NotEvaluated, c.wantPartial)
		}
		if !c.wantPartial && (len(g.NotAvailable) != 1 || g.NotAvailable[0].Check != "admin_mfa") {
			t.Errorf("%s: not available = %v, want admin_mfa named", c.name, g.NotAvailable)
		}
		var text strings.Builder
		if err := g.WriteText(&text); err != nil {
			t.Fatal(err)
		}
		if !c.wantPartial && !strings.Contains(text.String(), "Not judged: admin_mfa: administrators not permitted for this role") {
			t.Errorf("%s: the text does not say why admin_mfa was not evaluated:\n%s", c.name, text.String())
		}
	}
}
