// Package optime times the single operations of a benchmark, so that its worst case can be read
// on a shared machine. Each operation's wall time is split into the CPU time its own thread spent
// (its work, GC assists it was charged included) and the time that thread waited in the
// kernel's run queue for a core (another process had it: preemption, not work). Whatever is left
// of the wall time the thread was asleep: the Go scheduler gave its processor to a GC worker or
// another goroutine, or a page fault waited. A worst wall time far above the worst CPU time is
// the machine, not the code.
//
// The CPU time and the run-queue wait are read on Linux (CLOCK_THREAD_CPUTIME_ID and
// /proc/thread-self/schedstat); elsewhere only the wall time is known and the others read 0.
package optime

import (
	"context"
	"runtime"
	"runtime/metrics"
	"runtime/trace"
	"slices"
	"time"
)

// Op is one timed operation.
type Op struct {
	Wall time.Duration
	CPU  time.Duration // the operating thread's CPU time
	RunQ time.Duration // the operating thread's wait for a core
	// Faults are the page faults the thread took (fresh heap pages first touched, mostly): kernel
	// work inside the CPU time that the code's instructions do not show.
	Faults int64
	// GCPauses are the garbage collector's stop-the-world pauses that began inside the operation
	// (a cycle's start, sweep termination, or its end, mark termination), and InGC tells that a
	// GC cycle ran during some of it: its goroutine may have been made to assist the marking,
	// parked, or stopped.
	GCPauses int
	InGC     bool
}

// Timer times operations run one after another on one goroutine, which it locks to its thread
// from New until Stop (so the thread's clocks are the operation's).
type Timer struct {
	ops      []Op
	clock    threadClock
	gcBefore uint64
	gcAfter  uint64
	gc       gcState
}

// New starts timing up to n operations (a hint) on the calling goroutine.
func New(n int) *Timer {
	runtime.LockOSThread()
	t := &Timer{ops: make([]Op, 0, n), clock: openThreadClock()}
	t.gcBefore, _ = t.gc.read()
	return t
}

// NewWallOnly starts timing up to n operations without locking the goroutine to its thread: the
// wall time and the GC flags only (CPU and run-queue wait read 0, Summary.Measured is false). A
// goroutine woken for each operation (TimeDelivered) then runs on whichever thread the scheduler
// has at hand, as a program's would; a locked one must wait for its own thread to be woken.
func NewWallOnly(n int) *Timer {
	t := &Timer{ops: make([]Op, 0, n)}
	t.gcBefore, _ = t.gc.read()
	return t
}

// Time runs op and records it. Each operation is a region named "op" in a runtime/trace of the
// run (go test -trace), so the slowest one can be found there and what held it read.
func (t *Timer) Time(op func()) {
	cycles0, pauses0 := t.gc.read()                                  // outside the wall clock's interval: it is not the operation's
	start := Stamp{At: time.Now(), cycles: cycles0, pauses: pauses0} // the thread's clocks are read inside the wall clock's interval
	cpu0, runq0, faults0 := t.clock.read()
	t.record(start, cpu0, runq0, faults0, op)
}

// Stamp is the moment an operation was asked for, taken by the goroutine that asks (the one that
// sends a key, as bubbletea's input reader does), with the garbage collector's state then.
type Stamp struct {
	At             time.Time
	cycles, pauses uint64
}

// InCycle tells that a GC cycle was running when the stamp was taken.
func (s Stamp) InCycle() bool { return s.pauses != 2*s.cycles }

// Cycles are the GC cycles completed when the stamp was taken.
func (s Stamp) Cycles() uint64 { return s.cycles }

// Stamper takes Stamps on the goroutine that asks for operations; one Stamper per goroutine.
type Stamper struct {
	gc gcState
}

// Stamp reads the garbage collector's state, then the clock.
func (s *Stamper) Stamp() Stamp {
	cycles, pauses := s.gc.read()
	return Stamp{At: time.Now(), cycles: cycles, pauses: pauses}
}

