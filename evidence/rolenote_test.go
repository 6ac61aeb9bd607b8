package evidence

import (
	"context"
	"strings"
	"testing"

	"jcconnect/jumpcloud/jctest"
)

// When neither getSelf nor settings tells the key's role, the bundle's summary says what each
// answered instead of a bare "unknown", so an auditor reading it knows why.
func TestSummarySaysWhyTheRoleIsUnknown(t *testing.T) {
	srv := newServer(t, jctest.Options{Devices: 5, Seed: 3})
	srv.Inject(jctest.Fault{PathPrefix: "/api/users/getSelf", Kind: jctest.FaultStatus, Status: 401})
	srv.Inject(jctest.Fault{PathPrefix: "/api/settings", Kind: jctest.FaultStatus, Status: 404})
	snap, err := Collect(context.Background(), newClient(t, srv, srv.Keys.ReadOnly, nil), both())
	if err != nil {
		t.Fatal(err)
	}
	if snap.Role != "" || !strings.Contains(snap.RoleNote, "getSelf") {
		t.Fatalf("role %q, note %q", snap.Role, snap.RoleNote)
	}
	sum := Summary(snap, Evaluate(snap, DefaultThresholds()))
	if !strings.Contains(sum, "| Key owner role | unknown (getSelf") || !strings.Contains(sum, "settings") {
		t.Errorf("the summary does not say why the role is unknown:\n%s", sum[:min(len(sum), 900)])
	}
}
