package rotate

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"jcconnect/internal/uitest"
)

// The demo's rotation in a real terminal of 80×24: `jcconnect --demo` is set up with the Read
// Only demo key (tab inserts it), then the home screen's r opens the rotation. The paste step
// lists a fresh key of the same admin first, every label and key whole at 80 columns; pasting it
// ends with "Old key revoked: confirmed", which the demo could not show before.
func TestE2ETmuxDemoRotationToAFreshKeyAt80x24(t *testing.T) {
	uitest.RequireTmux(t)
	bin := uitest.Binary(t)
	dir := t.TempDir()
	tt := &uitest.Tmux{T: t, Socket: fmt.Sprintf("jcrotdemo-%d", os.Getpid()), Session: "demo"}
	t.Cleanup(func() { tt.Run("kill-server") })
	script := fmt.Sprintf("XDG_CONFIG_HOME=%s XDG_DATA_HOME=%s JUMPCLOUD_API_KEY= JUMPCLOUD_CLIENT_ID= JUMPCLOUD_CLIENT_SECRET= %s --demo; echo \"EXIT=$?\"; sleep 600",
		filepath.Join(dir, "config"), filepath.Join(dir, "data"), bin)
	// The wizard is walked at 100×30 (its own layout at 80×24 is another test's); the rotation
	// is looked at in 80×24.
	if out, err := tt.Run("new-session", "-d", "-s", tt.Session, "-x", "100", "-y", "30", script); err != nil {
		t.Fatalf("tmux new-session: %v: %s", err, out)
	}
	shot := func(what, screen string) string {
		t.Logf("%s:\n%s", what, strings.TrimRight(screen, "\n "))
		return screen
	}

	tt.WaitFor("Step 1 of 7")
	tt.Send("Enter")
	tt.WaitFor("Step 2 of 7")
	tt.Send("Enter")
	tt.WaitFor("Step 3 of 7")
	tt.Send("Enter")
	tt.WaitFor("Step 4 of 7")
	tt.Send("Tab") // the first demo key: the Read Only admin's
	tt.WaitFor("40 characters")
	tt.Send("Enter")
	tt.WaitFor("The key works")
	tt.Send("Enter")
	tt.WaitFor("Press enter to save")
	tt.Send("Enter")
	tt.WaitFor("Saved.")
	tt.Send("Enter")
	tt.WaitFor("Connected: ")
	tt.Send("Enter")
	tt.WaitFor("Actions")

	if out, err := tt.Run("resize-window", "-t", tt.Session, "-x", "80", "-y", "24"); err != nil {
		t.Fatalf("tmux resize-window: %v: %s", err, out)
	}
	tt.Send("r")
	shot("the rotation at 80×24", tt.WaitFor("How this works"))
	tt.Send("Enter")
	screen := shot("the demo's keys, a fresh one of the same admin first", tt.WaitFor("New key of the same admin"))

	lines := strings.Split(screen, "\n")
	key := regexp.MustCompile(`^\s*(jca_[A-Za-z0-9]{36})\s*$`)
	var keys []string
	fresh := ""
	for i, line := range lines {
		if m := key.FindStringSubmatch(line); m != nil {
			keys = append(keys, m[1])
			if i > 0 && strings.Contains(lines[i-1], "New key of the same admin (the right one)") {
				fresh = m[1]
			}
		}
	}
	if fresh == "" || len(keys) < 3 || keys[0] != fresh {
		t.Fatalf("the fresh key is not listed first, whole, under its label (keys %d):\n%s", len(keys), screen)
	}
	for _, label := range []string{"Full Administrator (see the least-privilege warning)", "Revoked key", "Multi-tenant key (3 organisations)", "esc back"} {
		if !strings.Contains(screen, label) {
			t.Errorf("%q is cut or missing at 80 columns", label)
		}
	}

	tt.TypeText(fresh)
	tt.WaitFor("40 characters")
	tt.Send("Enter")
	shot("the fresh key verified", tt.WaitFor("The key works"))
	tt.Send("Enter")
	shot("stored, and the old key's revocation confirmed", tt.WaitFor("Old key revoked: confirmed"))
	tt.Send("Enter")
	tt.WaitFor("Actions")
	tt.Send("q")
	final := shot("after exit", tt.WaitFor("EXIT="))
	if !strings.Contains(final, "EXIT=0") {
		t.Fatalf("the demo did not exit 0:\n%s", final)
	}
	// The last word names the fresh key; the setup's line above, written before the rotation,
	// does not claim its (old) key is the one forgotten at the end (issue 11 item 5).
	flat := strings.Join(strings.Fields(final), " ")
	if !strings.Contains(flat, "now uses key …"+fresh[len(fresh)-4:]) {
		t.Errorf("the closing line does not name the fresh key …%s:\n%s", fresh[len(fresh)-4:], final)
	}
	if strings.Count(flat, "now forgotten") != 1 {
		t.Errorf("\"now forgotten\" should be said once, of the key in use at the end:\n%s", final)
	}
}
