package wizard

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"jcconnect/internal/uitest"
)

// The demo at 80×24 in a real terminal (tmux, the built binary): every screen of the wizard, the
// full-admin warning and the home screen after it show no orphan word, no line cut, and their
// key hints on the last line; the full-admin warning shows both of its choices.
func TestE2ETmuxDemoAt80x24HasNoOrphansAndNoCutChoice(t *testing.T) {
	uitest.RequireTmux(t)
	bin := uitest.Binary(t)
	dir := t.TempDir()
	tt := &uitest.Tmux{T: t, Socket: fmt.Sprintf("jclayout-%d", os.Getpid()), Session: "layout"}
	t.Cleanup(func() { tt.Run("kill-server") })
	script := fmt.Sprintf("XDG_CONFIG_HOME=%s XDG_DATA_HOME=%s JUMPCLOUD_API_KEY= %s --demo; echo \"EXIT=$?\"; sleep 600",
		filepath.Join(dir, "config"), filepath.Join(dir, "data"), bin)
	if out, err := tt.Run("new-session", "-d", "-s", tt.Session, "-x", "80", "-y", "24", script); err != nil {
		t.Fatalf("tmux new-session: %v: %s", err, out)
	}
	check := func(what, screen, hint string) {
		t.Helper()
		plain := uitest.Plain(screen)
		lines := strings.Split(plain, "\n")
		if orphans := uitest.Orphans(plain); len(orphans) > 0 {
			t.Errorf("%s: orphan lines %v:\n%s", what, orphans, plain)
		}
		if last := lines[len(lines)-1]; !strings.Contains(last, hint) {
			t.Errorf("%s: the last line is not the key hints (%q): %q", what, hint, last)
		}
		if strings.Contains(plain, "make the window taller") {
			t.Errorf("%s: cut off:\n%s", what, plain)
		}
		t.Logf("%s:\n%s", what, plain)
	}
	check("welcome", tt.WaitFor("Step 1 of 7: Welcome"), "? all keys")
	tt.Send("Enter")
	check("create a Read Only administrator", tt.WaitFor("Step 2 of 7"), "? all keys")
	tt.Send("?")
	check("? on step 2", tt.WaitFor("Keys on this step"), "close this help")
	tt.Send("?")
	tt.Send("Enter")
	check("generate the API key", tt.WaitFor("Step 3 of 7"), "? all keys")
	tt.Send("Enter")
	check("paste the key", tt.WaitFor("Step 4 of 7"), "? all keys")
	tt.Send("Tab", "Tab")
	tt.WaitFor("In the field: the demo's Full Administrator")
	tt.Send("Enter")
	screen := tt.WaitFor("continue knowingly with this key")
	check("the full-admin warning", screen, "? all keys")
	for _, choice := range []string{"b  go back and create a Read Only admin", "c  continue knowingly with this key"} {
		if !strings.Contains(screen, choice) {
			t.Errorf("the full-admin warning lacks its choice %q", choice)
		}
	}
	tt.Send("c")
	check("save the key", tt.WaitFor("Press enter to save"), "? all keys")
	tt.Send("Enter")
	tt.WaitFor("Saved.")
	tt.Send("Enter")
	check("preview the evidence", tt.WaitFor("Connected: "), "? all keys")
	tt.Send("Enter")
	if screen := tt.WaitForAny("EXIT=", "Actions"); !strings.Contains(screen, "EXIT=") {
		check("the home screen", screen, "q quit")
		tt.Send("q")
	}
	if final := tt.WaitFor("EXIT="); !strings.Contains(final, "EXIT=0") {
		t.Fatalf("the program did not exit 0:\n%s", final)
	}
}
