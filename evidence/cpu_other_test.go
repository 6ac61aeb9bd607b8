//go:build !unix

package evidence

import "time"

// cpuTime is not measured off Unix: the benchmarks report cpu-ms 0 there.
func cpuTime() time.Duration { return 0 }
