package home

import (
	"testing"
	"time"

	"jcconnect/connect"
	"jcconnect/store"
)

func runDoctorFor(t *testing.T, f *day2Fixture) (string, int) {
	t.Helper()
	f.Reset()
	code := RunDoctor(f.Ctx, f.Env)
	return f.Output(), code
}

func TestDoctorAllGood(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	out, code := runDoctorFor(t, f)
	if code != connect.ExitOK {
		t.Fatalf("exit %d\n%s", code, out)
	}
	wantIn(t, out, "Keyring", "✓ round trip", "Connection", "✓ profile: default: organisation "+f.Srv.Org().Name,
		"✓ reach JumpCloud: "+f.Srv.URL+" answered (HTTP 401)", "✓ key: "+store.Mask(f.Srv.Keys.ReadOnly),
		"✓ key accepted: organisation "+f.Srv.Org().Name+", role Read Only", "✓ expiry", "No problems found.")
}

func TestDoctorKeyringUnusable(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	f.Ring.Inject(func(store.Call) error { return store.ErrNoSecretService })
	out, code := runDoctorFor(t, f)
	if code != connect.ExitKeyring {
		t.Fatalf("exit %d, want %d\n%s", code, connect.ExitKeyring, out)
	}
	wantIn(t, out, "✗ round trip", "fix: ", "– key: the keyring cannot be used (see above)", "problem")
}

func TestDoctorCannotReachJumpCloud(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	f.Srv.Close()
	out, code := runDoctorFor(t, f)
	if code != connect.ExitNetwork {
		t.Fatalf("exit %d, want %d\n%s", code, connect.ExitNetwork, out)
	}
	wantIn(t, out, "✗ reach JumpCloud", "fix: Check your network", "– key accepted: JumpCloud cannot be reached")
}

func TestDoctorRevokedKey(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	f.Srv.RevokeKey(f.Srv.Keys.ReadOnly)
	out, code := runDoctorFor(t, f)
	if code != connect.ExitInvalidKey {
		t.Fatalf("exit %d, want %d\n%s", code, connect.ExitInvalidKey, out)
	}
	wantIn(t, out, "✗ key accepted", "run: jcconnect rotate", "1 problem found")
}

func TestDoctorNothingSetUp(t *testing.T) {
	f := newDay2Fixture(t)
	f.Env.BaseURL = f.Srv.URL
	out, code := runDoctorFor(t, f)
	if code != connect.ExitNoProfile {
		t.Fatalf("exit %d, want %d\n%s", code, connect.ExitNoProfile, out)
	}
	wantIn(t, out, "✓ round trip", "✓ reach JumpCloud", "✗ profile: nothing is set up", "run: jcconnect setup")
}

func TestDoctorWarnsAboutPrivilegeAndExpiryWithoutFailing(t *testing.T) {
	f := newDay2Fixture(t)
	p := f.Save("default", f.Srv.Keys.Admin)
	f.Now = p.KeyExpires.Add(-3 * 24 * time.Hour)
	out, code := runDoctorFor(t, f)
	if code != connect.ExitOK {
		t.Fatalf("warnings must not fail: exit %d\n%s", code, out)
	}
	wantIn(t, out, "! least privilege", "Administrator", "! expiry", "run: jcconnect rotate", "No problems; 2 warnings")
}
