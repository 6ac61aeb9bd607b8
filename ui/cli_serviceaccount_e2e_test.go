package ui

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"jcconnect/connect"
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
