package wizard

import "testing"

func TestVerifyStepAdminKeyGoBackToCreateTheRightAdmin(t *testing.T) {
	srv := wizSandbox(t)
	h := newWizHarness(t, wizEnv(t, srv, nil)).toPaste()
	h.keys("tab", "tab", "enter") // the full-admin key
	h.at(StepVerify)
	wizHas(t, h.view(), "Step 5 of 7: Verify the key live", "This key is not Read Only", "Least privilege")
	h.keys("b")
	h.at(StepAdmin)
	if h.w.Verified() != nil {
		t.Fatal("going back to create the admin must not keep the privileged key as verified")
	}
}

func TestVerifyStepAdminKeyContinueKnowingly(t *testing.T) {
	srv := wizSandbox(t)
	h := newWizHarness(t, wizEnv(t, srv, nil)).toPaste()
	h.keys("tab", "tab", "enter", "c")
	h.at(StepSave)
	if v := h.w.Verified(); v == nil || !v.AcceptedPrivileged {
		t.Fatal("continue knowingly must carry the choice")
	}
}

func TestVerifyStepRevokedKeyGoesBackToPaste(t *testing.T) {
	srv := wizSandbox(t)
	h := newWizHarness(t, wizEnv(t, srv, nil)).toPaste()
	h.keys("tab", "tab", "tab", "enter")
	h.at(StepVerify)
	wizHas(t, h.view(), "refused", "esc back")
	h.keys("enter")
	h.at(StepVerify) // no way forward
	h.keys("esc")
	h.at(StepPaste)
	wizHas(t, h.view(), "In the field: the demo's Revoked key")
}

func TestVerifyStepKeepsTheResultWhenComingBackWithTheSameKey(t *testing.T) {
	srv := wizSandbox(t)
	h := newWizHarness(t, wizEnv(t, srv, nil)).toPaste()
	h.keys("tab", "enter", "enter")
	h.at(StepSave)
	srv.ResetCounts()
	h.keys("esc")
	h.at(StepVerify)
	h.keys("esc", "enter") // back to paste, same key again
	h.at(StepVerify)
	if n := srv.Requests(""); n != 0 {
		t.Fatalf("the same key was verified again (%d requests)", n)
	}
	h.keys("enter")
	h.at(StepSave)
}
