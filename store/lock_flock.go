//go:build linux || darwin || freebsd || openbsd || netbsd || dragonfly

package store

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// lockFile takes an exclusive flock(2) on path, creating it, so two running copies of jcconnect
// cannot interleave their read-modify-write of the metadata (nor their keyring writes for the
// same profile). flock is released by the kernel when the process dies, so a killed jcconnect
// never leaves a stale lock behind. It polls with LOCK_NB so a wedged holder (a stopped process)
// gives a clear ErrMetadataBusy instead of hanging this one too.
func lockFile(path string, wait time.Duration) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, &StoreError{Kind: kindMetadataIO, Path: path, Err: err}
	}
	deadline := time.Now().Add(wait)
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			return nil, &StoreError{Kind: kindMetadataIO, Path: path, Err: errors.Join(err, f.Close())}
		}
		if time.Now().After(deadline) {
			holder := readHolder(f)
			// Only read: a failed close of the lock file changes nothing for the caller, who is
			// told the lock is busy.
			_ = f.Close()
			detail := "another jcconnect is saving profiles and held the lock for more than " + wait.String()
			if holder != "" {
				detail += " (process " + holder + ")"
			}
			return nil, &StoreError{Kind: kindBusy, Path: path, Detail: detail}
		}
		time.Sleep(15 * time.Millisecond)
	}
	// Record who holds the lock, only to name it in another process's ErrMetadataBusy.
	// Best effort: without it the busy message just does not name the holder.
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return func() {
		// Closing the file releases the flock even when LOCK_UN failed, and nothing was written
		// through f that a failed close could lose (the pid above is a hint): unlock cannot fail
		// in a way the caller could act on.
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		_ = f.Close()
	}, nil
}

func readHolder(f *os.File) string {
	buf := make([]byte, 16)
	n, _ := f.ReadAt(buf, 0)
	pid := strings.TrimSpace(string(buf[:n]))
	if _, err := strconv.Atoi(pid); err != nil {
		return ""
	}
	return pid
}
