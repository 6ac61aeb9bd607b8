package home

import (
	"runtime"
	"testing"

	"jcconnect/connect"
	"jcconnect/internal/heappeak"
	"jcconnect/jumpcloud/jctest"
	"jcconnect/ui/browser"
	"jcconnect/ui/common"
)

// BenchmarkHomeBrowserLiveHeap10k and …50k: the live heap while the browser opened from home
// (d) is shown, home under it on the App's stack, against home alone with its pass rates. What
// home keeps under the browser is marked by every garbage collection while the user browses,
// and a key press that arrives while a collection marks waits behind it (issue 13). Reported
// after forced collections: live MB and objects with home alone and with home + browser, and
// the MB allocated by the d key (opening the browser on home's snapshot). browser=1 says the
// browser was really pushed, on home's own snapshot.
func BenchmarkHomeBrowserLiveHeap10k(b *testing.B) { benchHomeBrowserLiveHeap(b, 10000) }
func BenchmarkHomeBrowserLiveHeap50k(b *testing.B) { benchHomeBrowserLiveHeap(b, 50000) }

func benchHomeBrowserLiveHeap(b *testing.B, devices int) {
	f := newDay2Fixture(b)
	f.Srv = jctest.NewServer(jctest.Options{Devices: devices, Users: devices / 5, Policies: 30, Seed: 11})
	b.Cleanup(f.Srv.Close)
	f.Env.Recent = &connect.RecentSnapshots{} // as main sets it
	f.Save("default", f.Srv.Keys.ReadOnly)
	for range b.N {
		d, home := openHome(b, f)
		if home.shown == nil {
			b.Fatal("home did not collect its pass rates")
		}
		alone, aloneObjects := heappeak.Live()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		d.Keys("d")
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		br, ok := d.Screen.(*common.App).Top().(*browser.Browser)
		if !ok || br.Snapshot() != home.shown.Snapshot() {
			b.Fatalf("d should push the browser on home's snapshot (top %T)", d.Screen.(*common.App).Top())
		}
		both, bothObjects := heappeak.Live()
		b.ReportMetric(1, "browser")
		b.ReportMetric(float64(alone)/(1<<20), "live-MB-home")
		b.ReportMetric(float64(aloneObjects), "live-objects-home")
		b.ReportMetric(float64(both)/(1<<20), "live-MB-home+browser")
		b.ReportMetric(float64(bothObjects), "live-objects-home+browser")
		b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/(1<<20), "alloc-MB-open-browser")
		runtime.KeepAlive(d)
	}
}
