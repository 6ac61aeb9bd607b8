package ui

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// The end-to-end tests run the real program: built once per test binary from the module root
// (../ from ui), into a folder removed when the tests end.

var built struct {
	once sync.Once
	dir  string
	bin  string
	err  error
	Out  []byte
}

// jcconnectBinary builds the program once and returns its path (skipped with -short).
func jcconnectBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary: skipped with -short")
	}
	built.once.Do(func() {
		built.dir, built.err = os.MkdirTemp("", "jcconnect-e2e-")
		if built.err != nil {
			return
		}
		built.bin = filepath.Join(built.dir, "jcconnect")
		build := exec.Command("go", "build", "-o", built.bin, ".")
		build.Dir = ".."
		built.Out, built.err = build.CombinedOutput()
	})
	if built.err != nil {
		t.Fatalf("go build: %v\n%s", built.err, built.Out)
	}
	return built.bin
}

// requireTmux skips without tmux, or fails when JCCONNECT_REQUIRE_TMUX is set (as in CI).
func requireTmux(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("JCCONNECT_REQUIRE_TMUX") != "" {
			t.Fatal("tmux is required here (JCCONNECT_REQUIRE_TMUX is set) but is not installed")
		}
		t.Skip("tmux is not installed: the terminal end-to-end tests need it (apt-get install tmux; .ci/run installs it)")
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}
