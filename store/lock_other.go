//go:build !(linux || darwin || freebsd || openbsd || netbsd || dragonfly)

package store

import (
	"sync"
	"time"
)

// Without flock (Windows, Solaris, plan9, wasm) the lock only serialises the goroutines of this process:
// every Store shares this mutex. Two processes could still race there; the atomic rename keeps
// the file whole, so the worst case is a lost update, never a torn file.
var processLock sync.Mutex

func lockFile(path string, wait time.Duration) (unlock func(), err error) {
	processLock.Lock()
	return processLock.Unlock, nil
}
