package wizard

import (
	"testing"

	"jcconnect/connect"
	"jcconnect/jumpcloud/jctest"
)

// setup --with-key succeeds when the admin list answers 404 or 405 and getSelf answers 401 (both
// undocumented), with warnings that say what was not available; with settings gone too, the role
// is "unknown", a warning, never a block.
func TestSetupWithKeySucceedsWhenOptionalSourcesAreNotAvailable(t *testing.T) {
	for _, tc := range []struct {
		name       string
		adminList  int
		noSettings bool
		says       []string
	}{
		{"admin list 404, getSelf 401", 404, false,
			[]string{"ok Owner and role", "role Read Only", "warning Can read administrators", "not available to this key: JumpCloud answered 404"}},
		{"admin list 405, getSelf 401", 405, false,
			[]string{"warning Can read administrators", "not available to this key: JumpCloud answered 405"}},
		{"getSelf 401, settings 404: role unknown", 404, true,
			[]string{"warning Owner and role", "role unknown: not available to this key", "getSelf failed: the API key was refused (401)",
				"warning Read Only", "warning Can read administrators"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := wizSandbox(t)
			srv.Inject(jctest.Fault{PathPrefix: "/api/users/getSelf", Kind: jctest.FaultStatus, Status: 401})
			srv.Inject(jctest.Fault{PathPrefix: "/api/users", Kind: jctest.FaultStatus, Status: tc.adminList})
			if tc.noSettings {
				srv.Inject(jctest.Fault{PathPrefix: "/api/settings", Kind: jctest.FaultStatus, Status: 404})
			}
			env := wizEnv(t, srv, nil)
			code, out, errOut := runSetupWith(t, env, srv.Keys.ReadOnly+"\n", SetupFlags{WithKey: true})
			if code != connect.ExitOK {
				t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
			}
			wizHas(t, out+errOut, append(tc.says, "Saved: "+srv.Org().Name)...)
			if _, err := env.Store.Profile(""); err != nil {
				t.Fatalf("nothing stored: %v", err)
			}
		})
	}
}
