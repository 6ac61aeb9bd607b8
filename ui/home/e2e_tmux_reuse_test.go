package home

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"jcconnect/internal/uitest"
	"jcconnect/jumpcloud/jctest"
)

// Issue 11 item 16 with the built program: `jcconnect --base-url` against a jctest organisation
// served by this test, through the wizard (a real keyring stores the key) to the home screen.
// The sandbox's request counts (what /__stats serves) show that home showed the preview's
// snapshot: nothing a collection reads was asked for again.
func TestE2ETmuxHomeAfterTheWizardDoesNotCollectAgain(t *testing.T) {
	uitest.RequireTmux(t)
	uitest.RequireRealKeyring(t)
	bin := uitest.Binary(t)
	srv := jctest.NewServer(jctest.Options{Devices: 40, Seed: 11})
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	profile := fmt.Sprintf("e2e-reuse-%d", os.Getpid())

	tt := &uitest.Tmux{T: t, Socket: fmt.Sprintf("jcreuse-%d", os.Getpid()), Session: "reuse"}
	t.Cleanup(func() {
		tt.Run("kill-server")
		// The key stored in the session's keyring under this test's own profile is removed.
		logout := exec.Command(bin, "logout", "--yes", "--profile", profile)
		logout.Env = append(os.Environ(), "HOME="+filepath.Join(dir, "home"), "XDG_CONFIG_HOME="+filepath.Join(dir, "config"))
		if out, err := logout.CombinedOutput(); err != nil {
			t.Logf("logout after the test: %v: %s", err, out)
		}
	})
	script := fmt.Sprintf("HOME=%s XDG_CONFIG_HOME=%s JUMPCLOUD_API_KEY= %s --base-url %s --profile %s; echo \"EXIT=$?\"; sleep 600",
		filepath.Join(dir, "home"), filepath.Join(dir, "config"), bin, srv.URL, profile)
	if out, err := tt.Run("new-session", "-d", "-s", tt.Session, "-x", "120", "-y", "40", script); err != nil {
		t.Fatalf("tmux new-session: %v: %s", err, out)
	}
	wizardToPreview(t, tt, func(string) string { return srv.Keys.ReadOnly })
	preview := srv.Stats()
	srv.ResetCounts()
	tt.Send("Enter")
	// The pass rates are drawn once home has its snapshot, reused or collected.
	deadline := time.Now().Add(30 * time.Second)
	for screen := tt.WaitFor("Last collected"); !strings.Contains(screen, "% ") ||
		strings.Contains(screen, "collecting") || strings.Contains(screen, "checking"); screen = tt.Capture() {
		if time.Now().After(deadline) {
			t.Fatalf("home never showed pass rates:\n%s", screen)
		}
		time.Sleep(50 * time.Millisecond)
	}
	home := srv.Stats()
	t.Logf("the preview's collection: %d requests; opening home: %d %v", preview.Requests, home.Requests, home.ByRoute)
	for route, n := range home.ByRoute {
		if strings.Contains(route, "systemusers") || strings.Contains(route, "systeminsights") ||
			strings.Contains(route, "policies") || strings.Contains(route, "applications") {
			t.Errorf("home collected again after the preview: %d requests to %s", n, route)
		}
	}
	if home.Requests*3 > preview.Requests {
		t.Errorf("opening home took %d requests, the preview's collection %d", home.Requests, preview.Requests)
	}
	tt.Send("q")
	if final := tt.WaitFor("EXIT="); !strings.Contains(final, "EXIT=0") {
		t.Errorf("exit:\n%s", final)
	}
}
