package common

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"jcconnect/connect"
)

// Prompter reads answers line by line from env.In and writes to env.Out. Every read gives up
// when ctx ends (ctrl+c), since a read from a terminal would otherwise wait for enter, and every
// read is bounded (keyread.go). It is a connect.Prompter (the accessible setup) and the
// rotation's --accessible face uses it too.
type Prompter struct {
	ctx context.Context
	in  *bufio.Reader
	raw io.Reader
	Out io.Writer
}

func NewPrompter(ctx context.Context, env *connect.Env) *Prompter {
	return &Prompter{ctx: ctx, in: bufio.NewReader(env.In), raw: env.In, Out: env.Out}
}

func (p *Prompter) Say(format string, a ...any) { fmt.Fprintf(p.Out, format+"\n", a...) }

// ask prints the question and returns the trimmed answer, or ErrInputClosed at end of input.
func (p *Prompter) Ask(question string) (string, error) {
	fmt.Fprint(p.Out, question+" ")
	line, err := readCtx(p.ctx, func() (string, error) { return readLine(p.in) })
	switch {
	case errors.Is(err, ErrCanceled), errors.Is(err, ErrInputTooLong):
		fmt.Fprintln(p.Out)
		return "", err
	case err != nil && (line == "" || !errors.Is(err, io.EOF)):
		fmt.Fprintln(p.Out)
		return "", ErrInputClosed
	}
	return strings.TrimSpace(line), nil
}

// askSecret reads the key without echo when the input is a terminal (the one hidden reader,
// keyread.go); otherwise a plain bounded line.
func (p *Prompter) AskSecret(question string) (string, error) {
	if f := terminalOf(p.raw); f != nil && p.in.Buffered() == 0 {
		fmt.Fprint(p.Out, question+" ")
		k, err := readHidden(p.ctx, f)
		fmt.Fprintln(p.Out)
		return k, err
	}
	return p.Ask(question)
}

// Confirm asks a yes/no question; anything but y/yes (and the end of the input) is no.
func (p *Prompter) Confirm(question string) bool {
	a, err := p.Ask(question)
	return err == nil && (strings.EqualFold(a, "y") || strings.EqualFold(a, "yes"))
}

// choose asks for one of options by number; def is the default (1-based) for an empty answer.
func (p *Prompter) Choose(question string, options []string, def int) (int, error) {
	for {
		p.Say("%s", question)
		for i, o := range options {
			p.Say("  %d. %s", i+1, o)
		}
		a, err := p.Ask(fmt.Sprintf("Type a number and press enter (default %d):", def))
		if err != nil {
			return 0, err
		}
		if a == "" {
			return def - 1, nil
		}
		if n, err := strconv.Atoi(a); err == nil && n >= 1 && n <= len(options) {
			return n - 1, nil
		}
		p.Say("%q is not one of the numbers 1 to %d.", a, len(options))
	}
}

// Confirm asks a yes/no question on a terminal; anything but y/yes is no.
func Confirm(in io.Reader, out io.Writer, question string) (bool, error) {
	fmt.Fprint(out, question)
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && line == "" {
		fmt.Fprintln(out)
		return false, err
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return true, nil
	}
	return false, nil
}
