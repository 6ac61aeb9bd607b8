package browser

import (
	"context"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/connect"
	"jcconnect/evidence"
	"jcconnect/internal/heappeak"
	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
	"jcconnect/ui/common"
)

// Browser benchmarks with 50,000 devices. Run with
//
//	go test ./ui -run '^$' -bench Browser -benchmem
//
// Aims (issue 5): a key press through Update and View under 1 ms, a filter keystroke (Update,
// the filter command, the result through Update, and View) under 20 ms.

const benchDevices = 50000

var (
	bigSnapOnce sync.Once
	bigSnap     *evidence.Snapshot
	bigSnapPeak uint64 // the peak heap while bigSnap was collected (heappeak)
)

// bigSnapshot is collected from a jctest organisation of 50,000 devices (realistic fields and
// System Insights rows), once per benchmark binary.
func bigSnapshot(b *testing.B) *evidence.Snapshot {
	bigSnapOnce.Do(func() {
		srv := jctest.NewServer(jctest.Options{Devices: benchDevices, Users: 5000, Policies: 12, Seed: 50, Now: devNow})
		defer srv.Close()
		sample := heappeak.Start() // after the server's organisation is generated: the client's peak
		defer func() { bigSnapPeak = sample.Stop() }()
		c, err := jumpcloud.New(jumpcloud.Config{BaseURL: srv.URL, APIKey: srv.Keys.Admin, MaxInFlight: 16})
		if err != nil {
			b.Fatal(err)
		}
		bigSnap, err = evidence.Collect(context.Background(), c, evidence.CollectOptions{
			Integrations: evidence.Integrations{Endpoint: true, SSO: true}, Role: "Administrator",
			Now: func() time.Time { return devNow }})
		if err != nil {
			b.Fatal(err)
		}
	})
	return bigSnap
}

func benchBrowser(b *testing.B) *Browser {
	c := common.NewCommon(&connect.Env{NoColor: true, Now: func() time.Time { return devNow }})
	br := NewBrowser(c, BrowserOptions{Snapshot: bigSnapshot(b)})
	br.Update(tea.WindowSizeMsg{Width: 160, Height: 50})
	return br
}

func BenchmarkBrowserKeyMove50k(b *testing.B) {
	br := benchBrowser(b)
	down, up := devKey("down"), devKey("up")
	eachOp(b, func(i int) {
		k := down
		if (i/1000)%2 == 1 {
			k = up
		}
		br.Update(k)
		_ = br.View()
	})
}

func BenchmarkBrowserKeyPage50k(b *testing.B) {
	br := benchBrowser(b)
	down, up := devKey("pgdown"), tea.KeyMsg{Type: tea.KeyPgUp}
	eachOp(b, func(i int) {
		k := down
		if (i/500)%2 == 1 {
			k = up
		}
		br.Update(k)
		_ = br.View()
	})
}

// BenchmarkBrowserFilterKeystroke50k: one keystroke in the `/` filter, all the way to the
// redrawn screen: alternately typing a digit and deleting it after "host".
func BenchmarkBrowserFilterKeystroke50k(b *testing.B) {
	br := benchBrowser(b)
	press(b, br, "/", "m", "a", "c")
	keys := []tea.KeyMsg{devKey("1"), devKey("backspace")}
	eachOp(b, func(i int) {
		_, cmd := br.Update(keys[i%2])
		if cmd != nil {
			br.Update(cmd())
		}
		_ = br.View()
	})
}

// BenchmarkBrowserSort50k: changing the sort column (a full sort of 50,000 rows, off the UI
// goroutine in the real program) through to the redrawn screen.
func BenchmarkBrowserSort50k(b *testing.B) {
	br := benchBrowser(b)
	s := devKey("s")
	eachOp(b, func(int) {
		_, cmd := br.Update(s)
		if cmd != nil {
			br.Update(cmd())
		}
		_ = br.View()
	})
}

// eachOp runs op b.N times and reports, besides the mean, the slowest single operation and the
// 99th percentile: a key that is cheap 999 times and takes 40 ms once is a stutter the mean hides.
// On a shared machine the worst case also catches a preemption; p99 tells the two apart.
func eachOp(b *testing.B, op func(i int)) {
	b.ReportAllocs()
	took := make([]time.Duration, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		op(i)
		took[i] = time.Since(start)
	}
	b.StopTimer()
	slices.Sort(took)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(took[len(took)-1]), "worst-ms")
	b.ReportMetric(ms(took[len(took)*99/100]), "p99-ms")
}

// BenchmarkBrowserMemory50k reports the peak heap while the snapshot is collected (in process,
// the sandbox's answering included), then the heap the browser holds: the snapshot alone, and
// the snapshot with its report and rows (what `jcconnect devices` keeps while browsing).
func BenchmarkBrowserMemory50k(b *testing.B) {
	heap := func() uint64 {
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	for i := 0; i < b.N; i++ {
		bigSnapOnce = sync.Once{}
		bigSnap = nil
		base := heap()
		snap := bigSnapshot(b)
		withSnap := heap()
		br := benchBrowser(b)
		withBrowser := heap()
		b.ReportMetric(float64(bigSnapPeak)/(1<<20), "collect-peak-heap-MB")
		b.ReportMetric(float64(withSnap-base)/(1<<20), "snapshot-MB")
		b.ReportMetric(float64(withBrowser-base)/(1<<20), "snapshot+browser-MB")
		b.ReportMetric(float64(len(snap.Devices)), "devices")
		runtime.KeepAlive(br)
	}
}
