package wizard

import (
	"strings"
	"testing"

	"jcconnect/connect"
	"jcconnect/store"
)

// The faces of connect.RunSetup: the accessible prompts on the service-account way, the
// unattended runner's save failure for a service account, and which profile a plain `setup`
// writes.

// `setup --accessible` offers the service-account way: the Client ID is asked in clear, the
// secret hidden (never echoed, never printed: in the demo it is inserted by number), the first
// check names the credential, and the profile stored is a service account's.
func TestSetupAccessibleServiceAccount(t *testing.T) {
	srv := wizSandbox(t)
	env := wizEnv(t, srv, nil)
	env.Accessible = true
	sa := srv.ServiceAccounts.ReadOnly
	// way 1 (service account); integrations: default; the console checklist: enter; Client ID:
	// demo account 1; secret: 1 (the demo's, by number); save: enter.
	input := strings.Join([]string{"1", "", "", "1", "1", ""}, "\n") + "\n"
	code, out, errOut := runSetupWith(t, env, input, SetupFlags{})
	if code != connect.ExitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	wizHas(t, out, "Step 2 of 7: create a service account", "Settings ▸ Service Accounts", "Step 3 of 7: paste the Client ID",
		"Step 4 of 7: paste the client secret", "Paste the client secret and press enter (it is not shown)",
		"ok       Service account accepted", "service account "+sa.ClientID, "Step 7 of 7", "Setup is complete")
	wizLacks(t, out+errOut, sa.ClientSecret, "Key accepted")
	p, err := env.Store.Profile("")
	if err != nil || !p.IsServiceAccount() || p.ClientID != sa.ClientID {
		t.Fatalf("profile %+v %v", p, err)
	}
	if cred, err := env.Store.Key(wizCtx, ""); err != nil || cred.Key.Reveal() != sa.ClientSecret {
		t.Fatal("the client secret was not stored")
	}
}

// A wrong Client ID or secret on the accessible service-account way is asked again, as a bad
// key is; an Administrator service account can be sent back to create a Read Only one.
func TestSetupAccessibleServiceAccountRefusalsAskAgain(t *testing.T) {
	srv := wizSandbox(t)
	env := wizEnv(t, srv, nil)
	env.Accessible = true
	// way 1; integrations; checklist; Client ID "has spaces" (refused) then demo 2
	// (Administrator); secret 1 -> not Read Only -> back; checklist; id 1; secret 1; save.
	input := strings.Join([]string{"1", "", "", "has spaces", "2", "1", "back", "", "1", "1", ""}, "\n") + "\n"
	code, out, errOut := runSetupWith(t, env, input, SetupFlags{})
	if code != connect.ExitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	wizHas(t, out, "Not accepted:", "This service account is not Read Only: its role is Administrator",
		"Type back to create a Read Only service account")
	if strings.Count(out, "Step 2 of 7: create a service account") != 2 {
		t.Errorf("back did not return to the console checklist:\n%s", out)
	}
	if p, _ := env.Store.Profile(""); p.ClientID != srv.ServiceAccounts.ReadOnly.ClientID || p.Role != "Read Only" {
		t.Fatalf("stored %+v", p)
	}
}

// A failed save of a service account's secret names the variables that carry one on a headless
// machine, not JUMPCLOUD_API_KEY.
func TestSetupWithSecretKeyringFailureNamesTheServiceAccountVariables(t *testing.T) {
	srv := wizSandbox(t)
	kr := store.NewMemory().(*store.Memory)
	kr.Inject(func(store.Call) error { return store.ErrNoSessionBus })
	env := wizEnv(t, srv, kr)
	sa := srv.ServiceAccounts.ReadOnly
	code, out, errOut := runSetupWith(t, env, sa.ClientSecret, SetupFlags{ServiceAccount: true, ClientID: sa.ClientID, WithSecret: true})
	if code != connect.ExitKeyring {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	wizHas(t, errOut, "The client secret could not be stored", "set JUMPCLOUD_CLIENT_ID and JUMPCLOUD_CLIENT_SECRET")
	wizLacks(t, errOut, "set JUMPCLOUD_API_KEY", sa.ClientSecret)
}

// `setup --service-account --with-secret` under --demo reaches the demo's token host: the one
// verify-request table gives the demo's endpoint and token host together.
func TestSetupWithSecretInTheDemo(t *testing.T) {
	srv := wizSandbox(t)
	env := wizEnv(t, srv, nil)
	sa := srv.ServiceAccounts.ReadOnly
	code, out, errOut := runSetupWith(t, env, sa.ClientSecret+"\n", SetupFlags{ServiceAccount: true, ClientID: sa.ClientID, WithSecret: true})
	if code != connect.ExitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	wizHas(t, out, "Service account accepted", "Saved: "+srv.Org().Name)
}

// "No --profile" means one thing everywhere: the default profile. After `setup --profile
// contoso`, a plain `setup` replaces contoso's key (and says so), which is what devices, export
// and rotate read, instead of writing a second profile named "default" that nothing uses.
func TestSetupWithoutProfileWritesTheDefaultProfile(t *testing.T) {
	srv := wizSandbox(t)
	env := wizEnv(t, srv, nil)
	env.Profile = "contoso"
	if code, out, errOut := runSetupWith(t, env, srv.Keys.ReadOnly, SetupFlags{WithKey: true}); code != connect.ExitOK {
		t.Fatalf("setup --profile contoso: exit %d\n%s%s", code, out, errOut)
	}
	env.Profile = ""
	other := srv.AddKey("Read Only")
	code, out, errOut := runSetupWith(t, env, other, SetupFlags{WithKey: true})
	if code != connect.ExitOK {
		t.Fatalf("plain setup: exit %d\n%s%s", code, out, errOut)
	}
	wizHas(t, out, `This replaces the key stored for profile "contoso"`, `profile "contoso" (used without --profile).`)
	profiles, def, err := env.Store.Profiles()
	if err != nil || len(profiles) != 1 || profiles[0].Name != "contoso" || def != "contoso" {
		t.Fatalf("profiles %+v, default %q, %v: a plain setup wrote another profile", profiles, def, err)
	}
	if cred, err := env.Store.Key(wizCtx, ""); err != nil || cred.Key.Reveal() != other {
		t.Fatal("what the commands without --profile read is not the key the plain setup stored")
	}
}

// A service account JumpCloud refuses (here: an expired secret) sends the accessible setup back
// to the Client ID, since "the client id or secret is wrong" may be either.
func TestSetupAccessibleRefusedServiceAccountAsksForBothAgain(t *testing.T) {
	srv := wizSandbox(t)
	env := wizEnv(t, srv, nil)
	env.Accessible = true
	// way 1; integrations; checklist; id 3 (expired secret); its secret -> refused; id 1; secret 1; save.
	input := strings.Join([]string{"1", "", "", "3", "1", "1", "1", ""}, "\n") + "\n"
	code, out, errOut := runSetupWith(t, env, input, SetupFlags{})
	if code != connect.ExitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	wizHas(t, out, "client secret has expired")
	if strings.Count(out, "Step 3 of 7: paste the Client ID") != 2 {
		t.Errorf("the Client ID was not asked again after the refusal:\n%s", out)
	}
	if p, _ := env.Store.Profile(""); p.ClientID != srv.ServiceAccounts.ReadOnly.ClientID {
		t.Fatalf("stored %+v", p)
	}
}
