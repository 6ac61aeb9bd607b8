// Package heappeak measures the peak heap of a stretch of work in process, for benchmarks: the
// heap kept after a GC says little about whether a laptop can run the work, the highest heap
// during it does (the built binary's peak RSS, from scripts/perf.sh, is the figure that counts).
package heappeak

import (
	"runtime/metrics"
	"sync"
	"time"
)

// Peak is the highest heap seen since Start, above the heap at Start.
type Peak struct {
	mu       sync.Mutex
	s        []metrics.Sample
	base     uint64
	peak     uint64
	done     chan struct{}
	finished chan struct{}
}

// Start samples the bytes of live and not yet collected heap objects every millisecond until
// Stop.
func Start() *Peak {
	p := &Peak{s: []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}},
		done: make(chan struct{}), finished: make(chan struct{})}
	metrics.Read(p.s)
	p.base = p.s[0].Value.Uint64()
	go func() {
		defer close(p.finished)
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			p.Sample()
			select {
			case <-p.done:
				return
			case <-t.C:
			}
		}
	}()
	return p
}

// Sample reads the heap now (the ticker does it every millisecond; a caller may add a sample at
// a point it knows is high).
func (p *Peak) Sample() {
	p.mu.Lock()
	defer p.mu.Unlock()
	metrics.Read(p.s)
	if v := p.s[0].Value.Uint64(); v > p.base && v-p.base > p.peak {
		p.peak = v - p.base
	}
}

// Stop ends the sampling and returns the highest sample above the heap at Start, in bytes.
func (p *Peak) Stop() uint64 {
	close(p.done)
	<-p.finished
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.peak
}
