//go:build (dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd

package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/godbus/dbus/v5"
)

// The same build constraint as go-keyring's Secret Service backend: where go-keyring talks to
// D-Bus, the doctor checks the pieces it needs one at a time.

const (
	secretsName       = "org.freedesktop.secrets"
	secretsPath       = "/org/freedesktop/secrets"
	loginCollection   = "/org/freedesktop/secrets/collection/login"
	defaultCollection = "/org/freedesktop/secrets/aliases/default"
)

// stuck is the keyring's earlier timeout in this command (nil when none): then the collection,
// which only the stuck daemon can describe, is not queried.
func platformChecks(ctx context.Context, limit time.Duration, stuck error) []Check {
	bus := Check{Name: "session bus"}
	conn, err := dialSessionBus(ctx, limit)
	if err != nil {
		bus.Err, bus.Fix = err, Fix(err)
		return []Check{bus,
			notChecked("secret service", "there is no session bus", err),
			notChecked("unlocked", "there is no session bus", err)}
	}
	// The connection only read; closing it cannot change the diagnosis.
	defer func() { _ = conn.Close() }()
	bus.OK = true
	bus.Detail = "connected to " + os.Getenv("DBUS_SESSION_BUS_ADDRESS")

	service := checkSecretService(ctx, conn, limit)
	if !service.OK {
		return []Check{bus, service, notChecked("unlocked", "there is no Secret Service", service.Err)}
	}
	if stuck != nil {
		return []Check{bus, service, {Name: "unlocked", Err: stuck, Fix: Fix(stuck),
			Detail: "not asked again: the keyring gave no answer earlier in this command"}}
	}
	return []Check{bus, service, checkUnlocked(ctx, conn, limit)}
}

// dialSessionBus connects to the session bus without autolaunching one (autolaunch needs
// dbus-launch and leaves a daemon behind), within the deadline.
func dialSessionBus(ctx context.Context, limit time.Duration) (*dbus.Conn, error) {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" && os.Getenv("XDG_RUNTIME_DIR") == "" {
		return nil, &KeyringError{Kind: kindNoSessionBus, Op: "dial",
			Err: errors.New("DBUS_SESSION_BUS_ADDRESS is not set")}
	}
	return withDeadline(ctx, limit, "dial", "", func() (*dbus.Conn, error) {
		conn, err := dbus.SessionBusPrivateNoAutoStartup()
		if err != nil {
			return nil, &KeyringError{Kind: kindNoSessionBus, Op: "dial", Err: err}
		}
		if err := conn.Auth(nil); err != nil {
			return nil, &KeyringError{Kind: kindNoSessionBus, Op: "dial", Err: errors.Join(err, conn.Close())}
		}
		if err := conn.Hello(); err != nil {
			return nil, &KeyringError{Kind: kindNoSessionBus, Op: "dial", Err: errors.Join(err, conn.Close())}
		}
		return conn, nil
	})
}

// checkSecretService asks the bus whether anyone owns org.freedesktop.secrets, or could be
// started for it (an activatable .service file).
func checkSecretService(ctx context.Context, conn *dbus.Conn, limit time.Duration) Check {
	c := Check{Name: "secret service"}
	cctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	var owned bool
	err := conn.BusObject().CallWithContext(cctx, "org.freedesktop.DBus.NameHasOwner", 0, secretsName).Store(&owned)
	if err == nil && owned {
		c.OK = true
		c.Detail = secretsName + " is provided by " + ownerDescription(cctx, conn)
		return c
	}
	var activatable []string
	if err == nil {
		err = conn.BusObject().CallWithContext(cctx, "org.freedesktop.DBus.ListActivatableNames", 0).Store(&activatable)
	}
	if err == nil && slices.Contains(activatable, secretsName) {
		c.OK = true
		c.Detail = secretsName + " is not running but will be started on first use"
		return c
	}
	if err != nil {
		err = classify("query", "", contextError(cctx, err))
	} else {
		err = &KeyringError{Kind: kindNoSecretService, Op: "query",
			//lint:ignore ST1005 this is D-Bus's own message, quoted as a real bus says it
			Err: errors.New("The name " + secretsName + " was not provided by any .service files")}
	}
	c.Err, c.Fix = err, Fix(err)
	return c
}

// ownerDescription names the process behind the Secret Service ("gnome-keyring-daemon, pid 812").
func ownerDescription(ctx context.Context, conn *dbus.Conn) string {
	var pid uint32
	if err := conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.GetConnectionUnixProcessID", 0, secretsName).Store(&pid); err != nil {
		return "a running service"
	}
	// cmdline rather than comm, which the kernel cuts at 15 characters ("gnome-keyring-d").
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil || len(cmdline) == 0 {
		return fmt.Sprintf("pid %d", pid)
	}
	exe, _, _ := strings.Cut(string(cmdline), "\x00")
	return fmt.Sprintf("%s, pid %d", filepath.Base(exe), pid)
}

// checkUnlocked reads the Locked property of the collection go-keyring writes to: "login" when
// it exists, else the default alias.
func checkUnlocked(ctx context.Context, conn *dbus.Conn, limit time.Duration) Check {
	c := Check{Name: "unlocked"}
	cctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	fail := func(err error) Check {
		c.Err, c.Fix = err, Fix(err)
		return c
	}
	path := dbus.ObjectPath(defaultCollection)
	var v dbus.Variant
	err := conn.Object(secretsName, secretsPath).CallWithContext(cctx, "org.freedesktop.DBus.Properties.Get", 0,
		"org.freedesktop.Secret.Service", "Collections").Store(&v)
	if err != nil {
		return fail(classify("query", "", contextError(cctx, err)))
	}
	if paths, ok := v.Value().([]dbus.ObjectPath); ok && slices.Contains(paths, dbus.ObjectPath(loginCollection)) {
		path = loginCollection
	}
	var locked dbus.Variant
	err = conn.Object(secretsName, path).CallWithContext(cctx, "org.freedesktop.DBus.Properties.Get", 0,
		"org.freedesktop.Secret.Collection", "Locked").Store(&locked)
	if err != nil {
		if isUnknownObject(err) {
			// gnome-keyring never unlocked: the default alias points at a login collection that
			// does not exist yet, and creating it needs the unlock prompt go-keyring fails on.
			return fail(&KeyringError{Kind: kindLocked, Op: "query",
				Err: fmt.Errorf("the keyring's default collection %s does not exist yet: it is created when the login keyring is first unlocked", path)})
		}
		return fail(classify("query", "", contextError(cctx, err)))
	}
	if isLocked, _ := locked.Value().(bool); isLocked {
		return fail(&KeyringError{Kind: kindLocked, Op: "query",
			Err: fmt.Errorf("the collection %s is locked", path)})
	}
	c.OK = true
	c.Detail = "the collection " + string(path) + " is unlocked"
	return c
}

// contextError turns a D-Bus call abandoned at the deadline into a timeout.
func contextError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return &KeyringError{Kind: kindTimeout, Op: "query", Err: err}
	}
	return err
}

func isUnknownObject(err error) bool {
	var de dbus.Error
	if errors.As(err, &de) && (de.Name == "org.freedesktop.DBus.Error.UnknownObject" || de.Name == "org.freedesktop.Secret.Error.NoSuchObject") {
		return true
	}
	return strings.Contains(err.Error(), "Object does not exist at path") || strings.Contains(err.Error(), "No such object")
}
