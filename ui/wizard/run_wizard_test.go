package wizard

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"jcconnect/connect"
	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
	"jcconnect/store"
)

func runSetupWith(t *testing.T, env *connect.Env, stdin string, flags SetupFlags) (code int, out, errOut string) {
	t.Helper()
	env.In = strings.NewReader(stdin)
	o, e := &bytes.Buffer{}, &bytes.Buffer{}
	env.Out, env.Err = o, e
	code = RunSetup(wizCtx, env, flags)
	return code, o.String(), e.String()
}

func TestSetupWithKeyVerifiesAndSaves(t *testing.T) {
	srv := wizSandbox(t)
	env := wizEnv(t, srv, nil)
	code, out, errOut := runSetupWith(t, env, srv.Keys.ReadOnly+"\n", SetupFlags{WithKey: true, Integrations: []string{"endpoint"}})
	if code != connect.ExitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	wizHas(t, out, "ok Key accepted", "ok Read Only", "Can read devices", "Saved: "+srv.Org().Name, "in memory (demo")
	wizLacks(t, out+errOut, srv.Keys.ReadOnly, "Can read users")
	p, err := env.Store.Profile("")
	if err != nil || !p.Integrations.EndpointManagement || p.Integrations.SSO {
		t.Fatalf("profile %+v %v", p, err)
	}
	// Again with another key: a replacement, and it says so.
	other := srv.AddKey("Read Only")
	code, out, _ = runSetupWith(t, env, other, SetupFlags{WithKey: true})
	if code != connect.ExitOK {
		t.Fatalf("exit %d", code)
	}
	wizHas(t, out, `This replaces the key stored for profile "default"`)
}

// Headless setup has no one to "continue knowingly": a key that is not Read Only is refused
// (exit 2, nothing stored) unless --allow-privileged, the same rule as rotate --with-key.
func TestSetupWithKeyRefusesAPrivilegedKeyUnlessAllowed(t *testing.T) {
	srv := wizSandbox(t)
	env := wizEnv(t, srv, nil)
	code, out, errOut := runSetupWith(t, env, srv.Keys.Admin+"\n", SetupFlags{WithKey: true})
	if code != connect.ExitPrivilegedRefused {
		t.Fatalf("exit %d, want %d\n%s\n%s", code, connect.ExitPrivilegedRefused, out, errOut)
	}
	wizHas(t, errOut, "This key is not Read Only: its admin's role is Administrator", "Nothing was stored", "--allow-privileged")
	if _, err := env.Store.Profile(""); err == nil {
		t.Fatal("a refused privileged key left a profile behind")
	}
	code, out, errOut = runSetupWith(t, env, srv.Keys.Admin+"\n", SetupFlags{WithKey: true, AllowPrivileged: true})
	if code != connect.ExitOK {
		t.Fatalf("with --allow-privileged: exit %d\n%s\n%s", code, out, errOut)
	}
	if p, err := env.Store.Profile(""); err != nil || p.Role != "Administrator" {
		t.Fatalf("profile %+v %v", p, err)
	}
}

func TestSetupWithKeyFailuresExitNonZero(t *testing.T) {
	srv := wizSandbox(t)
	cases := []struct {
		name, stdin string
		orgID       string
		want        int
		says        string
	}{
		{"not a key", "https://console.jumpcloud.com", "", connect.ExitUsage, "web address"},
		{"empty", "", "", connect.ExitUsage, "paste the API key first"},
		{"revoked", srv.Keys.Revoked, "", connect.ExitInvalidKey, "refused"},
		{"expired", srv.Keys.Expired, "", connect.ExitInvalidKey, "refused"},
		{"multi-tenant without --org-id", srv.Keys.MultiTenant, "", connect.ExitUsage, "--org-id"},
	}
	for _, c := range cases {
		env := wizEnv(t, srv, nil)
		env.OrgID = c.orgID
		code, out, errOut := runSetupWith(t, env, c.stdin, SetupFlags{WithKey: true})
		if code != c.want {
			t.Errorf("%s: exit %d, want %d\n%s%s", c.name, code, c.want, out, errOut)
			continue
		}
		wizHas(t, out+errOut, c.says)
		if _, err := env.Store.Profile(""); err == nil {
			t.Errorf("%s: something was stored", c.name)
		}
	}
	env := wizEnv(t, srv, nil)
	code, _, _ := runSetupWith(t, env, "x", SetupFlags{WithKey: true, Integrations: []string{"fax"}})
	if code != connect.ExitUsage {
		t.Fatal("an unknown integration is a usage error")
	}
}

