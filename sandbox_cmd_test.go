package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"jcconnect/jumpcloud/jctest"
)

// lockedBuffer is written by the sandbox command while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// `jcconnect sandbox` as scripts/perf.sh and the README use it: its flags reach the served
// organisation (--devices, --users, --policies, --latency, --rate-limit), GET /__stats counts the
// traffic per route with the 429s sent, and Ctrl-C (SIGINT) prints the same counts as one line.
func TestSandboxCommandFlagsStatsAndStatsLineOnInterrupt(t *testing.T) {
	var out lockedBuffer
	var errOut bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- run([]string{"sandbox", "--addr", "127.0.0.1:0", "--devices", "7", "--users", "13", "--policies", "4",
			"--latency", "2ms", "--rate-limit", "3", "--retry-after", "2"}, strings.NewReader(""), &out, &errOut)
	}()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(out.String(), "Ctrl+C") {
		if time.Now().After(deadline) {
			t.Fatalf("no banner:\n%s", out.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	banner := out.String()
	for _, want := range []string{"7 devices, 13 users, 4 policies", "Latency 2ms per request",
		`429 to every 3. request (Retry-After "2")`, jctest.StatsPath} {
		if !strings.Contains(banner, want) {
			t.Errorf("banner lacks %q:\n%s", want, banner)
		}
	}
	base := regexp.MustCompile(`http://127\.0\.0\.1:\d+`).FindString(banner)
	key := regexp.MustCompile(`read-only\s+(\S+)`).FindStringSubmatch(banner)
	if base == "" || key == nil {
		t.Fatalf("no URL or read-only key in the banner:\n%s", banner)
	}

	var statuses []int
	for range 3 {
		req, _ := http.NewRequest("GET", base+"/api/systems?limit=100", nil)
		req.Header.Set("x-api-key", key[1])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		statuses = append(statuses, resp.StatusCode)
	}
	if statuses[0] != 200 || statuses[1] != 200 || statuses[2] != 429 {
		t.Errorf("statuses %v: --rate-limit 3 should answer the third request 429", statuses)
	}
	resp, err := http.Get(base + jctest.StatsPath)
	if err != nil {
		t.Fatal(err)
	}
	var st jctest.Stats
	err = json.NewDecoder(resp.Body).Decode(&st)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if st.Requests != 3 || st.ByRoute["/api/systems"] != 3 || st.Sent429 != 1 || st.MaxInFlight < 1 {
		t.Errorf("/__stats %+v: want 3 requests, all /api/systems, 1 answered 429", st)
	}

	// Ctrl-C: the command's context ends (signal.NotifyContext in run), so the signal does not
	// kill the test binary.
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit %d on Ctrl-C: %s", code, errOut.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the sandbox did not stop on SIGINT")
	}
	// "max N in flight" is not asserted: a request's slot is freed after its answer is sent, so
	// even one-at-a-time requests may briefly overlap.
	if !regexp.MustCompile(`sandbox stats: 3 requests, max \d+ in flight, 1 answered 429; /api/systems 3\n`).MatchString(out.String()) {
		t.Errorf("no stats line on exit:\n%s", out.String())
	}
}

// Bad sandbox flags exit 2 with a message that says what to use instead.
func TestSandboxCommandRefusesBadFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--rate-limit", "-1"}, "use 0 for none"},
		{[]string{"--latency", "-5ms"}, "use 0 for none"},
		{[]string{"--devices", "100001"}, "at most 100000"},
		{[]string{"--addr", "0.0.0.0:8080"}, "only listens on loopback"},
	} {
		var out, errOut bytes.Buffer
		code := run(append([]string{"sandbox"}, tc.args...), strings.NewReader(""), &out, &errOut)
		if code != 2 || !strings.Contains(errOut.String(), tc.want) {
			t.Errorf("sandbox %v: exit %d, stderr %q; want 2 and %q", tc.args, code, errOut.String(), tc.want)
		}
	}
}
