package optime

import (
	"runtime"
	"testing"
	"time"
)

func TestSummarizeSplitsTheSlowestOperation(t *testing.T) {
	ops := make([]Op, 0, 200)
	for i := range 199 {
		ops = append(ops, Op{Wall: time.Duration(i+1) * time.Microsecond, CPU: time.Duration(i+1) * time.Microsecond})
	}
	// One operation preempted: 40 ms of wall, 0.3 ms of its own CPU, 35 ms waiting for a core.
	ops = append(ops, Op{Wall: 40 * time.Millisecond, CPU: 300 * time.Microsecond, RunQ: 35 * time.Millisecond})
	s := Summarize(ops)
	if s.Ops != 200 || s.WorstWall != 40*time.Millisecond || s.P99Wall != 199*time.Microsecond {
		t.Errorf("wall: %d ops, worst %v, p99 %v", s.Ops, s.WorstWall, s.P99Wall)
	}
	if s.WorstCPU != 300*time.Microsecond || s.P99CPU != 199*time.Microsecond {
		t.Errorf("cpu: worst %v, p99 %v", s.WorstCPU, s.P99CPU)
	}
	if s.Costliest.CPU != 300*time.Microsecond || s.Costliest.RunQ != 35*time.Millisecond {
		t.Errorf("costliest %+v", s.Costliest)
	}
	if s.Slowest.CPU != 300*time.Microsecond || s.Slowest.RunQ != 35*time.Millisecond || s.WorstRunQ != 35*time.Millisecond {
		t.Errorf("slowest %+v, worst run-queue wait %v", s.Slowest, s.WorstRunQ)
	}
	if want := (199*200/2*time.Microsecond + 40*time.Millisecond) / 200; s.MeanWall != want {
		t.Errorf("mean wall %v, want %v", s.MeanWall, want)
	}
}

func TestSummarizeNothing(t *testing.T) {
	if s := Summarize(nil); s != (Summary{}) {
		t.Errorf("%+v", s)
	}
}

type metricsSeen map[string]float64

func (m metricsSeen) ReportMetric(n float64, unit string) { m[unit] = n }

func TestReportNamesTheFiguresInMilliseconds(t *testing.T) {
	m := metricsSeen{}
	Summary{Ops: 1, WorstWall: 2500 * time.Microsecond, P99Wall: time.Millisecond, WorstCPU: 800 * time.Microsecond,
		Slowest:   Op{Wall: 2500 * time.Microsecond, CPU: 800 * time.Microsecond, RunQ: 1700 * time.Microsecond},
		Costliest: Op{CPU: 800 * time.Microsecond, Faults: 7}, MeanFaults: 2.5, GCCycles: 3, Measured: true,
		OpsInGC: 4, WorstInGC: 1500 * time.Microsecond, OpsPaused: 2}.Report(m)
	for unit, want := range map[string]float64{"worst-ms": 2.5, "p99-ms": 1, "cpu-worst-ms": 0.8, "slowest-cpu-ms": 0.8,
		"slowest-runq-ms": 1.7, "cpu-worst-faults": 7, "faults/op": 2.5, "gc-cycles": 3, "gc-ops": 4, "gc-worst-ms": 1.5, "gc-pause-ops": 2} {
		if m[unit] != want {
			t.Errorf("%s = %v, want %v (%v)", unit, m[unit], want, m)
		}
	}
	m = metricsSeen{}
	Summary{Ops: 1}.Report(m)
	if _, ok := m["cpu-worst-ms"]; ok {
		t.Errorf("CPU figures reported where they were not measured: %v", m)
	}
}

// The timer counts inside the operations' allocations, so it must not allocate itself.
func TestTimeDoesNotAllocate(t *testing.T) {
	tm := New(1000)
	defer tm.Stop()
	if n := testing.AllocsPerRun(100, func() { tm.Time(func() {}) }); n != 0 {
		t.Errorf("%v allocations per timed operation", n)
	}
}

var spinSink int

// On Linux a busy operation has CPU time of its own, and the garbage collections in between are
// counted.
func TestTimeReadsTheThreadsCPU(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("CPU time is read on Linux only")
	}
	tm := New(1)
	tm.Time(func() {
		for start := time.Now(); time.Since(start) < 5*time.Millisecond; {
			spinSink++
		}
		runtime.GC()
	})
	s := tm.Stop()
	if !s.Measured || s.WorstCPU <= 0 || s.WorstCPU > s.WorstWall || s.GCCycles < 1 {
		t.Errorf("measured %v, cpu %v, wall %v, gc cycles %d", s.Measured, s.WorstCPU, s.WorstWall, s.GCCycles)
	}
}

// A collection inside an operation is marked on it (its two stop-the-world pauses), and the
// operations before and after it, with no collection running, are not.
func TestTimeMarksTheOperationsAGCRanDuring(t *testing.T) {
	runtime.GC() // no cycle left running from before
	tm := New(3)
	tm.Time(func() {})
	tm.Time(func() { runtime.GC() })
	tm.Time(func() {})
	ops := tm.ops
	s := tm.Stop()
	if ops[0].InGC || ops[2].InGC || !ops[1].InGC || ops[1].GCPauses != 2 {
		t.Errorf("ops %+v", ops)
	}
	if s.OpsInGC != 1 || s.WorstInGC != ops[1].Wall || s.OpsPaused != 1 {
		t.Errorf("%d ops in a GC, worst %v (ops %+v)", s.OpsInGC, s.WorstInGC, ops)
	}
}

