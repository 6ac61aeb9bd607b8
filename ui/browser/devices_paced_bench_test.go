package browser

import (
	"runtime"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/internal/optime"
)

// The paced key benchmarks measure a key press as the program meets it. BrowserKeyMove50k and
// BrowserKeyPage50k run keys in a loop that never blocks, beside a goroutine allocating up to
// 256 MB/s on the other core: the Go scheduler preempts such a loop after 10 ms and a fractional
// GC mark worker may then keep its processor for 6–12 ms (their worst case, under a busy second
// core). bubbletea's event loop instead blocks between keys, receiving each from an unbuffered
// channel fed by the goroutine reading the terminal, and after the collection nothing else runs
// beside it, so a collection's mark workers use the idle core. Here Update and View run on the
// benchmark's goroutine, which blocks receiving each key from an unbuffered channel; another
// goroutine sends one key every pacedKeyInterval. A key's wall time runs from the moment it is
// sent to View's return (optime.TimeDelivered), so the wait to be woken and given a core counts.
//
// Collections happen at fixed key counts, not by luck: before every pacedGCEvery-th key the
// sender asks a third goroutine for one (runtime.GC: the cycle marks concurrently, as any does,
// while the keys go on) and waits until the cycle has begun, so that key and those after it until
// the mark ends are sent inside it. gc-forced counts the collections asked for, gc-ops the keys
// a cycle ran during, gc-worst-ms the worst of those; a run in which no key met a collection
// fails. ns/op is the pace reached, not the cost (a tick that comes late is not made up: about
// one key every 3 ms on a 2-core VM): read worst-ms, p99-ms and the CPU figures.
//
// One difference from the real program makes these figures worse, not better: the benchmark's
// goroutine is locked to its thread (optime reads the thread's clocks), so waking it hands its
// processor to that one thread, which the kernel must wake (a -trace showed most slow keys
// runnable for 2–4 ms while nothing ran on their processor), where bubbletea's goroutine runs on
// whichever thread is at hand. The Wall variants leave the goroutine free, as the program's, and
// read the wall time and the GC flags only.

const (
	// pacedKeyInterval is one key every 2 ms: a held key repeats 25–33 times a second (30–40 ms
	// apart), so this is over ten times faster than autorepeat, and faster than any typist, while
	// the event loop still blocks between keys (a key costs 0.05–0.4 ms of CPU).
	pacedKeyInterval = 2 * time.Millisecond
	// pacedGCEvery: a collection is asked for before the first key and every 50th after (every
	// 0.1 s at the pace). Marking the 50k browser's heap at this pace took 25–40 ms (10–20 keys
	// inside each cycle), so about a third of a run's keys meet one, where the program at the
	// default GOGC meets one every ~26,000 keys (a ~250 MB heap, ~9.5 KB a key).
	pacedGCEvery = 50
)

func BenchmarkBrowserKeyMovePaced50k(b *testing.B) {
	eachKeyPaced(b, benchBrowser(b), moveKey, optime.New)
}

func BenchmarkBrowserKeyPagePaced50k(b *testing.B) {
	eachKeyPaced(b, benchBrowser(b), pageKey, optime.New)
}

func BenchmarkBrowserKeyMovePacedWall50k(b *testing.B) {
	eachKeyPaced(b, benchBrowser(b), moveKey, optime.NewWallOnly)
}

func BenchmarkBrowserKeyPagePacedWall50k(b *testing.B) {
	eachKeyPaced(b, benchBrowser(b), pageKey, optime.NewWallOnly)
}

