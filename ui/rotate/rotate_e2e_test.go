package rotate

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"jcconnect/connect"
	"jcconnect/internal/uitest"
	"jcconnect/jumpcloud/jctest"
	"jcconnect/store"
)

// The rotation end to end, as an admin does it: the built binary in a real terminal (tmux), the
// key in the real Secret Service, JumpCloud played by jctest over loopback. The admin opens
// `jcconnect rotate`, reads the explanation, generates the new key in the "console" only then
// (jctest.RotateKey, which revokes the old key at once, like the console), pastes it, and the
// rotation confirms the old key is revoked. Runs in CI (.ci/run provides tmux and an unlocked
// gnome-keyring); skipped elsewhere without them.

// rotateE2E is a profile set up with the old key in the real keyring, for a rotation to run on.
type rotateE2E struct {
	bin, cfgDir, profile string
	srv                  *jctest.Server
	oldKey               string
	run                  func(stdin string, args ...string) (string, int)
}

func newRotateE2E(t *testing.T, socket string) *rotateE2E {
	t.Helper()
	e := newRotateWorld(t, socket)
	e.oldKey = e.srv.Keys.ReadOnly
	if out, code := e.run(e.oldKey+"\n", "setup", "--with-key", "--base-url", e.srv.URL); code != 0 {
		t.Fatalf("setup --with-key: exit %d\n%s", code, out)
	}
	return e
}

// newRotateWorld is the sandbox, the built binary and a private config folder, with nothing set
// up yet; the profile is logged out (its keyring item removed) when the test ends.
func newRotateWorld(t *testing.T, socket string) *rotateE2E {
	t.Helper()
	uitest.RequireTmux(t)
	uitest.RequireRealKeyring(t)
	e := &rotateE2E{bin: uitest.Binary(t), cfgDir: filepath.Join(t.TempDir(), "config")}
	e.srv = jctest.NewServer(jctest.Options{Devices: 30, Seed: 11})
	t.Cleanup(e.srv.Close)
	// A profile name no real profile uses: the keyring item is jcconnect/<profile>.
	e.profile = fmt.Sprintf("e2e-%s-%d", socket, os.Getpid())
	e.run = func(stdin string, args ...string) (string, int) {
		cmd := exec.Command(e.bin, append(args, "--profile", e.profile)...)
		cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+e.cfgDir, "JUMPCLOUD_API_KEY=", "JUMPCLOUD_ORG_ID=",
			"JUMPCLOUD_CLIENT_ID=", "JUMPCLOUD_CLIENT_SECRET=")
		cmd.Stdin = strings.NewReader(stdin)
		out, _ := cmd.CombinedOutput()
		return string(out), cmd.ProcessState.ExitCode()
	}
	t.Cleanup(func() { e.run("", "logout", "--yes") })
	return e
}

// start runs `jcconnect rotate ARGS` in a tmux session of its own.
func (e *rotateE2E) start(t *testing.T, socket string, args ...string) *uitest.Tmux {
	t.Helper()
	tt := &uitest.Tmux{T: t, Socket: fmt.Sprintf("%s-%d", socket, os.Getpid()), Session: "rotate"}
	t.Cleanup(func() { tt.Run("kill-server") })
	script := fmt.Sprintf("XDG_CONFIG_HOME=%s JUMPCLOUD_API_KEY= JUMPCLOUD_CLIENT_ID= JUMPCLOUD_CLIENT_SECRET= %s rotate --profile %s %s; echo \"EXIT=$?\"; sleep 600",
		e.cfgDir, e.bin, e.profile, strings.Join(args, " "))
	if out, err := tt.Run("new-session", "-d", "-s", tt.Session, "-x", "100", "-y", "34", script); err != nil {
		t.Fatalf("tmux new-session: %v: %s", err, out)
	}
	return tt
}

// The accessible rotation reads the new key with echo off: typed at its prompt, the key never
// reaches the screen (it used to be read as a plain line and echoed by the terminal).
func TestE2ETmuxRotateAccessibleHidesTheKey(t *testing.T) {
	e := newRotateE2E(t, "jcrota")
	tt := e.start(t, "jcrota", "--accessible")
	tt.WaitFor("Paste the new API key")
	newKey := e.srv.RotateKey(e.oldKey)
	tt.TypeText(newKey)
	// The half of the key typed so far must not show either, before enter.
	if screen := tt.Capture(); strings.Contains(screen, newKey[len(newKey)-8:]) {
		t.Fatalf("the typed key is echoed:\n%s", screen)
	}
	tt.Send("Enter")
	final := tt.WaitFor("EXIT=")
	t.Logf("after exit:\n%s", strings.TrimRight(final, "\n "))
	if !strings.Contains(final, "EXIT=0") {
		t.Fatalf("rotate --accessible did not exit 0:\n%s", final)
	}
	for _, k := range []string{newKey, e.oldKey, newKey[len(newKey)-12:]} {
		if strings.Contains(final, k) {
			t.Fatalf("a key (or its tail) is on the screen:\n%s", final)
		}
	}
	if !strings.Contains(final, "Old key revoked") && !strings.Contains(final, "revoked") {
		t.Errorf("the old key's revocation is not confirmed:\n%s", final)
	}
}

func TestE2ETmuxRotateWithRealKeyring(t *testing.T) {
	e := newRotateE2E(t, "jcrot")
	srv, oldKey, run := e.srv, e.oldKey, e.run
	tt := e.start(t, "jcrot")
	shot := func(what, screen string) { t.Logf("%s:\n%s", what, strings.TrimRight(screen, "\n ")) }

	shot("the stored key, checked live, and the order explained", tt.WaitFor("How this works"))
	tt.Send("Enter")
	tt.WaitFor("Paste the new key")

	// Only now does the admin click Generate New API Key: the old key stops working at once.
	newKey := srv.RotateKey(oldKey)
	tt.TypeText(newKey)
	screen := tt.WaitFor("40 characters")
	if strings.Contains(screen, newKey) {
		t.Fatal("the pasted key is shown in clear")
	}
	tt.Send("Enter")
	shot("the new key verified live", tt.WaitFor("The key works"))
	tt.Send("Enter")
	shot("stored, and the old key's revocation confirmed", tt.WaitFor("Old key revoked: confirmed"))
	tt.Send("Enter")
	final := tt.WaitFor("EXIT=")
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
	var r connect.StatusReport
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
