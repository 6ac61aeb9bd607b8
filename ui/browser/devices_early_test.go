package browser

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/connect"
	"jcconnect/evidence"
	"jcconnect/internal/sandboxtest"
	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
	"jcconnect/ui/common"
)

// The browser draws its table from the collection's early snapshot while the policies'
// statuses are still being read (held here by a sandboxtest.Gate, over real HTTP), then fills it
// in. These tests step the browser's commands one by one until the early table is shown.

// earlyBrowser is a browser collecting from srv with key, whose statuses requests are held by
// the returned gate until it is opened.
func earlyBrowser(t *testing.T, srv *jctest.Server, key string) (*Browser, *connect.Env, *bytes.Buffer, *sandboxtest.Gate) {
	t.Helper()
	b, env, errb, gates := earlyBrowserHolding(t, srv, key, false, "/policystatuses")
	return b, env, errb, gates[0]
}

// earlyBrowserHolding is earlyBrowser holding the requests of every route in holds, each by its
// own gate (in that order); users opens it on the users' table (devices --users).
func earlyBrowserHolding(t *testing.T, srv *jctest.Server, key string, users bool, holds ...string) (*Browser, *connect.Env, *bytes.Buffer, []*sandboxtest.Gate) {
	t.Helper()
	env, _, errb := evEnv(t, srv, key)
	gates := make([]*sandboxtest.Gate, len(holds))
	for i := len(holds) - 1; i >= 0; i-- {
		gates[i] = sandboxtest.NewGate(holds[i])
		if i+1 < len(holds) {
			gates[i].Next = gates[i+1]
		}
		t.Cleanup(gates[i].Open)
	}
	env.NewClient = func(cfg jumpcloud.Config) (*jumpcloud.Client, error) {
		cfg.RetryBaseDelay, cfg.MaxRetryDelay = time.Millisecond, 20*time.Millisecond
		// The held requests wait for the test (a long timeout) and keep their slots (room).
		cfg.Transport, cfg.Timeout, cfg.MaxInFlight = gates[0], time.Minute, 32
		return jumpcloud.New(cfg)
	}
	conn, code := evidenceConnection(context.Background(), env, "devices")
	if code != connect.ExitOK {
		t.Fatalf("connection: exit %d: %s", code, errb)
	}
	b := NewBrowser(common.NewCommon(env), BrowserOptions{Collect: ChecksCollectorFor(env, conn), OutDir: t.TempDir(), Users: users})
	b.Update(teaSize(160, 40))
	return b, env, errb, gates
}

// collectionShown is a collection as the browser's collector returned it: the snapshot
// evaluated with the browser's thresholds, and kept as a screen keeps it.
type collectionShown struct {
	rep  *evidence.Report
	kept *evidence.Kept
}

// collectionsShown watches the collections of a browser (watchCollections).
type collectionsShown struct {
	last atomic.Pointer[collectionShown]
}

// watchCollections wraps b's collector, before b.Init starts it, so that each snapshot it
// returns is evaluated there and kept, before the browser drops its records: the collection the
// browser shows, where collecting the organisation again could give another.
func watchCollections(b *Browser) *collectionsShown {
	w := &collectionsShown{}
	collect, th := b.collect, b.thresholds
	b.collect = func(ctx context.Context, onProgress connect.ProgressFunc) (*evidence.Snapshot, error) {
		snap, err := collect(ctx, onProgress)
		if err == nil {
			rep := evidence.Evaluate(snap, th)
			w.last.Store(&collectionShown{rep: rep, kept: evidence.Keep(snap, rep)})
		}
		return snap, err
	}
	return w
}

// shown is the last collection the collector returned.
func (w *collectionsShown) shown(t *testing.T) collectionShown {
	t.Helper()
	c := w.last.Load()
	if c == nil {
		t.Fatal("no collection was returned")
	}
	return *c
}

// wholeOf is a browser handed the last collection b's collector returned (watchCollections),
// evaluated whole: what b shows, filled in, must be its table.
func wholeOf(t *testing.T, b *Browser, w *collectionsShown) *Browser {
	t.Helper()
	return NewBrowser(common.NewCommon(b.Env), BrowserOptions{Shown: w.shown(t).kept})
}

