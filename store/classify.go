package store

import (
	"errors"
	"net"
	"os/exec"
	"strings"

	"github.com/zalando/go-keyring"
)

// classify turns whatever a keyring backend returned into a KeyringError of a known kind, so that
// no-bus, no-service, locked, timed-out and not-found reach the user as different errors with
// different fixes. go-keyring passes D-Bus errors through untyped, so part of this is matching the
// messages observed on Linux with go-keyring v0.2.8 (quoted in the cases below).
func classify(op, profile string, err error) error {
	if err == nil {
		return nil
	}
	var ke *KeyringError
	if errors.As(err, &ke) {
		if ke.Op == "" && ke.Err == nil { // a bare sentinel from a fake keyring: give it context
			return &KeyringError{Kind: ke.Kind, Op: op, Profile: profile}
		}
		return err
	}
	return &KeyringError{Kind: kindOf(err), Op: op, Profile: profile, Err: err}
}

func kindOf(err error) string {
	switch {
	case errors.Is(err, keyring.ErrNotFound):
		return kindNotFound
	case errors.Is(err, keyring.ErrSetDataTooBig):
		return kindTooBig
	case errors.Is(err, keyring.ErrUnsupportedPlatform):
		return kindUnsupported
	}

	if name, ok := dbusErrorName(err); ok {
		switch name {
		case "org.freedesktop.DBus.Error.ServiceUnknown", "org.freedesktop.DBus.Error.NameHasNoOwner":
			return kindNoSecretService
		case "org.freedesktop.DBus.Error.NoReply", "org.freedesktop.DBus.Error.Timeout",
			"org.freedesktop.DBus.Error.TimedOut":
			return kindTimeout
		case "org.freedesktop.Secret.Error.IsLocked":
			return kindLocked
		}
	}

	// `exec: "dbus-launch": executable file not found in $PATH`: no DBUS_SESSION_BUS_ADDRESS, so
	// godbus tried to autolaunch a bus.
	var execErr *exec.Error
	if errors.As(err, &execErr) {
		return kindNoSessionBus
	}
	// A bus address that points nowhere: "dial unix /run/user/1000/bus: connect: no such file".
	var netErr *net.OpError
	if errors.As(err, &netErr) {
		return kindNoSessionBus
	}

	msg := err.Error()
	switch {
	case strings.Contains(msg, "dbus-launch"),
		strings.Contains(msg, "couldn't determine address of session bus"),
		strings.Contains(msg, "dial unix"),
		strings.Contains(msg, "connection refused"),
		strings.Contains(msg, "dbus: authentication failed"):
		return kindNoSessionBus
	// "The name org.freedesktop.secrets was not provided by any .service files"
	case strings.Contains(msg, "org.freedesktop.secrets was not provided"),
		strings.Contains(msg, "not provided by any .service files"):
		return kindNoSecretService
	// "failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'"
	case strings.Contains(msg, "failed to unlock correct collection"),
		strings.Contains(msg, "is locked"):
		return kindLocked
	case strings.Contains(msg, "Did not receive a reply"),
		strings.Contains(msg, "timed out"):
		return kindTimeout
	}
	return kindKeyringOther
}
