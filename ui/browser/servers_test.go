package browser

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"

	"jcconnect/connect"
	"jcconnect/evidence"
	"jcconnect/jumpcloud/jctest"
	"jcconnect/store"
)

// screenLockColumn reads `devices --csv` into OS family -> screen_lock values.
func screenLocks(t *testing.T, out *bytes.Buffer) map[string]map[string]int {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(out.Bytes())).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("csv: %v (%d rows)", err, len(rows))
	}
	col, osCol := -1, -1
	for i, h := range rows[0] {
		switch h {
		case "screen_lock":
			col = i
		case "os":
			osCol = i
		}
	}
	got := map[string]map[string]int{}
	for _, r := range rows[1:] {
		if got[r[osCol]] == nil {
			got[r[osCol]] = map[string]int{}
		}
		got[r[osCol]][r[col]]++
	}
	return got
}

// The profile's server setting reaches `devices --csv`; --servers overrides
// it for one run; a device group that cannot be read makes the run partial (exit 7).
func TestServersSettingReachesDevicesOutput(t *testing.T) {
	srv := jctest.NewServer(jctest.Options{Devices: 80, Seed: 11, Now: devNow})
	t.Cleanup(srv.Close)
	env, out, errb := evEnv(t, srv, "")
	if err := env.Store.Save(context.Background(), store.Profile{Name: "default", OrgID: srv.Org().ID, BaseURL: srv.URL,
		Integrations: store.Integrations{EndpointManagement: true}}, store.MustSecret(srv.Keys.ReadOnly, false)); err != nil {
		t.Fatal(err)
	}
	p, _ := env.Store.Profile("default")
	p.Servers = []string{"os:windows"} // what `jcconnect profile servers os:windows` saves
	if err := env.Store.UpdateProfile(p); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if code := RunDevices(context.Background(), env, DevicesFlags{CSV: true}); code != connect.ExitOK {
		t.Fatalf("exit %d: %s", code, errb)
	}
	win := screenLocks(t, out)["Windows"]
	if len(win) != 1 || win["not_applicable"] == 0 {
		t.Errorf("Windows screen locks with os:windows saved: %v", win)
	}

	env.Servers = []string{"group:Nope"} // --servers group:Nope: overrides the profile, and cannot be read
	out.Reset()
	errb.Reset()
	if code := RunDevices(context.Background(), env, DevicesFlags{CSV: true}); code != connect.ExitPartial {
		t.Fatalf("an unreadable device group: exit %d, want %d: %s", code, connect.ExitPartial, errb)
	}
	if win := screenLocks(t, out)["Windows"]; win["not_applicable"] == len(win) && len(win) == 1 {
		t.Errorf("--servers did not override the profile's os:windows: %v", win)
	}
	if !bytes.Contains(errb.Bytes(), []byte("device groups: Nope")) {
		t.Errorf("stderr does not name the unread group: %s", errb)
	}
}

// The browser's detail of a device marked as a server says why its screen lock does not apply.
func TestBrowserDetailSaysAServerScreenLockDoesNotApply(t *testing.T) {
	snap := devSnapshot(6)
	rules, _ := evidence.ParseServerRules([]string{"host:host-00000"})
	snap.ServerRules = &rules
	b := devBrowser(t, snap, 120, 60)
	press(t, b, "enter")
	v := plain(b)
	if !strings.Contains(v, "host-00000") || !strings.Contains(v, "marked as a server (host:host-00000)") {
		t.Errorf("the detail does not say the device is a server:\n%s", v)
	}
}
