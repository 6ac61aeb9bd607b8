//go:build (dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd

package store

import (
	"errors"

	"github.com/godbus/dbus/v5"
)

// dbusErrorName is the D-Bus error name inside err ("org.freedesktop.DBus.Error.ServiceUnknown"),
// on the platforms where go-keyring talks to D-Bus.
func dbusErrorName(err error) (string, bool) {
	var de dbus.Error
	if errors.As(err, &de) {
		return de.Name, true
	}
	return "", false
}
