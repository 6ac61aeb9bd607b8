package browser

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"jcconnect/connect"
	"jcconnect/evidence"
	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
	"jcconnect/store"
	"jcconnect/ui/common"
)

// evEnv is an Env whose key comes from JUMPCLOUD_API_KEY (as in CI), against a jctest server.
func evEnv(t testing.TB, srv *jctest.Server, key string) (*connect.Env, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	getenv := func(k string) string {
		if k == store.EnvAPIKey {
			return key
		}
		return ""
	}
	st, err := store.Open(store.Options{Keyring: store.NewMemory(), Dir: t.TempDir(), Getenv: getenv})
	if err != nil {
		t.Fatal(err)
	}
	out, errb := &bytes.Buffer{}, &bytes.Buffer{}
	// Recent as main sets it for every Env: what the screens keep alive includes what it remembers.
	env := &connect.Env{In: strings.NewReader(""), Out: out, Err: errb, Store: st, Getenv: getenv,
		Now: func() time.Time { return devNow }, NoColor: true, BaseURL: srv.URL, Recent: &connect.RecentSnapshots{},
		NewClient: func(cfg jumpcloud.Config) (*jumpcloud.Client, error) {
			cfg.RetryBaseDelay, cfg.MaxRetryDelay = time.Millisecond, 20*time.Millisecond
			return jumpcloud.New(cfg)
		}}
	return env, out, errb
}

// evConnected is evEnv with srv's Read Only key and the connection `jcconnect devices` makes of it.
func evConnected(t testing.TB, srv *jctest.Server) (*connect.Env, connect.Connection) {
	t.Helper()
	env, _, errb := evEnv(t, srv, srv.Keys.ReadOnly)
	conn, code := evidenceConnection(context.Background(), env, "devices")
	if code != connect.ExitOK {
		t.Fatalf("connection: exit %d: %s", code, errb)
	}
	return env, conn
}

func evServer(t testing.TB, devices int) *jctest.Server {
	t.Helper()
	srv := jctest.NewServer(jctest.Options{Devices: devices, Seed: 11, Now: devNow, HostileNames: true})
	t.Cleanup(srv.Close)
	return srv
}

