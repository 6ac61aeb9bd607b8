//go:build linux

package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// These tests use the real Secret Service of the current D-Bus session. They run in CI inside
// `dbus-run-session` with an unlocked gnome-keyring (store/testdata/keyring-session.sh), skip
// elsewhere with a message saying how to run them, and fail instead of skipping when
// JCCONNECT_REQUIRE_KEYRING=1. Items are written under unique profile names and removed after,
// so running them in a desktop session does not touch a real jcconnect key.

const howToRun = "run them with store/testdata/keyring-session.sh, or: " +
	"XDG_DATA_HOME=$(mktemp -d) dbus-run-session -- sh -c 'echo -n ci | gnome-keyring-daemon --unlock --components=secrets >/dev/null && go test ./store/...'"

var (
	secretServiceOnce   sync.Once
	secretServiceReason string // "" when usable
)

// requireSecretService skips (or fails, under JCCONNECT_REQUIRE_KEYRING=1) without a usable
// Secret Service: the doctor's checks must all pass.
func requireSecretService(t testing.TB) {
	t.Helper()
	secretServiceOnce.Do(func() {
		if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
			secretServiceReason = "DBUS_SESSION_BUS_ADDRESS is not set"
			return
		}
		var problems []string
		for _, c := range Diagnose(context.Background(), WithDeadlines(OSKeyring(), Deadlines{Read: 5 * time.Second, Write: 5 * time.Second})) {
			if !c.OK {
				problems = append(problems, c.Name+": "+c.Err.Error())
			}
		}
		secretServiceReason = strings.Join(problems, "; ")
	})
	if secretServiceReason == "" {
		return
	}
	if os.Getenv("JCCONNECT_REQUIRE_KEYRING") == "1" {
		t.Fatalf("JCCONNECT_REQUIRE_KEYRING=1 but there is no usable Secret Service (%s); %s", secretServiceReason, howToRun)
	}
	t.Skipf("no usable Secret Service (%s); %s", secretServiceReason, howToRun)
}

// uniqueProfile names a keyring item no real profile uses.
func uniqueProfile(t testing.TB) string {
	return fmt.Sprintf("jcconnect-test-%d-%d", os.Getpid(), time.Now().UnixNano()%1e9)
}

func osKeyringForTest() Keyring {
	return WithDeadlines(OSKeyring(), Deadlines{Read: 5 * time.Second, Write: 10 * time.Second})
}

func TestSecretServiceSetGetDelete(t *testing.T) {
	requireSecretService(t)
	k, user := osKeyringForTest(), uniqueProfile(t)
	t.Cleanup(func() { k.Delete(Service, user) })

	_, err := k.Get(Service, user)
	assertKind(t, err, ErrKeyNotFound)
	if err := k.Set(Service, user, testKeyOld); err != nil {
		t.Fatal(err)
	}
	if got, err := k.Get(Service, user); err != nil || got != testKeyOld {
		t.Fatalf("Get = %s, %v", Mask(got), err)
	}
	if err := k.Set(Service, user, testKeyNew); err != nil { // Set replaces the item
		t.Fatal(err)
	}
	if got, _ := k.Get(Service, user); got != testKeyNew {
		t.Fatalf("Get after overwrite = %s", Mask(got))
	}
	if err := k.Delete(Service, user); err != nil {
		t.Fatal(err)
	}
	assertKind(t, k.Delete(Service, user), ErrKeyNotFound)
}

func TestSecretServiceStoreLifecycle(t *testing.T) {
	requireSecretService(t)
	ctx := context.Background()
	name := uniqueProfile(t)
	s, err := Open(Options{Dir: t.TempDir(), Getenv: env{}.get}) // the default: OS keyring with deadlines
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Delete(ctx, name) })

	if err := s.Save(ctx, testProfile(name), testKeyOld+"\n"); err != nil {
		t.Fatal(err)
	}
	cred, err := s.Key(ctx, name)
	if err != nil || cred.Key != testKeyOld || cred.Source != SourceKeyring {
		t.Fatalf("Key = %s from %s, %v", Mask(cred.Key), cred.Source, err)
	}
	if err := s.Replace(ctx, testProfile(name), testKeyNew); err != nil {
		t.Fatal(err)
	}
	if cred, err := s.Key(ctx, name); err != nil || cred.Key != testKeyNew {
		t.Fatalf("Key after Replace = %s, %v", Mask(cred.Key), err)
	}

	// The item removed behind jcconnect's back: the metadata is there, the key is not.
	if err := OSKeyring().Delete(Service, name); err != nil {
		t.Fatal(err)
	}
	_, err = s.Key(ctx, name)
	assertKind(t, err, ErrKeyNotFound)

	// And the reverse: an item with no metadata.
	if err := OSKeyring().Set(Service, name, testKeyNew); err != nil {
		t.Fatal(err)
	}
	r, err := s.Delete(ctx, name)
	if err != nil || !r.KeyringRemoved || !r.ProfileRemoved {
		t.Fatalf("Delete = %+v, %v", r, err)
	}
	if err := OSKeyring().Set(Service, name, testKeyNew); err != nil {
		t.Fatal(err)
	}
	_, err = s.Key(ctx, name)
	assertKind(t, err, ErrOrphanKey)
}

