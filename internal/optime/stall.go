package optime

import (
	"runtime"
	"time"
)

// The machine's own stalls: how long a thread that does nothing but read the clock goes without
// running, on this machine, now. A key press cannot be timed below what the machine itself
// takes from any running thread, so the key benchmarks' worst case is read beside this figure
// (BenchmarkMachineStalls): on the 2-vCPU VM the figures come from, an idle machine
// stalled such a thread for 1.4–1.7 ms about once every 10 s.

// Stall is one gap in a spinning thread's readings of the clock.
type Stall struct {
	Wall time.Duration // from the reading before to the reading after
	// CPU is the thread's CPU time charged across the gap (from the last sample before it, at
	// most stallSample earlier): near Wall, the thread was charged for time it did not run its
	// own code (the kernel's work on its behalf, or a hypervisor that took the core); near 0, it
	// was off its core.
	CPU time.Duration
	// RunQ is the thread's wait in the kernel's run queue across the gap: another task had the
	// core.
	RunQ time.Duration
}

// StallSummary is what MeasureStalls saw.
type StallSummary struct {
	Spun               time.Duration // how long the thread spun
	Stalls             int           // gaps over StallThreshold
	Over500us, Over1ms int           // gaps over 0.5 ms and over 1 ms
	Worst              Stall         // the longest gap
	Measured           bool          // CPU and run-queue times were read (Linux)
}

// StallThreshold is the shortest gap that counts as a stall: far above a clock reading's cost
// (tens of nanoseconds), below anything a key press would notice.
const StallThreshold = 100 * time.Microsecond

// stallSample: the thread's clocks are read this often while spinning (a reading costs a few
// microseconds, too much for every turn), and at every stall.
const stallSample = 200 * time.Microsecond

// MeasureStalls spins for d on the calling goroutine, locked to its thread, reading the clock,
// and returns the gaps over StallThreshold between readings.
func MeasureStalls(d time.Duration) StallSummary {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	clock := openThreadClock()
	defer clock.close()
	s := measureStalls(d, time.Now, func() (cpu, runq time.Duration) {
		cpu, runq, _ = clock.read()
		return cpu, runq
	})
	s.Measured = clock.ok()
	return s
}

// measureStalls is MeasureStalls' loop over a clock (now) and the thread's clocks (thread), which
// tests script.
func measureStalls(d time.Duration, now func() time.Time, thread func() (cpu, runq time.Duration)) StallSummary {
	var stalls []Stall
	start := now()
	last, sampled := start, start
	cpu0, runq0 := thread()
	for {
		t := now()
		switch gap := t.Sub(last); {
		case gap > StallThreshold:
			cpu1, runq1 := thread()
			stalls = append(stalls, Stall{Wall: gap, CPU: cpu1 - cpu0, RunQ: runq1 - runq0})
			cpu0, runq0, sampled = cpu1, runq1, now()
			t = sampled // the reading itself is not the next gap's
		case t.Sub(sampled) > stallSample:
			cpu0, runq0 = thread()
			sampled = now()
			t = sampled
		}
		last = t
		if t.Sub(start) >= d {
			break
		}
	}
	s := SummarizeStalls(stalls)
	s.Spun = last.Sub(start)
	return s
}

// SummarizeStalls counts the stalls over StallThreshold, 0.5 ms and 1 ms, and finds the worst.
func SummarizeStalls(stalls []Stall) StallSummary {
	var s StallSummary
	for _, st := range stalls {
		if st.Wall <= StallThreshold {
			continue
		}
		s.Stalls++
		if st.Wall > 500*time.Microsecond {
			s.Over500us++
		}
		if st.Wall > time.Millisecond {
			s.Over1ms++
		}
		if st.Wall > s.Worst.Wall {
			s.Worst = st
		}
	}
	return s
}

// Report reports the stalls as benchmark metrics: stall-worst-ms (and, where the thread's clocks
// are read, how it splits: stall-worst-cpu-ms charged to the thread, stall-worst-runq-ms waiting
// for a core), stalls-over-0.5ms and stalls-over-1ms, and stalls/s over StallThreshold.
func (s StallSummary) Report(r Reporter) {
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	r.ReportMetric(ms(s.Worst.Wall), "stall-worst-ms")
	if s.Measured {
		r.ReportMetric(ms(s.Worst.CPU), "stall-worst-cpu-ms")
		r.ReportMetric(ms(s.Worst.RunQ), "stall-worst-runq-ms")
	}
	r.ReportMetric(float64(s.Over500us), "stalls-over-0.5ms")
	r.ReportMetric(float64(s.Over1ms), "stalls-over-1ms")
	if s.Spun > 0 {
		r.ReportMetric(float64(s.Stalls)/s.Spun.Seconds(), "stalls/s")
	}
}
