package browser

import (
	"fmt"
	"testing"

	"jcconnect/evidence"
)

// BenchmarkHandOver is what the collection goroutine does with a report before the browser can
// draw it, side by side: the rows alone (buildTabs, all it did before the devices were kept
// packed) and the rows with the reports packed beside them (handOver), for the benchmarks'
// 50,000-device organisation and for its first 10,000 devices and 2,000 users:
//
//	go test ./ui/browser -run '^$' -bench 'HandOver' -benchmem
func BenchmarkHandOver(b *testing.B) {
	shown := bigCollection(b)
	whole := shown.Whole()
	var prev [2]tabState
	prev[modeDevices].cols, prev[modeUsers].cols = deviceColumns(), userColumns()
	for _, size := range []int{10000, benchDevices} {
		rep := *whole
		rep.Devices, rep.Users = whole.Devices[:size], whole.Users[:min(size/5, len(whole.Users))]
		b.Run(fmt.Sprintf("rows%dk", size/1000), func(b *testing.B) {
			for b.Loop() {
				buildTabs(sharedReport(&rep), prev, devNow)
			}
		})
		if size == benchDevices {
			// What opening a browser on a collection kept costs (home's browse, the preview's):
			// the rows from the packed devices, nothing evaluated or packed.
			b.Run(fmt.Sprintf("rowsKept%dk", size/1000), func(b *testing.B) {
				for b.Loop() {
					buildTabs(keptReport{collection: shown}, prev, devNow)
				}
			})
		}
		b.Run(fmt.Sprintf("rows+pack%dk", size/1000), func(b *testing.B) {
			for b.Loop() {
				keep := func() *evidence.Kept { return evidence.Keep(shown.Snapshot(), &rep) }
				if _, kept := handOver(&rep, keep, prev, devNow); kept.devices() != size {
					b.Fatalf("%d devices packed", kept.devices())
				}
			}
		})
	}
}
