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

// MeasureStalls spins at least as long as asked, and reads the thread's clocks where it can; how
// many stalls it sees is the machine's, so no test asks for a number.
func TestMeasureStallsSpinsAsLongAsAsked(t *testing.T) {
	s := MeasureStalls(20 * time.Millisecond)
	if s.Spun < 20*time.Millisecond {
		t.Errorf("spun %v, asked for 20ms", s.Spun)
	}
	if runtime.GOOS == "linux" && !s.Measured {
		t.Error("the thread's clocks were not read on Linux")
	}
	if s.Over1ms > s.Over500us || s.Over500us > s.Stalls || (s.Stalls > 0) != (s.Worst.Wall > StallThreshold) {
		t.Errorf("inconsistent summary %+v", s)
	}
}
