//go:build unix

package common

import (
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/term"
	"golang.org/x/sys/unix"
)

// queryTimeout bounds the one colour query the TUI makes: long enough for a terminal that
// answers (they do within milliseconds), short enough that one that never does goes unnoticed.
// termenv's own query waits a fixed 5 s, which is why it is not used.
const queryTimeout = 250 * time.Millisecond

// askDarkBackground asks the terminal on in/out for its background colour (OSC 11), followed
// by a cursor position request every terminal answers, so a terminal that ignores OSC 11 ends
// the wait at once. ok is false when there is no answer; the caller then assumes dark.
func askDarkBackground(in, out *os.File) (dark, ok bool) {
	fd := in.Fd()
	state, err := term.MakeRaw(fd)
	if err != nil {
		return true, false
	}
	defer term.Restore(fd, state) //nolint:errcheck
	if _, err := out.WriteString("\x1b]11;?\x1b\\\x1b[6n"); err != nil {
		return true, false
	}
	var got []byte
	buf := make([]byte, 64)
	deadline := time.Now().Add(queryTimeout)
	for len(got) < 256 && !strings.Contains(string(got), "R") {
		left := time.Until(deadline)
		if left <= 0 || !readable(int(fd), left) {
			break
		}
		n, err := unix.Read(int(fd), buf)
		if n <= 0 || err != nil {
			break
		}
		got = append(got, buf[:n]...)
	}
	return parseBackground(string(got))
}

func readable(fd int, wait time.Duration) bool {
	var set unix.FdSet
	set.Set(fd)
	tv := unix.NsecToTimeval(wait.Nanoseconds())
	n, err := unix.Select(fd+1, &set, nil, nil, &tv)
	return err == nil && n > 0
}

// parseBackground reads "ESC]11;rgb:RRRR/GGGG/BBBB" out of the terminal's answer.
func parseBackground(answer string) (dark, ok bool) {
	_, rest, found := strings.Cut(answer, "]11;rgb:")
	if !found {
		return true, false
	}
	parts := strings.SplitN(rest, "/", 3)
	if len(parts) < 3 {
		return true, false
	}
	var rgb [3]float64
	for i, p := range parts {
		// Each part is 1–4 hex digits; the last is followed by the terminator (BEL or ESC \).
		if end := strings.IndexFunc(p, notHex); end >= 0 {
			p = p[:end]
		}
		v, err := strconv.ParseUint(p, 16, 64)
		if err != nil || len(p) > 4 {
			return true, false
		}
		rgb[i] = float64(v) / float64(uint64(1)<<(4*len(p))-1)
	}
	lum := 0.2126*rgb[0] + 0.7152*rgb[1] + 0.0722*rgb[2]
	return lum < 0.5, true
}

func notHex(r rune) bool { return !strings.ContainsRune("0123456789abcdefABCDEF", r) }