// runUntil runs the browser's commands one at a time until done holds, and returns the
// commands still to run.
func runUntil(t *testing.T, b *Browser, cmd tea.Cmd, done func() bool) []tea.Cmd {
	t.Helper()
	pending := runCommands(t, b, cmd, done)
	if !done() {
		t.Fatal("the commands ran out before the browser got there")
	}
	return pending
}

// cellsOf counts the device table's check cells by status.
func cellsOf(b *Browser) map[evidence.Status]int {
	n := map[evidence.Status]int{}
	tab := &b.tabs[modeDevices]
	for _, r := range tab.rows {
		for c := r.checkCol; c < r.cells()-1; c++ {
			n[evidence.Status(r.cell(tab.text, c))]++
		}
	}
	return n
}

func TestBrowserDrawsTheEarlyTableThenFillsIn(t *testing.T) {
	srv := evServer(t, 40)
	b, _, _, gate := earlyBrowser(t, srv, srv.Keys.ReadOnly)
	collections := watchCollections(b)
	pending := runUntil(t, b, b.Init(), func() bool { return b.snap != nil })
	<-gate.Holding() // the statuses are asked for once the early table is drawn

	if !b.collecting || gate.Held() == 0 {
		t.Fatalf("the table came with the collection over (collecting %v, %d statuses requests held)", b.collecting, gate.Held())
	}
	view := plain(b)
	for _, want := range []string{"Device", "40 of 40", "reading…", "Still reading policy results", "policy results (still being read)"} {
		if !strings.Contains(view, want) {
			t.Errorf("the early table does not show %q:\n%s", want, view)
		}
	}
	if cellsOf(b)[evidence.Reading] == 0 {
		t.Fatal("no cell waits for the statuses")
	}
	press(t, b, "?")
	if help := plain(b); !strings.Contains(help, "… reading") {
		t.Errorf("the legend does not explain …:\n%s", help)
	}
	press(t, b, "?")

	gate.Open()
	devRun(t, b, tea.Batch(pending...))
	if b.collecting || b.collectErr != nil || len(b.snap.Reading()) > 0 || !b.snap.Readable(string(jumpcloud.SourcePolicyResults)) {
		t.Fatalf("after the statuses: collecting %v, error %v, still reading %v", b.collecting, b.collectErr, b.snap.Reading())
	}
	view = plain(b)
	for _, gone := range []string{"reading…", "Still reading", "still being read", readingGlyph} {
		if strings.Contains(view, gone) {
			t.Errorf("the filled-in table still shows %q:\n%s", gone, view)
		}
	}
	if n := cellsOf(b)[evidence.Reading]; n > 0 {
		t.Errorf("%d cells still reading", n)
	}
	// Filled in, it is the table of the whole snapshot.
	whole := wholeOf(t, b, collections)
	whole.Update(teaSize(160, 40))
	if got, want := plain(b), plain(whole); got != want {
		t.Errorf("filled in:\n%s\nthe whole snapshot's table:\n%s", got, want)
	}
}

