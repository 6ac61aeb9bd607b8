package common

import (
	"io"
	"os"
	"strconv"
	"time"

	"github.com/charmbracelet/x/term"
	"golang.org/x/sys/unix"
)

// openPollableTerminal opens a new, non-blocking description of the terminal in is and returns
// it in Go's poller, or nil when in is not a terminal *os.File or any step fails (the caller
// then falls back to bubbletea's own reading). /proc/self/fd/N opens the file N names anew (a
// new open file description, unlike dup), so O_NONBLOCK stays off the shell's description;
// both are checked: the same device, and stdin's flags unchanged.
func openPollableTerminal(in io.Reader) *os.File {
	f, ok := in.(*os.File)
	if !ok {
		return nil
	}
	own := -1
	err := controlFd(f, func(fd uintptr) {
		if !term.IsTerminal(fd) {
			return
		}
		before, err := unix.FcntlInt(fd, unix.F_GETFL, 0)
		if err != nil {
			return
		}
		n, err := unix.Open("/proc/self/fd/"+strconv.Itoa(int(fd)), unix.O_RDONLY|unix.O_NOCTTY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
		if err != nil {
			return
		}
		after, err := unix.FcntlInt(fd, unix.F_GETFL, 0)
		if err != nil || after != before || !sameDevice(int(fd), n) {
			_ = unix.Close(n)
			return
		}
		own = n
	})
	if err != nil || own < 0 {
		return nil
	}
	// os.NewFile puts a descriptor that is already non-blocking in the poller when it can;
	// SetReadDeadline fails when it could not (reads would then fail with EAGAIN).
	pf := os.NewFile(uintptr(own), f.Name())
	if pf == nil {
		_ = unix.Close(own)
		return nil
	}
	if err := pf.SetReadDeadline(time.Time{}); err != nil {
		_ = pf.Close()
		return nil
	}
	return pf
}

// sameDevice tells whether descriptors a and b are the same character device.
func sameDevice(a, b int) bool {
	var sa, sb unix.Stat_t
	if unix.Fstat(a, &sa) != nil || unix.Fstat(b, &sb) != nil {
		return false
	}
	return sa.Mode&unix.S_IFMT == unix.S_IFCHR && sb.Mode&unix.S_IFMT == unix.S_IFCHR && sa.Rdev == sb.Rdev
}
