//go:build linux

// Package ptytest opens a pseudo-terminal for tests and benchmarks: a real terminal device
// (line discipline, termios, the kernel's hand-over from master to slave) without a terminal
// emulator. The slave is what a program reads as its stdin; the test types on the master.
package ptytest

import (
	"fmt"
	"os"
	"testing"

	"golang.org/x/sys/unix"
)

// Open returns a new pseudo-terminal's master and slave, both blocking descriptors outside Go's
// poller (as a shell hands its terminal to a program), closed when tb ends.
func Open(tb testing.TB) (master, slave *os.File) {
	tb.Helper()
	m, err := unix.Open("/dev/ptmx", unix.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		tb.Fatalf("opening a pseudo-terminal: %v", err)
	}
	master = os.NewFile(uintptr(m), "/dev/ptmx")
	tb.Cleanup(func() { master.Close() })
	if err := unix.IoctlSetPointerInt(m, unix.TIOCSPTLCK, 0); err != nil {
		tb.Fatalf("unlocking the pseudo-terminal: %v", err)
	}
	n, err := unix.IoctlGetUint32(m, unix.TIOCGPTN)
	if err != nil {
		tb.Fatalf("the pseudo-terminal's number: %v", err)
	}
	name := fmt.Sprintf("/dev/pts/%d", n)
	s, err := unix.Open(name, unix.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		tb.Fatalf("opening %s: %v", name, err)
	}
	slave = os.NewFile(uintptr(s), name)
	tb.Cleanup(func() { slave.Close() })
	return master, slave
}

// Termios is the terminal's mode on f, read without os.File.Fd (which would make a pollable
// file blocking).
func Termios(tb testing.TB, f *os.File) unix.Termios {
	tb.Helper()
	var t *unix.Termios
	var err error
	rc, cerr := f.SyscallConn()
	if cerr != nil {
		tb.Fatal(cerr)
	}
	if cerr := rc.Control(func(fd uintptr) { t, err = unix.IoctlGetTermios(int(fd), unix.TCGETS) }); cerr != nil {
		tb.Fatal(cerr)
	}
	if err != nil {
		tb.Fatalf("reading the terminal's mode: %v", err)
	}
	return *t
}

// NonBlocking tells whether f's open file description has O_NONBLOCK.
func NonBlocking(tb testing.TB, f *os.File) bool {
	tb.Helper()
	var fl int
	var err error
	rc, cerr := f.SyscallConn()
	if cerr != nil {
		tb.Fatal(cerr)
	}
	if cerr := rc.Control(func(fd uintptr) { fl, err = unix.FcntlInt(fd, unix.F_GETFL, 0) }); cerr != nil {
		tb.Fatal(cerr)
	}
	if err != nil {
		tb.Fatal(err)
	}
	return fl&unix.O_NONBLOCK != 0
}
