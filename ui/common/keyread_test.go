package common

import (
	"bufio"
	"context"
	"errors"
	"strings"
	"testing"
)

// A line longer than a key can be is refused, and the next question reads the next line.
func TestReadLineIsBounded(t *testing.T) {
	r := bufio.NewReader(strings.NewReader(strings.Repeat("x", maxKeyInput+10) + "\nnext\n"))
	if _, err := readLine(r); !errors.Is(err, ErrInputTooLong) {
		t.Fatalf("an over-long line: err %v, want ErrInputTooLong", err)
	}
	if got, err := readLine(r); err != nil || got != "next" {
		t.Fatalf("after the long line: %q, %v; want \"next\"", got, err)
	}
}

// --with-key reads the whole pipe, but no more than maxKeyInput bytes of it.
func TestReadKeyWholeIsBounded(t *testing.T) {
	ctx := context.Background()
	if _, err := ReadKeyWhole(ctx, strings.NewReader(strings.Repeat("k", maxKeyInput+1)), nil, ""); !errors.Is(err, ErrInputTooLong) {
		t.Fatalf("an over-long pipe: err %v, want ErrInputTooLong", err)
	}
	if got, err := ReadKeyWhole(ctx, strings.NewReader("jca_abc\n"), nil, ""); err != nil || got != "jca_abc\n" {
		t.Fatalf("a key on a pipe: %q, %v", got, err)
	}
}

// The accessible rotation refuses an over-long paste as "not a key" instead of reading 64 KiB.
func TestRotateAccessibleRefusesOverlongKey(t *testing.T) {
	p := &Prompter{ctx: context.Background(), in: bufio.NewReader(strings.NewReader(strings.Repeat("k", maxKeyInput+1) + "\n")),
		Out: &strings.Builder{}}
	if _, err := p.AskSecret("key?"); !errors.Is(err, ErrInputTooLong) {
		t.Fatalf("err %v, want ErrInputTooLong", err)
	}
}
