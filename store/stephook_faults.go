//go:build jcconnect_faults

package store

import (
	"fmt"
	"os"
	"time"
)

// Built only with -tags jcconnect_faults, for the fault matrix (e2e/): the binary pauses at a
// named step of a key write, as the killed-process tests in this package do in-process, so the
// matrix can kill -9 the real program there or stop the Secret Service under it. A release build
// has no such hook: defaultStep stays nil.
//
//	JCCONNECT_FAULT_STOP_AT=keyring-written   the step to stop at (see writeKey's steps)
//	JCCONNECT_FAULT_RESUME_FILE=/path         go on once this file exists (else wait to be killed)
func init() { defaultStep = faultStep }

func faultStep(name string) {
	if os.Getenv("JCCONNECT_FAULT_STOP_AT") != name {
		return
	}
	fmt.Fprintf(os.Stderr, "jcconnect-fault: reached %s\n", name)
	resume := os.Getenv("JCCONNECT_FAULT_RESUME_FILE")
	for {
		if resume != "" {
			if _, err := os.Stat(resume); err == nil {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
}
