//go:build !((dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd)

package store

// Without the Secret Service backend there are no D-Bus errors (and godbus does not build on
// every one of these platforms).
func dbusErrorName(error) (string, bool) { return "", false }
