package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"jcconnect/internal/uitest"
)

// TestMeasureFirstTable measures the time to the first drawn device table of the built program
// in a real terminal, against a sandbox in another process. It is a measurement, not a test: it
// runs only when asked, and asserts nothing about time (CI shares its cores). Run
//
//	jcconnect sandbox --addr 127.0.0.1:8105 --devices 10000 --users 2000 --policies 30 --latency 20ms &
//	JCCONNECT_MEASURE_FIRSTTABLE=http://127.0.0.1:8105 JUMPCLOUD_API_KEY=jca_... \
//	  go test ./ui -run TestMeasureFirstTable -v [-count=1]
//
// JCCONNECT_MEASURE_BINARY picks the program (default: this tree, built), JCCONNECT_MEASURE_RUNS
// the runs (default 5). Each run starts `devices` in a fresh tmux session (160×40) and polls
// capture-pane every 10 ms: "table" is when the header row (Device … Status) is on screen,
// "whole" when nothing is still being read. The load average is logged beside each run.
func TestMeasureFirstTable(t *testing.T) {
	base := os.Getenv("JCCONNECT_MEASURE_FIRSTTABLE")
	if base == "" {
		t.Skip("a measurement: set JCCONNECT_MEASURE_FIRSTTABLE to a sandbox's base URL (see the comment)")
	}
	if os.Getenv("JUMPCLOUD_API_KEY") == "" {
		t.Fatal("set JUMPCLOUD_API_KEY to the sandbox's read-only key")
	}
	uitest.RequireTmux(t)
	bin := os.Getenv("JCCONNECT_MEASURE_BINARY")
	if bin == "" {
		bin = uitest.Binary(t)
	}
	runs := 5
	if n, err := strconv.Atoi(os.Getenv("JCCONNECT_MEASURE_RUNS")); err == nil && n > 0 {
		runs = n
	}
	dir := t.TempDir()
	for r := 1; r <= runs; r++ {
		tt := &uitest.Tmux{T: t, Socket: fmt.Sprintf("jcmeasure-%d-%d", os.Getpid(), r), Session: "devices"}
		// The key is in this process's environment, which tmux's server passes on: not in argv.
		script := fmt.Sprintf("XDG_CONFIG_HOME=%s XDG_DATA_HOME=%s %s devices --base-url %s",
			filepath.Join(dir, "config"), filepath.Join(dir, "data"), bin, base)
		load := loadAverage()
		start := time.Now()
		if out, err := tt.Run("new-session", "-d", "-s", tt.Session, "-x", "160", "-y", "40", script); err != nil {
			t.Fatalf("tmux new-session: %v: %s", err, out)
		}
		var table, whole time.Duration
		for deadline := start.Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			screen := tt.Capture()
			header := strings.Contains(screen, "Device") && strings.Contains(screen, "Status")
			if header && table == 0 {
				table = time.Since(start)
			}
			if header && !strings.Contains(screen, "Still reading") && !strings.Contains(screen, "Collecting") {
				whole = time.Since(start)
				break
			}
		}
		tt.Run("kill-server")
		if table == 0 || whole == 0 {
			t.Fatalf("run %d: no table within 2 minutes", r)
		}
		t.Logf("run %d: first table %.2f s, filled in %.2f s (load average %s)", r, table.Seconds(), whole.Seconds(), load)
	}
}

func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}
