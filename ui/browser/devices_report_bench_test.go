package browser

import (
	"fmt"
	"testing"

	"jcconnect/evidence"
)

// BenchmarkHandOver is what the collection goroutine does with a report before the browser can
// draw it, side by side: the rows alone (buildTabs, all it did before the devices were kept
// packed) and the rows with the devices packed beside them (handOver), for the benchmarks'
// 50,000-device organisation and for its first 10,000 devices and 2,000 users:
//
//	go test ./ui/browser -run '^$' -bench 'HandOver' -benchmem
func BenchmarkHandOver(b *testing.B) {
	whole := evidence.Evaluate(bigSnapshot(b), evidence.DefaultThresholds())
	var prev [2]tabState
	prev[modeDevices].cols, prev[modeUsers].cols = deviceColumns(), userColumns()
	for _, size := range []int{10000, benchDevices} {
		rep := *whole
		rep.Devices, rep.Users = whole.Devices[:size], whole.Users[:min(size/5, len(whole.Users))]
		b.Run(fmt.Sprintf("rows%dk", size/1000), func(b *testing.B) {
			for b.Loop() {
				buildTabs(&rep, prev, devNow)
			}
		})
		b.Run(fmt.Sprintf("rows+pack%dk", size/1000), func(b *testing.B) {
			for b.Loop() {
				if _, kept := handOver(&rep, prev, devNow); kept.devices.Len() != size {
					b.Fatalf("%d devices packed", kept.devices.Len())
				}
			}
		})
	}
}
