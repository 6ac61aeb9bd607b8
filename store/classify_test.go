package store

import (
	"errors"
	"fmt"
	"net"
	"os/exec"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"
)

// The messages below were observed on Linux with go-keyring v0.2.8 (issue 3); each must reach
// the user as its own outcome with its own fix.
func TestClassifyObservedKeyringFailures(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want error
	}{
		{"not found", keyring.ErrNotFound, ErrKeyNotFound},
		{"too big", keyring.ErrSetDataTooBig, ErrDataTooBig},
		{"unsupported", keyring.ErrUnsupportedPlatform, ErrUnsupported},
		{"no dbus-launch", &exec.Error{Name: "dbus-launch", Err: exec.ErrNotFound}, ErrNoSessionBus},
		{"no dbus-launch, as text", errors.New(`exec: "dbus-launch": executable file not found in $PATH`), ErrNoSessionBus},
		{"dial error", &net.OpError{Op: "dial", Net: "unix", Err: errors.New("connect: no such file or directory")}, ErrNoSessionBus},
		{"dial error, as text", errors.New("dial unix /run/user/1000/bus: connect: connection refused"), ErrNoSessionBus},
		{"no service, as text", errors.New("The name org.freedesktop.secrets was not provided by any .service files"), ErrNoSecretService},
		{"locked", errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'"), ErrKeyringLocked},
		{"anything else", errors.New("something odd"), ErrKeyringFailed},
	}
	fixes := map[string]bool{}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := classify("get", "work", fmt.Errorf("wrapped: %w", c.err))
			assertKind(t, err, c.want)
			if !strings.Contains(err.Error(), `keyring get for profile "work"`) {
				t.Errorf("message %q does not say which call and profile", err)
			}
			fixes[Fix(err)] = true
		})
	}
	if len(fixes) != 7 { // seven different outcomes (timeouts come from the deadline), seven fixes
		t.Errorf("%d distinct fixes; want 7", len(fixes))
	}
}

func TestOutcomesAreDistinct(t *testing.T) {
	all := []error{ErrKeyNotFound, ErrNoSessionBus, ErrNoSecretService, ErrKeyringLocked, ErrKeyringTimeout,
		ErrDataTooBig, ErrUnsupported, ErrNoProfile, ErrReadBackMismatch, ErrKeyringFailed, ErrMetadataCorrupt,
		ErrMetadataIO, ErrMetadataBusy, ErrKeyMismatch, ErrOrphanKey, ErrInvalidKey, ErrInvalidProfileName, ErrBadTimeout}
	for i, a := range all {
		if Fix(a) == "" || a.Error() == "" {
			t.Errorf("%v has no message or fix", a)
		}
		for j, b := range all {
			if (i == j) != errors.Is(a, b) {
				t.Errorf("errors.Is(%v, %v) = %v", a, b, errors.Is(a, b))
			}
		}
	}
	if Fix(errors.New("plain")) != "" {
		t.Error("a plain error has no fix")
	}
}

func TestClassifyKeepsTypedErrorsAndAddsContextToSentinels(t *testing.T) {
	typed := &KeyringError{Kind: kindTimeout, Op: "set", Profile: "a"}
	if got := classify("get", "b", typed); got != typed {
		t.Errorf("classify replaced a typed error: %v", got)
	}
	got := classify("delete", "work", ErrKeyNotFound)
	if !errors.Is(got, ErrKeyNotFound) || !strings.Contains(got.Error(), `keyring delete for profile "work"`) {
		t.Errorf("classify(sentinel) = %v", got)
	}
	if classify("get", "x", nil) != nil {
		t.Error("classify(nil) != nil")
	}
}
