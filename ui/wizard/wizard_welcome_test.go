package wizard

import (
	"errors"
	"testing"

	"jcconnect/connect"
	"jcconnect/store"
)

func TestWelcomeStartsOnTheDemoWithBothIntegrations(t *testing.T) {
	srv := wizSandbox(t)
	h := newWizHarness(t, wizEnv(t, srv, nil))
	v := h.view()
	wizHas(t, v, "Step 1 of 7: Welcome", "Administrator with Billing", "[x] Endpoint Management",
		"[x] SSO", "> (•) Demo organisation", "[DEMO organisation")
	h.keys("enter")
	h.at(StepAdmin)
}

func TestWelcomeRegionsAndIntegrations(t *testing.T) {
	env := wizEnv(t, nil, nil) // no --demo: a real region
	env.Region = "eu"
	h := newWizHarness(t, env)
	wizHas(t, h.view(), "> (•) EU  console.eu.jumpcloud.com")
	wizLacks(t, h.view(), "[DEMO")
	// Untick both integrations: enter refuses with the reason.
	h.keys("up", "up", "up", "space", "down", "space")
	if h.w.st.integrations != (store.Integrations{}) {
		t.Fatalf("integrations %+v", h.w.st.integrations)
	}
	h.keys("enter")
	h.at(StepWelcome)
	wizHas(t, h.view(), "Choose at least one integration")
	// Tick SSO back, choose IN and go on.
	h.keys("space", "down", "down", "down", "enter")
	h.at(StepAdmin)
	if h.w.st.region != "in" || !h.w.st.integrations.SSO || h.w.st.integrations.EndpointManagement {
		t.Fatalf("region %q integrations %+v", h.w.st.region, h.w.st.integrations)
	}
}

func TestWelcomeDemoWithoutFlagStartsAnInMemoryDemo(t *testing.T) {
	env := wizEnv(t, nil, nil)
	h := newWizHarness(t, env)
	h.keys("down", "down", "down", "down", "down", "enter") // to "Demo organisation"
	h.at(StepAdmin)
	if h.w.st.demo == nil || h.w.st.started == nil || h.w.st.store() == env.Store {
		t.Fatal("choosing the demo must start it with its own memory store")
	}
	wizHas(t, h.view(), "Demo: there is no console to visit")
	h.keys("enter", "enter")
	wizHas(t, h.view(), "Read Only admin (the right key)")
}

func TestWelcomeSaysWhenABaseURLReplacesTheRegion(t *testing.T) {
	env := wizEnv(t, nil, nil)
	env.BaseURL = "http://127.0.0.1:8085"
	h := newWizHarness(t, env)
	wizHas(t, h.view(), "--base-url http://127.0.0.1:8085 is set")
}

// Starting the demo is I/O done in a command; when it fails the welcome step says why and stays.
func TestWelcomeDemoThatCannotStartSaysWhy(t *testing.T) {
	env := wizEnv(t, nil, nil)
	env.StartDemo = func() (*connect.RunningDemo, error) { return nil, errors.New("no loopback here") }
	h := newWizHarness(t, env)
	h.keys("down", "down", "down", "down", "down", "enter")
	h.at(StepWelcome)
	wizHas(t, h.view(), "The demo organisation could not start: no loopback here")
}
