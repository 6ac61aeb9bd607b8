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
