package wizard

import (
	"strings"
	"testing"

	"jcconnect/connect"
	"jcconnect/store"
)

// wizStoreVerified stores key, verified against the demo organisation, under profile name: what
// an earlier setup left.
func wizStoreVerified(t *testing.T, env *connect.Env, key, name string) {
	t.Helper()
	req := connect.NewVerifyRequest(env, connect.VerifyFor{Key: store.MustSecret(key, false), Integrations: wizBoth()})
	req.NewClient = wizClient
	ver, err := connect.VerifyKey(wizCtx, req, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := connect.SaveVerified(wizCtx, env.Store, name, ver); err != nil {
		t.Fatal(err)
	}
}

// toSave walks the demo to the save step with the Read Only key.
func toSave(t *testing.T, h *wizHarness) *wizHarness {
	t.Helper()
	h.toPaste().keys("tab", "enter", "enter")
	h.at(StepSave)
	return h
}

func TestSaveStoresTheKeyAndProfileOnlyAtThisStep(t *testing.T) {
	srv := wizSandbox(t)
	kr := store.NewMemory()
	env := wizEnv(t, srv, kr)
	h := newWizHarness(t, env).toPaste().keys("tab", "enter")
	h.at(StepVerify)
	if _, err := kr.Get("jcconnect", "default"); err == nil {
		t.Fatal("something was stored before the save step")
	}
	if _, err := env.Store.Profile(""); err == nil {
		t.Fatal("a profile was written before the save step")
	}
	h.keys("enter")
	h.at(StepSave)
	v := h.view()
	wizHas(t, v, "Step 6 of 7: Save the key", srv.Org().Name, "role Read Only", "Profile default",
		"Demo: the key is kept in memory only", "Press enter to save")
	wizLacks(t, v, srv.Keys.ReadOnly, "replaces")
	if h.w.Unsaved() == "" {
		t.Fatal("a verified, unsaved key must count as unsaved work")
	}
	h.keys("enter")
	wizHas(t, h.view(), "Saved.")
	if !h.w.Saved() || h.w.Unsaved() != "" {
		t.Fatal("not marked saved")
	}
	cred, err := env.Store.Key(wizCtx, "")
	if err != nil || cred.Key.Reveal() != srv.Keys.ReadOnly {
		t.Fatalf("stored key: %v", err)
	}
	p, err := env.Store.Profile("")
	if err != nil || p.OrgID != srv.Org().ID || p.Role == "" || p.Fingerprint != store.Fingerprint(srv.Keys.ReadOnly) {
		t.Fatalf("profile %+v, %v", p, err)
	}
	h.keys("enter")
	h.at(StepPreview)
}

func TestSaveSaysWhenItReplacesAStoredKey(t *testing.T) {
	srv := wizSandbox(t)
	env := wizEnv(t, srv, nil)
	// A key is already stored for the profile: the admin key, saved earlier.
	wizStoreVerified(t, env, srv.Keys.Admin, "default")
	h := toSave(t, newWizHarness(t, env))
	last4 := srv.Keys.Admin[len(srv.Keys.Admin)-4:]
	wizHas(t, h.view(), `This replaces the key stored for profile "default" (…`+last4)
	h.keys("enter")
	cred, _ := env.Store.Key(wizCtx, "")
	if cred.Key.Reveal() != srv.Keys.ReadOnly {
		t.Fatal("the replacement was not stored")
	}
}

func TestSaveKeyringFailureShowsDiagnosisAndRetries(t *testing.T) {
	srv := wizSandbox(t)
	// Two failures: the save, then the doctor's round trip; the retry then works.
	kr := &wizFlakyKeyring{Keyring: store.NewMemory(), failSets: 2, err: store.ErrKeyringLocked}
	env := wizEnv(t, srv, kr)
	h := toSave(t, newWizHarness(t, env))
	h.keys("enter")
	v := h.view()
	wizHas(t, v, "The key could not be stored", "locked", "Keyring diagnosis", "round trip",
		"Nothing was stored", "JUMPCLOUD_API_KEY")
	if fix := store.Fix(store.ErrKeyringLocked); fix == "" || !strings.Contains(wizFlat(v), wizFlat(fix)) {
		t.Fatalf("the store's fix %q is not shown", fix)
	}
	if h.w.Saved() {
		t.Fatal("marked saved after a failure")
	}
	if _, err := env.Store.Key(wizCtx, ""); err == nil {
		t.Fatal("a failed save left a key behind")
	}
	h.keys("r")
	wizHas(t, h.view(), "Saved.")
	if cred, err := env.Store.Key(wizCtx, ""); err != nil || cred.Key.Reveal() != srv.Keys.ReadOnly {
		t.Fatalf("retry did not store the key: %v", err)
	}
}

func TestSaveOutsideTheDemoNamesTheKeyringAndTheEnvironmentOverride(t *testing.T) {
	srv := wizSandbox(t)
	env := wizEnv(t, nil, nil) // no demo: a custom --base-url, as `jcconnect sandbox` gives
	env.BaseURL = srv.URL
	env.Getenv = func(k string) string {
		if k == store.EnvAPIKey {
			return "set"
		}
		return ""
	}
	h := newWizHarness(t, env).toPaste()
	h.send(wizPaste(srv.Keys.ReadOnly))
	h.keys("enter", "enter")
	h.at(StepSave)
	wizHas(t, h.view(), "Where: your OS keyring", "JUMPCLOUD_API_KEY is set in this shell")
	wizLacks(t, h.view(), "kept in memory", "[DEMO")
}

// The wizard without --profile saves to the profile the other commands use without it: after
// `setup --profile contoso`, the save step names contoso and says it replaces its key, and no
// "default" profile appears beside it.
func TestSaveWithoutProfileUsesTheDefaultProfile(t *testing.T) {
	srv := wizSandbox(t)
	env := wizEnv(t, srv, nil)
	wizStoreVerified(t, env, srv.Keys.Admin, "contoso")
	h := toSave(t, newWizHarness(t, env))
	wizHas(t, h.view(), "Profile contoso", `This replaces the key stored for profile "contoso"`)
	h.keys("enter")
	profiles, def, err := env.Store.Profiles()
	if err != nil || len(profiles) != 1 || def != "contoso" {
		t.Fatalf("profiles %+v, default %q, %v", profiles, def, err)
	}
}

// The save step of a service account that cannot reach the keyring names the client secret and
// the service account's variables (JUMPCLOUD_CLIENT_ID/SECRET) as the headless route.
func TestSaveServiceAccountKeyringFailureNamesItsVariables(t *testing.T) {
	srv := wizSandbox(t)
	kr := store.NewMemory().(*store.Memory)
	kr.Inject(func(store.Call) error { return store.ErrNoSessionBus })
	env := wizEnv(t, srv, kr)
	h := newWizHarness(t, env)
	for range len(welcomeOptions) {
		h.keys("up")
	}
	h.keys("enter", "enter", "tab", "enter", "tab", "enter")
	h.at(StepVerify)
	h.keys("enter")
	h.at(StepSave)
	h.keys("enter")
	v := wizFlat(h.view())
	wizHas(t, v, "The client secret could not be stored", "JUMPCLOUD_CLIENT_ID and JUMPCLOUD_CLIENT_SECRET")
	wizLacks(t, v, "JUMPCLOUD_API_KEY", srv.ServiceAccounts.ReadOnly.ClientSecret)
}
