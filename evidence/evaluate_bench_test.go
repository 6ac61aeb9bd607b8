package evidence

import (
	"context"
	"testing"

	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
)

// BenchmarkEvaluate10k measures the checks alone on a collected 10,000-device organisation (the
// collection happens once, outside the timer):
//
//	go test ./evidence -run '^$' -bench Evaluate10k -benchmem
func BenchmarkEvaluate10k(b *testing.B) {
	srv := jctest.NewServer(jctest.Options{Devices: 10000, Users: 2000, Policies: 30, Seed: 42, Now: jcNow})
	defer srv.Close()
	c, err := jumpcloud.New(jumpcloud.Config{BaseURL: srv.URL, APIKey: srv.Keys.Admin})
	if err != nil {
		b.Fatal(err)
	}
	snap, err := Collect(context.Background(), c, CollectOptions{Integrations: Integrations{Endpoint: true, SSO: true}})
	if err != nil {
		b.Fatal(err)
	}
	if len(snap.Devices) != 10000 {
		b.Fatalf("collected %d devices", len(snap.Devices))
	}
	b.ResetTimer()
	for b.Loop() {
		Evaluate(snap, DefaultThresholds())
	}
}
