package browser

import (
	"fmt"
	"sync"
	"time"

	"jcconnect/connect"
	"jcconnect/jumpcloud"
)

// waitNotice tells the user about a long wait before a retry (a 429's Retry-After), so a command
// never goes silent for a minute: one line on stderr, or on a terminal a countdown on one line
// of stderr that clears itself when the wait ends. For the plain commands only: the browser draws
// its own screen.
func waitNotice(env *connect.Env) func(jumpcloud.Wait) {
	var mu sync.Mutex
	var until time.Time // the end of the wait being shown
	return func(w jumpcloud.Wait) {
		mu.Lock()
		defer mu.Unlock()
		if !w.Until.After(until) {
			return // already told, or a shorter wait inside it
		}
		counting := until.After(time.Now())
		until = w.Until
		left := time.Until(w.Until).Round(time.Second)
		if !env.IsTTY {
			fmt.Fprintf(env.Err, "%s: waiting %s before going on (until %s)…\n", w.Reason, left, w.Until.Format("15:04:05"))
			return
		}
		if counting {
			return // the running countdown reads the new end
		}
		go func() {
			for {
				mu.Lock()
				left := time.Until(until)
				if left <= 0 {
					fmt.Fprint(env.Err, "\r\x1b[K")
					mu.Unlock()
					return
				}
				fmt.Fprintf(env.Err, "\r\x1b[K%s: resuming in %ds…", w.Reason, int((left+time.Second-1)/time.Second))
				mu.Unlock()
				time.Sleep(min(left, time.Second))
			}
		}()
	}
}
