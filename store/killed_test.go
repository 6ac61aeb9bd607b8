package store

import (
	"bufio"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fileKeyring is a TEST-ONLY keyring kept in files, so that a key outlives the process that
// wrote it, like a real keyring does. It lets the killed-process tests run everywhere; the same
// tests also run against the real Secret Service when one is available. jcconnect itself never
// stores a key in a file.
type fileKeyring struct{ dir string }

func (k fileKeyring) path(service, user string) string {
	return filepath.Join(k.dir, hex.EncodeToString([]byte(service))+"_"+hex.EncodeToString([]byte(user)))
}

func (k fileKeyring) Get(service, user string) (string, error) {
	b, err := os.ReadFile(k.path(service, user))
	if errors.Is(err, fs.ErrNotExist) {
		return "", ErrKeyNotFound
	}
	return string(b), err
}

func (k fileKeyring) Set(service, user, secret string) error {
	return writeFileAtomic(k.path(service, user), []byte(secret))
}

func (k fileKeyring) Delete(service, user string) error {
	err := os.Remove(k.path(service, user))
	if errors.Is(err, fs.ErrNotExist) {
		return ErrKeyNotFound
	}
	return err
}

// Environment of the child roles below.
const (
	envBackend  = "JCCONNECT_TEST_BACKEND" // "file:<dir>" or "secret-service"
	envStoreDir = "JCCONNECT_TEST_STORE_DIR"
	envProfile  = "JCCONNECT_TEST_PROFILE"
	envStopAt   = "JCCONNECT_TEST_STOP_AT"
	envCount    = "JCCONNECT_TEST_COUNT"
	envKind     = "JCCONNECT_TEST_KIND" // KindServiceAccount: write a client secret instead of a key
)

// killedCredentials are the old and new secret, and the profile, of a killed-process case.
func killedCredentials(kind, name string) (old, new string, p Profile) {
	if kind == KindServiceAccount {
		return testSecretOld, testSecretNew, testServiceAccountProfile(name)
	}
	return testKeyOld, testKeyNew, testProfile(name)
}

func init() {
	childRoles["write-key-and-stop"] = childWriteKeyAndStop
	childRoles["save-many"] = childSaveMany
}

func openChildStore() (*Store, error) {
	var k Keyring
	switch b := os.Getenv(envBackend); {
	case strings.HasPrefix(b, "file:"):
		k = fileKeyring{dir: strings.TrimPrefix(b, "file:")}
	case b == "secret-service":
		k = WithDeadlines(OSKeyring(), DefaultDeadlines())
	default:
		return nil, fmt.Errorf("unknown backend %q", b)
	}
	return Open(Options{Keyring: k, Dir: os.Getenv(envStoreDir), Getenv: env{}.get})
}

// childWriteKeyAndStop saves testKeyNew for the profile (a replacement when it exists) and
// freezes at the named step, announcing it, so the parent can kill it there with SIGKILL: no
// deferred function, no cleanup, exactly like a process killed by the user or the OOM killer.
func childWriteKeyAndStop() error {
	s, err := openChildStore()
	if err != nil {
		return err
	}
	stopAt := os.Getenv(envStopAt)
	s.step = func(name string) {
		if name == stopAt {
			fmt.Printf("reached=%s\n", name)
			os.Stdout.Sync()
			select {} // wait to be killed
		}
	}
	_, newSecret, p := killedCredentials(os.Getenv(envKind), os.Getenv(envProfile))
	p.OrgName = "Acme After Rotation"
	if err := s.Save(context.Background(), p, Secret{newSecret}); err != nil {
		return err
	}
	fmt.Println("finished=true")
	return nil
}

func childSaveMany() error {
	s, err := openChildStore()
	if err != nil {
		return err
	}
	n, _ := strconv.Atoi(os.Getenv(envCount))
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("%s-%02d", os.Getenv(envProfile), i)
		if err := s.Save(context.Background(), testProfile(name), Secret{testKeyOld}); err != nil {
			return err
		}
	}
	return nil
}

