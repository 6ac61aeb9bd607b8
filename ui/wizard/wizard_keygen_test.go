package wizard

import (
	"strings"
	"testing"
)

func TestKeygenWarnsBeforeTheClick(t *testing.T) {
	h := newWizHarness(t, wizEnv(t, nil, nil))
	h.keys("enter", "enter")
	h.at(StepKeygen)
	v := h.view()
	wizHas(t, v, "Step 3 of 7: Generate the API key", "Before you click", "revokes the previous key",
		"My API Key", "Generate New API Key", "shows it only once")
	if strings.Index(v, "revokes the previous key") > strings.Index(v, "Generate New API Key") {
		t.Fatal("the warning must come before the instruction to click")
	}
	h.keys("space", "space", "space")
	wizHas(t, h.view(), "3 of 3 ticked")
	h.keys("enter")
	h.at(StepPaste)
	h.keys("shift+tab")
	h.at(StepKeygen)
	wizHas(t, h.view(), "3 of 3 ticked")
}
