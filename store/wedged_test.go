//go:build linux

package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"jcconnect/internal/dbustest"
)

// A Secret Service that stops answering (its daemon stopped with SIGSTOP) must give
// ErrKeyringTimeout within the deadline, in the store and in the doctor, and the store must work
// again once the daemon resumes.
//
// It runs in a D-Bus session of its own (a child of this test under dbus-run-session with its own
// unlocked gnome-keyring), so that stopping the daemon cannot stall another package's tests
// sharing CI's session. The child finds the daemon serving its session, stops it, and reports.
func TestSecretServiceWedged(t *testing.T) {
	dbustest.RequireTool(t, "dbus-run-session")
	dbustest.RequireTool(t, "gnome-keyring-daemon")
	child := childCommand(t, "wedged")
	cmd := exec.Command("dbus-run-session", "--", "sh", "-c",
		`echo -n ci | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$0"`, child.Path)
	cmd.Env = append(dbustest.WithoutEnv(child.Env, "XDG_DATA_HOME"), "XDG_DATA_HOME="+t.TempDir())
	got := childOutcomes(t, cmd)
	t.Logf("timeout path against a stopped gnome-keyring-daemon (pid %s): Key gave up after %s, Replace after %s, the doctor after %s, with a %s deadline",
		got["daemon"], got["key.elapsed"], got["replace.elapsed"], got["doctor.elapsed"], wedgedDeadline)
	assertOutcomes(t, got, map[string]string{
		"key":                    kindTimeout,
		"key.within":             "true",
		"replace":                kindTimeout,
		"replace.message":        "nothing was changed",
		"replace.no-second-wait": "true",
		"doctor.no-second-wait":  "true",
		"check.session bus":      "ok",
		"check.secret service":   "ok", // the bus answers for it
		"check.unlocked":         kindTimeout,
		"check.round trip":       kindTimeout,
		"after.resume":           "ok",
	})
}

const wedgedDeadline = time.Second

func init() { childRoles["wedged"] = childWedged }

func childWedged() error {
	ctx := context.Background()
	k := WithDeadlines(OSKeyring(), Deadlines{Read: wedgedDeadline, Write: wedgedDeadline})
	dir, err := os.MkdirTemp("", "jcconnect-wedged-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	s, err := Open(Options{Keyring: k, Dir: dir, Getenv: env{}.get})
	if err != nil {
		return err
	}
	if err := s.Save(ctx, testProfile("work"), Secret{testKeyOld}); err != nil {
		return fmt.Errorf("save before stopping the daemon: %w", err)
	}

	pid, err := dbustest.KeyringDaemon(os.Getenv("DBUS_SESSION_BUS_ADDRESS"))
	if err != nil {
		return err
	}
	fmt.Printf("daemon=%d\n", pid)
	if err := syscall.Kill(pid, syscall.SIGSTOP); err != nil {
		return err
	}
	resumed := false
	resume := func() {
		if !resumed {
			syscall.Kill(pid, syscall.SIGCONT)
			resumed = true
		}
	}
	defer resume()

	start := time.Now()
	_, err = s.Key(ctx, "work")
	elapsed := time.Since(start)
	// "Within the deadline": the deadline plus scheduling slack on a loaded CI machine.
	fmt.Printf("key=%s\nkey.elapsed=%s\nkey.within=%t\n", outcome(err), elapsed, elapsed < wedgedDeadline+2*time.Second)

	start = time.Now()
	err = s.Replace(ctx, testProfile("work"), Secret{testKeyNew})
	// One deadline per command: the keyring already timed out, so Replace and the doctor below
	// do not wait a deadline of their own.
	fmt.Printf("replace=%s\nreplace.message=%v\nreplace.elapsed=%s\nreplace.no-second-wait=%t\n",
		outcome(err), err, time.Since(start), time.Since(start) < wedgedDeadline)

	start = time.Now()
	for _, c := range Diagnose(ctx, k) {
		fmt.Printf("check.%s=%s\ncheck.%s.fix=%s\n", c.Name, outcome(c.Err), c.Name, c.Fix)
	}
	fmt.Printf("doctor.elapsed=%s\ndoctor.no-second-wait=%t\n", time.Since(start), time.Since(start) < wedgedDeadline)

	// Once the daemon answers again, so does the store: the abandoned calls drain first (until
	// then the store does not ask a keyring known not to answer).
	resume()
	var cred Credential
	for end := time.Now().Add(10 * time.Second); ; {
		cred, err = s.Key(ctx, "work")
		if !errors.Is(err, ErrKeyringTimeout) || time.Now().After(end) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err == nil && cred.Key.Reveal() != testKeyOld {
		err = errors.New("a different key came back")
	}
	fmt.Printf("after.resume=%s\n", outcome(err))
	return nil
}
