package wizard

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"jcconnect/internal/uitest"
)

// The end-to-end test in a real terminal: tmux runs the built binary with --demo, keys are typed
// with send-keys and the screen is read with capture-pane, polling for text. It goes through
// all seven steps with the Read Only demo key, copied from the screen as a newcomer would.
// Each screen is logged (go test -v -run TestE2ETmux ./ui) so it can be quoted.

func TestE2ETmuxDemoThroughAllSevenSteps(t *testing.T) {
	uitest.RequireTmux(t)
	bin := uitest.Binary(t)
	dir := t.TempDir()

	tt := &uitest.Tmux{T: t, Socket: fmt.Sprintf("jcwiz-%d", os.Getpid()), Session: "wizard"}
	t.Cleanup(func() { tt.Run("kill-server") })
	// The pane keeps the program's last words and exit code on screen after it ends. The config
	// and data dirs are private so nothing of the machine's is read or written.
	script := fmt.Sprintf("XDG_CONFIG_HOME=%s XDG_DATA_HOME=%s JUMPCLOUD_API_KEY= %s --demo; echo \"EXIT=$?\"; sleep 600",
		filepath.Join(dir, "config"), filepath.Join(dir, "data"), bin)
	if out, err := tt.Run("new-session", "-d", "-s", tt.Session, "-x", "100", "-y", "30", script); err != nil {
		t.Fatalf("tmux new-session: %v: %s", err, out)
	}
	start := time.Now()
	shot := func(n int, what, screen string) {
		t.Logf("screen %d, %s:\n%s", n, what, strings.TrimRight(screen, "\n "))
	}

	shot(1, "welcome", tt.WaitFor("Step 1 of 7: Welcome"))
	tt.Send("Enter")
	shot(2, "create a Read Only administrator", tt.WaitFor("Step 2 of 7"))
	tt.Send("Enter")
	shot(3, "generate the API key", tt.WaitFor("Step 3 of 7"))
	tt.Send("Enter")
	screen := tt.WaitFor("Step 4 of 7")
	shot(4, "paste the key (the demo's keys are listed)", screen)

	// Copy the Read Only key from the screen, as the screen tells a newcomer to.
	roKey := uitest.KeyOnScreen(screen, "Read Only admin (the right key)")
	if roKey == "" {
		t.Fatalf("the paste screen does not show the Read Only demo key:\n%s", screen)
	}
	tt.TypeText(roKey)
	shot(4, "the key typed, masked", tt.WaitFor("40 characters"))
	// The list above shows the demo keys on purpose (they are fake); the field must be masked.
	if n := strings.Count(tt.Capture(), roKey); n != 1 {
		t.Fatalf("the key appears %d times on screen: the field must not show it", n)
	}
	tt.Send("Enter")
	shot(5, "verify the key live", tt.WaitFor("The key works"))
	tt.Send("Enter")
	shot(6, "save the key", tt.WaitFor("Press enter to save"))
	tt.Send("Enter")
	shot(6, "saved", tt.WaitFor("Saved."))
	tt.Send("Enter")
	shot(7, "preview the evidence", tt.WaitFor("Connected: "))
	tt.Send("Enter")
	// After the wizard, `jcconnect` goes on to the home screen when there is one; quit it.
	if screen := tt.WaitForAny("EXIT=", "Actions"); !strings.Contains(screen, "EXIT=") {
		shot(8, "the home screen after setup", screen)
		tt.Send("q")
	}
	final := tt.WaitFor("EXIT=")
	shot(9, "after exit", final)
	if !strings.Contains(final, "EXIT=0") {
		t.Fatalf("the program did not exit 0:\n%s", final)
	}
	if strings.Contains(final, roKey) {
		t.Fatal("the key was printed after exit")
	}
	t.Logf("all seven steps in %s (typing at machine speed)", time.Since(start).Round(time.Millisecond))
}