// The device table does not wait for the users: it is drawn while they are held, its owners
// marked … (never a user id passed off as the name, never empty), the users' tab says they are
// still being read (never "no users"), and both fill in when the users come.
func TestBrowserDrawsTheDeviceTableBeforeTheUsers(t *testing.T) {
	srv := evServer(t, 40)
	b, _, _, gates := earlyBrowserHolding(t, srv, srv.Keys.ReadOnly, false, "/api/systemusers", "/policystatuses")
	collections := watchCollections(b)
	pending := runUntil(t, b, b.Init(), func() bool { return b.snap != nil })
	for _, g := range gates {
		<-g.Holding() // asked for once the early table is drawn, and held
	}
	view := plain(b)
	for _, want := range []string{"40 of 40", "users (still being read)"} {
		if !strings.Contains(view, want) {
			t.Errorf("the early table does not show %q:\n%s", want, view)
		}
	}
	reading := 0
	for _, r := range b.tabs[modeDevices].rows {
		switch owner := r.cell(b.tabs[modeDevices].text, 2); owner {
		case readingGlyph:
			reading++
		case "":
		default:
			t.Errorf("%s: owner %q while the users are still being read", r.idOf(b.tabs[modeDevices].text), owner)
		}
	}
	if reading == 0 {
		t.Fatal("no owner waits for the users: the test shows nothing")
	}
	// The details of such a device give the id with what is still to come.
	tab := &b.tabs[modeDevices]
	for k := 0; k < len(tab.view) && tab.rows[tab.view[tab.cursor]].cell(tab.text, 2) != readingGlyph; k++ {
		press(t, b, "down")
	}
	press(t, b, "enter")
	if detail := plain(b); !strings.Contains(detail, "the users are still being read") {
		t.Errorf("the details of a device whose owner is still being read:\n%s", detail)
	}
	press(t, b, "esc")
	press(t, b, "tab")
	if users := plain(b); !strings.Contains(users, "users still being read") || !strings.Contains(users, "The users are still being read") ||
		strings.Contains(users, "No users") {
		t.Errorf("the users' tab while they are read:\n%s", users)
	}
	press(t, b, "tab")

	for _, g := range gates {
		g.Open()
	}
	devRun(t, b, tea.Batch(pending...))
	if b.collecting || b.collectErr != nil || len(b.snap.Reading()) > 0 {
		t.Fatalf("after the users and statuses: collecting %v, error %v, still reading %v", b.collecting, b.collectErr, b.snap.Reading())
	}
	whole := wholeOf(t, b, collections)
	whole.Update(teaSize(160, 40))
	if got, want := plain(b), plain(whole); got != want {
		t.Errorf("filled in:\n%s\nthe whole snapshot's table:\n%s", got, want)
	}
	press(t, b, "tab")
	press(t, whole, "tab")
	if got, want := plain(b), plain(whole); got != want || strings.Contains(got, "still being read") {
		t.Errorf("the users' tab filled in:\n%s\nthe whole snapshot's:\n%s", got, want)
	}
}

// Opened on the users' table (devices --users), the early table is the users': it waits for them
// (connect.WithEarlyUsers), and only the statuses come after it.
func TestBrowserOnTheUsersDrawsThemEarly(t *testing.T) {
	srv := evServer(t, 40)
	b, _, _, gates := earlyBrowserHolding(t, srv, srv.Keys.ReadOnly, true, "/policystatuses")
	pending := runUntil(t, b, b.Init(), func() bool { return b.snap != nil })
	<-gates[0].Holding()
	if reading := b.snap.Reading(); len(reading) != 1 || reading[0] != string(jumpcloud.SourcePolicyResults) {
		t.Errorf("still reading %v under the users' table, want only the policy results", reading)
	}
	if users := plain(b); strings.Contains(users, "still being read: they fill in") || len(b.tabs[modeUsers].rows) != srv.Org().Users {
		t.Errorf("the users' early table (%d rows, want %d):\n%s", len(b.tabs[modeUsers].rows), srv.Org().Users, users)
	}
	gates[0].Open()
	devRun(t, b, tea.Batch(pending...))
	if b.collecting || b.collectErr != nil || len(b.snap.Reading()) > 0 {
		t.Fatalf("collecting %v, error %v, still reading %v", b.collecting, b.collectErr, b.snap.Reading())
	}
}

