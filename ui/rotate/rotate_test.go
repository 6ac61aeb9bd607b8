package rotate

import (
	"strings"
	"testing"

	"jcconnect/connect"
	"jcconnect/store"
)

// Rotation through `jcconnect rotate --with-key` (stdin, no TUI) against jctest over real HTTP.
// jctest.RotateKey does what the console's "Generate New API Key" does: a new key for the same
// admin, the old one revoked at once. AddKey makes a key of another admin (the old key then
// stays valid).

func (f *day2Fixture) rotateWithKey(newKey string, accept bool) int {
	f.T.Helper()
	f.Reset()
	f.Env.In = strings.NewReader(newKey + "\n")
	return RunRotate(f.Ctx, f.Env, RotateFlags{WithKey: true, AcceptChanges: accept})
}

func TestRotateWithKeyHappyPath(t *testing.T) {
	f := newDay2Fixture(t)
	before := f.Save("default", f.Srv.Keys.ReadOnly)
	newKey := f.Secret(f.Srv.RotateKey(f.Srv.Keys.ReadOnly)) // the admin generates a new key

	// With --with-key the key is generated before the command runs, so the stored key is already
	// revoked when it starts: the swap, the metadata and the report are what is checked here.
	code := f.rotateWithKey(newKey, false)
	out := f.Output()
	if code != connect.ExitOK {
		t.Fatalf("exit %d\n%s", code, out)
	}
	if got := f.StoredKey("default"); got != newKey {
		t.Fatalf("stored key is %s, want the new key %s", store.Mask(got), store.Mask(newKey))
	}
	after, err := f.St.Profile("default")
	if err != nil {
		t.Fatal(err)
	}
	if after.Fingerprint != store.Fingerprint(newKey) || after.RotatedAt == nil || after.KeyExpires == nil ||
		after.OrgID != before.OrgID || after.Role != "Read Only" {
		t.Errorf("profile after rotation: %+v", after)
	}
	wantIn(t, out, "Rotating the key of profile \"default\"", store.Mask(newKey), "✓ The new key",
		"is stored for profile \"default\"")
}

func TestRotateWithKeyOldKeyRevokedConfirmed(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	// The TUI's order, step by step: the stored key is checked while it still works, the new key
	// is verified and swapped in, then JumpCloud's revocation of the old key is confirmed. (A key
	// of another admin stands for the new key so that the revocation can land after the swap.)
	newKey := f.Secret(f.Srv.AddKey("Read Only"))
	tgt, err := connect.PrepareRotation(f.Ctx, f.Env)
	if err != nil || !tgt.Check.Valid() || tgt.Recovery {
		t.Fatalf("prepare: %v valid=%v recovery=%v", err, tgt.Check.Valid(), tgt.Recovery)
	}
	v, err := connect.VerifyKey(f.Ctx, tgt.VerifyRequest(f.Env, store.MustSecret(newKey, false)), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tgt.ReplaceKey(f.Ctx, f.Env, v); err != nil {
		t.Fatal(err)
	}
	f.Srv.RevokeKey(f.Srv.Keys.ReadOnly)
	verdict := tgt.CheckOldKey(f.Ctx, f.Env)
	if verdict.State != connect.OldKeyRevoked {
		t.Fatalf("old key verdict %v (%v)", verdict.State, verdict.Err)
	}
	if got := verdict.Describe(tgt, ""); !strings.Contains(got, "Old key revoked: confirmed") {
		t.Errorf("describe: %s", got)
	}
}

func TestRotateWithKeyRecoveryWhenStoredKeyAlreadyRevoked(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	newKey := f.Secret(f.Srv.RotateKey(f.Srv.Keys.ReadOnly)) // revokes the stored key at once

	code := f.rotateWithKey(newKey, false)
	out := f.Output()
	if code != connect.ExitOK {
		t.Fatalf("exit %d\n%s", code, out)
	}
	wantIn(t, out, "JumpCloud refuses this key (revoked or expired): this rotation is a recovery",
		"Old key revoked: confirmed", "already refused it before the swap")
	if f.StoredKey("default") != newKey {
		t.Error("the new key was not stored")
	}
}

func TestRotateWithKeyRecoveryFromExpiredKey(t *testing.T) {
	f := newDay2Fixture(t)
	f.SaveUnverified(store.Profile{Name: "default", OrgID: f.Srv.Org().ID, OrgName: f.Srv.Org().Name,
		Role: "Read Only", Integrations: store.Integrations{EndpointManagement: true}}, f.Srv.Keys.Expired)
	newKey := f.Secret(f.Srv.RotateKey(f.Srv.Keys.Expired))

	code := f.rotateWithKey(newKey, false)
	if code != connect.ExitOK {
		t.Fatalf("exit %d\n%s", code, f.Output())
	}
	wantIn(t, f.Output(), "this rotation is a recovery")
	if f.StoredKey("default") != newKey {
		t.Error("the new key was not stored")
	}
}

func TestRotateWithKeyRefusesAnotherOrganisation(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)

	code := f.rotateWithKey(f.Srv.Keys.OtherOrg, true) // even with --accept-changes
	out := f.Output()
	if code != connect.ExitUsage {
		t.Fatalf("exit %d, want %d\n%s", code, connect.ExitUsage, out)
	}
	wantIn(t, out, "belongs to another organisation", f.Srv.Org().Name, "nothing was changed")
	if f.StoredKey("default") != f.Srv.Keys.ReadOnly {
		t.Error("the stored key changed")
	}
	if !f.KeyWorks(f.Srv.Keys.ReadOnly) {
		t.Error("the old key stopped working")
	}
}

