package common

// The -update flag of `go test ./ui/... -update` (x/exp/golden defines it) must exist in every ui
// test binary, or go test fails the packages that do not know it.
import _ "github.com/charmbracelet/x/exp/golden"
