package uitest

import (
	"os"
	"testing"
)

// AssertDirEmpty fails t for everything dir holds: after a canceled export, no bundle, no
// temporary folder, no spool may be left.
func AssertDirEmpty(t testing.TB, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("%s was left in %s", e.Name(), dir)
	}
}
