package wizard

import (
	"strings"
	"testing"

	"jcconnect/connect"
	"jcconnect/glossary"
)

// flat joins a view's lines, so a paragraph wrapped at render time still matches.
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }

// Steps 2 and 3 carry the console troubleshooting: the multi-tenant (MTP) way to create the
// admin, the key's expiry, and what "You don't have permission to view or generate an API Key"
// means, in the TUI and in the --accessible prompts alike.
func TestConsoleTroubleshootingInEveryFace(t *testing.T) {
	h := newWizHarness(t, wizEnv(t, nil, nil))
	h.keys("enter")
	h.at(StepAdmin)
	if v := flat(h.view()); !strings.Contains(v, "Multi-tenant portal (MTP)") || !strings.Contains(v, "Organization Access") {
		t.Errorf("the admin step has no MTP variant:\n%s", h.view())
	}
	h.keys("enter")
	h.at(StepKeygen)
	v := flat(h.view())
	for _, want := range []string{glossary.NoAPIKeyPermission, "Enable API access", "90 days"} {
		if !strings.Contains(v, want) {
			t.Errorf("the key step lacks %q:\n%s", want, h.view())
		}
	}

	srv := wizSandbox(t)
	env := wizEnv(t, srv, nil)
	env.Accessible = true
	// way: default (API key); integrations; admin; key step; demo key 1; save.
	input := strings.Join([]string{"", "", "", "", "1", ""}, "\n") + "\n"
	code, out, errOut := runSetupWith(t, env, input, SetupFlags{})
	if code != connect.ExitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	for _, para := range glossary.ConsoleTroubleshooting() {
		if !strings.Contains(flat(out), flat(para)) {
			t.Errorf("the accessible setup lacks %q", para)
		}
	}
}

// A demo left before its end is not told to run `jcconnect setup`, which would start a real setup:
// it is pointed back to the demo. A real setup left early keeps its advice.
func TestAbortedSetupAdvicePerFace(t *testing.T) {
	srv := wizSandbox(t)
	env := wizEnv(t, srv, nil)
	st := &wizardState{env: env, region: connect.RegionDemo}
	if code := setupOutcome(env, st); code != connect.ExitFailure {
		t.Fatalf("exit %d", code)
	}
	out := env.Out.(interface{ String() string }).String()
	if strings.Contains(out, "jcconnect setup") || !strings.Contains(out, "jcconnect --demo") {
		t.Errorf("the demo's abort advice: %q", out)
	}
	env = wizEnv(t, nil, nil)
	st = &wizardState{env: env, region: "us"}
	setupOutcome(env, st)
	if out := env.Out.(interface{ String() string }).String(); !strings.Contains(out, "Run `jcconnect setup` again") {
		t.Errorf("a real setup's abort advice: %q", out)
	}
}