func TestRotateWithKeyRefusesMultiTenantKeyWithoutThisOrganisation(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Secret(f.Srv.AddKey("Read Only", f.Srv.Orgs()[3].ID)))
	// The multi-tenant key sees three organisations, none of them this profile's.
	code := f.rotateWithKey(f.Srv.Keys.MultiTenant, true)
	if code != connect.ExitUsage {
		t.Fatalf("exit %d\n%s", code, f.Output())
	}
	wantIn(t, f.Output(), "belongs to another organisation")
}

func TestRotateWithKeyFullAdminNeedsExplicitConfirmation(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)

	code := f.rotateWithKey(f.Srv.Keys.Admin, false)
	out := f.Output()
	if code != connect.ExitPrivilegedRefused {
		t.Fatalf("without --allow-privileged: exit %d, want %d\n%s", code, connect.ExitPrivilegedRefused, out)
	}
	wantIn(t, out, "This key is not Read Only: its admin's role is Administrator", "Least privilege",
		"Role:  Read Only → Administrator", "--allow-privileged", "Nothing was stored")
	if f.StoredKey("default") != f.Srv.Keys.ReadOnly {
		t.Fatal("an unconfirmed full-admin key replaced the stored key")
	}

	// --accept-changes covers the new owner and role, not the privilege: the shared rule refuses.
	code = f.rotateWithKey(f.Srv.Keys.Admin, true)
	if code != connect.ExitPrivilegedRefused || f.StoredKey("default") != f.Srv.Keys.ReadOnly {
		t.Fatalf("--accept-changes alone: exit %d, want %d and the old key kept\n%s", code, connect.ExitPrivilegedRefused, f.Output())
	}
	wantIn(t, f.Output(), "needs --allow-privileged")

	f.Reset()
	f.Env.In = strings.NewReader(f.Srv.Keys.Admin + "\n")
	code = RunRotate(f.Ctx, f.Env, RotateFlags{WithKey: true, AcceptChanges: true, AllowPrivileged: true})
	if code != connect.ExitOK {
		t.Fatalf("with --accept-changes --allow-privileged: exit %d\n%s", code, f.Output())
	}
	p, _ := f.St.Profile("default")
	if f.StoredKey("default") != f.Srv.Keys.Admin || p.Role != "Administrator" {
		t.Errorf("stored %s role %q", store.Mask(f.StoredKey("default")), p.Role)
	}
}

