package jumpcloud_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
)

// BenchmarkListDevices lists 10,000 devices from jctest with 20ms injected latency, with the
// client (concurrent paging after the first page, MaxInFlight 8) and with a naive sequential
// pager, in the same run:
//
//	go test ./jumpcloud -run '^$' -bench ListDevices -benchtime 3x
//
// The floor for the client is one first page plus ceil(99 pages / 8 in flight) rounds of 20ms:
// 14 × 20ms = 280ms. The naive pager needs 100 × 20ms = 2s.
func BenchmarkListDevices(b *testing.B) {
	const devices, latency = 10_000, 20 * time.Millisecond
	s := jctest.NewServer(jctest.Options{Devices: devices, Seed: 1})
	defer s.Close()
	s.SetLatency(latency)

	b.Run("client", func(b *testing.B) {
		c := newClient(b, s, s.Keys.ReadOnly, func(cfg *jumpcloud.Config) { cfg.MaxInFlight = 8 })
		s.ResetCounts()
		for b.Loop() {
			systems, err := c.Systems(context.Background(), jumpcloud.ListOptions{})
			if err != nil || len(systems) != devices {
				b.Fatalf("%d systems, %v", len(systems), err)
			}
		}
		b.ReportMetric(float64(s.Requests("/api/systems"))/float64(b.N), "requests/op")
		b.ReportMetric(float64(s.MaxInFlight()), "max-in-flight")
		// How far above the latency floor (first page, then 99 pages 8 at a time): what is left
		// is CPU (decoding here, rendering in jctest) on a machine that may be shared.
		floor := time.Duration(1+(devices/jumpcloud.MaxPageSize-1+7)/8) * latency
		b.ReportMetric(float64(b.Elapsed())/float64(b.N)/float64(floor), "x-latency-floor")
	})

	b.Run("naive-sequential", func(b *testing.B) {
		s.ResetCounts()
		for b.Loop() {
			n, err := naiveListSystems(s.URL, s.Keys.ReadOnly)
			if err != nil || n != devices {
				b.Fatalf("%d systems, %v", n, err)
			}
		}
		b.ReportMetric(float64(s.Requests("/api/systems"))/float64(b.N), "requests/op")
		b.ReportMetric(float64(s.MaxInFlight()), "max-in-flight")
	})
}

// naiveListSystems is the pager everyone writes first: one page after another until a short page.
func naiveListSystems(base, key string) (int, error) {
	total := 0
	for skip := 0; ; skip += 100 {
		req, err := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/api/systems?limit=100&skip=%d&sort=_id", base, skip), nil)
		if err != nil {
			return 0, err
		}
		req.Header.Set("x-api-key", key)
		req.Header.Set("Accept", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, err
		}
		var page struct {
			Results []jumpcloud.System `json:"results"`
		}
		err = json.NewDecoder(res.Body).Decode(&page)
		res.Body.Close()
		if err != nil {
			return 0, err
		}
		total += len(page.Results)
		if len(page.Results) < 100 {
			return total, nil
		}
	}
}