// eachKeyPaced sends b.N keys (key(i)) to br at pacedKeyInterval, with a collection asked for
// before every pacedGCEvery-th (sendPaced), and times each from its sending to its drawn View with
// a timer from newTimer (optime.New or optime.NewWallOnly).
func eachKeyPaced(b *testing.B, br *Browser, key func(i int) tea.KeyMsg, newTimer func(n int) *optime.Timer) {
	b.ReportAllocs()
	type delivery struct {
		key   tea.KeyMsg
		stamp optime.Stamp
	}
	keys := make(chan delivery) // unbuffered, as bubbletea's message channel
	runtime.GC()                // the setup's garbage is not the run's: the first cycle marks only what stays
	tm := newTimer(b.N)
	gcCPU0 := gcCPU()
	b.ResetTimer()
	sender := sendPaced(b.N, func(i int, s optime.Stamp) { keys <- delivery{key(i), s} })
	var current tea.KeyMsg
	receive := func() (optime.Stamp, bool) {
		d := <-keys
		current = d.key
		return d.stamp, true
	}
	handle := func() {
		br.Update(current)
		_ = br.View()
	}
	for range b.N {
		tm.TimeDelivered(receive, handle)
	}
	b.StopTimer()
	forced := sender.wait() // the last collection asked for has ended
	gcCPU1 := gcCPU()
	sum := tm.Stop()
	reportPaced(b, sum, forced, gcCPU1-gcCPU0)
	if sum.Ops != b.N {
		b.Fatalf("%d keys timed of %d sent", sum.Ops, b.N)
	}
}

// reportPaced reports a paced run's summary, the collections asked for (gc-forced) and the
// collector's CPU per cycle from gcSeconds, its CPU over the run; a run in which no key met a
// collection fails: its worst case has not shown what a collection does to a key.
func reportPaced(b *testing.B, sum optime.Summary, forced int, gcSeconds float64) {
	sum.Report(b)
	b.ReportMetric(float64(forced), "gc-forced")
	if sum.GCCycles > 0 {
		b.ReportMetric(gcSeconds*1000/float64(sum.GCCycles), "gc-cpu-ms/cycle")
	}
	if sum.OpsInGC == 0 {
		b.Fatalf("no key met a collection (%d asked for, %d cycles): the worst case was not shown", forced, sum.GCCycles)
	}
}

// pacedSender is the terminal's side of a paced run: a goroutine that sends the keys one every
// pacedKeyInterval, and one that runs the collections it asks for.
type pacedSender struct {
	wg     sync.WaitGroup
	forced int
}

// sendPaced starts sending n keys: send(i, stamp) delivers the i-th, stamp taken just before (the
// garbage collector's state, then the clock). Before the first key and every pacedGCEvery-th it
// asks for a collection, unless one is running, and waits until the cycle has begun, so that key
// and those after it until the mark ends are sent inside it. A tick that comes late is not made
// up. It returns at once; wait says when all is sent.
func sendPaced(n int, send func(i int, s optime.Stamp)) *pacedSender {
	p := &pacedSender{}
	collect := make(chan struct{}, 1)
	p.wg.Add(2)
	go func() { // the collections asked for
		defer p.wg.Done()
		for range collect {
			runtime.GC()
			p.forced++
		}
	}()
	go func() { // the terminal: one key every pacedKeyInterval
		defer p.wg.Done()
		defer close(collect)
		var st optime.Stamper
		tick := time.NewTicker(pacedKeyInterval)
		defer tick.Stop()
		for i := 0; i < n; i++ {
			<-tick.C
			s := st.Stamp()
			if i%pacedGCEvery == 0 && !s.InCycle() {
				collect <- struct{}{} // the previous cycle has ended, so its request was taken
				// Until the cycle has begun (or, on a heap far smaller than this one, ended).
				for done := s.Cycles(); !s.InCycle() && s.Cycles() == done; s = st.Stamp() {
					time.Sleep(20 * time.Microsecond)
				}
			}
			send(i, s)
		}
	}()
	return p
}

// wait returns, once every key is sent and the last collection asked for has ended, the
// collections asked for.
func (p *pacedSender) wait() int {
	p.wg.Wait()
	return p.forced
}

// BenchmarkMachineStalls is the floor under the key benchmarks' worst case: a thread that does
// nothing but read the clock, spinning for as long as b.N paced keys take (b.N ×
// pacedKeyInterval; -benchtime 5000x is 10 s), and the longest the machine went without running
// it (optime.MeasureStalls). No key press can be timed below what the machine takes from any
// running thread: on the 2-vCPU VM of issue 13's figures, an idle machine stalled such a thread
// for 1.4–1.7 ms about once every 10 s, charged as the thread's CPU time or not.
func BenchmarkMachineStalls(b *testing.B) {
	s := optime.MeasureStalls(time.Duration(b.N) * pacedKeyInterval)
	s.Report(b)
}
