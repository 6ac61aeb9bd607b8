package wizard

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"jcconnect/internal/uitest"
	"jcconnect/jumpcloud/jctest"
)

// The service-account way end to end in a real terminal: the built binary in tmux, the client
// secret stored in the real Secret Service, JumpCloud played by jctest over loopback. The admin
// chooses the service account on step 1, types the Client ID (visible) and the Client Secret
// (masked), and the wizard verifies, saves and previews; status then reads it from the keyring.
func TestE2ETmuxServiceAccountWizardWithRealKeyring(t *testing.T) {
	e := startSATerminal(t, "jcwizsa", 110, 34, "")
	srv, tt, run := e.srv, e.tt, e.run
	sa := srv.ServiceAccounts.ReadOnly
	shot := func(what, screen string) { t.Logf("%s:\n%s", what, strings.TrimRight(screen, "\n ")) }

	shot("step 1 offers both ways", tt.WaitFor("Service account (recommended for integrations: not tied to a person)"))
	for range len(welcomeOptions) {
		tt.Send("Up")
	}
	tt.Send("Enter")
	shot("the service account's console checklist", tt.WaitFor("Step 2 of 7: Create a service account"))
	tt.Send("Enter")
	tt.WaitFor("Step 3 of 7: Paste the Client ID")
	tt.TypeText(sa.ClientID)
	shot("the client id, visible", tt.WaitFor(sa.ClientID))
	tt.Send("Enter")
	tt.WaitFor("Step 4 of 7: Paste the Client Secret")
	tt.TypeText(sa.ClientSecret)
	screen := tt.WaitFor(fmt.Sprintf("%d characters", len(sa.ClientSecret)))
	if strings.Contains(screen, sa.ClientSecret) || strings.Contains(screen, sa.ClientSecret[:12]) {
		t.Fatal("the client secret is shown in clear")
	}
	tt.Send("Enter")
	shot("verified live", tt.WaitFor("The service account works"))
	tt.Send("Enter")
	tt.WaitFor("Press enter to save")
	tt.Send("Enter")
	tt.WaitFor("Saved.")
	tt.Send("Enter")
	shot("the preview, collected through the service account", tt.WaitFor("Connected: "))
	tt.Send("Enter")
	final := tt.WaitFor("EXIT=")
	shot("after exit", final)
	if !strings.Contains(final, "EXIT=0") {
		t.Fatalf("setup did not exit 0:\n%s", final)
	}
	if strings.Contains(final, sa.ClientSecret) {
		t.Fatal("the client secret was printed")
	}
	if !strings.Contains(final, "Service account "+sa.ClientID+", client secret …") {
		t.Errorf("the closing line does not name the service account:\n%s", final)
	}

	// A new process reads the secret back from the real keyring and checks it live.
	out, code := run("status", "--json", "--base-url", srv.URL, "--token-url", srv.TokenURL)
	var st struct {
		Profiles []struct{ Kind, ClientID, KeySource string }
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil || code != 0 || len(st.Profiles) != 1 {
		t.Fatalf("status: exit %d, %v\n%s", code, err, out)
	}
	if p := st.Profiles[0]; p.Kind != "service_account" || p.ClientID != sa.ClientID || p.KeySource != "keyring" {
		t.Fatalf("status: %+v", p)
	}
}

// saTerminal is a setup against a jctest organisation in tmux, for the service-account tests: the
// built binary with a private config folder, a profile of its own (logged out when the test
// ends, so the real Secret Service keeps nothing) and the sandbox's --base-url and --token-url.
type saTerminal struct {
	srv *jctest.Server
	tt  *uitest.Tmux
	run func(args ...string) (string, int) // another jcconnect command on the same profile
}

// startSATerminal starts `jcconnect setup ARGS --base-url … --token-url … --profile …` in a
// width×height tmux pane, which keeps the last words and "EXIT=code" on screen.
func startSATerminal(t *testing.T, socket string, width, height int, args string) *saTerminal {
	uitest.RequireTmux(t)
	uitest.RequireRealKeyring(t)
	bin := uitest.Binary(t)
	srv := jctest.NewServer(jctest.Options{Devices: 20, Seed: 12})
	t.Cleanup(srv.Close)
	cfgDir := filepath.Join(t.TempDir(), "config")
	profile := fmt.Sprintf("e2e-%s-%d", socket, os.Getpid()) // the keyring item is jcconnect/<profile>
	vars := []string{"XDG_CONFIG_HOME=" + cfgDir, "JUMPCLOUD_API_KEY=", "JUMPCLOUD_ORG_ID=", "JUMPCLOUD_CLIENT_ID=", "JUMPCLOUD_CLIENT_SECRET="}
	e := &saTerminal{srv: srv, tt: &uitest.Tmux{T: t, Socket: fmt.Sprintf("%s-%d", socket, os.Getpid()), Session: "setup"}}
	e.run = func(args ...string) (string, int) {
		cmd := exec.Command(bin, append(args, "--profile", profile)...)
		cmd.Env = append(os.Environ(), vars...)
		out, _ := cmd.Output()
		return string(out), cmd.ProcessState.ExitCode()
	}
	t.Cleanup(func() { e.run("logout", "--yes") })
	t.Cleanup(func() { e.tt.Run("kill-server") })
	script := fmt.Sprintf("%s %s setup %s --base-url %s --token-url %s --profile %s; echo \"EXIT=$?\"; sleep 600",
		strings.Join(vars, " "), bin, args, srv.URL, srv.TokenURL, profile)
	if out, err := e.tt.Run("new-session", "-d", "-s", e.tt.Session, "-x", fmt.Sprint(width), "-y", fmt.Sprint(height), script); err != nil {
		t.Fatalf("tmux new-session: %v: %s", err, out)
	}
	return e
}