func TestRotateWithKeyKeyringFailureKeepsOldKeyWorking(t *testing.T) {
	f := newDay2Fixture(t)
	before := f.Save("default", f.Srv.Keys.ReadOnly)
	newKey := f.Secret(f.Srv.AddKey("Read Only"))
	f.Ring.Inject(func(c store.Call) error {
		if c.Op == store.OpSet {
			return store.ErrKeyringTimeout
		}
		return nil
	})

	code := f.rotateWithKey(newKey, true)
	out := f.Output()
	if code != connect.ExitKeyring {
		t.Fatalf("exit %d, want %d\n%s", code, connect.ExitKeyring, out)
	}
	wantIn(t, out, "could not be stored, so the old key is still stored: the keyring did not answer before the deadline.", "Keep the new key at hand")
	if strings.Contains(out, "keyring set for profile") {
		t.Fatalf("the keyring error reads as a Go error chain:\n%s", out)
	}
	if f.StoredKey("default") != f.Srv.Keys.ReadOnly {
		t.Fatal("the old key is no longer stored")
	}
	after, _ := f.St.Profile("default")
	if after.Fingerprint != before.Fingerprint || after.RotatedAt != nil {
		t.Errorf("metadata changed although the key did not: %+v", after)
	}
	f.Ring.Inject(nil)
	// The old key is still the working, stored one: status says so.
	f.Reset()
	if code := connect.CollectStatus(f.Ctx, f.Env).ExitCode; code != connect.ExitOK {
		t.Errorf("status after the failed rotation: exit %d\n%s", code, f.Output())
	}
}

func TestRotateWithKeyCorruptingKeyringKeepsOldKey(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	newKey := f.Secret(f.Srv.AddKey("Read Only"))
	// The keyring stores something else than the new key it is given (and honestly stores the
	// old one when the store puts it back): the read-back must catch it.
	f.Ring.Mangle(func(s string) string {
		if s == newKey {
			return strings.ToUpper(s) + "x"
		}
		return s
	})

	code := f.rotateWithKey(newKey, true)
	if code == connect.ExitOK {
		t.Fatalf("a keyring that does not store what it is given passed\n%s", f.Output())
	}
	f.Ring.Mangle(nil)
	if f.StoredKey("default") != f.Srv.Keys.ReadOnly {
		t.Fatal("the old key is no longer stored after a failed read-back")
	}
}

func TestRotateWithKeyOldKeyStillValidIsReported(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	newKey := f.Secret(f.Srv.AddKey("Read Only")) // another admin: the old key is not revoked

	code := f.rotateWithKey(newKey, true)
	out := f.Output()
	if code != connect.ExitOK {
		t.Fatalf("exit %d\n%s", code, out)
	}
	wantIn(t, out, "Owner: evidence.reader@", "The old key ("+store.Mask(f.Srv.Keys.ReadOnly)+") still works",
		"JumpCloud has not revoked it", "different admin", "My API Key ▸ Generate New API Key")
	if !f.KeyWorks(f.Srv.Keys.ReadOnly) {
		t.Error("test premise: the old key should still work")
	}
}

func TestRotateWithKeyRefusesTheSameKey(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	code := f.rotateWithKey(f.Srv.Keys.ReadOnly, false)
	if code != connect.ExitUsage {
		t.Fatalf("exit %d", code)
	}
	wantIn(t, f.Output(), "This is the key already stored: nothing to rotate", "Generate a new key in the console")
}

func TestRotateWithKeyRefusesGarbageAndEmptyInput(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	for _, in := range []string{"", "   \n", "jca_abc def", "https://console.jumpcloud.com", `{"key":"x"}`, "jca_short"} {
		f.Reset()
		f.Env.In = strings.NewReader(in)
		if code := RunRotate(f.Ctx, f.Env, RotateFlags{WithKey: true}); code != connect.ExitUsage {
			t.Errorf("input %q: exit %d", in, code)
		}
		wantIn(t, f.Output(), "jcconnect rotate --with-key < new-key.txt")
	}
	if f.StoredKey("default") != f.Srv.Keys.ReadOnly {
		t.Error("the stored key changed")
	}
}

func TestRotateWithKeyRefusedNewKey(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	code := f.rotateWithKey(f.Srv.Keys.Revoked, true)
	if code != connect.ExitInvalidKey {
		t.Fatalf("exit %d, want %d\n%s", code, connect.ExitInvalidKey, f.Output())
	}
	wantIn(t, f.Output(), "did not pass verification; nothing was changed")
	if f.StoredKey("default") != f.Srv.Keys.ReadOnly {
		t.Error("the stored key changed")
	}
}

