package browser

import (
	"context"
	"testing"
	"time"

	"jcconnect/evidence"
	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
)

// BenchmarkBuildTabs10k measures buildTabs, the rows and first views the browser's first table
// waits for after the checks (issue 13: the first table at 10,000 devices within a second), on
// the report of a collected 10,000-device organisation (collected and evaluated once, outside
// the timer). Beside evidence's BenchmarkEvaluate10k:
//
//	go test ./ui/browser -run '^$' -bench 'BuildTabs10k$' -benchtime 5x -benchmem
func BenchmarkBuildTabs10k(b *testing.B) {
	srv := jctest.NewServer(jctest.Options{Devices: 10000, Users: 2000, Policies: 30, Seed: 42, Now: devNow})
	defer srv.Close()
	c, err := jumpcloud.New(jumpcloud.Config{BaseURL: srv.URL, APIKey: srv.Keys.Admin})
	if err != nil {
		b.Fatal(err)
	}
	snap, err := evidence.Collect(context.Background(), c, evidence.CollectOptions{
		Integrations: evidence.Integrations{Endpoint: true, SSO: true},
		Now:          func() time.Time { return devNow }})
	if err != nil {
		b.Fatal(err)
	}
	rep := evidence.Evaluate(snap, evidence.DefaultThresholds())
	if len(rep.Devices) != 10000 || len(rep.Users) != 2000 {
		b.Fatalf("report of %d devices, %d users", len(rep.Devices), len(rep.Users))
	}
	var prev [2]tabState
	prev[modeDevices].cols, prev[modeUsers].cols = deviceColumns(), userColumns()
	b.ResetTimer()
	for b.Loop() {
		tabs := buildTabs(sharedReport(rep), prev, devNow)
		if len(tabs[modeDevices].view) != 10000 {
			b.Fatalf("the device view has %d rows", len(tabs[modeDevices].view))
		}
	}
}
