package ui

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
	if _, err := readLine(r); !errors.Is(err, errInputTooLong) {
		t.Fatalf("an over-long line: err %v, want errInputTooLong", err)
	}
	if got, err := readLine(r); err != nil || got != "next" {
		t.Fatalf("after the long line: %q, %v; want \"next\"", got, err)
	}
}

// --with-key reads the whole pipe, but no more than maxKeyInput bytes of it.
func TestReadKeyWholeIsBounded(t *testing.T) {
	ctx := context.Background()
	if _, err := readKeyWhole(ctx, strings.NewReader(strings.Repeat("k", maxKeyInput+1)), nil, ""); !errors.Is(err, errInputTooLong) {
		t.Fatalf("an over-long pipe: err %v, want errInputTooLong", err)
	}
	if got, err := readKeyWhole(ctx, strings.NewReader("jca_abc\n"), nil, ""); err != nil || got != "jca_abc\n" {
		t.Fatalf("a key on a pipe: %q, %v", got, err)
	}
}

// The accessible rotation refuses an over-long paste as "not a key" instead of reading 64 KiB.
func TestRotateAccessibleRefusesOverlongKey(t *testing.T) {
	p := &prompter{ctx: context.Background(), in: bufio.NewReader(strings.NewReader(strings.Repeat("k", maxKeyInput+1) + "\n")),
		out: &strings.Builder{}}
	if _, err := p.askSecret("key?"); !errors.Is(err, errInputTooLong) {
		t.Fatalf("err %v, want errInputTooLong", err)
	}
}
