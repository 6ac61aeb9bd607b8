package common

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/charmbracelet/x/term"

	"jcconnect/connect"
)

// The one way a key is read outside the TUI. Every plain path (the --accessible setup and
// rotation, setup and rotate --with-key) goes through readKey, so they share three properties:
//   - hidden: on a terminal the key is read with echo off, never drawn;
//   - bounded: a key is tens of bytes, so more than maxKeyInput is refused as "not a key";
//   - cancellable: ctrl+c (the context) ends the wait, and the terminal's echo is restored.

// maxKeyInput bounds what is read for a key (and for any answer): a key is about 40 bytes; more
// than this means the wrong file was piped in.
const maxKeyInput = connect.MaxKeyInput

var (
	ErrInputClosed  = connect.ErrInputEnded
	ErrCanceled     = connect.ErrCanceled
	ErrInputTooLong = connect.ErrInputTooLong
)

// readCtx runs a blocking read and returns early with ErrCanceled when ctx ends. The abandoned
// read finishes (or not) on its own; nothing reads the input after a cancel.
func readCtx[T any](ctx context.Context, read func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := read()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, ErrCanceled
	}
}

// terminalOf returns in as a terminal file, or nil when it is a pipe, a file or a buffer.
func terminalOf(in io.Reader) *os.File {
	if f, ok := in.(*os.File); ok && term.IsTerminal(f.Fd()) {
		return f
	}
	return nil
}

// readHidden reads one line from the terminal f with echo off. When ctx ends first, the
// terminal's state is put back, so a canceled prompt does not leave the shell without echo.
func readHidden(ctx context.Context, f *os.File) (string, error) {
	fd := f.Fd()
	saved, _ := term.GetState(fd)
	b, err := readCtx(ctx, func() ([]byte, error) { return term.ReadPassword(fd) })
	switch {
	case errors.Is(err, ErrCanceled):
		if saved != nil {
			_ = term.Restore(fd, saved)
		}
		return "", err
	case err != nil:
		return "", ErrInputClosed
	case len(b) > maxKeyInput:
		return "", ErrInputTooLong
	}
	return string(b), nil
}

// readLine reads one line of at most maxKeyInput bytes (without its newline) from r. A line cut
// by the end of the input is returned with io.EOF. A longer line is skipped to its end, so the
// next question reads the next line, and refused with ErrInputTooLong.
func readLine(r *bufio.Reader) (string, error) {
	var line []byte
	long := false
	for {
		c, err := r.ReadByte()
		switch {
		case err != nil && long:
			return "", ErrInputTooLong
		case err != nil:
			return string(line), err
		case c == '\n' && long:
			return "", ErrInputTooLong
		case c == '\n':
			return string(line), nil
		case len(line) >= maxKeyInput:
			long = true
		default:
			line = append(line, c)
		}
	}
}

// readAllBounded reads the whole input, refusing more than maxKeyInput bytes.
func readAllBounded(in io.Reader) (string, error) {
	b, err := io.ReadAll(io.LimitReader(in, maxKeyInput+1))
	if err != nil {
		return "", err
	}
	if len(b) > maxKeyInput {
		return "", ErrInputTooLong
	}
	return string(b), nil
}

// ReadKeyWhole is how --with-key reads: the whole of a pipe or file, or, when stdin is a
// terminal (nothing was piped), one hidden line after prompt.
func ReadKeyWhole(ctx context.Context, in io.Reader, prompt io.Writer, question string) (string, error) {
	if f := terminalOf(in); f != nil {
		fmt.Fprint(prompt, question+" ")
		k, err := readHidden(ctx, f)
		fmt.Fprintln(prompt)
		return k, err
	}
	return readCtx(ctx, func() (string, error) { return readAllBounded(in) })
}
