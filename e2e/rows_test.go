//go:build linux

package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"jcconnect/jumpcloud/jctest"
)

// Exit codes (ui/env.go; documented in --help and the README).
const (
	exitOK          = 0
	exitFailure     = 1
	exitUsage       = 2
	exitInvalidKey  = 3
	exitNoProfile   = 4
	exitKeyring     = 5
	exitNetwork     = 6
	exitPartial     = 7 // partial evidence: i9-gaps
	exitInterrupted = 130
	exitKilled      = 128 + 9
)

func codes(c ...int) []int { return c }

// Arguments and inputs the rows share.
func withKey(w *world) string  { return w.key + "\n" }
func withKeyB(w *world) string { return w.keyB + "\n" }
func stored(w *world)          { w.setUp(w.key) }

func cmd(args ...string) func(*world) []string { return func(*world) []string { return args } }

// setupAgain replaces the stored key with keyB (a replacement through setup).
func setupAgain(w *world) []string { return []string{"setup", "--with-key", "--base-url", w.baseURL} }

func rotate(w *world) []string { return []string{"rotate", "--with-key", "--accept-changes"} }

// stopKeyring freezes the session's gnome-keyring (SIGSTOP) before the command.
func stopKeyring(w *world) { w.resumeFn = w.session.Stop(w.t) }

// inject adds a jctest fault (removed before the checks afterwards).
func inject(f jctest.Fault) func(*world) {
	return func(w *world) { w.undo = append(w.undo, w.srv.Inject(f)) }
}

// via points the command at another server (a fault server or a proxy in front of jctest).
func via(url func(w *world) string, args ...string) func(*world) []string {
	return func(w *world) []string { return append(append([]string{}, args...), "--base-url", url(w)) }
}

// proxied puts a proxy in front of the world's server for the command.
func proxied(p func() *proxy) func(w *world) {
	return func(w *world) {
		w.faultURL = newProxy(w.t, w.srv.URL, p()).srv.URL
	}
}

func faultURL(w *world) string { return w.faultURL }

// killAt kills the program with SIGKILL once it reports reaching a step of a key write.
func killAt(step string) func(*world) {
	return func(w *world) {
		w.stopAt = step
		w.during = func(w *world, c *exec.Cmd, stderr *syncBuffer) {
			waitFor(w.t, "the step "+step, func() bool {
				return strings.Contains(stderr.String(), "jcconnect-fault: reached "+step)
			})
			c.Process.Signal(syscall.SIGKILL)
		}
	}
}

// signalMidCollection sends sig once the collection is under way: a request to System Insights
// is held by the server (a long latency, longer than the request deadline of this row).
func signalMidCollection(sig syscall.Signal) func(*world) {
	return func(w *world) {
		w.env["JCCONNECT_HTTP_TIMEOUT"] = "60s"
		w.srv.ResetCounts() // the setup before read System Insights too
		inject(jctest.Fault{PathPrefix: "/api/v2/systeminsights", Kind: jctest.FaultLatency, Delay: time.Minute})(w)
		w.during = func(w *world, c *exec.Cmd, _ *syncBuffer) {
			waitFor(w.t, "the collection to start", func() bool { return w.srv.Requests("/api/v2/systeminsights") > 0 })
			w.clockFrom = time.Now()
			c.Process.Signal(sig)
		}
	}
}

// learnOwners records the live owner of both keys (for consistentKey).
func learnOwners(w *world) {
	w.ownerA, w.ownerB = w.ownerOf(w.key), w.ownerOf(w.keyB)
	w.setUp(w.key)
}

// writeProfiles replaces profiles.json (after a setup) and keeps a copy for profilesIntact.
func writeProfiles(content string) func(*world) {
	return func(w *world) {
		if err := os.WriteFile(w.metadataPath(), []byte(content), 0o600); err != nil {
			w.t.Fatal(err)
		}
		w.keepProfiles()
	}
}

// keyInKeyring: the key stored before is still in the keyring (whatever the metadata says).
var keyInKeyring = check{"the stored key is still in the keyring", func(w *world, _ result) error {
	if got := w.storedFingerprint("default"); got != fingerprint(w.key) {
		return fmt.Errorf("the keyring holds %q; want %s", got, fingerprint(w.key))
	}
	return nil
}}

