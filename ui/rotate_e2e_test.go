package ui

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"jcconnect/jumpcloud/jctest"
	"jcconnect/store"
)

// The rotation end to end, as an admin does it: the built binary in a real terminal (tmux), the
// key in the real Secret Service, JumpCloud played by jctest over loopback. The admin opens
// `jcconnect rotate`, reads the explanation, generates the new key in the "console" only then
// (jctest.RotateKey, which revokes the old key at once, like the console), pastes it, and the
// rotation confirms the old key is revoked. Runs in CI (.ci/run provides tmux and an unlocked
// gnome-keyring); skipped elsewhere without them.

// requireRealKeyring skips (or fails under JCCONNECT_REQUIRE_KEYRING=1) without a usable Secret
// Service: every keyring doctor check must pass.
func requireRealKeyring(t *testing.T) {
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

func TestE2ETmuxRotateWithRealKeyring(t *testing.T) {
	requireTmux(t)
	requireRealKeyring(t)
	bin := jcconnectBinary(t)
	dir := t.TempDir()
	srv := jctest.NewServer(jctest.Options{Devices: 30, Seed: 11})
	defer srv.Close()
	oldKey := srv.Keys.ReadOnly

	// A profile name no real profile uses: the keyring item is jcconnect/<profile>.
	profile := fmt.Sprintf("e2e-rotate-%d", os.Getpid())
	cfgDir := filepath.Join(dir, "config")
	run := func(stdin string, args ...string) (string, int) {
		cmd := exec.Command(bin, append(args, "--profile", profile)...)
		cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+cfgDir, "JUMPCLOUD_API_KEY=", "JUMPCLOUD_ORG_ID=")
		cmd.Stdin = strings.NewReader(stdin)
		out, _ := cmd.CombinedOutput()
		return string(out), cmd.ProcessState.ExitCode()
	}
	t.Cleanup(func() { run("", "logout", "--yes") })

	if out, code := run(oldKey+"\n", "setup", "--with-key", "--base-url", srv.URL); code != 0 {
		t.Fatalf("setup --with-key: exit %d\n%s", code, out)
	}

	tt := &tmuxTerm{t: t, socket: fmt.Sprintf("jcrot-%d", os.Getpid()), session: "rotate"}
	t.Cleanup(func() { tt.tmux("kill-server") })
	script := fmt.Sprintf("XDG_CONFIG_HOME=%s JUMPCLOUD_API_KEY= %s rotate --profile %s; echo \"EXIT=$?\"; sleep 600",
		cfgDir, bin, profile)
	if out, err := tt.tmux("new-session", "-d", "-s", tt.session, "-x", "100", "-y", "34", script); err != nil {
		t.Fatalf("tmux new-session: %v: %s", err, out)
	}
	shot := func(what, screen string) { t.Logf("%s:\n%s", what, strings.TrimRight(screen, "\n ")) }

	shot("the stored key, checked live, and the order explained", tt.waitFor("How this works"))
	tt.send("Enter")
	tt.waitFor("Paste the new key")

	// Only now does the admin click Generate New API Key: the old key stops working at once.
	newKey := srv.RotateKey(oldKey)
	tt.typeText(newKey)
	screen := tt.waitFor("40 characters")
	if strings.Contains(screen, newKey) {
		t.Fatal("the pasted key is shown in clear")
	}
	tt.send("Enter")
	shot("the new key verified live", tt.waitFor("The key works"))
	tt.send("Enter")
	shot("stored, and the old key's revocation confirmed", tt.waitFor("Old key revoked: confirmed"))
	tt.send("Enter")
	final := tt.waitFor("EXIT=")
	shot("after exit", final)
	if !strings.Contains(final, "EXIT=0") {
		t.Fatalf("rotate did not exit 0:\n%s", final)
	}
	if strings.Contains(final, newKey) || strings.Contains(final, oldKey) {
		t.Fatal("a key was printed in clear")
	}

	// The keyring now holds the new key, and it works: status reads it back from the keyring.
	out, code := run("", "status", "--json")
	if code != 0 {
		t.Fatalf("status after rotation: exit %d\n%s", code, out)
	}
	var r StatusReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("status --json: %v\n%s", err, out)
	}
	ps := r.Profiles[0]
	if ps.KeySource != store.SourceKeyring || ps.Fingerprint != store.Fingerprint(newKey) || ps.RotatedAt == nil {
		t.Errorf("after rotation: source %s fingerprint %s rotated %v", ps.KeySource, ps.Fingerprint, ps.RotatedAt)
	}
	if time.Since(*ps.RotatedAt) > time.Hour {
		t.Errorf("rotatedAt %s is not now", ps.RotatedAt)
	}
}