func TestRunDevicesCSVWithoutTTY(t *testing.T) {
	srv := evServer(t, 80)
	env, out, errb := evEnv(t, srv, srv.Keys.ReadOnly)
	if code := RunDevices(context.Background(), env, DevicesFlags{}); code != connect.ExitOK {
		t.Fatalf("exit %d: %s", code, errb)
	}
	rows, err := csv.NewReader(bytes.NewReader(out.Bytes())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != strings.Join(evidence.DeviceColumns(), ",") {
		t.Errorf("header %v", rows[0])
	}
	if len(rows)-1 != srv.Org().Devices {
		t.Errorf("%d rows for %d devices", len(rows)-1, srv.Org().Devices)
	}
	if strings.ContainsRune(out.String(), 0x1b) {
		t.Error("an escape sequence reached stdout")
	}
	// The Read Only key cannot list admins in the sandbox: said on stderr, not fatal.
	if !strings.Contains(errb.String(), "administrators: not permitted") {
		t.Errorf("stderr: %s", errb)
	}
	for _, b := range []*bytes.Buffer{out, errb} {
		if strings.Contains(b.String(), srv.Keys.ReadOnly) {
			t.Fatal("the key was printed")
		}
	}
}

func TestRunDevicesJSONLinesAndUsers(t *testing.T) {
	srv := evServer(t, 30)
	env, out, errb := evEnv(t, srv, srv.Keys.ReadOnly)
	if code := RunDevices(context.Background(), env, DevicesFlags{JSON: true, Users: true}); code != connect.ExitOK {
		t.Fatalf("exit %d: %s", code, errb)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != srv.Org().Users {
		t.Errorf("%d lines for %d users", len(lines), srv.Org().Users)
	}
	var obj map[string]string
	if err := json.Unmarshal([]byte(lines[0]), &obj); err != nil {
		t.Fatal(err)
	}
	for _, col := range evidence.UserColumns(evidence.UserChecks) {
		if _, ok := obj[col]; !ok {
			t.Errorf("column %q missing", col)
		}
	}
	if code := RunDevices(context.Background(), env, DevicesFlags{JSON: true, CSV: true}); code != connect.ExitUsage {
		t.Errorf("--json --csv: exit %d", code)
	}
}

func TestRunDevicesRevokedKey(t *testing.T) {
	srv := evServer(t, 10)
	env, _, errb := evEnv(t, srv, srv.Keys.Revoked)
	if code := RunDevices(context.Background(), env, DevicesFlags{CSV: true}); code != connect.ExitInvalidKey {
		t.Errorf("exit %d, want %d", code, connect.ExitInvalidKey)
	}
	// The key came from JUMPCLOUD_API_KEY, which overrides the stored one: rotating the stored key
	// would not help, setting the variable to a new key does.
	if !strings.Contains(errb.String(), "JUMPCLOUD_API_KEY") || strings.Contains(errb.String(), "jcconnect rotate") {
		t.Errorf("a refused JUMPCLOUD_API_KEY does not point to the variable: %s", errb)
	}
}

// A refused stored key points to rotation, the fix for it.
func TestRunDevicesRevokedStoredKeyPointsToRotate(t *testing.T) {
	srv := evServer(t, 10)
	env, _, errb := evEnv(t, srv, "")
	if err := env.Store.Save(context.Background(), store.Profile{Name: "default", OrgID: srv.Org().ID, BaseURL: srv.URL}, store.MustSecret(srv.Keys.Revoked, false)); err != nil {
		t.Fatal(err)
	}
	if code := RunDevices(context.Background(), env, DevicesFlags{CSV: true}); code != connect.ExitInvalidKey {
		t.Errorf("exit %d, want %d: %s", code, connect.ExitInvalidKey, errb)
	}
	if !strings.Contains(errb.String(), "jcconnect rotate") || strings.Contains(errb.String(), "JUMPCLOUD_API_KEY") {
		t.Errorf("no pointer to rotation: %s", errb)
	}
}

func TestRunDevicesNothingSetUp(t *testing.T) {
	srv := evServer(t, 10)
	env, _, errb := evEnv(t, srv, "")
	if code := RunDevices(context.Background(), env, DevicesFlags{CSV: true}); code != connect.ExitNoProfile {
		t.Errorf("exit %d: %s", code, errb)
	}
	if !strings.Contains(errb.String(), "jcconnect setup") {
		t.Errorf("no next step: %s", errb)
	}
	// With --demo and nothing stored, the demo's Read Only key is used.
	env.Demo = &connect.Demo{BaseURL: srv.URL, Keys: []connect.DemoKey{{Label: "Read Only", Key: srv.Keys.ReadOnly}}}
	errb.Reset()
	if code := RunDevices(context.Background(), env, DevicesFlags{CSV: true}); code != connect.ExitOK {
		t.Errorf("demo: exit %d: %s", code, errb)
	}
}

func TestRunExportWritesBundle(t *testing.T) {
	srv := evServer(t, 40)
	env, out, errb := evEnv(t, srv, srv.Keys.Admin)
	dir := t.TempDir()
	if code := RunExport(context.Background(), env, dir); code != connect.ExitOK {
		t.Fatalf("exit %d: %s", code, errb)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Fatalf("want a folder and a zip, got %d entries", len(entries))
	}
	if !strings.Contains(out.String(), "Folder") || !strings.Contains(out.String(), ".zip") {
		t.Errorf("output: %s", out)
	}
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			b, _ := os.ReadFile(p)
			if bytes.Contains(b, []byte(srv.Keys.Admin)) {
				t.Errorf("%s holds the key", p)
			}
		}
		return nil
	})
	if strings.Contains(out.String()+errb.String(), srv.Keys.Admin) {
		t.Error("the key was printed")
	}
	// A folder that does not exist is created, private (bundles hold e-mails and owners).
	if code := RunExport(context.Background(), env, filepath.Join(dir, "new")); code != connect.ExitOK {
		t.Errorf("missing folder: exit %d %s", code, errb)
	}
	if fi, err := os.Stat(filepath.Join(dir, "new")); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("created folder: %v %v", fi, err)
	}
	// An --out that cannot take a bundle fails before any request, saying what to do.
	file := filepath.Join(dir, "file")
	os.WriteFile(file, nil, 0o600)
	srv.ResetCounts()
	errb.Reset()
	if code := RunExport(context.Background(), env, file); code != connect.ExitFailure ||
		!strings.Contains(errb.String(), "--out") || len(srv.Seen()) != 0 {
		t.Errorf("--out is a file: exit %d, %d requests: %s", code, len(srv.Seen()), errb)
	}
}