// An operation delivered by another goroutine is timed from the sender's stamp: the time the
// request waited to be picked up counts in its wall time, not in its CPU, and a collection
// running when the request was sent marks it.
func TestTimeDeliveredCountsTheWaitFromTheStamp(t *testing.T) {
	runtime.GC()
	requests := make(chan Stamp)
	go func() {
		var s Stamper
		requests <- s.Stamp()
		inGC := s.Stamp()
		inGC.pauses = 2*inGC.cycles + 1 // as if sent while a cycle ran
		requests <- inGC
		close(requests)
	}()
	receive := func() (Stamp, bool) {
		s, ok := <-requests
		if ok {
			time.Sleep(3 * time.Millisecond) // picked up late: the wait is the operation's
		}
		return s, ok
	}
	tm := New(2)
	n := 0
	for tm.TimeDelivered(receive, func() {}) {
		n++
	}
	ops := tm.ops
	s := tm.Stop()
	if n != 2 || s.Ops != 2 {
		t.Fatalf("%d operations delivered, %d timed", n, s.Ops)
	}
	if ops[0].Wall < 3*time.Millisecond || (s.Measured && ops[0].CPU >= 3*time.Millisecond) {
		t.Errorf("first: wall %v (want ≥ 3 ms from the stamp), CPU %v (want the sleep left out)", ops[0].Wall, ops[0].CPU)
	}
	if ops[0].InGC || !ops[1].InGC {
		t.Errorf("in GC: %v, %v; want false, true", ops[0].InGC, ops[1].InGC)
	}
}

// Without its thread locked the timer reads wall times and GC flags only: another thread's
// clocks would not be the operation's.
func TestWallOnlyReadsNoThreadClock(t *testing.T) {
	requests := make(chan Stamp, 1)
	var st Stamper
	requests <- st.Stamp()
	close(requests)
	tm := NewWallOnly(1)
	tm.TimeDelivered(func() (Stamp, bool) { s, ok := <-requests; return s, ok }, func() {
		for start := time.Now(); time.Since(start) < 2*time.Millisecond; {
			spinSink++
		}
	})
	ops := tm.ops
	s := tm.Stop()
	if s.Measured || ops[0].CPU != 0 || ops[0].RunQ != 0 || ops[0].Faults != 0 || ops[0].Wall < 2*time.Millisecond {
		t.Errorf("measured %v, op %+v", s.Measured, ops[0])
	}
}

// An operation ended by End is timed from its stamp to the end, with the GC flags of the stamp
// and of the collections since; the thread's clocks are not read. The stamps and the ends are
// scripted (the GC state with them): a collection another goroutine starts, or one -race
// provokes, cannot change the figures.
func TestEndTimesFromTheStampToTheEnd(t *testing.T) {
	at := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	quiet := Stamp{At: at, cycles: 7, pauses: 14} // no cycle running
	// As if stamped inside the last cycle, after its first pause: its end came since.
	inGC := Stamp{At: at, cycles: 6, pauses: 13}
	tm := NewWallOnly(3)
	tm.keep(quiet, Stamp{At: at.Add(1500 * time.Microsecond), cycles: 7, pauses: 14}, 0, 0, 0)
	tm.keep(inGC, Stamp{At: at.Add(4 * time.Millisecond), cycles: 7, pauses: 14}, 0, 0, 0)
	// A whole collection between the stamp and the end.
	tm.keep(quiet, Stamp{At: at.Add(700 * time.Microsecond), cycles: 8, pauses: 16}, 0, 0, 0)
	ops := tm.ops
	s := tm.Stop()
	want := []Op{{Wall: 1500 * time.Microsecond}, {Wall: 4 * time.Millisecond, GCPauses: 1, InGC: true}, {Wall: 700 * time.Microsecond, GCPauses: 2, InGC: true}}
	if len(ops) != len(want) {
		t.Fatalf("%d ops, want %d", len(ops), len(want))
	}
	for i := range want {
		if ops[i] != want[i] {
			t.Errorf("op %d: %+v, want %+v", i, ops[i], want[i])
		}
	}
	if s.Measured || s.WorstWall != 4*time.Millisecond || s.OpsInGC != 2 || s.WorstInGC != 4*time.Millisecond || s.OpsPaused != 2 {
		t.Errorf("summary %+v", s)
	}
}

// End reads the end itself: the time since the stamp and the collections since it, which only
// add up (a collection may start at any moment, so no exact count is asserted).
func TestEndReadsTheClockAndTheCollections(t *testing.T) {
	var st Stamper
	start := st.Stamp()
	runtime.GC() // a whole collection after the stamp
	tm := NewWallOnly(1)
	tm.End(start)
	op := tm.ops[0]
	tm.Stop()
	if op.Wall <= 0 || op.GCPauses < 2 || !op.InGC || op.CPU != 0 || op.RunQ != 0 || op.Faults != 0 {
		t.Errorf("op %+v: want a wall time, at least the two pauses of the collection, in a GC, and no thread clock", op)
	}
}

// End runs in the measured program's View, on its event loop: it must not allocate.
func TestEndDoesNotAllocate(t *testing.T) {
	tm := NewWallOnly(1000)
	defer tm.Stop()
	var st Stamper
	s := st.Stamp()
	if n := testing.AllocsPerRun(100, func() { tm.End(s) }); n != 0 {
		t.Errorf("%v allocations per operation ended", n)
	}
}
