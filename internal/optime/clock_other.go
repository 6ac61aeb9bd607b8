//go:build !linux

package optime

import "time"

// threadClock reads nothing outside Linux: only wall times are reported there.
type threadClock struct{}

func openThreadClock() threadClock                                   { return threadClock{} }
func (c *threadClock) ok() bool                                      { return false }
func (c *threadClock) read() (cpu, runq time.Duration, faults int64) { return 0, 0, 0 }
func (c *threadClock) close()                                        {}