func TestBrowserCollectsRefreshesAndExports(t *testing.T) {
	srv := evServer(t, 60)
	env, _, _ := evEnv(t, srv, srv.Keys.ReadOnly)
	conn, code := evidenceConnection(context.Background(), env, "devices")
	if code != connect.ExitOK {
		t.Fatal(code)
	}
	out := t.TempDir()
	c := common.NewCommon(env)
	b := NewBrowser(c, BrowserOptions{Collect: CollectorFor(env, conn), OutDir: out})
	b.Update(teaSize(100, 30))
	cmd := b.Init()
	if cmd == nil || !b.collecting || !strings.Contains(plain(b), "Collecting") {
		t.Fatalf("no first collection:\n%s", plain(b))
	}
	devRun(t, b, cmd)
	if b.snap == nil || len(b.tab().rows) != srv.Org().Devices {
		t.Fatalf("collected %v", b.collectErr)
	}
	if !strings.Contains(plain(b), "Not read: administrators") {
		t.Errorf("unread source not shown:\n%s", plain(b))
	}
	// Refresh keeps the filter and the selection.
	press(t, b, "/", "mac", "enter", "down")
	sel := b.selectedID(modeDevices)
	before := len(b.tab().view)
	_, cmd = b.Update(devKey("r"))
	if !b.collecting || !strings.Contains(plain(b), "Collecting --") {
		t.Errorf("refresh shows no progress:\n%s", plain(b))
	}
	devRun(t, b, cmd)
	if b.collecting || len(b.tab().view) != before || b.selectedID(modeDevices) != sel {
		t.Errorf("refresh lost the view: %d vs %d rows, selection %s vs %s", len(b.tab().view), before, b.selectedID(modeDevices), sel)
	}
	// Export from the browser.
	press(t, b, "e")
	if !strings.Contains(plain(b), "Exported") {
		t.Fatalf("export:\n%s", plain(b))
	}
	if entries, _ := os.ReadDir(out); len(entries) != 2 {
		t.Errorf("export wrote %d entries", len(entries))
	}
	// A revoked key during a refresh: the browser says so and points to rotation.
	srv.RevokeKey(srv.Keys.ReadOnly)
	press(t, b, "r")
	if v := plain(b); !strings.Contains(v, "revoked") || !strings.Contains(v, "jcconnect rotate") {
		t.Errorf("revoked during refresh:\n%s", v)
	}
	if len(b.tab().rows) != srv.Org().Devices {
		t.Error("a failed refresh dropped the evidence shown")
	}
}

// A filter changed while a refresh runs survives the refresh.
func TestBrowserKeepsFilterChangedDuringRefresh(t *testing.T) {
	srv := evServer(t, 50)
	env, _, _ := evEnv(t, srv, srv.Keys.ReadOnly)
	conn, _ := evidenceConnection(context.Background(), env, "devices")
	b := NewBrowser(common.NewCommon(env), BrowserOptions{Collect: CollectorFor(env, conn)})
	b.Update(teaSize(120, 30))
	devRun(t, b, b.Init())
	_, refresh := b.Update(devKey("r"))
	press(t, b, "f") // while collecting
	devRun(t, b, refresh)
	tab := b.tab()
	if !tab.spec.failing || len(tab.view) == 0 || len(tab.view) == len(tab.rows) {
		t.Fatalf("failing-only lost: spec %+v, %d of %d", tab.spec, len(tab.view), len(tab.rows))
	}
	for _, i := range tab.view {
		if !tab.rows[i].failing {
			t.Fatal("a passing device is shown under failing only")
		}
	}
}

func TestRunDevicesAccessibleWritesSentences(t *testing.T) {
	srv := evServer(t, 12)
	env, out, errb := evEnv(t, srv, srv.Keys.ReadOnly)
	env.IsTTY, env.Accessible = true, true
	if code := RunDevices(context.Background(), env, DevicesFlags{}); code != connect.ExitOK {
		t.Fatalf("exit %d: %s", code, errb)
	}
	text := out.String()
	if !strings.Contains(text, "12 devices.") || !strings.Contains(text, "Not read: administrators") ||
		strings.Count(text, "\n") < 14 || strings.ContainsAny(text, "\x1b\x07") {
		t.Errorf("accessible output:\n%s", text)
	}
}

