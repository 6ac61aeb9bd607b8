package uitest

import (
	"runtime"
	"weak"
)

// Unreachable reports whether what w points to is garbage: nothing kept it through two
// collections (the first may only finish a cycle already under way). The tests that a screen
// lets go of what it handed on, or an export of its collection, read this instead of sizes,
// which depend on the machine.
func Unreachable[T any](w weak.Pointer[T]) bool {
	runtime.GC()
	runtime.GC()
	return w.Value() == nil
}
