//go:build linux

package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// These tests use the real Secret Service of the current D-Bus session. They run in CI inside
// `dbus-run-session` with an unlocked gnome-keyring (store/testdata/keyring-session.sh), skip
// elsewhere with a message saying how to run them, and fail instead of skipping when
// JCCONNECT_REQUIRE_KEYRING=1. Items are written under unique profile names and removed after,
// so running them in a desktop session does not touch a real jcconnect key.

const howToRun = "run them with store/testdata/keyring-session.sh, or: " +
	"XDG_DATA_HOME=$(mktemp -d) dbus-run-session -- sh -c 'echo -n ci | gnome-keyring-daemon --unlock --components=secrets >/dev/null && go test ./store/...'"

var (
	secretServiceOnce   sync.Once
	secretServiceReason string // "" when usable
)

// requireSecretService skips (or fails, under JCCONNECT_REQUIRE_KEYRING=1) without a usable
// Secret Service: the doctor's checks must all pass.
func requireSecretService(t testing.TB) {
	t.Helper()
	secretServiceOnce.Do(func() {
		if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
			secretServiceReason = "DBUS_SESSION_BUS_ADDRESS is not set"
			return
		}
		var problems []string
		for _, c := range Diagnose(context.Background(), WithDeadlines(OSKeyring(), Deadlines{Read: 5 * time.Second, Write: 5 * time.Second})) {
			if !c.OK {
				problems = append(problems, c.Name+": "+c.Err.Error())
			}
		}
		secretServiceReason = strings.Join(problems, "; ")
	})
	if secretServiceReason == "" {
		return
	}
	if os.Getenv("JCCONNECT_REQUIRE_KEYRING") == "1" {
		t.Fatalf("JCCONNECT_REQUIRE_KEYRING=1 but there is no usable Secret Service (%s); %s", secretServiceReason, howToRun)
	}
	t.Skipf("no usable Secret Service (%s); %s", secretServiceReason, howToRun)
}

// uniqueProfile names a keyring item no real profile uses.
func uniqueProfile(t testing.TB) string {
	return fmt.Sprintf("jcconnect-test-%d-%d", os.Getpid(), time.Now().UnixNano()%1e9)
}

func osKeyringForTest() Keyring {
	return WithDeadlines(OSKeyring(), Deadlines{Read: 5 * time.Second, Write: 10 * time.Second})
}

func TestSecretServiceSetGetDelete(t *testing.T) {
	requireSecretService(t)
	k, user := osKeyringForTest(), uniqueProfile(t)
	t.Cleanup(func() { k.Delete(Service, user) })

	_, err := k.Get(Service, user)
	assertKind(t, err, ErrKeyNotFound)
	if err := k.Set(Service, user, testKeyOld); err != nil {
		t.Fatal(err)
	}
	if got, err := k.Get(Service, user); err != nil || got != testKeyOld {
		t.Fatalf("Get = %s, %v", Mask(got), err)
	}
	if err := k.Set(Service, user, testKeyNew); err != nil { // Set replaces the item
		t.Fatal(err)
	}
	if got, _ := k.Get(Service, user); got != testKeyNew {
		t.Fatalf("Get after overwrite = %s", Mask(got))
	}
	if err := k.Delete(Service, user); err != nil {
		t.Fatal(err)
	}
	assertKind(t, k.Delete(Service, user), ErrKeyNotFound)
}

