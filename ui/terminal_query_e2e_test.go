package ui

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"jcconnect/internal/uitest"
)

// A terminal that never answers colour queries (a plain pty under `script`, many CI consoles)
// used to stall every command 5 s: bubbletea's package init asked the terminal for its
// background colour before main ran. Commands that draw no screen must never ask.
func TestCLIDoesNotQueryTheTerminalOutsideTheTUI(t *testing.T) {
	script, err := exec.LookPath("script")
	if err != nil {
		t.Fatalf("this test needs script(1) from util-linux: %v", err)
	}
	bin := uitest.Binary(t)
	for _, c := range []struct {
		name, cmdline string
		env           []string
	}{
		{"help", bin + " --help", nil},
		{"help with NO_COLOR", bin + " --help", []string{"NO_COLOR=1"}},
		{"status --accessible", bin + " --accessible status", nil},
		{"version", bin + " --version", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			cmd := exec.Command(script, "-qec", c.cmdline, "/dev/null")
			// TERM names a terminal termenv would query (it skips screen, tmux and dumb).
			cmd.Env = append(os.Environ(), "TERM=xterm-256color", "XDG_CONFIG_HOME="+t.TempDir(),
				"HOME="+t.TempDir(), "JUMPCLOUD_API_KEY=", "JUMPCLOUD_ORG_ID=")
			cmd.Env = append(cmd.Env, c.env...)
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			start := time.Now()
			_ = cmd.Run() // status exits non-zero with nothing stored; only the terminal matters
			took := time.Since(start)
			for _, q := range []string{"\x1b]11;?", "\x1b]10;?", "\x1b[6n"} {
				if strings.Contains(out.String(), q) {
					t.Errorf("the program sent the terminal query %q:\n%q", q, out.String())
				}
			}
			// The stall was the 5 s query timeout; anything near it means a query still waits.
			if took > 3*time.Second {
				t.Errorf("%s took %s: something still waits for the terminal", c.cmdline, took)
			}
		})
	}
}
