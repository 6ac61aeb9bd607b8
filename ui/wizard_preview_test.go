package ui

import (
	"fmt"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/jumpcloud"
)

func TestPreviewSummarisesTheFirstSnapshot(t *testing.T) {
	srv := wizSandbox(t)
	h := toSave(t, newWizHarness(t, wizEnv(t, srv, nil))).keys("enter", "enter")
	h.at(StepPreview)
	org := srv.Org()
	v := h.view()
	wizHas(t, v, "Step 7 of 7: Preview the evidence", "Connected: "+org.Name,
		fmt.Sprintf("Devices %d (", org.Devices), fmt.Sprintf("Users %d (", org.Users),
		fmt.Sprintf("%d policies", org.Policies), fmt.Sprintf("SSO applications %d", org.Applications),
		"Disk encryption", "MFA", "b browse devices", "e export evidence", "enter done")
	h.keys("enter")
	if len(h.out) != 1 {
		t.Fatalf("done sent %v", h.out)
	}
	if _, ok := h.out[0].(PopMsg); !ok {
		t.Fatalf("done sent %T, want PopMsg", h.out[0])
	}
}

func TestPreviewProgressCountsPages(t *testing.T) {
	p := newPreviewStep(Common{})
	p.gen, p.running = 1, true
	p.counts = map[string]jumpcloud.Progress{}
	st := &wizardState{verified: &Verified{}}
	p.update(previewProgressMsg{gen: 1, p: jumpcloud.Progress{Source: "devices", Items: 100, Total: 300}}, st)
	p.update(previewProgressMsg{gen: 1, p: jumpcloud.Progress{Source: "users", Items: 50, Total: 100}}, st)
	p.update(previewProgressMsg{gen: 0, p: jumpcloud.Progress{Source: "devices", Items: 300, Total: 300}}, st) // stale
	if got := p.fraction(); got != 150.0/400.0 {
		t.Fatalf("fraction %v", got)
	}
	v := wizPlain(p.view(st, Common{Styles: NewStyles(true), Width: 100}))
	wizHas(t, v, "Collecting a first snapshot", "37%", "devices 100 / 300", "users 50 / 100")
}

func TestPreviewRevokedMidwayOffersRetry(t *testing.T) {
	srv := wizSandbox(t)
	h := toSave(t, newWizHarness(t, wizEnv(t, srv, nil))).keys("enter")
	srv.RevokeKey(srv.Keys.ReadOnly)
	h.keys("enter")
	h.at(StepPreview)
	wizHas(t, h.view(), "Collection stopped", "refused", "r try again")
	var _ tea.Msg = previewDoneMsg{}
}

func TestPreviewBrowseAndExportSayWhatToDo(t *testing.T) {
	srv := wizSandbox(t)
	h := toSave(t, newWizHarness(t, wizEnv(t, srv, nil))).keys("enter", "enter")
	h.keys("b")
	if len(h.out) == 0 {
		wizHas(t, h.view(), "jcconnect devices")
	}
	h.out = nil
	h.keys("e")
	if len(h.out) == 0 {
		wizHas(t, h.view(), "jcconnect evidence export")
	}
}
