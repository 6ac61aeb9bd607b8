//go:build linux

package store

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"jcconnect/internal/dbustest"
)

// Each test below starts this test binary in a D-Bus environment that is broken in one way, and
// checks that the child met the typed outcome (with the message observed with go-keyring v0.2.8)
// in the keyring, in Save and in the doctor:
//   - no session bus at all (no address, nothing to discover, no dbus-launch to autolaunch);
//   - a session bus on which nothing provides org.freedesktop.secrets;
//   - a gnome-keyring whose login collection was never unlocked.

func init() { childRoles["keyring-outcomes"] = childKeyringOutcomes }

func childKeyringOutcomes() error {
	ctx := context.Background()
	k := WithDeadlines(OSKeyring(), Deadlines{Read: 5 * time.Second, Write: 5 * time.Second})
	_, err := k.Get(Service, "jcconnect-test-outcomes")
	fmt.Printf("get=%s\nget.message=%v\nget.fix=%s\n", outcome(err), err, Fix(err))
	err = k.Set(ProbeService, "outcomes", "probe")
	fmt.Printf("set=%s\n", outcome(err))

	dir, err := os.MkdirTemp("", "jcconnect-outcomes-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	s, err := Open(Options{Keyring: k, Dir: dir, Getenv: env{}.get})
	if err != nil {
		return err
	}
	err = s.Save(ctx, testProfile("work"), Secret{testKeyOld})
	fmt.Printf("save=%s\nsave.message=%v\n", outcome(err), err)
	_, err = s.Profile("work")
	fmt.Printf("profile.after.save=%s\n", outcome(err))

	for _, c := range Diagnose(ctx, k) {
		fmt.Printf("check.%s=%s\ncheck.%s.fix=%s\ncheck.%s.message=%v\n", c.Name, outcome(c.Err), c.Name, c.Fix, c.Name, c.Err)
	}
	return nil
}

// assertOutcomes checks a child's report: each key's value, and that fixes are present.
func assertOutcomes(t *testing.T, got map[string]string, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if !strings.HasPrefix(got[k], v) {
			t.Errorf("%s = %q; want %q", k, got[k], v)
		}
	}
	for k, v := range got {
		if strings.HasSuffix(k, ".fix") && strings.HasPrefix(got[strings.TrimSuffix(k, ".fix")], "ok") == (v != "") {
			t.Errorf("%s = %q for outcome %q", k, v, got[strings.TrimSuffix(k, ".fix")])
		}
	}
	if t.Failed() {
		t.Logf("child report: %v", got)
	}
}

func TestNoSessionBus(t *testing.T) {
	empty := t.TempDir()
	cmd := childCommand(t, "keyring-outcomes")
	// Nothing to discover in XDG_RUNTIME_DIR, and no dbus-launch on PATH to autolaunch a bus.
	cmd.Env = dbustest.NoBusEnv(cmd.Env, empty)
	got := childOutcomes(t, cmd)
	assertOutcomes(t, got, map[string]string{
		"get":                  kindNoSessionBus,
		"get.message":          `keyring get for profile "jcconnect-test-outcomes": no D-Bus session bus`,
		"set":                  kindNoSessionBus,
		"save":                 kindNoSessionBus,
		"save.message":         "nothing was changed",
		"profile.after.save":   kindNoProfile,
		"check.session bus":    kindNoSessionBus,
		"check.secret service": "untyped: not checked",
		"check.unlocked":       "untyped: not checked",
		"check.round trip":     kindNoSessionBus,
	})
	if !strings.Contains(got["get.message"], `exec: "dbus-launch": executable file not found`) {
		t.Errorf("get.message = %q; want the observed dbus-launch error as the cause", got["get.message"])
	}
}

func TestNoSecretService(t *testing.T) {
	dbustest.RequireTool(t, "dbus-run-session")
	// A session bus with no service directories: nothing can provide org.freedesktop.secrets.
	conf := dbustest.NoSecretServiceConfig(t.TempDir())
	child := childCommand(t, "keyring-outcomes")
	cmd := exec.Command("dbus-run-session", "--config-file="+conf, "--", child.Path)
	cmd.Env = child.Env
	got := childOutcomes(t, cmd)
	assertOutcomes(t, got, map[string]string{
		"get":                  kindNoSecretService,
		"get.message":          `keyring get for profile "jcconnect-test-outcomes": no Secret Service`,
		"set":                  kindNoSecretService,
		"save":                 kindNoSecretService,
		"profile.after.save":   kindNoProfile,
		"check.session bus":    "ok",
		"check.secret service": kindNoSecretService,
		"check.unlocked":       "untyped: not checked",
		"check.round trip":     kindNoSecretService,
	})
	if !strings.Contains(got["get.message"], "The name org.freedesktop.secrets was not provided by any .service files") {
		t.Errorf("get.message = %q; want the observed D-Bus error as the cause", got["get.message"])
	}
}

func TestLockedKeyring(t *testing.T) {
	dbustest.RequireTool(t, "dbus-run-session")
	dbustest.RequireTool(t, "gnome-keyring-daemon")
	// gnome-keyring started without --unlock: the login collection is locked, and with no
	// display the unlock prompt cannot be shown.
	child := childCommand(t, "keyring-outcomes")
	cmd := exec.Command("dbus-run-session", "--", "sh", "-c",
		`gnome-keyring-daemon --start --components=secrets >/dev/null && exec "$0"`, child.Path)
	cmd.Env = append(dbustest.WithoutEnv(child.Env, "XDG_DATA_HOME", "DISPLAY", "WAYLAND_DISPLAY"), "XDG_DATA_HOME="+t.TempDir())
	got := childOutcomes(t, cmd)
	assertOutcomes(t, got, map[string]string{
		"get":                  kindLocked,
		"get.message":          `keyring get for profile "jcconnect-test-outcomes": the keyring is locked`,
		"set":                  kindLocked,
		"save":                 kindLocked,
		"profile.after.save":   kindNoProfile,
		"check.session bus":    "ok",
		"check.secret service": "ok",
		"check.unlocked":       kindLocked,
		"check.round trip":     kindLocked,
	})
	if !strings.Contains(got["get.message"], "failed to unlock correct collection") {
		t.Errorf("get.message = %q; want the observed go-keyring error as the cause", got["get.message"])
	}
}