// Leaving the browser while it collects cancels the collection and leaves nothing waiting.
func TestBrowserBackDuringCollectionCancels(t *testing.T) {
	srv := evServer(t, 200)
	srv.SetLatency(50 * time.Millisecond)
	env, _, _ := evEnv(t, srv, srv.Keys.ReadOnly)
	conn, _ := evidenceConnection(context.Background(), env, "devices")
	b := NewBrowser(common.NewCommon(env), BrowserOptions{Collect: CollectorFor(env, conn)})
	b.Update(teaSize(100, 30))
	pending := b.Init()
	_, back := b.Update(devKey("esc"))
	if back == nil {
		t.Fatal("esc did not leave the browser")
	}
	if _, ok := back().(common.PopMsg); !ok {
		t.Error("esc should pop the browser")
	}
	done := make(chan struct{})
	go func() { devRun(t, b, pending); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the collection kept running after the browser was left")
	}
}

// lineWatcher is a terminal's output: once the browser has drawn want, it presses q.
type lineWatcher struct {
	mu    sync.Mutex
	seen  strings.Builder
	want  string
	press func()
	done  bool
}

func (w *lineWatcher) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.seen.Write(p)
	if !w.done && strings.Contains(w.seen.String(), w.want) {
		w.done = true
		go w.press()
	}
	return len(p), nil
}

// The browser on a terminal exits 7 on partial evidence, as the machine output does: its
// "Not read" line vanishes with the screen, the exit code and stderr stay.
func TestRunDevicesBrowserExitsPartialOnIncompleteEvidence(t *testing.T) {
	for _, allow := range []bool{false, true} {
		srv := evServer(t, 40)
		srv.Inject(jctest.Fault{PathPrefix: "/api/systems", Kind: jctest.FaultTotalInflated, Items: 10})
		env, _, errb := evEnv(t, srv, srv.Keys.ReadOnly)
		pr, pw := io.Pipe()
		t.Cleanup(func() { pw.Close() })
		watch := &lineWatcher{want: "Not read:", press: func() { pw.Write([]byte("q")) }}
		env.In, env.Out, env.IsTTY, env.AllowPartial = pr, watch, true, allow
		// The deadline only ends a hung run (the line never drawn); it decides nothing.
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		code := RunDevices(ctx, env, DevicesFlags{})
		cancel()
		want := connect.ExitPartial
		if allow {
			want = connect.ExitOK
		}
		if code != want || !strings.Contains(errb.String(), "INCOMPLETE evidence") || !strings.Contains(errb.String(), "devices") {
			t.Errorf("allow-partial=%v: exit %d (want %d), stderr:\n%s", allow, code, want, errb)
		}
	}
}

// On a terminal too, a refused JUMPCLOUD_API_KEY points to the variable, not to rotation.
func TestBrowserRefusedEnvironmentKeyPointsToTheVariable(t *testing.T) {
	srv := evServer(t, 10)
	env, _, _ := evEnv(t, srv, srv.Keys.Revoked)
	conn, _ := evidenceConnection(context.Background(), env, "devices")
	if !conn.KeyFromEnvironment() {
		t.Fatal("the key does not come from JUMPCLOUD_API_KEY")
	}
	b := NewBrowser(common.NewCommon(env), BrowserOptions{Collect: CollectorFor(env, conn), KeyFromEnvironment: true})
	b.Update(teaSize(100, 30))
	devRun(t, b, b.Init())
	if v := plain(b); !strings.Contains(v, "JUMPCLOUD_API_KEY") || strings.Contains(v, "jcconnect rotate") {
		t.Errorf("a refused JUMPCLOUD_API_KEY does not point to the variable:\n%s", v)
	}
}

// A profile without Endpoint Management asked for device rows: an error with the fix, never
// the users table in their place (a script would take it for devices).
func TestRunDevicesCSVWithoutEndpointManagementIsAnError(t *testing.T) {
	srv := evServer(t, 5)
	env, out, errb := evEnv(t, srv, "")
	p := store.Profile{Name: "default", Region: "custom", BaseURL: srv.URL, OrgID: srv.Org().ID,
		Role: "Read Only", Integrations: store.Integrations{SSO: true}}
	if err := env.Store.Save(context.Background(), p, store.MustSecret(srv.Keys.ReadOnly, false)); err != nil {
		t.Fatal(err)
	}
	code := RunDevices(context.Background(), env, DevicesFlags{CSV: true})
	if code != connect.ExitUsage || out.Len() != 0 {
		t.Fatalf("exit %d, want %d with nothing on stdout; stdout:\n%s", code, connect.ExitUsage, out)
	}
	for _, want := range []string{"does not collect devices", "jcconnect setup --integrations endpoint,sso", "devices --users"} {
		if !strings.Contains(errb.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, errb)
		}
	}
}
