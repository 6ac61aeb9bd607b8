package ui

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"jcconnect/connect"
	"jcconnect/internal/dbustest"
	"jcconnect/internal/uitest"
	"jcconnect/jumpcloud/jctest"
)

// Service accounts through the built program against jctest over real HTTP: the flags, the
// environment variables and the exit codes a headless user meets.

// saRun is one run of the built program with a private config dir (kept, to be searched for the
// secret afterwards), no API key and the given extra environment.
type saRun struct {
	code           int
	stdout, stderr string
}

func runBinaryEnv(t *testing.T, configDir, stdin string, env []string, args ...string) saRun {
	t.Helper()
	cmd := exec.Command(uitest.Binary(t), args...)
	cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+configDir, "HOME="+t.TempDir(),
		"JUMPCLOUD_API_KEY=", "JUMPCLOUD_ORG_ID=", "JUMPCLOUD_CLIENT_ID=", "JUMPCLOUD_CLIENT_SECRET=", "NO_COLOR=1")
	cmd.Env = append(cmd.Env, env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	r := saRun{stdout: out.String(), stderr: errb.String()}
	switch {
	case err == nil:
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	default:
		t.Fatalf("running %v: %v", args, err)
	}
	return r
}

// noSecretUnder fails when any file under dir holds secret.
func noSecretUnder(t *testing.T, dir, secret string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.Contains(b, []byte(secret)) {
			t.Errorf("%s holds the client secret", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func saServer(t *testing.T) *jctest.Server {
	t.Helper()
	srv := jctest.NewServer(jctest.Options{Devices: 12, Seed: 12})
	t.Cleanup(srv.Close)
	return srv
}

func TestCLIServiceAccountFromTheEnvironmentListsDevicesWithAnEmptyConfigDir(t *testing.T) {
	srv := saServer(t)
	sa := srv.ServiceAccounts.ReadOnly
	dir := t.TempDir()
	r := runBinaryEnv(t, dir, "", []string{"JUMPCLOUD_CLIENT_ID=" + sa.ClientID, "JUMPCLOUD_CLIENT_SECRET=" + sa.ClientSecret},
		"--base-url", srv.URL, "--token-url", srv.TokenURL, "devices", "--json")
	if r.code != connect.ExitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if n := strings.Count(r.stdout, "\n"); n != 12 {
		t.Fatalf("%d lines, want the 12 devices:\n%s", n, r.stdout)
	}
	if srv.Requests("/oauth2/token") == 0 {
		t.Fatal("no token was fetched: the service account was not used")
	}
	if strings.Contains(r.stdout+r.stderr, sa.ClientSecret) {
		t.Fatal("the client secret was printed")
	}
	noSecretUnder(t, dir, sa.ClientSecret)
}

func TestCLIServiceAccountWithABaseURLNeedsATokenURL(t *testing.T) {
	srv := saServer(t)
	sa := srv.ServiceAccounts.ReadOnly
	r := runBinaryEnv(t, t.TempDir(), "", []string{"JUMPCLOUD_CLIENT_ID=" + sa.ClientID, "JUMPCLOUD_CLIENT_SECRET=" + sa.ClientSecret},
		"--base-url", srv.URL, "devices", "--json")
	if r.code != connect.ExitUsage || !strings.Contains(r.stderr, "--token-url") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if srv.Requests("/oauth2/token") != 0 {
		t.Fatal("the secret was sent to a guessed token host")
	}
}

func TestCLITokenURLIsCheckedLikeTheBaseURL(t *testing.T) {
	for _, tc := range []struct{ url, want string }{
		{"http://example.com/oauth2/token", "plain http would send the client secret unencrypted"},
		{"https://user:hunter2@example.com/oauth2/token", "must not contain a user name or password"},
		{"ftp://example.com/", "scheme is not supported"},
	} {
		r := runBinaryEnv(t, t.TempDir(), "", nil, "--token-url", tc.url, "status")
		if r.code != connect.ExitUsage || !strings.Contains(r.stderr, "--token-url") || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%s: exit %d, stderr %q", tc.url, r.code, r.stderr)
		}
		if strings.Contains(r.stderr, "hunter2") {
			t.Errorf("%s: the password was echoed", tc.url)
		}
	}
}

// The done-when checks for `setup --service-account`, with a real gnome-keyring in a
// D-Bus session of the test's own: the secret from stdin is stored in the keyring, status
// checks it live from a new process, and no file under the config dir holds it.
func TestCLISetupServiceAccountStoresTheSecretInTheRealKeyring(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a D-Bus session and a keyring daemon")
	}
	dbustest.RequireTool(t, "dbus-daemon")
	dbustest.RequireTool(t, "gnome-keyring-daemon")
	session := dbustest.Start(t, dbustest.Unlocked, t.TempDir())
	bus := []string{"DBUS_SESSION_BUS_ADDRESS=" + session.Address}
	srv := saServer(t)
	dir := t.TempDir()
	flags := []string{"--base-url", srv.URL, "--token-url", srv.TokenURL}
	setup := func(sa jctest.ServiceAccountCredentials, extra ...string) saRun {
		args := append(append([]string{"setup", "--service-account", "--client-id", sa.ClientID, "--with-secret"}, flags...), extra...)
		return runBinaryEnv(t, dir, sa.ClientSecret+"\n", bus, args...)
	}
	var printed strings.Builder

	// Not Read Only: refused, nothing stored.
	r := setup(srv.ServiceAccounts.Admin)
	printed.WriteString(r.stdout + r.stderr)
	if r.code != connect.ExitInvalidKey || !strings.Contains(r.stderr, "not Read Only") || !strings.Contains(r.stderr, "--allow-privileged") {
		t.Fatalf("an Administrator service account: exit %d, stderr %s", r.code, r.stderr)
	}
	// An expired secret: refused with its own words.
	r = setup(srv.ServiceAccounts.Expired)
	printed.WriteString(r.stdout + r.stderr)
	if r.code != connect.ExitInvalidKey || !strings.Contains(r.stdout, "the client secret has expired") {
		t.Fatalf("an expired secret: exit %d, stdout %s", r.code, r.stdout)
	}
	if r := runBinaryEnv(t, dir, "", bus, append([]string{"status", "--json"}, flags...)...); r.code != connect.ExitNoProfile {
		t.Fatalf("a refused service account was stored: status exit %d", r.code)
	}

	sa := srv.ServiceAccounts.ReadOnly
	r = setup(sa)
	printed.WriteString(r.stdout + r.stderr)
	if r.code != connect.ExitOK || !strings.Contains(r.stdout, "in the OS keyring") {
		t.Fatalf("setup: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	// A new process finds the secret in the keyring (the profile file cannot hold it: checked below).
	r = runBinaryEnv(t, dir, "", bus, "status", "--json")
	printed.WriteString(r.stdout + r.stderr)
	if r.code != connect.ExitOK || !strings.Contains(r.stdout, `"keySource": "keyring"`) {
		t.Fatalf("status: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	var st struct {
		Profiles []struct {
			Kind, ClientID, TokenHost string
			TokenHostReachable        *bool
			SecretExpires             *time.Time
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil || len(st.Profiles) != 1 {
		t.Fatalf("status --json: %v\n%s", err, r.stdout)
	}
	if ps := st.Profiles[0]; ps.Kind != "service_account" || ps.ClientID != sa.ClientID || ps.SecretExpires == nil ||
		ps.TokenHostReachable == nil || !*ps.TokenHostReachable {
		t.Fatalf("status --json: %+v", ps)
	}
	r = runBinaryEnv(t, dir, "", bus, "doctor")
	printed.WriteString(r.stdout + r.stderr)
	if !strings.Contains(r.stdout, "token host") || !strings.Contains(r.stdout, "issued a token") {
		t.Fatalf("doctor: exit %d\n%s", r.code, r.stdout)
	}
	if srv.Requests("/oauth2/token") == 0 {
		t.Fatal("no token was fetched")
	}
	// Two-slot rotation: the second secret is generated in the console, piped in, verified and
	// swapped; the old one still works until the admin deletes it, which the rotation says.
	second := srv.AddClientSecret(sa.ClientID)
	r = runBinaryEnv(t, dir, second+"\n", bus, "rotate", "--with-secret")
	printed.WriteString(r.stdout + r.stderr)
	if r.code != connect.ExitOK || !strings.Contains(r.stdout, "new client secret") || !strings.Contains(r.stdout, "still works, as expected until it is deleted") {
		t.Fatalf("rotate --with-secret: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	srv.DeleteClientSecret(sa.ClientID, sa.ClientSecret)
	if r := runBinaryEnv(t, dir, "", bus, "status", "--json"); r.code != connect.ExitOK {
		t.Fatalf("status after the old secret was deleted: exit %d\n%s", r.code, r.stdout)
	}
	if r := runBinaryEnv(t, dir, sa.ClientSecret+"\n", bus, "rotate", "--with-key"); r.code != connect.ExitUsage || !strings.Contains(r.stderr, "--with-secret") {
		t.Fatalf("rotate --with-key on a service account: exit %d, %s", r.code, r.stderr)
	}
	r = runBinaryEnv(t, dir, "", bus, "logout", "--yes")
	printed.WriteString(r.stdout + r.stderr)
	if r.code != connect.ExitOK || !strings.Contains(r.stdout, "does NOT delete the client secret") ||
		!strings.Contains(r.stdout, "Settings ▸ Service Accounts") {
		t.Fatalf("logout: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	for _, secret := range []string{sa.ClientSecret, second, srv.ServiceAccounts.Admin.ClientSecret, srv.ServiceAccounts.Expired.ClientSecret} {
		if strings.Contains(printed.String(), secret) {
			t.Fatal("a client secret was printed")
		}
		noSecretUnder(t, dir, secret)
	}
}

func TestCLISetupServiceAccountFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"setup", "--service-account", "--client-id", "x", "--client-secret", "y"}, "unknown flag: --client-secret"},
		{[]string{"setup", "--service-account", "--with-secret"}, "needs --client-id"},
		{[]string{"setup", "--client-id", "x", "--with-secret"}, "add --service-account"},
		{[]string{"setup", "--service-account", "--client-id", "x", "--with-secret", "--with-key"}, "use one of them"},
	} {
		r := runBinaryEnv(t, t.TempDir(), "", nil, tc.args...)
		if r.code != connect.ExitUsage || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q", tc.args, r.code, r.stderr)
		}
	}
}
