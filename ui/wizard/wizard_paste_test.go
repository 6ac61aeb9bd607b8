package wizard

import (
	"testing"
)

func TestPasteDemoKeysAreListedAndTabInsertsReadOnlyFirst(t *testing.T) {
	srv := wizSandbox(t)
	h := newWizHarness(t, wizEnv(t, srv, nil)).toPaste()
	v := h.view()
	wizHas(t, v, "Step 4 of 7: Paste the key", "Start with the Read Only key: tab then enter",
		srv.Keys.ReadOnly, srv.Keys.Admin, srv.Keys.Revoked, srv.Keys.MultiTenant, "tab demo key")
	h.keys("tab")
	wizHas(t, h.view(), "In the field: the demo's Read Only admin")
	h.keys("tab")
	wizHas(t, h.view(), "In the field: the demo's Full Administrator")
	h.keys("tab", "tab", "tab") // wraps around
	wizHas(t, h.view(), "In the field: the demo's Read Only admin")
}

func TestPasteRefusesNonKeysAndStaysOnTheStep(t *testing.T) {
	h := newWizHarness(t, wizEnv(t, nil, nil)).toPaste()
	v := h.view()
	wizHas(t, v, "Paste the key you copied from My API Key", "hidden")
	wizLacks(t, v, "demo key")
	for in, reason := range map[string]string{
		"https://console.jumpcloud.com/#/home": "web address",
		`{"apiKey": "x"}`:                      "JSON",
		"abc":                                  "too short",
		"jca_abcdefghij klmnopqrstuvwxyz0123":  "spaces inside",
	} {
		h.keys("ctrl+u")
		h.send(wizPaste(in))
		h.keys("enter")
		h.at(StepPaste)
		wizHas(t, h.view(), reason)
	}
	h.keys("ctrl+u", "enter")
	wizHas(t, h.view(), "paste the API key first")
}

func TestPasteKeyIsMaskedAndKeptWhenGoingBack(t *testing.T) {
	h := newWizHarness(t, wizEnv(t, nil, nil)).toPaste()
	h.send(wizPaste("  " + sampleJCAKey + "\n"))
	wizLacks(t, h.view(), sampleJCAKey)
	wizHas(t, h.view(), "Ab7c", "40 characters")
	h.keys("esc")
	h.at(StepKeygen)
	h.keys("enter")
	h.at(StepPaste)
	if h.w.steps[StepPaste].(*pasteStep).input.Value() != sampleJCAKey {
		t.Fatal("the typed key was lost going back and forth")
	}
	h.keys("ctrl+r")
	wizHas(t, h.view(), sampleJCAKey, "shown")
}

func TestPasteAnotherKeyForgetsTheOldVerification(t *testing.T) {
	srv := wizSandbox(t)
	h := newWizHarness(t, wizEnv(t, srv, nil)).toPaste()
	h.keys("tab", "enter")
	h.at(StepVerify)
	h.keys("enter")
	h.at(StepSave)
	if h.w.Verified() == nil {
		t.Fatal("not verified")
	}
	h.keys("esc", "esc")
	h.at(StepPaste)
	h.keys("tab", "enter") // now the full-admin key
	h.at(StepVerify)
	if v := h.w.Verified(); v != nil {
		t.Fatal("the old key's verification must not survive a new key")
	}
	wizHas(t, h.view(), "This key is not Read Only")
}