var logoutAgainRemovesIt = check{"a second logout removes the key left behind", func(w *world, _ result) error {
	if r := w.run("", "logout", "--yes"); r.code != 0 {
		return fmt.Errorf("exit %d: %s", r.code, r.text())
	}
	if got := w.storedFingerprint("default"); !strings.HasPrefix(got, "error=") {
		return fmt.Errorf("the keyring still holds %s", got)
	}
	return nil
}}

var noRowsPrinted = check{"no rows are printed", func(_ *world, r result) error {
	if strings.TrimSpace(r.stdout) != "" {
		return fmt.Errorf("stdout: %q", r.stdout)
	}
	return nil
}}

func devicesPrinted(n int) check {
	return check{fmt.Sprintf("all %d devices are printed", n), func(_ *world, r result) error {
		if got := len(strings.Split(strings.TrimSpace(r.stdout), "\n")); got != n {
			return fmt.Errorf("%d rows", got)
		}
		return nil
	}}
}

var redirectNotFollowed = check{"the redirect was not followed", func(w *world, _ result) error {
	if n := w.followed.Load(); n != 0 {
		return fmt.Errorf("%d requests followed it", n)
	}
	return nil
}}

// scenarios is the matrix. K is the keyring deadline, H the request deadline.
func scenarios() []scenario {
	const K, H = keyringDeadline, httpDeadline
	setupArgs := func(w *world) []string { return []string{"setup", "--with-key", "--base-url", w.baseURL} }
	var rows []scenario

	// Keyring: each broken in its own D-Bus session; a wedged one ends every command within
	// its deadline plus a second.
	rows = append(rows,
		scenario{group: "keyring", name: "no session bus: setup", keyring: kNoBus,
			args: setupArgs, stdin: withKey, exit: codes(exitKeyring), deadline: K, bound: 1, plus: time.Second,
			says: "no D-Bus session bus", after: []check{nothingStored}},
		scenario{group: "keyring", name: "no Secret Service: setup", keyring: kNoService,
			args: setupArgs, stdin: withKey, exit: codes(exitKeyring), deadline: K, bound: 1, plus: time.Second,
			says: "no Secret Service", after: []check{nothingStored}},
		scenario{group: "keyring", name: "locked: setup", keyring: kLocked,
			args: setupArgs, stdin: withKey, exit: codes(exitKeyring), deadline: K, bound: 1, plus: time.Second,
			says: "locked", after: []check{nothingStored}},
	)
	for _, c := range []struct {
		name  string
		args  func(*world) []string
		stdin func(*world) string
		after []check
	}{
		{"setup", setupAgain, withKeyB, nil},
		{"status", cmd("status"), nil, nil},
		{"doctor", cmd("doctor"), nil, nil},
		{"devices", cmd("devices", "--json"), nil, []check{noRowsPrinted}},
		{"evidence export", func(w *world) []string { return []string{"evidence", "export", "--out", w.out} }, nil, []check{nothingWritten}},
		{"rotate", rotate, withKeyB, nil},
		// logout removes the profile even when the keyring does not answer, and says to run
		// it again: the second run, once the keyring answers, removes the key left behind.
		{"logout", cmd("logout", "--yes"), nil, []check{keyInKeyring, logoutAgainRemovesIt}},
	} {
		after := c.after
		if c.name != "logout" {
			after = append(after, keyUnchanged)
		}
		rows = append(rows, scenario{group: "keyring", name: "wedged (SIGSTOP): " + c.name,
			setup: stored, fault: stopKeyring, args: c.args, stdin: c.stdin,
			exit: codes(exitKeyring), deadline: K, bound: 1, plus: time.Second,
			says: "did not answer", after: after})
	}
	rows = append(rows,
		scenario{group: "keyring", name: "wedged mid-save (rotate, after the pending record)",
			setup: stored, fault: func(w *world) {
				w.stopAt = "pending-recorded"
				w.resume = filepath.Join(w.root, "resume")
				w.during = func(w *world, c *exec.Cmd, stderr *syncBuffer) {
					waitFor(w.t, "the pending record", func() bool {
						return strings.Contains(stderr.String(), "reached pending-recorded")
					})
					w.resumeFn = w.session.Stop(w.t)
					w.clockFrom = time.Now()
					os.WriteFile(w.resume, nil, 0o600)
				}
			}, args: rotate, stdin: withKeyB,
			exit: codes(exitKeyring), deadline: K, bound: 1, plus: time.Second,
			says: "did not answer", after: []check{keyUnchanged}},
		scenario{group: "keyring", name: "foreign item with the same name: status",
			fault: func(w *world) {
				secret := "foreign-" + w.srv.AddKey("Read Only")[4:]
				w.canaries.addSecret(secret)
				w.child("keyring-set", "E2E_SERVICE=jcconnect", "E2E_USER=default", "E2E_SECRET="+secret)
			}, args: cmd("status"), exit: codes(exitNoProfile), deadline: K, bound: 1, plus: time.Second,
			says: "no profile is stored"},
		scenario{group: "keyring", name: "foreign item with the same name: setup",
			fault: func(w *world) {
				secret := "foreign-" + w.srv.AddKey("Read Only")[4:]
				w.canaries.addSecret(secret)
				w.child("keyring-set", "E2E_SERVICE=jcconnect", "E2E_USER=default", "E2E_SECRET="+secret)
			}, args: setupArgs, stdin: withKey, exit: codes(exitOK), deadline: K, bound: 1, plus: time.Second,
			after: []check{keyUnchanged}},
	)

	// API: every fault against the stored key's live check (status) or a collection.
	rows = append(rows,
		scenario{group: "api", name: "connection refused", setup: stored,
			args: func(w *world) []string { return []string{"status", "--base-url", refusedURL(w.t)} },
			exit: codes(exitNetwork), deadline: H, bound: 2, says: "could not reach JumpCloud", after: []check{keyUnchanged}},
		scenario{group: "api", name: "slowloris (a byte every 100ms)", setup: stored,
			fault: func(w *world) { w.faultURL = slowloris(w.t).URL },
			args:  via(faultURL, "status"), exit: codes(exitNetwork), deadline: H, bound: 3,
			says: "timed out", after: []check{keyUnchanged}},
		scenario{group: "api", name: "redirect to another host", setup: stored,
			fault: inject(jctest.Fault{Kind: jctest.FaultRedirect}),
			args:  cmd("status"), exit: codes(exitNetwork), deadline: H, bound: 2,
			says: "redirect", after: []check{keyUnchanged}},
		scenario{group: "api", name: "redirect to the same host", setup: stored,
			fault: func(w *world) {
				w.faultURL = newProxy(w.t, w.srv.URL, &proxy{bend: redirectSameHost(&w.followed)}).srv.URL
			},
			args: via(faultURL, "status"), exit: codes(exitNetwork), deadline: H, bound: 2,
			says: "redirect", after: []check{redirectNotFollowed, keyUnchanged}},
		scenario{group: "api", name: "HTML instead of JSON", setup: stored,
			fault: inject(jctest.Fault{Kind: jctest.FaultHTML}),
			args:  cmd("status"), exit: codes(exitNetwork), deadline: H, bound: 2,
			says: "HTML", after: []check{keyUnchanged}},
		scenario{group: "api", name: "truncated JSON", setup: stored,
			fault: inject(jctest.Fault{Kind: jctest.FaultTruncated}),
			args:  cmd("status"), exit: codes(exitNetwork), deadline: H, bound: 2,
			says: "not JSON", after: []check{keyUnchanged}},
		scenario{group: "api", name: "body over the cap, with Content-Length", setup: stored,
			fault: func(w *world) { w.faultURL = bigAnnounced(w.t).URL },
			args:  via(faultURL, "status"), exit: codes(exitNetwork), deadline: H, bound: 2,
			says: "larger than the size limit", after: []check{keyUnchanged}},
		scenario{group: "api", name: "body over the cap, without Content-Length", setup: stored,
			fault: func(w *world) {
				w.env["JCCONNECT_HTTP_TIMEOUT"] = "20s" // 64 MiB must arrive before the deadline
				inject(jctest.Fault{Kind: jctest.FaultOversize})(w)
			},
			args: cmd("status"), exit: codes(exitNetwork), deadline: 20 * time.Second, bound: 1,
			says: "larger than the size limit", after: []check{keyUnchanged}},
		scenario{group: "api", name: "429 with a short Retry-After (1s, twice)", setup: stored,
			fault: inject(jctest.Fault{Kind: jctest.FaultRateLimit, RetryAfter: "1", Times: 2}),
			args:  cmd("status"), exit: codes(exitOK), deadline: H, bound: 6, after: []check{keyUnchanged}},
		scenario{group: "api", name: "429 with a huge Retry-After (11 days)", needs: "i9-gaps", setup: stored,
			fault: inject(jctest.Fault{Kind: jctest.FaultRateLimit, RetryAfter: "950400"}),
			args:  cmd("status"), exit: codes(exitNetwork), deadline: H, bound: 3,
			says: "rate limiting", after: []check{keyUnchanged}},
		scenario{group: "api", name: "500 storm", setup: stored,
			fault: inject(jctest.Fault{Kind: jctest.FaultStatus, Status: 500}),
			args:  cmd("status"), exit: codes(exitNetwork), deadline: H, bound: 15,
			says: "500", after: []check{keyUnchanged}},
		scenario{group: "api", name: "the same page forever", needs: "i9-gaps", devices: 250, setup: stored,
			fault: proxied(func() *proxy { return &proxy{bend: forceQuery("/api/systems", "skip", "0")} }),
			args:  via(faultURL, "devices", "--json"), exit: codes(exitPartial), deadline: H, bound: 10,
			says: "same page again", after: []check{noRowsPrinted, keyUnchanged}},
		scenario{group: "api", name: "short pages (7 of 100 asked)", needs: "i9-gaps", devices: 250, setup: stored,
			fault: proxied(func() *proxy { return &proxy{bend: forceQuery("/api/systems", "limit", "7")} }),
			args:  via(faultURL, "devices", "--json"), exit: codes(exitOK), deadline: H, bound: 10,
			after: []check{devicesPrinted(250), keyUnchanged}},
		scenario{group: "api", name: "totalCount lies (1000 more)", needs: "i9-gaps", devices: 250, setup: stored,
			fault: proxied(func() *proxy { return &proxy{rewrite: totalLies} }),
			args:  via(faultURL, "devices", "--json"), exit: codes(exitPartial), deadline: H, bound: 10,
			after: []check{keyUnchanged}},
		scenario{group: "api", name: "401 mid-collection (export)", setup: stored,
			fault: inject(jctest.Fault{PathPrefix: "/api/v2/systeminsights", Kind: jctest.FaultStatus, Status: 401}),
			args:  func(w *world) []string { return []string{"evidence", "export", "--out", w.out} },
			exit:  codes(exitInvalidKey), deadline: H, bound: 5, says: "key was refused", after: []check{nothingWritten}},
		scenario{group: "api", name: "403 on one source (export)", needs: "i9-gaps", setup: stored,
			fault: func(w *world) { w.srv.Deny(w.key, "/api/v2/policies") },
			args:  func(w *world) []string { return []string{"evidence", "export", "--out", w.out} },
			exit:  codes(exitPartial), deadline: H, bound: 5, says: "policies", after: []check{bundleIncomplete}},
		scenario{group: "api", name: "404 on an optional source (setup)", needs: "i9-gaps",
			fault: proxied(func() *proxy { return &proxy{bend: answer("/api/users", 404)} }),
			args:  func(w *world) []string { return []string{"setup", "--with-key", "--base-url", w.faultURL} },
			stdin: withKey, exit: codes(exitOK), deadline: H, bound: 5, says: "not available"},
		scenario{group: "api", name: "404 on an optional source (export)", setup: stored,
			fault: proxied(func() *proxy { return &proxy{bend: answer("/api/users", 404)} }),
			args: func(w *world) []string {
				return []string{"evidence", "export", "--out", w.out, "--base-url", w.faultURL}
			},
			exit: codes(exitOK), deadline: H, bound: 5, after: []check{bundleComplete}},
	)

	// Process: kill -9 at every step of a first save and of a rotation; SIGINT and SIGHUP
	// while a collection waits on the API.
	for _, step := range []string{"pending-recorded", "keyring-written", "read-back", "metadata-written"} {
		rows = append(rows, scenario{group: "process", name: "kill -9 in setup after " + step,
			fault: killAt(step), args: setupArgs, stdin: withKey,
			exit: codes(exitKilled), deadline: K, bound: 3, after: []check{noProfileOrConsistent}})
	}
	for _, step := range []string{"pending-recorded", "keyring-written", "read-back", "metadata-written"} {
		rows = append(rows, scenario{group: "process", name: "kill -9 in rotate after " + step,
			setup: learnOwners, fault: killAt(step), args: rotate, stdin: withKeyB,
			exit: codes(exitKilled), deadline: K, bound: 3, after: []check{consistentKey}})
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGHUP} {
		rows = append(rows, scenario{group: "process", name: sig.String() + " mid-collection (export)",
			setup: stored, fault: signalMidCollection(sig),
			args: func(w *world) []string { return []string{"evidence", "export", "--out", w.out} },
			exit: codes(exitInterrupted, exitFailure), deadline: H, bound: 2,
			after: []check{nothingWritten, keyUnchanged}})
	}

	// Files: the profile metadata damaged, odd or locked.
	rows = append(rows,
		scenario{group: "files", name: "profiles.json corrupt", setup: stored,
			fault: writeProfiles(`{"version":1,"profiles":[{"name":"default",`),
			args:  cmd("status"), exit: codes(exitFailure), deadline: K, bound: 1, says: "damaged",
			after: []check{profilesIntact, keyInKeyring}},
		scenario{group: "files", name: "profiles.json empty", setup: stored,
			fault: writeProfiles(""),
			args:  cmd("status"), exit: codes(exitFailure), deadline: K, bound: 1, says: "damaged",
			after: []check{profilesIntact, keyInKeyring}},
		scenario{group: "files", name: "profiles.json is a directory", setup: stored,
			fault: func(w *world) {
				os.Remove(w.metadataPath())
				os.Mkdir(w.metadataPath(), 0o700)
			},
			args: cmd("status"), exit: codes(exitFailure), deadline: K, bound: 1, says: "profiles.json",
			after: []check{keyInKeyring}},
		scenario{group: "files", name: "profiles.json readable by others (0644, folder 0755)", setup: stored,
			fault: func(w *world) {
				os.Chmod(w.metadataPath(), 0o644)
				os.Chmod(filepath.Dir(w.metadataPath()), 0o755)
				w.keepProfiles()
			},
			args: cmd("status"), exit: codes(exitOK), deadline: K, bound: 1,
			says: "can be read by other users", after: []check{profilesIntact, keyUnchanged}},
		scenario{group: "files", name: "profiles.json from a future version", setup: stored,
			fault: writeProfiles(`{"version":99,"profiles":[]}`),
			args:  cmd("status"), exit: codes(exitFailure), deadline: K, bound: 1, says: "newer jcconnect",
			after: []check{profilesIntact, keyInKeyring}},
		scenario{group: "files", name: "lock left by a dead process", setup: stored,
			fault: func(w *world) {
				dead := exec.Command("true")
				dead.Run()
				os.WriteFile(filepath.Join(filepath.Dir(w.metadataPath()), "profiles.lock"),
					[]byte(fmt.Sprintf("%d\n", dead.Process.Pid)), 0o600)
			},
			args: setupAgain, stdin: withKeyB, exit: codes(exitOK), deadline: K, bound: 1,
			says: "Saved"},
		scenario{group: "files", name: "lock held by a live process", setup: stored,
			fault: func(w *world) {
				w.env["JCCONNECT_KEYRING_TIMEOUT"] = "500ms" // the lock wait follows the deadlines
				w.holdLock(filepath.Join(filepath.Dir(w.metadataPath()), "profiles.lock"))
			},
			args: setupAgain, stdin: withKeyB, exit: codes(exitFailure, exitKeyring),
			deadline: 7 * time.Second, bound: 1.5, // the lock wait: 2 reads + 2 writes + 5s
			says: "another jcconnect", after: []check{keyUnchanged}},
	)

	// Input: what a user may paste or type; a stored working key is never replaced.
	bad := func(name string, stdin func(*world) string, extra ...string) scenario {
		return scenario{group: "input", name: name, setup: stored,
			args:  func(w *world) []string { return append(setupArgs(w), extra...) },
			stdin: stdin, exit: codes(exitUsage), deadline: H, bound: 2, after: []check{keyUnchanged}}
	}
	lookalike := func(w *world) string {
		i := strings.IndexAny(w.key[4:], "aceopx") + 4
		if i < 4 {
			return w.key[:10] + "а" + w.key[11:] + "\n" // Cyrillic a
		}
		look := map[byte]string{'a': "а", 'c': "с", 'e': "е", 'o': "о", 'p': "р", 'x': "х"}
		return w.key[:i] + look[w.key[i]] + w.key[i+1:] + "\n"
	}
	rows = append(rows,
		withSays(bad("empty key", func(*world) string { return "\n" }), "not an API key"),
		withSays(bad("a 10 MB line", func(*world) string { return strings.Repeat("A", 10<<20) + "\n" }), "not an API key"),
		withSays(bad("control characters", func(w *world) string { return w.key[:12] + "\x1b[31m" + w.key[12:] + "\n" }), "control"),
		withSays(bad("non-ASCII lookalike", lookalike), "non-ASCII"),
		scenario{group: "input", name: "a key from another region (another server)", setup: stored,
			args: setupArgs, stdin: func(w *world) string {
				other := jctest.NewServer(jctest.Options{Devices: 5, Seed: w.canaries.seed()})
				w.t.Cleanup(other.Close)
				w.canaries.addServer(other)
				return other.Keys.ReadOnly + "\n"
			}, exit: codes(exitInvalidKey), deadline: H, bound: 2, says: "region", after: []check{keyUnchanged}},
		withSays(bad("profile name ../escape", withKeyB, "--profile", "../escape"), "profile name"),
		withSays(bad("profile name with an escape sequence", withKeyB, "--profile", "a\x1b[2Jb"), "profile name"),
		withSays(bad("--base-url http to a non-loopback host", withKeyB, "--base-url", "http://198.51.100.7"), "plain http"),
		withSays(bad("--base-url file://", withKeyB, "--base-url", "file:///etc/passwd"), "not a URL"),
		scenario{group: "input", name: "--base-url with userinfo", setup: stored,
			args: func(w *world) []string {
				secret := "pw" + w.keyB[4:20]
				w.canaries.addSecret(secret)
				return append(setupArgs(w), "--base-url", "https://admin:"+secret+"@127.0.0.1:1")
			}, stdin: withKeyB, exit: codes(exitUsage), deadline: H, bound: 2,
			says: "user name or password", after: []check{keyUnchanged}},
	)
	return append(rows, serviceAccountRows()...)
}

