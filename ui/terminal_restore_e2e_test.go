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

// `jcconnect devices` in a real terminal leaves the shell's description of it blocking while it
// runs; quit with q or ctrl+c, the shell gets its terminal back exactly as it was (stty -g) and
// still blocking (a non-blocking terminal breaks the shell and every program it runs next).
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
			if stdinNonBlocking(t, childOf(t, strings.TrimSpace(shell))) {
				t.Error("the program's stdin (the shell's description of the terminal) is non-blocking while it runs")
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

// stdinNonBlocking reads whether process pid's fd 0 (the shell's description of the terminal)
// is non-blocking.
func stdinNonBlocking(t *testing.T, pid string) bool {
	t.Helper()
	info, err := os.ReadFile(filepath.Join("/proc", pid, "fdinfo", "0"))
	if err != nil {
		t.Fatalf("the program's stdin: %v", err)
	}
	for _, line := range strings.Split(string(info), "\n") {
		if v, ok := strings.CutPrefix(line, "flags:"); ok {
			flags, err := strconv.ParseUint(strings.TrimSpace(v), 8, 64)
			if err != nil {
				t.Fatalf("fdinfo flags %q: %v", v, err)
			}
			return flags&0o4000 != 0 // O_NONBLOCK
		}
	}
	t.Fatalf("no flags in the program's fdinfo of stdin:\n%s", info)
	return false
}