func TestSetupWithKeyMultiTenantWithOrgID(t *testing.T) {
	srv := wizSandbox(t)
	var orgID string
	_, _ = connect.VerifyKey(wizCtx, wizRequest(srv, srv.Keys.MultiTenant), func(orgs []jumpcloud.Organization) (jumpcloud.Organization, error) {
		orgID = orgs[2].ID
		return orgs[2], nil
	}, nil)
	env := wizEnv(t, srv, nil)
	env.OrgID = orgID
	code, out, errOut := runSetupWith(t, env, srv.Keys.MultiTenant, SetupFlags{WithKey: true})
	if code != connect.ExitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	if p, _ := env.Store.Profile(""); p.OrgID != orgID {
		t.Fatalf("profile org %q want %q", p.OrgID, orgID)
	}
}

func TestSetupWithKeyKeyringFailure(t *testing.T) {
	srv := wizSandbox(t)
	kr := &wizFlakyKeyring{Keyring: store.NewMemory(), failSets: 5, err: store.ErrNoSecretService}
	env := wizEnv(t, srv, kr)
	code, _, errOut := runSetupWith(t, env, srv.Keys.ReadOnly, SetupFlags{WithKey: true})
	if code != connect.ExitKeyring {
		t.Fatalf("exit %d", code)
	}
	wizHas(t, errOut, "could not be stored", "round trip", "JUMPCLOUD_API_KEY", store.Fix(store.ErrNoSecretService))
}

func TestSetupWithoutTTYPointsToWithKey(t *testing.T) {
	env := wizEnv(t, nil, nil)
	code, _, errOut := runSetupWith(t, env, "", SetupFlags{})
	if code != connect.ExitUsage {
		t.Fatalf("exit %d", code)
	}
	wizHas(t, errOut, "needs a terminal", "jcconnect setup --with-key", "--accessible")
}

func TestSetupAccessibleWalksTheSevenStepsAsPrompts(t *testing.T) {
	srv := wizSandbox(t)
	env := wizEnv(t, srv, nil)
	env.Accessible = true
	// way: default (API key); integrations: default; step 2 and 3: enter; key: demo key 2 (full
	// admin) -> warning -> back; steps 2, 3 again; key 1 (Read Only); save: enter.
	input := strings.Join([]string{"", "", "", "", "2", "back", "", "", "1", ""}, "\n") + "\n"
	code, out, errOut := runSetupWith(t, env, input, SetupFlags{})
	if code != connect.ExitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	for _, step := range []string{"step 1 of 7", "Step 2 of 7", "Step 3 of 7", "Step 4 of 7", "Step 5 of 7", "Step 6 of 7", "Step 7 of 7"} {
		wizHas(t, out, step)
	}
	wizHas(t, out, "This key is not Read Only", "Least privilege", "ok Read Only", "Saved: "+srv.Org().Name,
		"Devices", "MFA", "Setup is complete")
	if strings.ContainsRune(out, '\x1b') {
		t.Fatal("accessible output contains escape sequences")
	}
	if cred, err := env.Store.Key(wizCtx, ""); err != nil || cred.Key.Reveal() != srv.Keys.ReadOnly {
		t.Fatal("the Read Only key was not stored")
	}
}

