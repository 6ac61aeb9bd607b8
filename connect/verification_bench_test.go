package connect

import (
	"testing"
	"time"

	"jcconnect/jumpcloud/jctest"
	"jcconnect/store"
)

// BenchmarkVerifyKey measures a whole live verification of the Read Only key against jctest with
// 20ms of latency per response (a realistic round trip), with the source checks concurrent (as
// VerifyKey and the TUI do, together with the owner check) and, for comparison, one after
// another.
func BenchmarkVerifyKey(b *testing.B) {
	srv := jctest.NewServer(jctest.Options{Devices: 24, Seed: 3})
	defer srv.Close()
	srv.SetLatency(20 * time.Millisecond)
	req := VerifyRequest{Key: store.MustSecret(srv.Keys.ReadOnly, false), Region: RegionDemo, BaseURL: srv.URL,
		Integrations: wizBoth(), NewClient: wizClient}

	b.Run("concurrent", func(b *testing.B) {
		srv.ResetCounts()
		for b.Loop() {
			if _, err := VerifyKey(wizCtx, req, nil, nil); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(srv.Requests(""))/float64(b.N), "requests/op")
	})
	b.Run("sequential", func(b *testing.B) {
		srv.ResetCounts()
		for b.Loop() {
			c, err := req.Client()
			if err != nil {
				b.Fatal(err)
			}
			if r := CheckKeyAccepted(wizCtx, c, req).Result; !r.OK() {
				b.Fatal(r.Detail)
			}
			CheckOwner(wizCtx, c)
			sources, optional := SourcesFor(req.Integrations)
			for _, s := range sources {
				CheckSource(wizCtx, c, s, optional[s])
			}
		}
		b.ReportMetric(float64(srv.Requests(""))/float64(b.N), "requests/op")
	})
}