// serviceAccountRows: setup --service-account --with-secret against a broken keyring, an
// unreachable token host and a refused secret. The canary holds every service account's secret.
func serviceAccountRows() []scenario {
	const K, H = keyringDeadline, httpDeadline
	setupSA := func(tokenURL func(w *world) string) func(w *world) []string {
		return func(w *world) []string {
			return []string{"setup", "--service-account", "--client-id", w.srv.ServiceAccounts.ReadOnly.ClientID,
				"--with-secret", "--base-url", w.baseURL, "--token-url", tokenURL(w)}
		}
	}
	sandboxToken := func(w *world) string { return w.srv.TokenURL }
	secret := func(w *world) string { return w.srv.ServiceAccounts.ReadOnly.ClientSecret + "\n" }
	return []scenario{
		{group: "service account", name: "locked keyring: setup --with-secret", keyring: kLocked,
			args: setupSA(sandboxToken), stdin: secret, exit: codes(exitKeyring), deadline: K, bound: 1, plus: time.Second,
			says: "locked", after: []check{nothingStored}},
		{group: "service account", name: "token host refuses the connection",
			args: setupSA(func(w *world) string { return refusedURL(w.t) + "/oauth2/token" }), stdin: secret,
			exit: codes(exitNetwork), deadline: H, bound: 2, says: "Secret accepted", after: []check{nothingStored}},
		{group: "service account", name: "a secret the token host refuses",
			args:  setupSA(sandboxToken),
			stdin: func(w *world) string { return w.srv.ServiceAccounts.Revoked.ClientSecret + "\n" },
			exit:  codes(exitInvalidKey), deadline: H, bound: 2, says: "client id or secret is wrong", after: []check{nothingStored}},
	}
}

func withSays(s scenario, says string) scenario { s.says = says; return s }
