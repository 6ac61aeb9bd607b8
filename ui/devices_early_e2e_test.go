package ui

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"jcconnect/internal/sandboxtest"
	"jcconnect/internal/uitest"
	"jcconnect/jumpcloud/jctest"
)

// `jcconnect devices` in a real terminal draws its table before the policies' statuses and the
// users are in: a jctest organisation behind a proxy that holds every statuses and users request
// (sandboxtest.Gate) until the test has seen the table, with its … cells and the lines saying
// what is still read.
// Then ctrl+c quits, and the exit code says the evidence shown was partial. A second run, with
// the statuses let through, fills the table in.
func TestE2ETmuxDevicesDrawsBeforeTheStatuses(t *testing.T) {
	uitest.RequireTmux(t)
	bin := uitest.Binary(t)
	srv := jctest.NewServer(jctest.Options{Devices: 300, Seed: 4})
	t.Cleanup(srv.Close)
	gate := sandboxtest.NewGate("/policystatuses")
	t.Cleanup(gate.Open)
	users := sandboxtest.NewGate("/api/systemusers") // the device table does not wait for them either
	users.Next = gate
	t.Cleanup(users.Open)
	front := gatedFront(t, srv, users)
	dir := t.TempDir()
	run := func(session string) *uitest.Tmux {
		return devicesInTmux(t, bin, front, srv.Keys.ReadOnly, dir, "jcearly-"+session, session, "")
	}

	tt := run("early")
	screen := tt.WaitFor("Still reading policy results")
	t.Logf("the early table:\n%s", screen)
	for _, want := range []string{"Device", "Status", "300 of 300", "reading…", "policy results (still being read)", "users (still being read)"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the early table does not show %q", want)
		}
	}
	for _, g := range []*sandboxtest.Gate{gate, users} {
		select { // the statuses and the users are asked for once the early table is drawn
		case <-g.Holding():
		case <-time.After(30 * time.Second):
			t.Fatalf("no %s request was held: the table was not early", g.Hold)
		}
	}
	tt.Send("C-c")
	screen = tt.WaitFor("EXIT=")
	t.Logf("after ctrl+c:\n%s", screen)
	if !strings.Contains(screen, "EXIT=7") || !strings.Contains(screen, "policy results (still being read)") ||
		!strings.Contains(screen, "users (still being read)") {
		t.Errorf("ctrl+c during the background read must exit 7 naming what was still read")
	}
	tt.Run("kill-session", "-t", "early")

	users.Open()
	gate.Open()
	tt = run("whole")
	screen = waitGone(tt, "Still reading")
	t.Logf("filled in:\n%s", screen)
	if strings.Contains(screen, "reading…") || !strings.Contains(screen, "300 of 300") {
		t.Error("the table did not fill in")
	}
	tt.Send("q")
	if screen = tt.WaitFor("EXIT="); !strings.Contains(screen, "EXIT=0") {
		t.Errorf("a whole collection quit with q: %s", screen)
	}
}

// gatedFront is srv behind a proxy whose requests go through gate (a sandboxtest.Gate), over
// real HTTP: its URL.
func gatedFront(t *testing.T, srv *jctest.Server, gate http.RoundTripper) string {
	target, _ := url.Parse(srv.URL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.Transport = gate
	proxy.ErrorLog = log.New(io.Discard, "", 0) // the requests a quit or a cancel gives up are expected
	front := httptest.NewServer(proxy)
	t.Cleanup(front.Close)
	return front.URL
}

// devicesInTmux runs `jcconnect devices` with key against baseURL in a new tmux session on a
// server (socket) of its own, its configuration under dir and env (VAR=value…) before it; the
// shell prints EXIT=code when it ends. The key goes through a file the shell reads, never argv.
func devicesInTmux(t *testing.T, bin, baseURL, key, dir, socket, session, env string) *uitest.Tmux {
	t.Helper()
	envFile := filepath.Join(dir, "env-"+session)
	if err := os.WriteFile(envFile, []byte("JUMPCLOUD_API_KEY="+key+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// A server per session: one exits when its session is killed, and a new session asked of a
	// server still exiting fails ("server exited unexpectedly").
	tt := &uitest.Tmux{T: t, Socket: fmt.Sprintf("%s-%d", socket, os.Getpid()), Session: session}
	script := fmt.Sprintf("set -a; . %s; set +a; %s XDG_CONFIG_HOME=%s XDG_DATA_HOME=%s %s devices --base-url %s; echo \"EXIT=$?\"; sleep 600",
		envFile, env, filepath.Join(dir, "config"), filepath.Join(dir, "data"), bin, baseURL)
	if out, err := tt.Run("new-session", "-d", "-s", session, "-x", "160", "-y", "40", script); err != nil {
		t.Fatalf("tmux new-session: %v: %s", err, out)
	}
	t.Cleanup(func() { tt.Run("kill-session", "-t", session) })
	return tt
}

// waitGone polls the screen until text is no longer on it and a table (its header) is.
func waitGone(tt *uitest.Tmux, text string) string {
	tt.T.Helper()
	for i := 0; ; i++ {
		screen := tt.Capture()
		if !strings.Contains(screen, text) && strings.Contains(screen, "Device") && strings.Contains(screen, "Status") {
			return screen
		}
		if i > 600 {
			tt.T.Fatalf("the screen still shows %q:\n%s", text, screen)
		}
		tt.WaitForAny("Device") // a short poll
	}
}
