package home

import (
	"errors"
	"strings"
	"testing"

	"jcconnect/connect"
	"jcconnect/store"
)

func TestLogoutWithKeyringItem(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)

	code := RunLogout(f.Ctx, f.Env, true)
	out := f.Output()
	if code != connect.ExitOK {
		t.Fatalf("exit %d\n%s", code, out)
	}
	if f.StoredKey("default") != "" {
		t.Error("the key is still in the keyring")
	}
	if _, err := f.St.Profile("default"); !errors.Is(err, store.ErrNoProfile) {
		t.Errorf("the profile is still there: %v", err)
	}
	wantIn(t, out, "✓ Removed the key", "✓ Removed profile \"default\"",
		"This does NOT revoke the key in JumpCloud", "evidence.reader@", "My API Key ▸ Generate New API Key",
		"Settings ▸ Administrators", "Enable API access")
	// Logging out does not touch JumpCloud: the key still works there, as the text says.
	if !f.KeyWorks(f.Srv.Keys.ReadOnly) {
		t.Error("logout must not revoke anything")
	}
}

func TestLogoutWithoutKeyringItem(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	if err := f.Ring.Delete(store.Service, "default"); err != nil {
		t.Fatal(err)
	}
	code := RunLogout(f.Ctx, f.Env, true)
	out := f.Output()
	if code != connect.ExitOK {
		t.Fatalf("exit %d\n%s", code, out)
	}
	wantIn(t, out, "There was no key in the keyring for this profile", "✓ Removed profile", "does NOT revoke")
	if _, err := f.St.Profile("default"); err == nil {
		t.Error("the profile is still there")
	}
}

func TestLogoutLeftoverKeyWithoutProfile(t *testing.T) {
	f := newDay2Fixture(t)
	if err := f.Ring.Set(store.Service, "default", f.Srv.Keys.ReadOnly); err != nil {
		t.Fatal(err)
	}
	if code := RunLogout(f.Ctx, f.Env, true); code != connect.ExitOK {
		t.Fatalf("exit %d\n%s", code, f.Output())
	}
	wantIn(t, f.Output(), "Removed a key left in the keyring without its profile")
	if f.StoredKey("default") != "" {
		t.Error("the leftover key is still in the keyring")
	}
}

func TestLogoutNeedsYesWithoutTerminal(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	if code := RunLogout(f.Ctx, f.Env, false); code != connect.ExitUsage {
		t.Fatalf("exit %d", code)
	}
	wantIn(t, f.Output(), "jcconnect logout --yes")
	if f.StoredKey("default") == "" {
		t.Fatal("removed without confirmation")
	}
}

func TestLogoutAsksOnTerminal(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	f.Env.IsTTY = true

	f.Env.In = strings.NewReader("n\n")
	if code := RunLogout(f.Ctx, f.Env, false); code == connect.ExitOK {
		t.Fatal("a declined logout exited 0")
	}
	wantIn(t, f.Output(), `Remove profile "default" (organisation `+f.Srv.Org().Name, "[y/N]", "Nothing was removed")
	if f.StoredKey("default") == "" {
		t.Fatal("removed although the user said no")
	}

	f.Reset()
	f.Env.In = strings.NewReader("y\n")
	if code := RunLogout(f.Ctx, f.Env, false); code != connect.ExitOK {
		t.Fatalf("exit %d\n%s", code, f.Output())
	}
	if f.StoredKey("default") != "" {
		t.Error("not removed after yes")
	}
}

func TestLogoutNothingStored(t *testing.T) {
	f := newDay2Fixture(t)
	if code := RunLogout(f.Ctx, f.Env, true); code != connect.ExitNoProfile {
		t.Fatalf("exit %d", code)
	}
	wantIn(t, f.Output(), "Nothing to log out")
}

func TestLogoutKeyringFailureIsReported(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	f.Ring.Inject(func(c store.Call) error {
		if c.Op == store.OpDelete {
			return store.ErrKeyringLocked
		}
		return nil
	})
	code := RunLogout(f.Ctx, f.Env, true)
	out := f.Output()
	if code != connect.ExitKeyring {
		t.Fatalf("exit %d, want %d\n%s", code, connect.ExitKeyring, out)
	}
	wantIn(t, out, "✗ the key could not be removed from the keyring", "run `jcconnect logout` again")
	f.Ring.Inject(nil)
	if f.StoredKey("default") == "" {
		t.Error("test premise: the key should still be stored")
	}
	// The second logout removes the leftover item.
	f.Reset()
	if code := RunLogout(f.Ctx, f.Env, true); code != connect.ExitOK {
		t.Fatalf("second logout: exit %d\n%s", code, f.Output())
	}
	if f.StoredKey("default") != "" {
		t.Error("the second logout did not remove the key")
	}
}

func TestLogoutRemindsAboutEnvironmentKey(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	f.Vars[store.EnvAPIKey] = f.Srv.Keys.ReadOnly
	if code := RunLogout(f.Ctx, f.Env, true); code != connect.ExitOK {
		t.Fatalf("exit %d\n%s", code, f.Output())
	}
	wantIn(t, f.Output(), "JUMPCLOUD_API_KEY is set in this environment", "unset JUMPCLOUD_API_KEY")
}