func TestRotateWhenEnvironmentKeyIsInUse(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	f.Vars[store.EnvAPIKey] = f.Srv.Keys.Admin
	newKey := f.Secret(f.Srv.RotateKey(f.Srv.Keys.ReadOnly))

	code := f.rotateWithKey(newKey, false)
	out := f.Output()
	if code != connect.ExitOK {
		t.Fatalf("exit %d\n%s", code, out)
	}
	// The stored key was read from the keyring (not the environment's admin key) and replaced.
	wantIn(t, out, store.Mask(f.Srv.Keys.ReadOnly), "JUMPCLOUD_API_KEY is set, so commands use that key, not the stored one")
	if f.StoredKey("default") != newKey {
		t.Error("the stored key was not replaced")
	}
}

func TestRotateWithOnlyAnEnvironmentKey(t *testing.T) {
	f := newDay2Fixture(t)
	f.Vars[store.EnvAPIKey] = f.Srv.Keys.ReadOnly
	code := f.rotateWithKey("jca_whatever000000000000000000000000000", false)
	if code != connect.ExitNoProfile {
		t.Fatalf("exit %d", code)
	}
	wantIn(t, f.Output(), "comes from JUMPCLOUD_API_KEY")
}

// Without a terminal the rotation points to its stdin form: --with-key for a key, --with-secret
// for a service account (which --with-key refuses).
func TestRotateWithoutTerminalPointsToTheStdinForm(t *testing.T) {
	for _, c := range []struct {
		serviceAccount bool
		want, not      string
	}{
		{false, "jcconnect rotate --with-key < new-key.txt", "--with-secret"},
		{true, "jcconnect rotate --with-secret < new-secret.txt", "--with-key"},
	} {
		f := newDay2Fixture(t)
		if c.serviceAccount {
			f.SaveServiceAccount("default", f.Srv.ServiceAccounts.ReadOnly)
		} else {
			f.Save("default", f.Srv.Keys.ReadOnly)
		}
		if code := RunRotate(f.Ctx, f.Env, RotateFlags{}); code != connect.ExitUsage {
			t.Fatalf("service account %v: exit %d", c.serviceAccount, code)
		}
		wantIn(t, f.Output(), c.want)
		wantNotIn(t, f.Output(), c.not)
	}
}

func TestRotateNothingStored(t *testing.T) {
	f := newDay2Fixture(t)
	code := f.rotateWithKey(f.Srv.Keys.ReadOnly, false)
	if code != connect.ExitNoProfile {
		t.Fatalf("exit %d\n%s", code, f.Output())
	}
	wantIn(t, f.Output(), "jcconnect setup")
}

func TestRotateAccessiblePromptsConfirm(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	f.Env.Accessible, f.Env.IsTTY = true, true
	newKey := f.Secret(f.Srv.AddKey("Read Only"))

	f.Env.In = strings.NewReader(newKey + "\nn\n") // declines the new owner
	if code := RunRotate(f.Ctx, f.Env, RotateFlags{}); code == connect.ExitOK {
		t.Fatalf("declined rotation exited 0\n%s", f.Output())
	}
	if f.StoredKey("default") != f.Srv.Keys.ReadOnly {
		t.Fatal("a declined rotation changed the key")
	}
	f.Reset()
	f.Env.In = strings.NewReader(newKey + "\ny\n")
	if code := RunRotate(f.Ctx, f.Env, RotateFlags{}); code != connect.ExitOK {
		t.Fatalf("confirmed rotation: exit %d\n%s", code, f.Output())
	}
	wantIn(t, f.Output(), "Paste the new API key", "accepting a different owner or role? [y/N]")
	if f.StoredKey("default") != newKey {
		t.Error("the confirmed key was not stored")
	}
}

