//go:build linux

package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"jcconnect/internal/dbustest"
	"jcconnect/jumpcloud/jctest"
	"jcconnect/store"
)

// The fault matrix runs the built program the way a user or a cron job runs it: a fresh HOME
// and XDG folders per scenario, a private D-Bus session with a real gnome-keyring (or a broken
// one), a jctest organisation on loopback or a fault server written here, and the configured
// deadlines set small. The binary is built once, with -tags jcconnect_faults, which adds only
// the store's pause points (store/stephook_faults.go) used to kill it mid-write.

// The configured deadlines every scenario runs with, and the bounds are multiples of.
const (
	keyringDeadline = 2 * time.Second // JCCONNECT_KEYRING_TIMEOUT
	httpDeadline    = time.Second     // JCCONNECT_HTTP_TIMEOUT
)

var program string // the built program

// childRoleEnv selects a helper role when the test binary is run as a child (a foreign keyring
// item writer, a lock holder).
const childRoleEnv = "JCCONNECT_E2E_CHILD"

func TestMain(m *testing.M) {
	if role := os.Getenv(childRoleEnv); role != "" {
		os.Exit(runChild(role))
	}
	flag.Parse()
	code := 0
	if p := os.Getenv("E2E_PROGRAM"); p != "" && !testing.Short() {
		// A program built elsewhere (another branch, a release): rows that kill it at a key
		// write's steps need the jcconnect_faults tag and fail without it.
		program = p
	} else if !testing.Short() {
		dir, err := os.MkdirTemp("", "jcconnect-faults-")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		program = filepath.Join(dir, "jcconnect")
		build := exec.Command("go", "build", "-tags", "jcconnect_faults", "-o", program, ".")
		build.Dir = ".."
		if out, err := build.CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
			os.RemoveAll(dir)
			os.Exit(1)
		}
	}
	code = m.Run()
	if program != "" && os.Getenv("E2E_PROGRAM") == "" {
		os.RemoveAll(filepath.Dir(program))
	}
	os.Exit(code)
}

// keyringKind is the keyring a scenario's commands see.
type keyringKind int

const (
	kUnlocked  keyringKind = iota // a private session with an unlocked gnome-keyring
	kLocked                       // its collection locked, no prompt possible
	kNoService                    // a bus, but nothing provides the Secret Service
	kNoBus                        // no session bus at all
)

// world is one scenario's machine: folders, keyring session, API server, and everything the
// program printed or wrote (for the canary).
type world struct {
	t        *testing.T
	root     string
	home     string // HOME, with the XDG folders inside
	out      string // the export folder
	keyData  string // the keyring daemon's own data (encrypted; outside what is scanned)
	session  *dbustest.Session
	kind     keyringKind
	srv      *jctest.Server
	key      string                                          // the canary key set up first (the server's Read Only key)
	keyB     string                                          // a second key of another Read Only admin (rotation)
	env      map[string]string                               // extra environment for this scenario
	stopAt   string                                          // JCCONNECT_FAULT_STOP_AT for the command under test
	resume   string                                          // JCCONNECT_FAULT_RESUME_FILE
	during   func(w *world, c *exec.Cmd, stderr *syncBuffer) // acts while the command runs
	baseURL  string                                          // what --base-url the stored profile uses
	notes    []string                                        // facts for the report
	canaries *canary

	clockFrom, clockEnd time.Time // when set, the time is measured from the fault's start
	profilesBefore      []byte    // profiles.json as it was before the fault
	ownerA, ownerB      string    // the live owners of key and keyB (rotation rows)
	resumeFn            func()    // resumes a stopped keyring daemon
	undo                []func()  // removes the injected faults

	faultURL string       // a fault server or proxy the command is pointed at
	followed atomic.Int64 // requests that followed a redirect
}

func fingerprint(key string) string { return store.Fingerprint(key) }

// endFaults removes the injected faults and resumes the keyring daemon if the scenario stopped
// it, so that the checks afterwards see the machine as it was left.
func (w *world) endFaults() {
	for _, f := range w.undo {
		f()
	}
	w.undo = nil
	if w.resumeFn != nil {
		w.resumeFn()
		w.resumeFn = nil
	}
}

// keepProfiles takes a copy of profiles.json for the profilesIntact check.
func (w *world) keepProfiles() {
	b, err := os.ReadFile(w.metadataPath())
	if err != nil {
		w.t.Fatalf("no profiles.json to keep: %v", err)
	}
	w.profilesBefore = b
}

