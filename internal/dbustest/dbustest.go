//go:build linux

// Package dbustest gives tests D-Bus sessions of their own: one with an unlocked gnome-keyring (a
// real Secret Service), one whose keyring is locked, one where nothing provides the Secret
// Service, and the environment of a machine with no session bus at all. A test may stop a
// session's keyring daemon (SIGSTOP) without stalling other packages' tests, which share CI's
// session. The store's tests run children inside such sessions; the fault matrix (e2e/) runs the
// built program against them.
package dbustest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// SecretsName is the Secret Service's bus name.
const SecretsName = "org.freedesktop.secrets"

// RequireTool skips without a program, or fails under JCCONNECT_REQUIRE_KEYRING=1 (as in CI).
func RequireTool(t testing.TB, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err == nil {
		return
	}
	msg := fmt.Sprintf("%s is not installed (sudo apt-get install -y --no-install-recommends dbus gnome-keyring)", name)
	if os.Getenv("JCCONNECT_REQUIRE_KEYRING") == "1" {
		t.Fatal("JCCONNECT_REQUIRE_KEYRING=1 but " + msg)
	}
	t.Skip(msg)
}

// WithoutEnv drops the named variables from an environment list.
func WithoutEnv(environ []string, names ...string) []string {
	var kept []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		drop := false
		for _, n := range names {
			drop = drop || name == n
		}
		if !drop {
			kept = append(kept, kv)
		}
	}
	return kept
}

// NoBusEnv is env as on a machine with no session bus: no address, nothing to discover in
// XDG_RUNTIME_DIR, and no dbus-launch on PATH to autolaunch one. empty is an empty folder.
func NoBusEnv(env []string, empty string) []string {
	env = WithoutEnv(env, "DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR", "PATH")
	return append(env, "XDG_RUNTIME_DIR="+empty, "PATH="+empty)
}

// NoSecretServiceConfig writes a session bus configuration with no service directories: nothing
// can provide org.freedesktop.secrets. It returns the file's path.
func NoSecretServiceConfig(dir string) string {
	conf := filepath.Join(dir, "session.conf")
	os.WriteFile(conf, []byte(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=`+os.TempDir()+`</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`), 0o600)
	return conf
}

// Kind is the kind of session Start makes.
type Kind int

const (
	Unlocked        Kind = iota // gnome-keyring unlocked with a password: a working Secret Service
	Locked                      // gnome-keyring started without unlocking: its collection is locked
	NoSecretService             // a bus on which nothing provides org.freedesktop.secrets
)

// Session is a running private D-Bus session.
type Session struct {
	Address string // its DBUS_SESSION_BUS_ADDRESS
	Daemon  int    // the gnome-keyring-daemon serving it (0 for NoSecretService)
	cmd     *exec.Cmd
	stdin   interface{ Close() error }
}

// Env is environ pointed at the session (and away from any other).
func (s *Session) Env(environ []string) []string {
	return append(WithoutEnv(environ, "DBUS_SESSION_BUS_ADDRESS"), "DBUS_SESSION_BUS_ADDRESS="+s.Address)
}

// Start runs a session of the given kind until the test ends. The keyring daemon keeps its data
// in dataDir (outside any folder the test inspects).
func Start(t testing.TB, kind Kind, dataDir string) *Session {
	t.Helper()
	RequireTool(t, "dbus-run-session")
	var args []string
	switch kind {
	case Unlocked:
		RequireTool(t, "gnome-keyring-daemon")
		args = []string{"--", "sh", "-c", `echo -n ci | gnome-keyring-daemon --unlock --components=secrets >/dev/null && echo "$DBUS_SESSION_BUS_ADDRESS" && exec cat`}
	case Locked:
		RequireTool(t, "gnome-keyring-daemon")
		args = []string{"--", "sh", "-c", `gnome-keyring-daemon --start --components=secrets >/dev/null && echo "$DBUS_SESSION_BUS_ADDRESS" && exec cat`}
	case NoSecretService:
		args = []string{"--config-file=" + NoSecretServiceConfig(dataDir), "--", "sh", "-c", `echo "$DBUS_SESSION_BUS_ADDRESS" && exec cat`}
	}
	cmd := exec.Command("dbus-run-session", args...)
	cmd.Env = append(WithoutEnv(os.Environ(), "XDG_DATA_HOME", "DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "WAYLAND_DISPLAY"),
		"XDG_DATA_HOME="+dataDir)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &Session{cmd: cmd, stdin: stdin}
	t.Cleanup(s.close)
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		sc.Scan()
		lines <- sc.Text()
	}()
	select {
	case s.Address = <-lines:
	case <-time.After(30 * time.Second):
	}
	if s.Address == "" {
		t.Fatalf("the D-Bus session did not start: %s", stderr.String())
	}
	if kind != NoSecretService {
		if s.Daemon, err = KeyringDaemon(s.Address); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// close ends the session: its keyring daemon (resumed first, should a test have left it stopped)
// and the bus.
func (s *Session) close() {
	if s.Daemon != 0 {
		syscall.Kill(s.Daemon, syscall.SIGCONT)
		syscall.Kill(s.Daemon, syscall.SIGTERM)
	}
	s.stdin.Close() // ends cat, then dbus-run-session ends its bus
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
}

// Stop freezes the session's keyring daemon (SIGSTOP): the bus still answers, the Secret Service
// never does. The returned func resumes it.
func (s *Session) Stop(t testing.TB) (resume func()) {
	t.Helper()
	if err := syscall.Kill(s.Daemon, syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	resumed := false
	resume = func() {
		if !resumed {
			syscall.Kill(s.Daemon, syscall.SIGCONT)
			resumed = true
		}
	}
	t.Cleanup(resume)
	return resume
}

// KeyringDaemon finds the gnome-keyring-daemon serving the session at address: a process whose
// command line names gnome-keyring-daemon and whose environment has that
// DBUS_SESSION_BUS_ADDRESS, cross-checked with the bus's owner of org.freedesktop.secrets.
// Anything else (another session's daemon, a desktop keyring) is never returned, so a test can
// never stop it.
func KeyringDaemon(address string) (int, error) {
	owner, err := busOwnerPID(address)
	if err != nil {
		return 0, err
	}
	entries, _ := os.ReadDir("/proc")
	var found []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		cmdline, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if !bytes.Contains(cmdline, []byte("gnome-keyring-daemon")) {
			continue
		}
		environ, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "environ"))
		for _, kv := range bytes.Split(environ, []byte{0}) {
			if string(kv) == "DBUS_SESSION_BUS_ADDRESS="+address {
				found = append(found, pid)
			}
		}
	}
	for _, pid := range found {
		if pid == owner {
			return pid, nil
		}
	}
	return 0, fmt.Errorf("cannot identify the session's gnome-keyring-daemon (bus owner pid %d, candidates %v)", owner, found)
}

// busOwnerPID asks the bus at address which process owns org.freedesktop.secrets (retrying
// briefly: the daemon claims the name just after it starts).
func busOwnerPID(address string) (int, error) {
	conn, err := dbus.Dial(address)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	if err := conn.Auth(nil); err != nil {
		return 0, err
	}
	if err := conn.Hello(); err != nil {
		return 0, err
	}
	var pid uint32
	for end := time.Now().Add(10 * time.Second); ; {
		err = conn.BusObject().Call("org.freedesktop.DBus.GetConnectionUnixProcessID", 0, SecretsName).Store(&pid)
		if err == nil || time.Now().After(end) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		return 0, errors.Join(errors.New("no owner of "+SecretsName), err)
	}
	return int(pid), nil
}
