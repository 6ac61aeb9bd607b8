package home

import (
	"strings"
	"testing"

	"jcconnect/connect"
	"jcconnect/store"
)

// A refused stored key is told its one cause, as the wizard tells it, not the client's list of
// every cause ("invalid, revoked or expired, or belongs to another region").
func TestStatusRefusalNamesItsOneCause(t *testing.T) {
	for _, tc := range []struct {
		name, want string
		key        func(f *day2Fixture) string
	}{
		{"revoked", "has been revoked", func(f *day2Fixture) string { return f.Srv.Keys.Revoked }},
		{"expired, says JumpCloud", "has expired (JumpCloud says so)", func(f *day2Fixture) string { return f.Srv.Keys.Expired }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newDay2Fixture(t)
			f.SaveUnverified(store.Profile{Name: "default", OrgID: f.Srv.Org().ID, OrgName: f.Srv.Org().Name,
				Role: "Read Only", Integrations: store.Integrations{EndpointManagement: true}}, tc.key(f))
			text, r, code := runStatusBoth(t, f)
			if code != connect.ExitInvalidKey {
				t.Fatalf("exit %d\n%s", code, text)
			}
			msg := r.Profiles[0].Check.Message
			if !strings.Contains(msg, tc.want) || strings.Contains(msg, "belongs to another region") || strings.Contains(text, "invalid, revoked or expired") {
				t.Errorf("message %q\n%s", msg, text)
			}
			if !strings.Contains(r.Profiles[0].Check.Fix, "generate a new key") {
				t.Errorf("fix %q", r.Profiles[0].Check.Fix)
			}
		})
	}
}
