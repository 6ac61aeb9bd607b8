package heappeak

import (
	"runtime"
	"runtime/metrics"
)

// Live is the heap that survives a collection, in bytes and objects: what a screen keeps alive,
// which every garbage collection marks (the peak says whether the work fits; this says what is
// left for the collector once it is done).
func Live() (bytes, objects uint64) {
	runtime.GC()
	runtime.GC()
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/gc/heap/objects:objects"}}
	metrics.Read(s)
	return s[0].Value.Uint64(), s[1].Value.Uint64()
}