func newWorld(t *testing.T, kind keyringKind, c *canary, devices int) *world {
	t.Helper()
	root := t.TempDir()
	w := &world{t: t, root: root, home: filepath.Join(root, "home"), out: filepath.Join(root, "out"),
		keyData: filepath.Join(root, "keyring-data"), kind: kind, env: map[string]string{}, canaries: c}
	for _, d := range []string{w.home, w.out, w.keyData, filepath.Join(w.home, "tmp")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	c.addDir(w.home)
	c.addDir(w.out)
	switch kind {
	case kUnlocked:
		w.session = dbustest.Start(t, dbustest.Unlocked, w.keyData)
	case kLocked:
		w.session = dbustest.Start(t, dbustest.Locked, w.keyData)
	case kNoService:
		w.session = dbustest.Start(t, dbustest.NoSecretService, w.keyData)
	}
	w.srv = jctest.NewServer(jctest.Options{Devices: devices, Seed: c.seed()})
	t.Cleanup(w.srv.Close)
	w.key = w.srv.Keys.ReadOnly
	w.keyB = w.srv.AddKey("Read Only")
	c.addServer(w.srv, w.keyB)
	w.baseURL = w.srv.URL
	return w
}

// environ is the program's environment: nothing of the runner's HOME, XDG folders, keys or bus.
func (w *world) environ() []string {
	env := dbustest.WithoutEnv(os.Environ(), "HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME",
		"XDG_STATE_HOME", "TMPDIR", "JUMPCLOUD_API_KEY", "JUMPCLOUD_ORG_ID", "JUMPCLOUD_CLIENT_ID", "JUMPCLOUD_CLIENT_SECRET", "DBUS_SESSION_BUS_ADDRESS",
		"JCCONNECT_KEYRING_TIMEOUT", "JCCONNECT_HTTP_TIMEOUT", "NO_COLOR", "ACCESSIBLE")
	env = append(env, "HOME="+w.home, "XDG_CONFIG_HOME="+filepath.Join(w.home, ".config"),
		"XDG_DATA_HOME="+filepath.Join(w.home, ".local/share"), "XDG_CACHE_HOME="+filepath.Join(w.home, ".cache"),
		"XDG_STATE_HOME="+filepath.Join(w.home, ".local/state"), "TMPDIR="+filepath.Join(w.home, "tmp"),
		"NO_COLOR=1", "JCCONNECT_KEYRING_TIMEOUT="+keyringDeadline.String(),
		"JCCONNECT_HTTP_TIMEOUT="+httpDeadline.String())
	switch w.kind {
	case kNoBus:
		env = dbustest.NoBusEnv(env, filepath.Join(w.root, "empty"))
		os.MkdirAll(filepath.Join(w.root, "empty"), 0o700)
	default:
		env = w.session.Env(env)
	}
	for k, v := range w.env {
		env = append(dbustest.WithoutEnv(env, k), k+"="+v)
	}
	return env
}

// result is one run of the program.
type result struct {
	code           int
	stdout, stderr string
	elapsed        time.Duration
}

func (r result) text() string { return r.stdout + r.stderr }

// brief is the output for a failure message: stderr whole, stdout cut (a device list is long).
func (r result) brief() string {
	out := r.stdout
	if len(out) > 1500 {
		out = out[:1500] + "…"
	}
	return out + r.stderr
}

// run runs the program with stdin and args and waits for it (at most a minute: a hang is a
// failure, not a stuck CI job).
func (w *world) run(stdin string, args ...string) result {
	w.t.Helper()
	cmd := exec.Command(program, args...)
	cmd.Env = w.environ()
	if w.stopAt != "" {
		cmd.Env = append(cmd.Env, "JCCONNECT_FAULT_STOP_AT="+w.stopAt)
		if w.resume != "" {
			cmd.Env = append(cmd.Env, "JCCONNECT_FAULT_RESUME_FILE="+w.resume)
		}
	}
	cmd.Dir = w.home
	cmd.Stdin = strings.NewReader(stdin)
	var stdout bytes.Buffer
	stderr := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = &stdout, stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		w.t.Fatal(err)
	}
	watchdog := time.AfterFunc(time.Minute, func() { cmd.Process.Kill() })
	defer watchdog.Stop()
	if w.during != nil {
		during := w.during
		w.during = nil
		during(w, cmd, stderr)
	}
	err := cmd.Wait()
	w.clockEnd = time.Now()
	r := result{stdout: stdout.String(), stderr: stderr.String(), elapsed: time.Since(start)}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
		if st, ok := ee.Sys().(syscall.WaitStatus); ok && st.Signaled() {
			r.code = 128 + int(st.Signal())
		}
	default:
		w.t.Fatalf("running %v: %v", args, err)
	}
	w.canaries.addOutput(fmt.Sprintf("%v", args), r.stdout, r.stderr)
	return r
}

// setUp stores key (verified live against the world's server) for the default profile, as a
// user would with `setup --with-key`.
func (w *world) setUp(key string, extra ...string) {
	w.t.Helper()
	args := append([]string{"setup", "--with-key", "--base-url", w.baseURL}, extra...)
	if r := w.run(key+"\n", args...); r.code != 0 {
		w.t.Fatalf("setup before the fault: exit %d\n%s", r.code, r.text())
	}
}

