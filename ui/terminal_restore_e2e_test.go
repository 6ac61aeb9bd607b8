//go:build linux

package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"jcconnect/internal/uitest"
)

// `jcconnect devices` in a real terminal reads its keys through a description of the terminal
// of its own, non-blocking (common.OpenProgramInput), while the shell's stays blocking; quit
// with q or ctrl+c, the shell gets its terminal back exactly as it was (stty -g) and still
// blocking (a non-blocking terminal breaks the shell and every program it runs next).
func TestE2ETmuxTheShellGetsItsTerminalBack(t *testing.T) {
	uitest.RequireTmux(t)
	bin := uitest.Binary(t)
	dir := t.TempDir()
	for _, quit := range []string{"q", "C-c"} {
		t.Run(quit, func(t *testing.T) {
			session := "restore-" + quit
			tt := &uitest.Tmux{T: t, Socket: fmt.Sprintf("jcrestore-%s-%d", quit, os.Getpid()), Session: session}
			script := fmt.Sprintf(`before=$(stty -g); XDG_CONFIG_HOME=%s XDG_DATA_HOME=%s %s --demo devices; echo "EXIT=$?"; `+
				`[ "$(stty -g)" = "$before" ] && echo MODE=same || echo MODE=changed; `+
				`echo "NONBLOCK=$(( $(awk '/^flags/ {print $2}' /proc/self/fdinfo/0) & 04000 ))"; sleep 600`,
				filepath.Join(dir, "config-"+quit), filepath.Join(dir, "data-"+quit), bin)
			if out, err := tt.Run("new-session", "-d", "-s", session, "-x", "160", "-y", "40", script); err != nil {
				t.Fatalf("tmux new-session: %v: %s", err, out)
			}
			t.Cleanup(func() { tt.Run("kill-session", "-t", session) })
			tt.WaitFor("Status") // the device table is drawn: the program reads its keys

			shell, err := tt.Run("display-message", "-p", "-t", session, "#{pane_pid}")
			if err != nil {
				t.Fatalf("the pane's shell: %v: %s", err, shell)
			}
			stdinNonBlocking, ownNonBlocking := terminalDescriptions(t, childOf(t, strings.TrimSpace(shell)))
			if stdinNonBlocking {
				t.Error("the program's stdin (the shell's description of the terminal) is non-blocking while it runs")
			}
			if !ownNonBlocking {
				t.Error("the program has no non-blocking description of the terminal of its own: it does not read through the poller")
			}

			tt.Send(quit)
			screen := tt.WaitFor("NONBLOCK=")
			if !strings.Contains(screen, "MODE=same") {
				t.Errorf("after %s the terminal's mode is not what it was:\n%s", quit, screen)
			}
			if !strings.Contains(screen, "NONBLOCK=0") {
				t.Errorf("after %s the shell's terminal is non-blocking:\n%s", quit, screen)
			}
		})
	}
}

// childOf is the one child process of pid (the program the pane's shell runs).
func childOf(t *testing.T, pid string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("/proc", pid, "task", pid, "children"))
	if err != nil {
		t.Fatalf("the shell's children: %v", err)
	}
	kids := strings.Fields(string(b))
	if len(kids) != 1 {
		t.Fatalf("the shell runs %d processes (%q), not the program alone", len(kids), kids)
	}
	return kids[0]
}

// terminalDescriptions reads process pid's open descriptors of its terminal (fd 0's): whether
// fd 0 is non-blocking, and whether another descriptor of the same terminal is.
func terminalDescriptions(t *testing.T, pid string) (stdin, own bool) {
	t.Helper()
	fdDir := filepath.Join("/proc", pid, "fd")
	tty, err := os.Readlink(filepath.Join(fdDir, "0"))
	if err != nil {
		t.Fatalf("the program's stdin: %v", err)
	}
	entries, err := os.ReadDir(fdDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if target, err := os.Readlink(filepath.Join(fdDir, e.Name())); err != nil || target != tty {
			continue
		}
		info, err := os.ReadFile(filepath.Join("/proc", pid, "fdinfo", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		nonBlocking := false
		for _, line := range strings.Split(string(info), "\n") {
			if v, ok := strings.CutPrefix(line, "flags:"); ok {
				flags, err := strconv.ParseUint(strings.TrimSpace(v), 8, 64)
				if err != nil {
					t.Fatalf("fdinfo flags %q: %v", v, err)
				}
				nonBlocking = flags&0o4000 != 0 // O_NONBLOCK
			}
		}
		if e.Name() == "0" {
			stdin = nonBlocking
		} else if nonBlocking {
			own = true
		}
	}
	return stdin, own
}
