package browser

import (
	"context"
	"testing"

	"jcconnect/connect"
	"jcconnect/evidence"
	"jcconnect/jumpcloud"
)

// `devices` asks for the statuses of only the policies a check needs; `evidence export`, in the
// same organisation, for every policy's.
func TestDevicesReadsOnlyTheChecksStatusesExportReadsAll(t *testing.T) {
	srv := evServer(t, 60)
	env, _, errb := evEnv(t, srv, srv.Keys.ReadOnly)
	const route = "/api/v2/policies/{id}/policystatuses"

	srv.ResetCounts()
	if code := RunDevices(context.Background(), env, DevicesFlags{JSON: true}); code != connect.ExitOK {
		t.Fatalf("devices --json: exit %d: %s", code, errb)
	}
	devices := srv.Stats().ByRoute[route]

	srv.ResetCounts()
	if code := RunExport(context.Background(), env, t.TempDir()); code != connect.ExitOK {
		t.Fatalf("evidence export: exit %d: %s", code, errb)
	}
	export := srv.Stats().ByRoute[route]

	c, err := jumpcloud.New(jumpcloud.Config{BaseURL: srv.URL, APIKey: srv.Keys.ReadOnly})
	if err != nil {
		t.Fatal(err)
	}
	pols, err := c.Policies(context.Background(), jumpcloud.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	needed := 0
	for _, p := range pols {
		if evidence.NeedsPolicyStatuses(p.Template) {
			needed++
		}
	}
	// Each policy's statuses fit in one page at 60 devices.
	if devices != needed || export != len(pols) || needed == 0 || needed == len(pols) {
		t.Errorf("status requests: devices %d (want %d, the policies a check needs), export %d (want %d, every policy)",
			devices, needed, export, len(pols))
	}
}