func TestSetupAccessibleRefusesNonKeysAndStopsCleanlyAtEndOfInput(t *testing.T) {
	srv := wizSandbox(t)
	env := wizEnv(t, srv, nil)
	env.Accessible = true
	input := "\n\n\n\nnot a key\n"
	code, out, _ := runSetupWith(t, env, input, SetupFlags{Integrations: []string{"sso"}})
	if code != connect.ExitFailure {
		t.Fatalf("exit %d", code)
	}
	wizHas(t, out, "Not accepted: there are spaces inside", "Input ended before setup finished: nothing was stored")
	if _, err := env.Store.Profile(""); err == nil {
		t.Fatal("stored")
	}
}

func TestSetupAccessibleMultiTenantPickAndRetry(t *testing.T) {
	srv := wizSandbox(t)
	env := wizEnv(t, srv, nil)
	env.Accessible = true
	remove := srv.Inject(jctest.Fault{PathPrefix: "/api/organizations", Kind: jctest.FaultStatus, Status: 503, Times: 1})
	defer remove()
	// defaults, enter, enter, demo key 4 (multi-tenant): the first try meets a 503 -> r; pick
	// organisation 2; save.
	input := strings.Join([]string{"", "", "", "", "4", "r", "2", ""}, "\n") + "\n"
	code, out, errOut := runSetupWith(t, env, input, SetupFlags{})
	if code != connect.ExitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	wizHas(t, out, "JumpCloud could not be reached or was busy", "This key is multi-tenant", "chosen from 3", "Saved:")
}

func TestSetupStopsWaitingForInputOnCtrlC(t *testing.T) {
	srv := wizSandbox(t)
	for _, flags := range []SetupFlags{{WithKey: true}, {}} {
		env := wizEnv(t, srv, nil)
		env.Accessible = !flags.WithKey
		r, w := io.Pipe() // input that never comes, as a terminal waiting for enter
		defer w.Close()
		env.In = r
		errb := &bytes.Buffer{}
		env.Out, env.Err = errb, errb
		ctx, cancel := context.WithCancel(wizCtx)
		done := make(chan int)
		go func() { done <- RunSetup(ctx, env, flags) }()
		cancel()
		if code := <-done; code != connect.ExitFailure {
			t.Fatalf("%+v: exit %d", flags, code)
		}
		wizHas(t, errb.String(), "nothing was stored")
	}
}

// A key JumpCloud refuses sends the accessible setup back to pasting, not out of the flow.
func TestSetupAccessibleRefusedKeyAsksForAnother(t *testing.T) {
	srv := wizSandbox(t)
	env := wizEnv(t, srv, nil)
	env.Accessible = true
	// defaults, enter, enter, demo key 3 (revoked) -> refused -> key 1 (Read Only); save.
	input := strings.Join([]string{"", "", "", "", "3", "1", ""}, "\n") + "\n"
	code, out, errOut := runSetupWith(t, env, input, SetupFlags{})
	if code != connect.ExitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	if strings.Count(out, "Step 4 of 7") != 2 {
		t.Errorf("the paste step was not asked again after the refused key:\n%s", out)
	}
	wizHas(t, out, "Saved: "+srv.Org().Name)
}

// A keyring failure reads as one sentence of cause and one of fix, not a Go error chain, and
// talks of no "current key" when there is none. The fix must work as given: dbus-run-session
// alone starts no keyring, so it is not offered as one.
func TestSetupWithKeyKeyringFailureIsCauseThenFix(t *testing.T) {
	srv := wizSandbox(t)
	kr := store.NewMemory().(*store.Memory)
	kr.Inject(func(store.Call) error { return store.ErrNoSessionBus })
	env := wizEnv(t, srv, kr)
	code, _, errOut := runSetupWith(t, env, srv.Keys.ReadOnly, SetupFlags{WithKey: true})
	if code != connect.ExitKeyring {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	wizHas(t, errOut, "The key could not be stored: no D-Bus session bus is available, so the Secret Service cannot be reached.\n  "+
		store.Fix(store.ErrNoSessionBus), "JUMPCLOUD_API_KEY")
	wizLacks(t, errOut, "current key", "keyring get for profile", "nothing was changed:", "dbus-run-session -- jcconnect")
}
