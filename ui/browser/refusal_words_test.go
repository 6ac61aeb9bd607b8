package browser

import (
	"context"
	"strings"
	"testing"

	"jcconnect/connect"
	"jcconnect/store"
)

// A refused stored key names its one cause (here: it worked before, so it was revoked), not a list.
func TestRunDevicesRefusedKeyNamesItsOneCause(t *testing.T) {
	srv := evServer(t, 10)
	env, _, errb := evEnv(t, srv, "")
	if err := env.Store.Save(context.Background(), store.Profile{Name: "default", OrgID: srv.Org().ID, BaseURL: srv.URL}, store.MustSecret(srv.Keys.Revoked, false)); err != nil {
		t.Fatal(err)
	}
	if code := RunDevices(context.Background(), env, DevicesFlags{CSV: true}); code != connect.ExitInvalidKey {
		t.Fatalf("exit %d: %s", code, errb)
	}
	if !strings.Contains(errb.String(), "has been revoked") || strings.Contains(errb.String(), "revoked or has expired") {
		t.Errorf("not one cause: %s", errb)
	}
}
