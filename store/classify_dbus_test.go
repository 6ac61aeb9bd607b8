//go:build linux

package store

import (
	"fmt"
	"testing"

	"github.com/godbus/dbus/v5"
)

// D-Bus errors arrive typed (dbus.Error) from godbus; their names decide the outcome even when
// the human text differs between Secret Service implementations.
func TestClassifyDBusErrorNames(t *testing.T) {
	cases := []struct {
		err  dbus.Error
		want error
	}{
		{dbus.Error{Name: "org.freedesktop.DBus.Error.ServiceUnknown",
			Body: []any{"The name org.freedesktop.secrets was not provided by any .service files"}}, ErrNoSecretService},
		{dbus.Error{Name: "org.freedesktop.DBus.Error.NameHasNoOwner", Body: []any{"no owner"}}, ErrNoSecretService},
		{dbus.Error{Name: "org.freedesktop.Secret.Error.IsLocked", Body: []any{"Cannot get secret of a locked object"}}, ErrKeyringLocked},
		{dbus.Error{Name: "org.freedesktop.DBus.Error.NoReply", Body: []any{"Did not receive a reply."}}, ErrKeyringTimeout},
	}
	for _, c := range cases {
		assertKind(t, classify("get", "work", fmt.Errorf("wrapped: %w", c.err)), c.want)
	}
}