// TimeDelivered records one operation that another goroutine asks for, the way a program's event
// loop meets its input: receive blocks until the request arrives and returns its Stamp (false when
// there are no more: nothing is recorded), then op handles it. The wall time runs from the stamp
// to op's end, so the time the request waited for this goroutine to be woken and given a core
// counts. The thread's CPU and run-queue wait are read from before receive blocks (a parked
// thread runs nothing, and the wait for a core after it is woken is the run-queue wait) to op's
// end, and a GC cycle counts as the operation's when it was running at the stamp or ran after.
func (t *Timer) TimeDelivered(receive func() (Stamp, bool), op func()) bool {
	cpu0, runq0, faults0 := t.clock.read()
	stamp, ok := receive()
	if !ok {
		return false
	}
	t.record(stamp, cpu0, runq0, faults0, op)
	return true
}

// End records an operation that began at start, a Stamp another goroutine took, and ends now,
// where the program's own loop runs the operation and the caller only sees its end: a
// bubbletea program's key, stamped by the goroutine that writes its bytes to the program's
// input and ended in the model's View. The wall time and the GC flags only (the thread that ran
// it is not known to be this timer's): use a timer from NewWallOnly. It does not allocate.
func (t *Timer) End(start Stamp) { t.keep(start, t.ended(), 0, 0, 0) }

// record runs op as a trace region "op" and keeps its Op: the wall time from start.At, the
// thread's clocks from the readings given.
func (t *Timer) record(start Stamp, cpu0, runq0 time.Duration, faults0 int64, op func()) {
	r := trace.StartRegion(context.Background(), "op")
	op()
	r.End()
	cpu1, runq1, faults1 := t.clock.read()
	t.keep(start, t.ended(), cpu1-cpu0, runq1-runq0, faults1-faults0)
}

// ended is the moment an operation ended: the clock, then the garbage collector's state.
func (t *Timer) ended() Stamp {
	at := time.Now()
	cycles, pauses := t.gc.read()
	return Stamp{At: at, cycles: cycles, pauses: pauses}
}

// keep appends an operation begun at start and ended at end (tests script both): the wall time
// between them, and the GC cycles and pauses since start.
func (t *Timer) keep(start, end Stamp, cpu, runq time.Duration, faults int64) {
	pauses := int(end.pauses - start.pauses)
	t.ops = append(t.ops, Op{Wall: end.At.Sub(start.At), CPU: cpu, RunQ: runq, Faults: faults,
		GCPauses: pauses, InGC: pauses > 0 || end.cycles > start.cycles || start.InCycle()})
}

// gcState reads the garbage collector's completed cycles and its stop-the-world pauses. A cycle
// stops the world twice (at its start and at its end), so while the pauses are not twice the
// completed cycles one is running.
type gcState struct {
	samples [2]metrics.Sample
}

func (g *gcState) read() (cycles, pauses uint64) {
	if g.samples[0].Name == "" {
		g.samples[0].Name = "/gc/cycles/total:gc-cycles"
		g.samples[1].Name = "/sched/pauses/total/gc:seconds"
	}
	metrics.Read(g.samples[:]) // the histogram's buckets are reused: no allocation after the first
	cycles = g.samples[0].Value.Uint64()
	if g.samples[1].Value.Kind() == metrics.KindFloat64Histogram {
		for _, n := range g.samples[1].Value.Float64Histogram().Counts {
			pauses += n
		}
	}
	return cycles, pauses
}

// Stop ends the timing and unlocks the goroutine from its thread.
func (t *Timer) Stop() Summary {
	t.gcAfter, _ = t.gc.read()
	t.clock.close()
	runtime.UnlockOSThread() // a no-op after NewWallOnly
	s := Summarize(t.ops)
	s.GCCycles = t.gcAfter - t.gcBefore
	s.Measured = t.clock.ok()
	return s
}

