package ui

import (
	"os"
	"testing"

	"jcconnect/internal/uitest"
)

// The end-to-end tests run the real program, built once per test binary (uitest.Binary) into a
// folder removed when the tests end.
func TestMain(m *testing.M) {
	code := m.Run()
	uitest.RemoveBinary()
	os.Exit(code)
}
