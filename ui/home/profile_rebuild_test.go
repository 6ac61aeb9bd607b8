package home

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"jcconnect/connect"
)

// A damaged profiles.json: every command says where the file went (an absolute path) and offers
// `profile rebuild`, which records the profiles again from the keyring and checks each key live.
func TestDamagedProfilesAreRebuiltFromTheKeyring(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("work", f.Srv.Keys.ReadOnly)
	second := f.Secret(f.Srv.AddKey("Read Only"))
	f.Save("backup", second)
	f.Srv.RevokeKey(second) // stored, then refused: the rebuild says which
	if err := os.WriteFile(f.St.MetadataPath(), []byte(`{"version":1,"profiles":[`), 0o600); err != nil {
		t.Fatal(err)
	}
	if code := RunProfileList(f.Env); code == connect.ExitOK {
		t.Fatal("a damaged file listed fine")
	}
	aside, _ := filepath.Glob(f.St.MetadataPath() + ".corrupt-*")
	if len(aside) != 1 || !filepath.IsAbs(aside[0]) {
		t.Fatalf("set aside as %v", aside)
	}
	wantIn(t, f.Output(), aside[0], "jcconnect profile rebuild", "still in the keyring")

	f.Reset()
	f.Env.BaseURL = f.Srv.URL // the sandbox stands in for the region
	code := RunProfileRebuild(f.Ctx, f.Env, nil)
	out := f.Output()
	if code != connect.ExitInvalidKey {
		t.Fatalf("exit %d (the revoked key must show in the code)\n%s", code, out)
	}
	wantIn(t, out, `Rebuilt profile "work"`, `Rebuilt profile "backup"`, "✓ the key works: "+f.Srv.Org().Name,
		"the live check failed: the key was refused", "has been revoked")

	f.Reset()
	if code := RunProfileList(f.Env); code != connect.ExitOK {
		t.Fatalf("list after the rebuild: exit %d\n%s", code, f.Output())
	}
	if !strings.Contains(f.Output(), "work") || !strings.Contains(f.Output(), f.Srv.Org().Name) {
		t.Errorf("the rebuilt profiles are not listed with their organisation:\n%s", f.Output())
	}
}

// `jcconnect` with a damaged profiles.json no longer says "Nothing is set up yet" (the keys are in
// the keyring): it says where the file went, and on a terminal offers the rebuild at once.
func TestHomeOffersTheRebuildForADamagedFile(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	f.Env.BaseURL = f.Srv.URL
	damage := func() {
		if err := os.WriteFile(f.St.MetadataPath(), []byte("{"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	damage()
	if code := RunHome(f.Ctx, f.Env); code != connect.ExitFailure {
		t.Fatalf("exit %d\n%s", code, f.Output())
	}
	wantIn(t, f.Output(), ".corrupt-", "jcconnect profile rebuild")
	wantNotIn(t, f.Output(), "Nothing is set up")

	// On a terminal: the offer, accepted.
	os.Remove(f.St.MetadataPath())
	f.Save("default", f.Srv.Keys.ReadOnly)
	damage()
	f.Reset()
	_, err := f.St.Profile("")
	f.Env.In = strings.NewReader("y\n")
	f.Env.IsTTY = true
	if code, ok := offerRebuild(f.Ctx, f.Env, err); !ok || code != connect.ExitOK {
		t.Fatalf("offer: %d %v\n%s", code, ok, f.Output())
	}
	wantIn(t, f.Output(), "Rebuild the profiles from the keyring now?", `Rebuilt profile "default"`, "✓ the key works")
}