// Summary is what a benchmark reports of its operations.
type Summary struct {
	Ops                int
	WorstWall, P99Wall time.Duration
	MeanWall           time.Duration
	WorstCPU, P99CPU   time.Duration
	MeanCPU            time.Duration
	WorstRunQ          time.Duration // the longest wait for a core during one operation
	Slowest            Op            // the operation with the worst wall time, split
	Costliest          Op            // the operation with the most CPU time, split
	MeanFaults         float64       // page faults per operation
	GCCycles           uint64        // garbage collections completed while the operations ran
	// OpsInGC are the operations during which a GC cycle ran (Op.InGC), and WorstInGC the worst
	// wall time among them: whether the worst case includes a collection is read here, and a
	// run without any (OpsInGC 0) has not shown it.
	OpsInGC   int
	WorstInGC time.Duration
	// OpsPaused are the operations a GC stop-the-world pause began inside (Op.GCPauses): the ones
	// that started or ended a cycle.
	OpsPaused int
	Measured  bool // CPU and run-queue times were read (Linux)
}

// Summarize orders ops by wall time and by CPU time, each on its own.
func Summarize(ops []Op) Summary {
	s := Summary{Ops: len(ops)}
	if len(ops) == 0 {
		return s
	}
	wall := make([]time.Duration, len(ops))
	cpu := make([]time.Duration, len(ops))
	for i, o := range ops {
		wall[i], cpu[i] = o.Wall, o.CPU
		s.MeanWall += o.Wall
		s.MeanCPU += o.CPU
		s.WorstRunQ = max(s.WorstRunQ, o.RunQ)
		if o.Wall > s.Slowest.Wall {
			s.Slowest = o
		}
		if o.CPU > s.Costliest.CPU {
			s.Costliest = o
		}
		s.MeanFaults += float64(o.Faults)
		if o.GCPauses > 0 {
			s.OpsPaused++
		}
		if o.InGC {
			s.OpsInGC++
			s.WorstInGC = max(s.WorstInGC, o.Wall)
		}
	}
	s.MeanWall /= time.Duration(len(ops))
	s.MeanCPU /= time.Duration(len(ops))
	s.MeanFaults /= float64(len(ops))
	slices.Sort(wall)
	slices.Sort(cpu)
	s.WorstWall, s.P99Wall = wall[len(wall)-1], wall[len(wall)*99/100]
	s.WorstCPU, s.P99CPU = cpu[len(cpu)-1], cpu[len(cpu)*99/100]
	return s
}

// Reporter is testing.B's ReportMetric.
type Reporter interface {
	ReportMetric(n float64, unit string)
}

// Report reports the summary as benchmark metrics, in milliseconds: worst-ms and p99-ms (wall,
// the names scripts/perf.sh reads), cpu-worst-ms, cpu-p99-ms and cpu-mean-ms (the operation's
// own CPU), slowest-cpu-ms and slowest-runq-ms (how the slowest operation's wall time splits),
// runq-worst-ms, cpu-worst-faults (the page faults of the operation with the most CPU) and
// faults/op, gc-cycles, gc-ops (operations a GC cycle ran during), gc-worst-ms (the worst of
// those), gc-pause-ops (operations a stop-the-world pause began inside) and slowest-gc-pauses (the GC's stop-the-world pauses inside the slowest operation). The mean wall time is the benchmark's ns/op.
func (s Summary) Report(r Reporter) {
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	r.ReportMetric(ms(s.WorstWall), "worst-ms")
	r.ReportMetric(ms(s.P99Wall), "p99-ms")
	if s.Measured {
		r.ReportMetric(ms(s.WorstCPU), "cpu-worst-ms")
		r.ReportMetric(ms(s.P99CPU), "cpu-p99-ms")
		r.ReportMetric(ms(s.MeanCPU), "cpu-mean-ms")
		r.ReportMetric(ms(s.Slowest.CPU), "slowest-cpu-ms")
		r.ReportMetric(ms(s.Slowest.RunQ), "slowest-runq-ms")
		r.ReportMetric(ms(s.WorstRunQ), "runq-worst-ms")
		r.ReportMetric(float64(s.Costliest.Faults), "cpu-worst-faults")
		r.ReportMetric(s.MeanFaults, "faults/op")
	}
	r.ReportMetric(float64(s.GCCycles), "gc-cycles")
	r.ReportMetric(float64(s.OpsInGC), "gc-ops")
	r.ReportMetric(ms(s.WorstInGC), "gc-worst-ms")
	r.ReportMetric(float64(s.OpsPaused), "gc-pause-ops")
	r.ReportMetric(float64(s.Slowest.GCPauses), "slowest-gc-pauses")
}
