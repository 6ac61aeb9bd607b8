package optime

import (
	"bytes"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// threadClock reads the calling thread's CPU time and its run-queue wait. The schedstat file
// is opened once, on the locked thread, so it stays that thread's.
type threadClock struct {
	schedstat *os.File
	buf       [128]byte
	cpuOK     bool
}

func openThreadClock() threadClock {
	var c threadClock
	var ts unix.Timespec
	c.cpuOK = unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts) == nil
	if f, err := os.Open("/proc/thread-self/schedstat"); err == nil {
		c.schedstat = f
	}
	return c
}

func (c *threadClock) ok() bool { return c.cpuOK }

// read returns the thread's page faults so far (getrusage), its CPU time (CLOCK_THREAD_CPUTIME_ID, current to the nanosecond; the
// schedstat's own CPU field lags by up to a scheduler tick) and its time spent runnable but
// waiting for a core (schedstat's second field).
func (c *threadClock) read() (cpu, runq time.Duration, faults int64) {
	var ru unix.Rusage
	if c.cpuOK && unix.Getrusage(unix.RUSAGE_THREAD, &ru) == nil { // not opened (NewWallOnly): no thread of its own
		faults = ru.Minflt + ru.Majflt
	}
	var ts unix.Timespec
	if c.cpuOK && unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts) == nil {
		cpu = time.Duration(ts.Nano())
	}
	if c.schedstat != nil {
		if n, _ := c.schedstat.ReadAt(c.buf[:], 0); n > 0 {
			runq = time.Duration(secondField(c.buf[:n]))
		}
	}
	return cpu, runq, faults
}

// secondField parses the second space-separated number of a schedstat line ("cpu runq slices"),
// without allocating: the timer runs inside the operations' allocation count.
func secondField(b []byte) int64 {
	i := bytes.IndexByte(b, ' ')
	if i < 0 {
		return 0
	}
	var v int64
	for _, c := range b[i+1:] {
		if c < '0' || c > '9' {
			break
		}
		v = v*10 + int64(c-'0')
	}
	return v
}

func (c *threadClock) close() {
	if c.schedstat != nil {
		c.schedstat.Close()
	}
}
