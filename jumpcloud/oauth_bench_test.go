package jumpcloud_test

import (
	"context"
	"testing"
	"time"

	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
)

// BenchmarkServiceAccountOverhead lists 2,000 devices with 20ms injected latency (API and token
// endpoint alike), side by side in one run: with an API key; with a service account whose token
// is held (the steady state: one token request an hour); and with a new service-account client
// per listing (a cold start pays one token round trip before the first page):
//
//	go test ./jumpcloud -run '^$' -bench ServiceAccountOverhead -benchtime 10x
//
// token-requests/op shows where the token requests really happened.
func BenchmarkServiceAccountOverhead(b *testing.B) {
	const devices, latency = 2_000, 20 * time.Millisecond
	s := jctest.NewServer(jctest.Options{Devices: devices, Seed: 1})
	defer s.Close()
	s.SetLatency(latency)
	list := func(b *testing.B, c *jumpcloud.Client) {
		systems, err := c.Systems(context.Background(), jumpcloud.ListOptions{})
		if err != nil || len(systems) != devices {
			b.Fatalf("%d systems, %v", len(systems), err)
		}
	}
	report := func(b *testing.B) {
		b.ReportMetric(float64(s.Requests(jctest.TokenPath))/float64(b.N), "token-requests/op")
		b.ReportMetric(float64(s.Requests("/api/systems"))/float64(b.N), "api-requests/op")
	}

	b.Run("api-key", func(b *testing.B) {
		c := newClient(b, s, s.Keys.ReadOnly)
		s.ResetCounts()
		for b.Loop() {
			list(b, c)
		}
		report(b)
	})
	b.Run("service-account-warm", func(b *testing.B) {
		c, _ := saClient(b, s, s.ServiceAccounts.ReadOnly, newFakeClock())
		if err := c.Authenticate(context.Background()); err != nil {
			b.Fatal(err)
		}
		s.ResetCounts()
		for b.Loop() {
			list(b, c)
		}
		report(b)
	})
	b.Run("service-account-cold", func(b *testing.B) {
		s.ResetCounts()
		for b.Loop() {
			c, _ := saClient(b, s, s.ServiceAccounts.ReadOnly, newFakeClock())
			list(b, c)
		}
		report(b)
	})
}
