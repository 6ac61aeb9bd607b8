package evidence

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestMeasureCLIAgainstNaive measures `jcconnect devices --json` of the built program against a
// sandbox in another process, interleaved with the naive sequential pager (naiveCollect) on the
// same sandbox: wall time, the program's CPU, its requests (the sandbox's /__stats), the bound
// (requests ÷ 8 in flight × latency) and how many times faster than the naive pager it is. A
// measurement, not a test: it runs only when asked and asserts nothing about time.
//
//	jcconnect sandbox --addr 127.0.0.1:8105 --devices 10000 --users 2000 --policies 30 --latency 20ms &
//	JCCONNECT_MEASURE_CLI=http://127.0.0.1:8105 JCCONNECT_MEASURE_BINARY=./jcconnect JUMPCLOUD_API_KEY=jca_... \
//	  JCCONNECT_MEASURE_NAIVE_KEY=jca_... go test ./evidence -run TestMeasureCLIAgainstNaive -v -count=1
//
// JUMPCLOUD_API_KEY is the sandbox's read-only key (the program's), JCCONNECT_MEASURE_NAIVE_KEY
// its admin key: the naive pager reads the administrators too, which a Read Only key may not.
// JCCONNECT_MEASURE_RUNS sets the rounds (default 3), JCCONNECT_MEASURE_LATENCY the sandbox's
// --latency (default 20ms).
func TestMeasureCLIAgainstNaive(t *testing.T) {
	base, bin, key := os.Getenv("JCCONNECT_MEASURE_CLI"), os.Getenv("JCCONNECT_MEASURE_BINARY"), os.Getenv("JCCONNECT_MEASURE_NAIVE_KEY")
	if base == "" {
		t.Skip("a measurement: set JCCONNECT_MEASURE_CLI to a sandbox's base URL (see the comment)")
	}
	if bin == "" || key == "" || os.Getenv("JUMPCLOUD_API_KEY") == "" {
		t.Fatal("set JCCONNECT_MEASURE_BINARY (the built program), JUMPCLOUD_API_KEY (the sandbox's read-only key) and JCCONNECT_MEASURE_NAIVE_KEY (its admin key)")
	}
	runs := 3
	if n, err := strconv.Atoi(os.Getenv("JCCONNECT_MEASURE_RUNS")); err == nil && n > 0 {
		runs = n
	}
	latency := 20 * time.Millisecond
	if d, err := time.ParseDuration(os.Getenv("JCCONNECT_MEASURE_LATENCY")); err == nil {
		latency = d
	}
	for r := 1; r <= runs; r++ {
		before := sandboxRequests(t, base)
		load := strings.Join(strings.Fields(readFile("/proc/loadavg"))[:3], " ")
		cmd := exec.Command(bin, "devices", "--json", "--base-url", base)
		cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
		start := time.Now()
		if err := cmd.Run(); err != nil && cmd.ProcessState.ExitCode() != 0 {
			t.Fatalf("run %d: %v", r, err)
		}
		wall := time.Since(start)
		cpu := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
		requests := sandboxRequests(t, base) - before
		bound := time.Duration(float64(requests) / 8 * float64(latency))

		start = time.Now()
		naiveN, err := naiveCollect(base, key)
		if err != nil {
			t.Fatalf("naive pager: %v", err)
		}
		naive := time.Since(start)
		t.Logf("run %d: devices --json %.2f s wall, %.2f CPU-s, %d requests, bound %.2f s, %.2f× the bound; naive sequential pager %.1f s (%d requests), %.1f× slower (load average %s)",
			r, wall.Seconds(), cpu.Seconds(), requests, bound.Seconds(), float64(wall)/float64(bound), naive.Seconds(), naiveN,
			float64(naive)/float64(wall), load)
	}
}

// sandboxRequests is how many requests the sandbox has answered (GET /__stats).
func sandboxRequests(t *testing.T, base string) int {
	t.Helper()
	res, err := http.Get(base + "/__stats")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var st struct {
		Requests int `json:"requests"`
	}
	if err := json.NewDecoder(res.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	return st.Requests
}

func readFile(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "unknown unknown unknown"
	}
	return string(b)
}