func TestSecretServiceDoctor(t *testing.T) {
	requireSecretService(t)
	checks := Diagnose(context.Background(), osKeyringForTest())
	var names []string
	for _, c := range checks {
		names = append(names, c.Name)
		if !c.OK || c.Err != nil || c.Detail == "" {
			t.Errorf("check %+v", c)
		}
	}
	if strings.Join(names, ",") != "session bus,secret service,unlocked,round trip" {
		t.Fatalf("checks = %v", names)
	}
	if !strings.Contains(checks[1].Detail, "gnome-keyring-daemon") {
		t.Errorf("secret service detail %q does not name the daemon", checks[1].Detail)
	}
	// The probe cleaned up after itself.
	if _, err := OSKeyring().Get(ProbeService, probeUser); !errors.Is(err, ErrKeyNotFound) {
		t.Fatalf("probe item left behind: %v", err)
	}
}

func TestSecretServiceKilledDuringKeyWrite(t *testing.T) {
	requireSecretService(t)
	testKilledDuringKeyWrite(t, "secret-service", osKeyringForTest(), uniqueProfile(t))
}

// A Secret Service that stops answering (the daemon stopped with SIGSTOP) must give
// ErrKeyringTimeout within the deadline, for the store and for the doctor.
func TestSecretServiceWedged(t *testing.T) {
	requireSecretService(t)
	ctx := context.Background()
	name := uniqueProfile(t)
	const deadline = time.Second
	k := WithDeadlines(OSKeyring(), Deadlines{Read: deadline, Write: deadline})
	s, err := Open(Options{Keyring: k, Dir: t.TempDir(), Getenv: env{}.get})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Save(ctx, testProfile(name), testKeyOld); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Delete(ctx, name) })

	pid := sessionKeyringDaemon(t)
	if err := syscall.Kill(pid, syscall.SIGSTOP); err != nil {
		t.Fatal(err)
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
	_, err = s.Key(ctx, name)
	elapsed := time.Since(start)
	assertKind(t, err, ErrKeyringTimeout)
	t.Logf("timeout path against a stopped gnome-keyring-daemon: %v with a %v deadline", elapsed, deadline)
	if elapsed > deadline+2*time.Second {
		t.Fatalf("ErrKeyringTimeout after %v; the deadline is %v", elapsed, deadline)
	}

	start = time.Now()
	err = s.Replace(ctx, testProfile(name), testKeyNew)
	assertKind(t, err, ErrKeyringTimeout)
	if !strings.Contains(err.Error(), "nothing was changed") {
		t.Fatalf("Replace against a wedged keyring: %v", err)
	}
	t.Logf("Replace against a stopped daemon gave up after %v", time.Since(start))

	checks := Diagnose(ctx, k)
	byName := map[string]Check{}
	for _, c := range checks {
		byName[c.Name] = c
	}
	if !byName["session bus"].OK || !byName["secret service"].OK {
		t.Errorf("the bus itself still answers: %+v", checks)
	}
	for _, n := range []string{"unlocked", "round trip"} {
		if c := byName[n]; c.OK || !errors.Is(c.Err, ErrKeyringTimeout) || c.Fix == "" {
			t.Errorf("doctor %s = %+v; want a timeout with its fix", n, c)
		}
	}

	// Once the daemon answers again, so does the store (the abandoned calls drain first).
	resume()
	if cred, err := s.Key(ctx, name); err != nil || cred.Key != testKeyOld {
		t.Fatalf("Key after SIGCONT = %s, %v", Mask(cred.Key), err)
	}
}

// sessionKeyringDaemon finds the gnome-keyring-daemon serving this test's session: a process
// whose command line names gnome-keyring-daemon and whose environment has this session's
// DBUS_SESSION_BUS_ADDRESS, cross-checked with the bus's owner of org.freedesktop.secrets.
// Anything else (another user's daemon, a desktop keyring) is never stopped.
func sessionKeyringDaemon(t *testing.T) int {
	t.Helper()
	address := os.Getenv("DBUS_SESSION_BUS_ADDRESS")
	owner := busOwnerPID(t)
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
			return pid
		}
	}
	t.Skipf("cannot identify this session's gnome-keyring-daemon safely (bus owner pid %d, candidates %v); "+
		"the wedged-service test only stops a daemon started for the test session: %s", owner, found, howToRun)
	return 0
}

func busOwnerPID(t *testing.T) int {
	conn, err := dbus.SessionBusPrivateNoAutoStartup()
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.Auth(nil); err != nil {
		t.Fatal(err)
	}
	if err := conn.Hello(); err != nil {
		t.Fatal(err)
	}
	var pid uint32
	if err := conn.BusObject().Call("org.freedesktop.DBus.GetConnectionUnixProcessID", 0, secretsName).Store(&pid); err != nil {
		t.Fatal(err)
	}
	return int(pid)
}
