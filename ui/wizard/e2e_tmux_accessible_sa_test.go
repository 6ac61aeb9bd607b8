package wizard

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"jcconnect/internal/uitest"
	"jcconnect/jumpcloud/jctest"
)

// `setup --accessible` on the service-account way in a real terminal: the built binary in tmux,
// the Client ID typed in clear, the client secret typed at the hidden prompt, stored in the real
// Secret Service. The secret (or any tail of it) never appears in capture-pane, before or after
// enter.
func TestE2ETmuxAccessibleServiceAccountHidesTheSecret(t *testing.T) {
	uitest.RequireTmux(t)
	uitest.RequireRealKeyring(t)
	bin := uitest.Binary(t)
	srv := jctest.NewServer(jctest.Options{Devices: 12, Seed: 14})
	t.Cleanup(srv.Close)
	sa := srv.ServiceAccounts.ReadOnly
	cfgDir := filepath.Join(t.TempDir(), "config")
	profile := fmt.Sprintf("e2e-acc-sa-%d", os.Getpid())
	vars := "XDG_CONFIG_HOME=" + cfgDir + " JUMPCLOUD_API_KEY= JUMPCLOUD_ORG_ID= JUMPCLOUD_CLIENT_ID= JUMPCLOUD_CLIENT_SECRET="
	t.Cleanup(func() {
		cmd := exec.Command(bin, "logout", "--yes", "--profile", profile)
		cmd.Env = append(os.Environ(), strings.Fields(vars)...)
		_ = cmd.Run()
	})
	tt := &uitest.Tmux{T: t, Socket: fmt.Sprintf("jcaccsa-%d", os.Getpid()), Session: "accessible"}
	t.Cleanup(func() { tt.Run("kill-server") })
	script := fmt.Sprintf("%s %s setup --accessible --region us --base-url %s --token-url %s --profile %s; echo \"EXIT=$?\"; sleep 600",
		vars, bin, srv.URL, srv.TokenURL, profile)
	if out, err := tt.Run("new-session", "-d", "-s", tt.Session, "-x", "120", "-y", "60", script); err != nil {
		t.Fatalf("tmux new-session: %v: %s", err, out)
	}
	tt.WaitFor("How should jcconnect connect?")
	tt.TypeText("1")
	tt.Send("Enter")
	tt.WaitFor("Which integrations")
	tt.Send("Enter")
	tt.WaitFor("copied the Client ID and the Client Secret")
	tt.Send("Enter")
	tt.WaitFor("Paste the service account's Client ID")
	tt.TypeText(sa.ClientID)
	tt.Send("Enter")
	tt.WaitFor("Paste the client secret and press enter (it is not shown)")
	tt.TypeText(sa.ClientSecret)
	if screen := tt.Capture(); strings.Contains(screen, sa.ClientSecret[len(sa.ClientSecret)-8:]) {
		t.Fatalf("the typed secret is echoed:\n%s", screen)
	}
	tt.Send("Enter")
	tt.WaitFor("Press enter to save")
	tt.Send("Enter")
	final := tt.WaitFor("EXIT=")
	t.Logf("after exit:\n%s", strings.TrimRight(final, "\n "))
	if !strings.Contains(final, "EXIT=0") || !strings.Contains(final, "Service account accepted") ||
		!strings.Contains(final, "service account "+sa.ClientID) {
		t.Fatalf("setup --accessible did not store the service account:\n%s", final)
	}
	for _, s := range []string{sa.ClientSecret, sa.ClientSecret[:12], sa.ClientSecret[len(sa.ClientSecret)-12:]} {
		if strings.Contains(final, s) {
			t.Fatalf("the client secret (or part of it) is on the screen:\n%s", final)
		}
	}
}
