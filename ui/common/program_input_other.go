//go:build !linux

package common

import (
	"io"
	"os"
)

// openPollableTerminal returns nil outside Linux: bubbletea reads the input itself, as before.
// A new description of the terminal needs /proc/self/fd (on the BSDs and macOS /dev/fd/N is a
// dup of the same description, whose O_NONBLOCK the shell shares), and macOS's kqueue cannot
// poll a terminal at all (which is why cancelreader uses select there).
func openPollableTerminal(in io.Reader) *os.File { return nil }