func TestRotateWithKeyMultiTenantStaysInItsOrganisation(t *testing.T) {
	f := newDay2Fixture(t)
	orgs := f.Srv.Orgs()
	f.SaveMultiTenant("default", f.Srv.Keys.MultiTenant, orgs[2].ID)
	newKey := f.Secret(f.Srv.RotateKey(f.Srv.Keys.MultiTenant)) // same MSP admin, three orgs

	code := f.rotateWithKey(newKey, false)
	if code != connect.ExitOK {
		t.Fatalf("exit %d\n%s", code, f.Output())
	}
	p, _ := f.St.Profile("default")
	if p.OrgID != orgs[2].ID || f.StoredKey("default") != newKey {
		t.Errorf("org %s stored %s", p.OrgID, store.Mask(f.StoredKey("default")))
	}
	// The organisation header went with every organisation-scoped request of the new key.
	seen := 0
	for _, r := range f.Srv.Seen() {
		if strings.HasPrefix(r.KeyLabel, "multi-tenant-rotated") && r.Path == "/api/systems" {
			seen++
			if r.OrgID != orgs[2].ID {
				t.Errorf("%s sent with x-org-id %q", r.Path, r.OrgID)
			}
		}
	}
	if seen == 0 {
		t.Error("the new key never read devices: the check above checked nothing")
	}
}

// The accessible rotation of a service account: the same steps, in a client secret's words;
// the stored secret given again is refused before any request, the second one is stored.
func TestRotateAccessibleServiceAccount(t *testing.T) {
	f := newDay2Fixture(t)
	sa := f.Srv.ServiceAccounts.ReadOnly
	f.SaveServiceAccount("default", sa)
	f.Env.Accessible, f.Env.IsTTY = true, true

	f.Env.In = strings.NewReader(sa.ClientSecret + "\n")
	if code := RunRotate(f.Ctx, f.Env, RotateFlags{}); code != connect.ExitUsage {
		t.Fatalf("the stored secret again: exit %d\n%s", code, f.Output())
	}
	wantIn(t, f.Output(), "This is the client secret already stored", "Generate the second client secret")

	f.Reset()
	second := f.Secret(f.Srv.AddClientSecret(sa.ClientID))
	f.Env.In = strings.NewReader(second + "\n")
	if code := RunRotate(f.Ctx, f.Env, RotateFlags{}); code != connect.ExitOK {
		t.Fatalf("exit %d\n%s", code, f.Output())
	}
	out := f.Output()
	wantIn(t, out, "Rotating the client secret of profile", "Client ID", sa.ClientID, "two client secrets",
		"Paste the new client secret", "Verifying the new client secret", "still works, as expected until it is deleted")
	wantNotIn(t, strings.ReplaceAll(out, "Unlike an API key", ""), "API key", "Paste the new key")
	if f.StoredKey("default") != second {
		t.Error("the second secret was not stored")
	}
}

// A service account set up knowingly with --allow-privileged must be rotatable headless the
// same way: without the flag its new secret is refused and the old one stays; with it, stored.
// (Before, rotate --with-secret ignored the flag, so such an account could never rotate.)
func TestRotateWithSecretOfAPrivilegedServiceAccountHonoursAllowPrivileged(t *testing.T) {
	f := newDay2Fixture(t)
	sa := f.Srv.ServiceAccounts.Admin
	f.SaveServiceAccount("default", sa)
	second := f.Secret(f.Srv.AddClientSecret(sa.ClientID))

	f.Env.In = strings.NewReader(second + "\n")
	if code := RunRotate(f.Ctx, f.Env, RotateFlags{WithSecret: true}); code != connect.ExitPrivilegedRefused {
		t.Fatalf("without --allow-privileged: exit %d, want %d\n%s", code, connect.ExitPrivilegedRefused, f.Output())
	}
	wantIn(t, f.Output(), "--allow-privileged")
	if f.StoredKey("default") != sa.ClientSecret {
		t.Fatal("a refused secret replaced the stored one")
	}

	f.Reset()
	f.Env.In = strings.NewReader(second + "\n")
	if code := RunRotate(f.Ctx, f.Env, RotateFlags{WithSecret: true, AllowPrivileged: true}); code != connect.ExitOK {
		t.Fatalf("with --allow-privileged: exit %d\n%s", code, f.Output())
	}
	if f.StoredKey("default") != second {
		t.Error("the second secret was not stored")
	}
}
