package ui

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The end-to-end test in a real terminal: tmux runs the built binary with --demo, keys are typed
// with send-keys and the screen is read with capture-pane, polling for text. It goes through
// all seven steps with the Read Only demo key, copied from the screen as a newcomer would.
// Each screen is logged (go test -v -run TestE2ETmux ./ui) so it can be quoted.

type tmuxTerm struct {
	t       *testing.T
	socket  string
	session string
}

func (tt *tmuxTerm) tmux(args ...string) (string, error) {
	out, err := exec.Command("tmux", append([]string{"-L", tt.socket}, args...)...).CombinedOutput()
	return string(out), err
}

func (tt *tmuxTerm) capture() string {
	out, err := tt.tmux("capture-pane", "-p", "-t", tt.session)
	if err != nil {
		tt.t.Fatalf("capture-pane: %v: %s", err, out)
	}
	return out
}

// waitFor polls the screen until it shows text (the only way to know a terminal has drawn).
func (tt *tmuxTerm) waitFor(text string) string {
	tt.t.Helper()
	return tt.waitForAny(text)
}

// waitForAny polls until the screen shows one of texts.
func (tt *tmuxTerm) waitForAny(texts ...string) string {
	tt.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		screen := tt.capture()
		for _, text := range texts {
			if strings.Contains(screen, text) {
				return screen
			}
		}
		if time.Now().After(deadline) {
			tt.t.Fatalf("the screen never showed any of %q; it shows:\n%s", texts, screen)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (tt *tmuxTerm) send(keys ...string) {
	tt.t.Helper()
	if out, err := tt.tmux(append([]string{"send-keys", "-t", tt.session}, keys...)...); err != nil {
		tt.t.Fatalf("send-keys: %v: %s", err, out)
	}
}

func (tt *tmuxTerm) typeText(s string) {
	tt.t.Helper()
	if out, err := tt.tmux("send-keys", "-t", tt.session, "-l", s); err != nil {
		tt.t.Fatalf("send-keys -l: %v: %s", err, out)
	}
}

func TestE2ETmuxDemoThroughAllSevenSteps(t *testing.T) {
	requireTmux(t)
	bin := jcconnectBinary(t)
	dir := t.TempDir()

	tt := &tmuxTerm{t: t, socket: fmt.Sprintf("jcwiz-%d", os.Getpid()), session: "wizard"}
	t.Cleanup(func() { tt.tmux("kill-server") })
	// The pane keeps the program's last words and exit code on screen after it ends. The config
	// and data dirs are private so nothing of the machine's is read or written.
	script := fmt.Sprintf("XDG_CONFIG_HOME=%s XDG_DATA_HOME=%s JUMPCLOUD_API_KEY= %s --demo; echo \"EXIT=$?\"; sleep 600",
		filepath.Join(dir, "config"), filepath.Join(dir, "data"), bin)
	if out, err := tt.tmux("new-session", "-d", "-s", tt.session, "-x", "100", "-y", "30", script); err != nil {
		t.Fatalf("tmux new-session: %v: %s", err, out)
	}
	start := time.Now()
	shot := func(n int, what, screen string) {
		t.Logf("screen %d, %s:\n%s", n, what, strings.TrimRight(screen, "\n "))
	}

	shot(1, "welcome", tt.waitFor("Step 1 of 7: Welcome"))
	tt.send("Enter")
	shot(2, "create a Read Only administrator", tt.waitFor("Step 2 of 7"))
	tt.send("Enter")
	shot(3, "generate the API key", tt.waitFor("Step 3 of 7"))
	tt.send("Enter")
	screen := tt.waitFor("Step 4 of 7")
	shot(4, "paste the key (the demo's keys are listed)", screen)

	// Copy the Read Only key from the screen, as the screen tells a newcomer to.
	var roKey string
	for _, line := range strings.Split(screen, "\n") {
		if strings.Contains(line, "Read Only admin (the right key)") {
			for _, f := range strings.Fields(line) {
				if strings.HasPrefix(f, "jca_") {
					roKey = f
				}
			}
		}
	}
	if roKey == "" {
		t.Fatalf("the paste screen does not show the Read Only demo key:\n%s", screen)
	}
	tt.typeText(roKey)
	shot(4, "the key typed, masked", tt.waitFor("40 characters"))
	// The list above shows the demo keys on purpose (they are fake); the field must be masked.
	if n := strings.Count(tt.capture(), roKey); n != 1 {
		t.Fatalf("the key appears %d times on screen: the field must not show it", n)
	}
	tt.send("Enter")
	shot(5, "verify the key live", tt.waitFor("The key works"))
	tt.send("Enter")
	shot(6, "save the key", tt.waitFor("Press enter to save"))
	tt.send("Enter")
	shot(6, "saved", tt.waitFor("Saved."))
	tt.send("Enter")
	shot(7, "preview the evidence", tt.waitFor("Connected: "))
	tt.send("Enter")
	// After the wizard, `jcconnect` goes on to the home screen when there is one; quit it.
	if screen := tt.waitForAny("EXIT=", "Actions"); !strings.Contains(screen, "EXIT=") {
		shot(8, "the home screen after setup", screen)
		tt.send("q")
	}
	final := tt.waitFor("EXIT=")
	shot(9, "after exit", final)
	if !strings.Contains(final, "EXIT=0") {
		t.Fatalf("the program did not exit 0:\n%s", final)
	}
	if strings.Contains(final, roKey) {
		t.Fatal("the key was printed after exit")
	}
	t.Logf("all seven steps in %s (typing at machine speed)", time.Since(start).Round(time.Millisecond))
}