// killAt runs the child and kills it once it reports reaching step.
func killAt(t *testing.T, step string, extraEnv ...string) {
	t.Helper()
	cmd := childCommand(t, "write-key-and-stop", append(extraEnv, envStopAt+"="+step)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	timer := time.AfterFunc(time.Minute, func() { cmd.Process.Kill() })
	defer timer.Stop()
	sc := bufio.NewScanner(out)
	reached := false
	for sc.Scan() {
		if sc.Text() == "reached="+step {
			reached = true
			break
		}
	}
	cmd.Process.Kill() // SIGKILL
	cmd.Wait()
	if !reached {
		t.Fatalf("the child never reached %q: %s", step, stderr.String())
	}
}

// testKilledDuringKeyWrite kills a child at every step of a replacement and of a first save, and
// checks that the keyring holds a working key (old or new) and the metadata describes it.
func testKilledDuringKeyWrite(t *testing.T, backend string, keyring Keyring, profilePrefix string) {
	testKilledDuringWrite(t, backend, keyring, profilePrefix, KindAPIKey)
}

// testKilledDuringWrite is testKilledDuringKeyWrite for a credential kind: a service account's
// client secret goes through the same steps and must survive the same kills.
func testKilledDuringWrite(t *testing.T, backend string, keyring Keyring, profilePrefix, credKind string) {
	oldSecret, newSecret, _ := killedCredentials(credKind, "")
	cases := []struct {
		step      string
		firstSave bool
		want      string // the secret that must be stored; "" = none, and no profile
	}{
		{"pending-recorded", false, oldSecret},
		{"keyring-written", false, newSecret},
		{"read-back", false, newSecret},
		{"metadata-written", false, newSecret},
		{"pending-recorded", true, ""},
		{"keyring-written", true, newSecret},
		{"metadata-written", true, newSecret},
	}
	for i, c := range cases {
		kind := "replace"
		if c.firstSave {
			kind = "first save"
		}
		t.Run(kind+" killed after "+c.step, func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			name := fmt.Sprintf("%s-%d", profilePrefix, i)
			s, err := Open(Options{Keyring: keyring, Dir: dir, Getenv: env{}.get})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Delete(ctx, name) })
			if !c.firstSave {
				_, _, p := killedCredentials(credKind, name)
				if err := s.Save(ctx, p, Secret{oldSecret}); err != nil {
					t.Fatal(err)
				}
			}

			killAt(t, c.step, envBackend+"="+backend, envStoreDir+"="+dir, envProfile+"="+name, envKind+"="+credKind)

			cred, err := s.Key(ctx, name)
			if c.want == "" {
				if !errors.Is(err, ErrNoProfile) {
					t.Fatalf("Key = %v; want ErrNoProfile", err)
				}
				if _, err := keyring.Get(Service, name); !errors.Is(err, ErrKeyNotFound) {
					t.Fatalf("keyring item present after a save killed before writing it: %v", err)
				}
				return
			}
			if err != nil || cred.Key.Reveal() != c.want {
				t.Fatalf("Key = %s, %v; want %s", Mask(cred.Key.Reveal()), err, Mask(c.want))
			}
			stored, err := keyring.Get(Service, name)
			if err != nil || stored != c.want {
				t.Fatalf("keyring holds %s (%v); want %s", Mask(stored), err, Mask(c.want))
			}
			p, err := s.Profile(name)
			if err != nil || p.Fingerprint != Fingerprint(c.want) || p.CredentialKind() != credKind || cred.Kind != credKind {
				t.Fatalf("metadata describes %q %s (%v); want %q %s", p.Fingerprint, p.CredentialKind(), err, Fingerprint(c.want), credKind)
			}
			if m, _ := s.parseMetadataFile(); len(m.Pending) != 0 {
				t.Fatalf("pending record left after Key: %+v", m.Pending)
			}
		})
	}
}

func TestKilledDuringKeyWrite(t *testing.T) {
	dir := t.TempDir()
	testKilledDuringKeyWrite(t, "file:"+dir, fileKeyring{dir: dir}, "killed")
}

func TestKilledDuringServiceAccountSecretWrite(t *testing.T) {
	dir := t.TempDir()
	testKilledDuringWrite(t, "file:"+dir, fileKeyring{dir: dir}, "killed-sa", KindServiceAccount)
}

// Four processes save five profiles each into the same folder at once: the lock file keeps every
// read-modify-write whole, so all twenty profiles are there.
func TestProcessesSavingAtOnce(t *testing.T) {
	keys, dir := t.TempDir(), t.TempDir()
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := childCommand(t, "save-many", envBackend+"=file:"+keys, envStoreDir+"="+dir,
				envProfile+"=proc"+strconv.Itoa(i), envCount+"=5")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("child %d: %v\n%s", i, err, out)
			}
		}()
	}
	wg.Wait()
	s, _ := Open(Options{Keyring: fileKeyring{dir: keys}, Dir: dir, Getenv: env{}.get})
	profiles, def, err := s.Profiles()
	if err != nil || len(profiles) != 20 || def == "" {
		t.Fatalf("%d profiles, default %q, %v", len(profiles), def, err)
	}
	for _, p := range profiles {
		if _, err := s.Key(context.Background(), p.Name); err != nil {
			t.Fatalf("%s: %v", p.Name, err)
		}
	}
}
