package uitest

import (
	"runtime"
	"weak"

	"jcconnect/evidence"
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

// RecordsGone is whether snap's devices and users (their backing arrays: the records every
// garbage collection would mark) are garbage now (Unreachable); snap must have both. It is made
// when the snapshot is collected and asked once a screen shows it: the tests that no screen
// keeps a collection's records.
func RecordsGone(snap *evidence.Snapshot) func() bool {
	devices, users := weak.Make(&snap.Devices[0]), weak.Make(&snap.Users[0])
	return func() bool { return Unreachable(devices) && Unreachable(users) }
}
