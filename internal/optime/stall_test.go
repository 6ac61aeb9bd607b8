package optime

import (
	"runtime"
	"testing"
	"time"
)

func TestSummarizeStallsCountsAndFindsTheWorst(t *testing.T) {
	us := time.Microsecond
	s := SummarizeStalls([]Stall{
		{Wall: 50 * us},                               // below the threshold: not a stall
		{Wall: 150 * us, CPU: 140 * us},               // a stall
		{Wall: 700 * us, RunQ: 690 * us},              // over 0.5 ms
		{Wall: 1700 * us, CPU: 80 * us, RunQ: 5 * us}, // over 1 ms, the worst
		{Wall: 1200 * us, CPU: 1190 * us},             // over 1 ms
	})
	if s.Stalls != 4 || s.Over500us != 3 || s.Over1ms != 2 {
		t.Errorf("stalls %d, over 0.5 ms %d, over 1 ms %d; want 4, 3, 2", s.Stalls, s.Over500us, s.Over1ms)
	}
	if want := (Stall{Wall: 1700 * us, CPU: 80 * us, RunQ: 5 * us}); s.Worst != want {
		t.Errorf("worst %+v, want %+v", s.Worst, want)
	}
	if none := SummarizeStalls(nil); none != (StallSummary{}) {
		t.Errorf("no stalls summarized as %+v", none)
	}
}

func TestStallReportNamesTheFiguresInMilliseconds(t *testing.T) {
	s := StallSummary{Spun: 2 * time.Second, Stalls: 10, Over500us: 3, Over1ms: 1, Measured: true,
		Worst: Stall{Wall: 1500 * time.Microsecond, CPU: 1400 * time.Microsecond, RunQ: 20 * time.Microsecond}}
	got := metricsSeen{}
	s.Report(got)
	want := map[string]float64{"stall-worst-ms": 1.5, "stall-worst-cpu-ms": 1.4, "stall-worst-runq-ms": 0.02,
		"stalls-over-0.5ms": 3, "stalls-over-1ms": 1, "stalls/s": 5}
	for unit, v := range want {
		if got[unit] != v {
			t.Errorf("%s = %v, want %v (all: %v)", unit, got[unit], v, got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("reported %v, want exactly %v", got, want)
	}
}

// The loop itself, on a scripted clock: one reading comes 1.5 ms after the one before (the
// thread charged 1.4 ms of CPU across it, no run-queue wait); every other comes 1 µs after.
func TestMeasureStallsFindsAGapAndHowItSplits(t *testing.T) {
	base := time.Unix(1_000_000, 0)
	calls, stallAt := 0, 5000
	now := func() time.Time {
		calls++
		at := base.Add(time.Duration(calls) * time.Microsecond)
		if calls >= stallAt {
			at = at.Add(1500 * time.Microsecond)
		}
		return at
	}
	thread := func() (cpu, runq time.Duration) {
		if calls >= stallAt {
			return 1400 * time.Microsecond, 0
		}
		return 0, 0
	}
	s := measureStalls(20*time.Millisecond, now, thread)
	if s.Stalls != 1 || s.Over500us != 1 || s.Over1ms != 1 {
		t.Fatalf("stalls %+v: want exactly the one 1.5 ms gap", s)
	}
	if s.Worst.Wall != 1501*time.Microsecond || s.Worst.CPU != 1400*time.Microsecond || s.Worst.RunQ != 0 {
		t.Errorf("worst %+v, want 1.501ms of wall, 1.4ms of CPU, no run-queue wait", s.Worst)
	}
	if s.Spun < 20*time.Millisecond || s.Spun > 21*time.Millisecond {
		t.Errorf("spun %v of the scripted clock, asked for 20ms", s.Spun)
	}
}

// On the machine: MeasureStalls reads the thread's clocks where it can; how many stalls it sees
// is the machine's, so no test asks for a number.
func TestMeasureStallsReadsTheThreadsClocks(t *testing.T) {
	s := MeasureStalls(5 * time.Millisecond)
	if runtime.GOOS == "linux" && !s.Measured {
		t.Error("the thread's clocks were not read on Linux")
	}
}
