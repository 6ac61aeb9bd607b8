package rotate

import (
	"os"
	"testing"

	"jcconnect/internal/uitest"
)

// day2Fixture is uitest's fixture, with this package's own helpers as methods.
type day2Fixture struct{ *uitest.Fixture }

func newDay2Fixture(t testing.TB) *day2Fixture { return &day2Fixture{uitest.NewFixture(t)} }

var (
	wantIn    = uitest.WantIn
	wantNotIn = uitest.WantNotIn
)

func TestMain(m *testing.M) {
	code := m.Run()
	uitest.RemoveBinary()
	os.Exit(code)
}