func TestSecretServiceStoreLifecycle(t *testing.T) {
	requireSecretService(t)
	ctx := context.Background()
	name := uniqueProfile(t)
	s, err := Open(Options{Dir: t.TempDir(), Getenv: env{}.get}) // the default: OS keyring with deadlines
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Delete(ctx, name) })

	if err := s.Save(ctx, testProfile(name), Secret{testKeyOld + "\n"}); err != nil {
		t.Fatal(err)
	}
	cred, err := s.Key(ctx, name)
	if err != nil || cred.Key.Reveal() != testKeyOld || cred.Source != SourceKeyring {
		t.Fatalf("Key = %s from %s, %v", Mask(cred.Key.Reveal()), cred.Source, err)
	}
	if err := s.Replace(ctx, testProfile(name), Secret{testKeyNew}); err != nil {
		t.Fatal(err)
	}
	if cred, err := s.Key(ctx, name); err != nil || cred.Key.Reveal() != testKeyNew {
		t.Fatalf("Key after Replace = %s, %v", Mask(cred.Key.Reveal()), err)
	}

	// The item removed behind jcconnect's back: the metadata is there, the key is not.
	if err := OSKeyring().Delete(Service, name); err != nil {
		t.Fatal(err)
	}
	_, err = s.Key(ctx, name)
	assertKind(t, err, ErrKeyNotFound)

	// And the reverse: an item with no metadata.
	if err := OSKeyring().Set(Service, name, testKeyNew); err != nil {
		t.Fatal(err)
	}
	r, err := s.Delete(ctx, name)
	if err != nil || !r.KeyringRemoved || !r.ProfileRemoved {
		t.Fatalf("Delete = %+v, %v", r, err)
	}
	if err := OSKeyring().Set(Service, name, testKeyNew); err != nil {
		t.Fatal(err)
	}
	_, err = s.Key(ctx, name)
	assertKind(t, err, ErrOrphanKey)
}

func TestSecretServiceDoctor(t *testing.T) {
	requireSecretService(t)
	checks := Diagnose(context.Background(), osKeyringForTest())
	var names []string
	for _, c := range checks {
		names = append(names, c.Name)
		if !c.OK || c.Err != nil || c.Detail == "" {
			t.Errorf("check %+v", c)
		}
	}
	if strings.Join(names, ",") != "session bus,secret service,unlocked,round trip" {
		t.Fatalf("checks = %v", names)
	}
	if !strings.Contains(checks[1].Detail, "gnome-keyring-daemon") {
		t.Errorf("secret service detail %q does not name the daemon", checks[1].Detail)
	}
	// The probe cleaned up after itself.
	if _, err := OSKeyring().Get(ProbeService, probeUser); !errors.Is(err, ErrKeyNotFound) {
		t.Fatalf("probe item left behind: %v", err)
	}
}

func TestSecretServiceKilledDuringKeyWrite(t *testing.T) {
	requireSecretService(t)
	testKilledDuringKeyWrite(t, "secret-service", osKeyringForTest(), uniqueProfile(t))
}

// A service account's secret in the real Secret Service: saved, read back with its kind and
// client id, replaced by the second secret, removed.
func TestSecretServiceServiceAccountLifecycle(t *testing.T) {
	requireSecretService(t)
	ctx := context.Background()
	name := uniqueProfile(t)
	s, err := Open(Options{Dir: t.TempDir(), Getenv: env{}.get})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Delete(ctx, name) })
	if err := s.Save(ctx, testServiceAccountProfile(name), Secret{testSecretOld}); err != nil {
		t.Fatal(err)
	}
	if got, err := OSKeyring().Get(Service, name); err != nil || got != testSecretOld {
		t.Fatalf("the Secret Service holds %s, %v", Mask(got), err)
	}
	cred, err := s.Key(ctx, name)
	if err != nil || cred.Key.Reveal() != testSecretOld || !cred.IsServiceAccount() || cred.ClientID != testClientID || cred.Source != SourceKeyring {
		t.Fatalf("Key = %s %s %q from %s, %v", Mask(cred.Key.Reveal()), cred.Kind, cred.ClientID, cred.Source, err)
	}
	if err := s.Replace(ctx, testServiceAccountProfile(name), Secret{testSecretNew}); err != nil {
		t.Fatal(err)
	}
	if cred, err := s.Key(ctx, name); err != nil || cred.Key.Reveal() != testSecretNew {
		t.Fatalf("Key after Replace = %s, %v", Mask(cred.Key.Reveal()), err)
	}
	assertNoServiceSecret(t, "metadata file", readFile(t, s.MetadataPath()))
	if r, err := s.Delete(ctx, name); err != nil || !r.KeyringRemoved || !r.ProfileRemoved {
		t.Fatalf("Delete = %+v, %v", r, err)
	}
	if _, err := OSKeyring().Get(Service, name); !errors.Is(err, ErrKeyNotFound) {
		t.Fatalf("the secret was left in the Secret Service: %v", err)
	}
}

func TestSecretServiceKilledDuringServiceAccountSecretWrite(t *testing.T) {
	requireSecretService(t)
	testKilledDuringWrite(t, "secret-service", osKeyringForTest(), uniqueProfile(t), KindServiceAccount)
}
