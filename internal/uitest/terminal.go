package uitest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"jcconnect/store"
)

// Tmux is a real terminal: tmux runs a command in a session of its own (socket), keys are
// typed with send-keys and the screen is read with capture-pane, polling for text.
type Tmux struct {
	T       testing.TB
	Socket  string
	Session string
}

// Run runs a tmux command on this terminal's server.
func (tt *Tmux) Run(args ...string) (string, error) {
	out, err := exec.Command("tmux", append([]string{"-L", tt.Socket}, args...)...).CombinedOutput()
	return string(out), err
}

// Capture is the screen as text.
func (tt *Tmux) Capture() string {
	out, err := tt.Run("capture-pane", "-p", "-t", tt.Session)
	if err != nil {
		tt.T.Fatalf("capture-pane: %v: %s", err, out)
	}
	return out
}

// WaitFor polls the screen until it shows text (the only way to know a terminal has drawn).
func (tt *Tmux) WaitFor(text string) string {
	tt.T.Helper()
	return tt.WaitForAny(text)
}

// WaitForAny polls until the screen shows one of texts.
func (tt *Tmux) WaitForAny(texts ...string) string {
	tt.T.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		screen := tt.Capture()
		for _, text := range texts {
			if strings.Contains(screen, text) {
				return screen
			}
		}
		if time.Now().After(deadline) {
			tt.T.Fatalf("the screen never showed any of %q; it shows:\n%s", texts, screen)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Send sends keys by name (Enter, C-c).
func (tt *Tmux) Send(keys ...string) {
	tt.T.Helper()
	if out, err := tt.Run(append([]string{"send-keys", "-t", tt.Session}, keys...)...); err != nil {
		tt.T.Fatalf("send-keys: %v: %s", err, out)
	}
}

// TypeText types s literally.
func (tt *Tmux) TypeText(s string) {
	tt.T.Helper()
	if out, err := tt.Run("send-keys", "-t", tt.Session, "-l", s); err != nil {
		tt.T.Fatalf("send-keys -l: %v: %s", err, out)
	}
}

// RequireRealKeyring skips (or fails under JCCONNECT_REQUIRE_KEYRING=1) without a usable Secret
// Service: every keyring doctor check must pass.
func RequireRealKeyring(t testing.TB) {
	t.Helper()
	reason := ""
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		reason = "DBUS_SESSION_BUS_ADDRESS is not set"
	} else {
		for _, c := range store.Diagnose(context.Background(), nil) {
			if !c.OK {
				reason += c.Name + ": " + fmt.Sprint(c.Err) + "; "
			}
		}
	}
	if reason == "" {
		return
	}
	if os.Getenv("JCCONNECT_REQUIRE_KEYRING") == "1" {
		t.Fatalf("JCCONNECT_REQUIRE_KEYRING=1 but there is no usable Secret Service: %s", reason)
	}
	t.Skipf("no usable Secret Service (%s): run under dbus-run-session with an unlocked gnome-keyring, as .ci/run does", reason)
}

// built is the program built once per test binary.
var built struct {
	once sync.Once
	dir  string
	bin  string
	err  error
	out  []byte
}

// Binary builds the program once and returns its path (skipped with -short).
func Binary(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary: skipped with -short")
	}
	built.once.Do(func() {
		built.dir, built.err = os.MkdirTemp("", "jcconnect-e2e-")
		if built.err != nil {
			return
		}
		built.bin = filepath.Join(built.dir, "jcconnect")
		build := exec.Command("go", "build", "-o", built.bin, ".")
		build.Dir = moduleRoot()
		built.out, built.err = build.CombinedOutput()
	})
	if built.err != nil {
		t.Fatalf("go build: %v\n%s", built.err, built.out)
	}
	return built.bin
}

// RequireTmux skips without tmux, or fails when JCCONNECT_REQUIRE_TMUX is set (as in CI).
func RequireTmux(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("JCCONNECT_REQUIRE_TMUX") != "" {
			t.Fatal("tmux is required here (JCCONNECT_REQUIRE_TMUX is set) but is not installed")
		}
		t.Skip("tmux is not installed: the terminal end-to-end tests need it (apt-get install tmux; .ci/run installs it)")
	}
}

// moduleRoot is the folder of go.mod, wherever the test runs from.
func moduleRoot() string {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return ".."
	}
	return filepath.Dir(strings.TrimSpace(string(out)))
}

// RemoveBinary deletes the binary Binary built; a package's TestMain calls it after m.Run.
func RemoveBinary() {
	if built.dir != "" {
		_ = os.RemoveAll(built.dir) // a temporary folder: nothing to report
	}
}

// KeyOnScreen is the key (jca_…) on the screen's line that shows label, as a newcomer copies it
// from the demo's paste screen; "" when there is none.
func KeyOnScreen(screen, label string) string {
	for _, line := range strings.Split(screen, "\n") {
		if !strings.Contains(line, label) {
			continue
		}
		for _, f := range strings.Fields(line) {
			if strings.HasPrefix(f, "jca_") {
				return f
			}
		}
	}
	return ""
}
