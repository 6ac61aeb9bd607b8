package home

import (
	"strings"
	"testing"

	"jcconnect/connect"
	"jcconnect/store"
)

// profile list shows which profile "no --profile" means; profile use changes it, and every
// command without --profile follows (here: status).
func TestProfileListAndUse(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("acme", f.Srv.Keys.ReadOnly)
	f.Save("contoso", f.Secret(f.Srv.AddKey("Read Only")))

	f.Reset()
	if code := RunProfileList(f.Env); code != connect.ExitOK {
		t.Fatalf("list: exit %d\n%s", code, f.Output())
	}
	wantIn(t, f.Output(), "* acme", "  contoso", "* acme is used without --profile", "jcconnect profile use NAME")

	f.Reset()
	if code := RunProfileUse(f.Env, "contoso"); code != connect.ExitOK {
		t.Fatalf("use: exit %d\n%s", code, f.Output())
	}
	wantIn(t, f.Output(), `Commands without --profile now use profile "contoso"`)
	text, r, _ := runStatusBoth(t, f)
	if len(r.Profiles) == 0 {
		t.Fatalf("status:\n%s", text)
	}
	wantIn(t, text, "Profile contoso (used without --profile)")

	f.Reset()
	if code := RunProfileUse(f.Env, "nope"); code == connect.ExitOK {
		t.Fatal("use of a profile that does not exist succeeded")
	}
	wantIn(t, f.Output(), "The stored profiles are: acme, contoso")
}

// After a rotation on the home screen, the line left on the terminal names the new key, not the
// one the wizard reported before the rotation.
func TestClosingLineNamesTheKeyInUseAfterARotation(t *testing.T) {
	f := newDay2Fixture(t)
	p := f.Save("default", f.Srv.Keys.ReadOnly)
	newKey := f.Secret(f.Srv.RotateKey(f.Srv.Keys.ReadOnly))
	if err := f.St.Replace(f.Ctx, p, store.MustSecret(newKey, false)); err != nil {
		t.Fatal(err)
	}
	line := closingLine(f.Env)
	wantIn(t, line, `Profile "default" now uses key …`+newKey[len(newKey)-4:])
	if strings.Contains(line, "…"+f.Srv.Keys.ReadOnly[len(f.Srv.Keys.ReadOnly)-4:]) {
		t.Fatalf("the closing line names the old key: %s", line)
	}
}
