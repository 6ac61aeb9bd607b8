package ui

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"jcconnect/connect"
	"jcconnect/jumpcloud/jctest"
)

// The exit codes and marks of partial evidence, through the built program against jctest over
// real HTTP: a short page is never an empty or shorter success.

// partialNow pins the sandbox's clock, so the generated organisation is the same on every run.
var partialNow = time.Date(2026, 8, 1, 10, 0, 0, 0, time.UTC)

func partialServer(t *testing.T, faults ...jctest.Fault) *jctest.Server {
	t.Helper()
	srv := jctest.NewServer(jctest.Options{Devices: 200, Seed: 71, Now: partialNow})
	t.Cleanup(srv.Close)
	for _, f := range faults {
		srv.Inject(f)
	}
	return srv
}

func TestCLIAServerPagingByFiftyGivesEveryDevice(t *testing.T) {
	srv := partialServer(t, jctest.Fault{Kind: jctest.FaultPageCap, Items: 50})
	code, stdout, stderr := runBinaryWithKey(t, srv.Keys.Admin, "", "--base-url", srv.URL, "devices", "--csv")
	if code != connect.ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rows, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
	if err != nil || len(rows) != 201 {
		t.Fatalf("%d rows (want a header and 200 devices): %v", len(rows), err)
	}
	if n := srv.Requests("/api/systems"); n < 4 {
		t.Fatalf("%d requests: the 50-per-page cap was not in force", n)
	}
}

func TestCLIPagesEndingBeforeTheTotalExitPartial(t *testing.T) {
	srv := partialServer(t, jctest.Fault{PathPrefix: "/api/systems", Kind: jctest.FaultTotalInflated, Items: 10})
	args := []string{"--base-url", srv.URL, "devices", "--csv"}
	code, stdout, stderr := runBinaryWithKey(t, srv.Keys.Admin, "", args...)
	if code != connect.ExitPartial || !strings.Contains(stderr, "devices (INCOMPLETE: 200 of 210 read)") {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	if rows := strings.Count(stdout, "\n"); rows != 201 {
		t.Fatalf("%d lines: what was read is still printed", rows)
	}
	code, _, stderr = runBinaryWithKey(t, srv.Keys.Admin, "", append(args, "--allow-partial")...)
	if code != connect.ExitOK || !strings.Contains(stderr, "INCOMPLETE") {
		t.Fatalf("--allow-partial: exit %d, stderr %s", code, stderr)
	}

	// The export: exit 7, and the bundle carries the marks; --allow-partial exits 0 with the same.
	for _, allow := range []bool{false, true} {
		out := filepath.Join(t.TempDir(), "bundles")
		args := []string{"--base-url", srv.URL, "evidence", "export", "--out", out}
		want := connect.ExitPartial
		if allow {
			args, want = append(args, "--allow-partial"), connect.ExitOK
		}
		code, stdout, stderr := runBinaryWithKey(t, srv.Keys.Admin, "", args...)
		if code != want || !strings.HasPrefix(stdout, "INCOMPLETE evidence bundle for ") ||
			!strings.Contains(stderr, "devices (INCOMPLETE: 200 of 210 read)") {
			t.Fatalf("allow %v: exit %d, stdout %q, stderr %s", allow, code, stdout, stderr)
		}
		dirs, _ := filepath.Glob(filepath.Join(out, "jcconnect-evidence-*"))
		var bundle string
		for _, d := range dirs {
			if !strings.HasSuffix(d, ".zip") {
				bundle = d
			}
		}
		summary, _ := os.ReadFile(filepath.Join(bundle, "summary.md"))
		if !strings.HasPrefix(string(summary), "**INCOMPLETE EVIDENCE**") {
			t.Fatalf("summary.md: %.200s", summary)
		}
		var m struct{ Evidence struct{ Complete bool } }
		b, _ := os.ReadFile(filepath.Join(bundle, "manifest.json"))
		if err := json.Unmarshal(b, &m); err != nil || m.Evidence.Complete {
			t.Fatalf("manifest.json: %+v %v", m, err)
		}
	}
}

// A server that redirects or answers garbage everywhere gives a non-zero exit and nothing that
// looks like an empty fleet: no CSV header, no JSON, no bundle.
func TestCLIARedirectingOrGarbageServerIsNeverAnEmptySuccess(t *testing.T) {
	for _, kind := range []jctest.FaultKind{jctest.FaultRedirect, jctest.FaultGarbage, jctest.FaultHTML} {
		srv := partialServer(t, jctest.Fault{Kind: kind})
		for _, args := range [][]string{
			{"devices", "--csv"}, {"devices", "--json"}, {"devices", "--json", "--users"},
			{"devices", "--csv", "--allow-partial"},
		} {
			code, stdout, stderr := runBinaryWithKey(t, srv.Keys.Admin, "", append([]string{"--base-url", srv.URL}, args...)...)
			if code == connect.ExitOK || stdout != "" || !strings.Contains(stderr, "could not be read") {
				t.Errorf("fault %d, %v: exit %d, stdout %q, stderr %s", kind, args, code, stdout, stderr)
			}
		}
		out := t.TempDir()
		code, stdout, stderr := runBinaryWithKey(t, srv.Keys.Admin, "", "--base-url", srv.URL, "evidence", "export",
			"--out", out, "--allow-partial")
		entries, _ := os.ReadDir(out)
		if code != connect.ExitPartial || stdout != "" || len(entries) != 0 || !strings.Contains(stderr, "no bundle was written") {
			t.Errorf("fault %d, export: exit %d, %d entries, stdout %q, stderr %s", kind, code, len(entries), stdout, stderr)
		}
	}
}

// A Retry-After beyond the retry cap fails at once, naming the wait, and the devices command
// says the device list could not be read (exit 7, nothing on stdout).
func TestCLIARetryAfterOfDaysFailsAtOnceNamingTheWait(t *testing.T) {
	srv := partialServer(t, jctest.Fault{PathPrefix: "/api/systems", Kind: jctest.FaultRateLimit, RetryAfter: "950400"})
	code, stdout, stderr := runBinaryWithKey(t, srv.Keys.Admin, "", "--base-url", srv.URL, "devices", "--csv")
	if code != connect.ExitPartial || stdout != "" || !strings.Contains(stderr, "JumpCloud asks to wait 11 days") {
		t.Fatalf("exit %d, stdout %q, stderr %s", code, stdout, stderr)
	}
	if n := srv.Requests("/api/systems"); n != 1 {
		t.Fatalf("%d requests to /api/systems: a wait beyond the cap is not retried", n)
	}
}
