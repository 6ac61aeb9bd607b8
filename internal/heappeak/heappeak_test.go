package heappeak

import (
	"runtime"
	"testing"
)

var sink [][]byte

// A peak is kept when the memory is let go before Stop: 64 MB held when sampled, then dropped
// and collected, still reads as at least 64 MB, not the heap left at Stop.
func TestPeakKeepsTheHighestSampleAfterTheMemoryIsGone(t *testing.T) {
	runtime.GC()
	p := Start()
	for range 64 {
		sink = append(sink, make([]byte, 1<<20))
	}
	p.Sample()
	sink = nil
	runtime.GC()
	p.Sample()
	if got := p.Stop(); got < 64<<20 {
		t.Errorf("peak %d MB, want at least 64", got>>20)
	}
}