// A failure after the early table reaches its marks: the statuses answer 500 (the whole
// snapshot marks them failed), or the key is revoked (the collection stops; the early table
// stays, with the statuses marked unread and the reason on screen). Never "reading" for ever.
func TestBrowserBackgroundFailureReachesTheMarks(t *testing.T) {
	t.Run("statuses answer 500", func(t *testing.T) {
		srv := evServer(t, 40)
		b, env, errb, gate := earlyBrowser(t, srv, srv.Keys.ReadOnly)
		pending := runUntil(t, b, b.Init(), func() bool { return b.snap != nil })
		<-gate.Holding() // the statuses are asked for once the early table is drawn
		for _, p := range b.snap.Policies {
			if evidence.NeedsPolicyStatuses(p.Template) {
				srv.Inject(jctest.Fault{PathPrefix: "/api/v2/policies/" + p.ID + "/policystatuses", Kind: jctest.FaultStatus, Status: 500})
			}
		}
		gate.Open()
		devRun(t, b, tea.Batch(pending...))
		if b.collectErr != nil || b.snap.Status(string(jumpcloud.SourcePolicyResults)).State != evidence.StateFailed {
			t.Fatalf("error %v, policy results %+v", b.collectErr, b.snap.Status(string(jumpcloud.SourcePolicyResults)))
		}
		assertNoReading(t, b, "policy results (failed)")
		if code := partialExit(env, "devices", b.snap); code != connect.ExitPartial || !strings.Contains(errb.String(), "policy results") {
			t.Errorf("exit %d, stderr %q: the failed statuses must reach the exit code", code, errb)
		}
	})
	t.Run("key revoked", func(t *testing.T) {
		srv := evServer(t, 40)
		key := srv.AddKey("Read Only")
		b, env, errb, gate := earlyBrowser(t, srv, key)
		pending := runUntil(t, b, b.Init(), func() bool { return b.snap != nil })
		<-gate.Holding() // the statuses are asked for once the early table is drawn
		srv.RevokeKey(key)
		gate.Open()
		devRun(t, b, tea.Batch(pending...))
		var refused *evidence.KeyRefusedError
		if !errors.As(b.collectErr, &refused) || b.snap == nil {
			t.Fatalf("error %v, snapshot shown %v", b.collectErr, b.snap != nil)
		}
		if st := b.snap.Status(string(jumpcloud.SourcePolicyResults)); st.State != evidence.StateFailed || !strings.Contains(st.Reason, "stopped") {
			t.Errorf("policy results %+v: the stopped collection must mark them unread", st)
		}
		assertNoReading(t, b, "policy results (failed)", "API key was refused")
		if code := partialExit(env, "devices", b.snap); code != connect.ExitPartial {
			t.Errorf("exit %d (%s), want partial", code, errb)
		}
	})
}

func assertNoReading(t *testing.T, b *Browser, want ...string) {
	t.Helper()
	view := plain(b)
	for _, w := range want {
		if !strings.Contains(view, w) {
			t.Errorf("the screen does not show %q:\n%s", w, view)
		}
	}
	if strings.Contains(view, "reading…") || strings.Contains(view, "Still reading") || cellsOf(b)[evidence.Reading] > 0 {
		t.Errorf("cells still say reading after the collection ended:\n%s", view)
	}
}

// ctrl+c while the statuses are read quits at once (nothing unsaved), the collection is
// canceled, and `devices` exits partial, naming what was still being read: the table the user
// saw was not the whole evidence.
func TestBrowserCtrlCDuringTheBackgroundRead(t *testing.T) {
	srv := evServer(t, 40)
	b, env, errb, gate := earlyBrowser(t, srv, srv.Keys.ReadOnly)
	pending := runUntil(t, b, b.Init(), func() bool { return b.snap != nil })
	<-gate.Holding() // the statuses are asked for once the early table is drawn
	app := common.NewApp(b.Common, b)
	_, cmd := app.Update(tea.KeyMsg{Type: tea.KeyCtrlC})
	if cmd == nil {
		t.Fatal("ctrl+c did nothing")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Fatal("ctrl+c during the background read does not quit")
	}
	b.StopCollecting() // as RunDevices does when the program ends
	// The gate stays shut: the collection's goroutine can only end (and devRun return) by
	// giving up the held requests.
	devRun(t, b, tea.Batch(pending...))
	if gate.Held() == 0 {
		t.Fatal("no status was being read: the test shows nothing")
	}
	code := partialExit(env, "devices", b.snap)
	if code != connect.ExitPartial || !strings.Contains(errb.String(), "policy results (still being read)") {
		t.Errorf("exit %d, stderr %q: want partial, naming the statuses still being read", code, errb)
	}
}