// status is `status --json`, decoded.
func (w *world) status(args ...string) (statusReport, result) {
	w.t.Helper()
	r := w.run("", append([]string{"status", "--json"}, args...)...)
	var rep statusReport
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		w.t.Fatalf("status --json is not JSON (%v): %s", err, r.text())
	}
	return rep, r
}

type statusReport struct {
	State    string `json:"state"`
	ExitCode int    `json:"exitCode"`
	Profiles []struct {
		Profile     string `json:"profile"`
		MaskedKey   string `json:"maskedKey"`
		Fingerprint string `json:"fingerprint"`
		Owner       string `json:"owner"`
		Role        string `json:"role"`
		Check       struct {
			State string `json:"state"`
		} `json:"check"`
	} `json:"profiles"`
}

// ownerOf asks the program, with the key in the environment (no profile, no keyring), which
// admin owns key: the live answer to compare stored records with.
func (w *world) ownerOf(key string) string {
	w.t.Helper()
	saved := w.env
	w.env = map[string]string{"JUMPCLOUD_API_KEY": key}
	for k, v := range saved {
		w.env[k] = v
	}
	home := w.home
	w.home = filepath.Join(w.root, "probe-home")
	os.MkdirAll(w.home, 0o700)
	w.canaries.addDir(w.home)
	rep, r := w.status("--base-url", w.baseURL)
	w.env, w.home = saved, home
	if len(rep.Profiles) != 1 || rep.Profiles[0].Owner == "" {
		w.t.Fatalf("cannot learn the owner of a key: %s", r.text())
	}
	return rep.Profiles[0].Owner
}

func (w *world) metadataPath() string {
	return filepath.Join(w.home, ".config", "jcconnect", "profiles.json")
}

// syncBuffer is a bytes.Buffer safe to read while the program writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor polls cond until it holds or a generous limit passes (never a timing assertion: the
// limit only keeps a broken scenario from hanging).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(30 * time.Second); !cond(); {
		if time.Now().After(end) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Child roles: helpers that must run as their own process.
func runChild(role string) int {
	switch role {
	case "keyring-set":
		// A foreign item: another program stores something under jcconnect's service name.
		if err := keyringSet(os.Getenv("E2E_SERVICE"), os.Getenv("E2E_USER"), os.Getenv("E2E_SECRET")); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		return 0
	case "keyring-get":
		v, err := keyringGet(os.Getenv("E2E_SERVICE"), os.Getenv("E2E_USER"))
		if err != nil {
			fmt.Println("error=" + err.Error())
			return 0
		}
		fmt.Println("fingerprint=" + store.Fingerprint(v)) // never the secret itself
		return 0
	case "hold-lock":
		f, err := os.OpenFile(os.Getenv("E2E_LOCK"), os.O_RDWR|os.O_CREATE, 0o600)
		if err == nil {
			err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Fprintf(f, "%d\n", os.Getpid())
		fmt.Println("locked")
		io.Copy(io.Discard, os.Stdin) // hold until the parent closes stdin
		return 0
	}
	fmt.Fprintln(os.Stderr, "unknown child role", role)
	return 2
}

// child runs this test binary in a role with extra environment, and returns its stdout.
func (w *world) child(role string, extra ...string) string {
	w.t.Helper()
	exe, _ := os.Executable()
	cmd := exec.Command(exe)
	cmd.Env = append(w.environ(), append(extra, childRoleEnv+"="+role)...)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	go func() { <-ctx.Done(); cmd.Process.Kill() }()
	out, err := cmd.Output()
	if err != nil {
		w.t.Fatalf("child %s: %v", role, err)
	}
	return string(out)
}

// storedFingerprint reads the default profile's keyring item directly (not through jcconnect):
// its fingerprint, or "error=…".
func (w *world) storedFingerprint(profile string) string {
	out := w.child("keyring-get", "E2E_SERVICE="+store.Service, "E2E_USER="+profile)
	v, _ := strings.CutPrefix(strings.TrimSpace(out), "fingerprint=")
	return v
}

// holdLock starts a live process holding the profiles lock; the returned func ends it.
func (w *world) holdLock(path string) (release func()) {
	w.t.Helper()
	exe, _ := os.Executable()
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), childRoleEnv+"=hold-lock", "E2E_LOCK="+path)
	in, _ := cmd.StdinPipe()
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		w.t.Fatal(err)
	}
	line, _ := bufio.NewReader(out).ReadString('\n')
	if strings.TrimSpace(line) != "locked" {
		cmd.Process.Kill()
		cmd.Wait()
		w.t.Fatalf("the lock holder did not start: %q", line)
	}
	done := false
	release = func() {
		if !done {
			done = true
			in.Close()
			cmd.Wait()
		}
	}
	w.t.Cleanup(release)
	return release
}
