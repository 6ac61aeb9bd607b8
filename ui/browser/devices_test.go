package browser

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"jcconnect/connect"
	"jcconnect/evidence"
	"jcconnect/internal/uitest"
	"jcconnect/jumpcloud"
	"jcconnect/ui/common"
)

var devNow = time.Date(2026, 8, 1, 10, 0, 0, 0, time.UTC)

// devSnapshot is a handmade snapshot of n devices (cycling macOS, Windows, Linux; every third
// stale; every fourth with FDE off) and n/2 users, every source read.
func devSnapshot(n int) *evidence.Snapshot {
	s := &evidence.Snapshot{CollectedAt: devNow, OrgID: "org1", OrgName: "Acme",
		Integrations: evidence.Integrations{Endpoint: true, SSO: true}, Insights: map[string][]jumpcloud.InsightRow{}}
	for _, src := range evidence.SourceOrder() {
		s.Sources = append(s.Sources, evidence.SourceStatus{Source: src, State: evidence.StateOK})
	}
	fams := []struct{ os, fam, ver string }{{"Mac OS X", "darwin", "14.5"}, {"Windows", "windows", "10.0.22631"}, {"Ubuntu", "linux", "22.04"}}
	for i := 0; i < n; i++ {
		f := fams[i%3]
		lc := devNow.Add(-time.Duration(i%3) * 24 * time.Hour)
		if i%3 == 2 {
			lc = devNow.Add(-40 * 24 * time.Hour)
		}
		d := jumpcloud.System{ID: fmt.Sprintf("dev%05d", i), DisplayName: fmt.Sprintf("host-%05d", i), OS: f.os,
			OSFamily: f.fam, Version: f.ver, LastContact: &lc, FDE: &jumpcloud.FDE{Active: i%4 != 0},
			SystemInsights: &jumpcloud.SystemInsightsState{State: "enabled"}}
		s.Devices = append(s.Devices, jumpcloud.CompactDevice(d))
	}
	for i := 0; i < n/2; i++ {
		on := i%2 == 0
		s.Users = append(s.Users, jumpcloud.SystemUser{ID: fmt.Sprintf("usr%05d", i), Username: fmt.Sprintf("user%05d", i),
			Email: fmt.Sprintf("user%05d@example.com", i), TOTPEnabled: &on})
	}
	return s
}

// keptOf is snap as a screen keeps it once shown (connect.Shown), evaluated with th: the shell
// of a checks-only snapshot, a handmade (full) one whole.
func keptOf(snap *evidence.Snapshot, th evidence.Thresholds) *evidence.Kept {
	return evidence.Keep(snap, evidence.Evaluate(snap, th))
}

func devBrowser(t testing.TB, snap *evidence.Snapshot, w, h int) *Browser {
	t.Helper()
	c := common.NewCommon(&connect.Env{NoColor: true, Now: func() time.Time { return devNow }})
	b := NewBrowser(c, BrowserOptions{Shown: keptOf(snap, c.Env.CheckThresholds()), OutDir: os.TempDir()})
	b.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return b
}

// devRun runs a command and feeds every message it leads to back into the browser, the way the
// bubbletea runtime would, until nothing is left.
func devRun(t testing.TB, b *Browser, cmd tea.Cmd) {
	t.Helper()
	runCommands(t, b, cmd, func() bool { return false })
}

func devKey(s string) tea.KeyMsg {
	switch s {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "pgdown":
		return tea.KeyMsg{Type: tea.KeyPgDown}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	case "backspace":
		return tea.KeyMsg{Type: tea.KeyBackspace}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

// press sends keys one by one and runs what they lead to.
func press(t testing.TB, b *Browser, keys ...string) {
	t.Helper()
	for _, k := range keys {
		_, cmd := b.Update(devKey(k))
		devRun(t, b, cmd)
	}
}

func plain(b *Browser) string { return ansi.Strip(b.View()) }

func visibleIDs(b *Browser) []string {
	t := b.tab()
	var ids []string
	for k := t.offset; k < min(t.offset+b.tableHeight(), len(t.view)); k++ {
		ids = append(ids, t.rows[t.view[k]].idOf(t.text))
	}
	return ids
}

func TestBrowserDrawsOnlyVisibleRows(t *testing.T) {
	b := devBrowser(t, devSnapshot(3000), 120, 30)
	v := plain(b)
	if !strings.Contains(v, "host-00000") || strings.Contains(v, "host-00500") {
		t.Fatalf("first screen should show the first rows only:\n%s", v)
	}
	if lines := strings.Count(v, "\n") + 1; lines > 30 {
		t.Errorf("view has %d lines for a 30-line window", lines)
	}
	drawn := strings.Count(v, "host-")
	if drawn != b.tableHeight() {
		t.Errorf("%d rows drawn, table height %d", drawn, b.tableHeight())
	}
	press(t, b, "pgdown", "pgdown", "down")
	cur := b.tab().cursor
	if cur != 2*b.tableHeight()+1 {
		t.Errorf("cursor %d after two pages and one row", cur)
	}
	if !strings.Contains(plain(b), fmt.Sprintf("host-%05d", cur)) {
		t.Error("the selected row is not drawn")
	}
	press(t, b, "G")
	if !strings.Contains(plain(b), "host-02999") {
		t.Error("G did not go to the last row")
	}
	press(t, b, "g")
	if b.tab().cursor != 0 || b.tab().offset != 0 {
		t.Error("g did not go to the first row")
	}
	for _, l := range strings.Split(plain(b), "\n") {
		if ansi.StringWidth(l) > 120 {
			t.Fatalf("line wider than the window: %q", l)
		}
	}
}

func TestBrowserSortsByAnyColumn(t *testing.T) {
	b := devBrowser(t, devSnapshot(30), 120, 40)
	press(t, b, "S") // name descending
	if ids := visibleIDs(b); ids[0] != "dev00029" {
		t.Errorf("name descending starts with %s", ids[0])
	}
	press(t, b, "s") // OS ascending
	tab := b.tab()
	if tab.spec.sortCol != 1 {
		t.Fatalf("sort column %d", tab.spec.sortCol)
	}
	first := tab.rows[tab.view[0]].cell(tab.text, 1)
	last := tab.rows[tab.view[len(tab.view)-1]].cell(tab.text, 1)
	if !strings.HasPrefix(first, "macOS") || !strings.HasPrefix(last, "Windows") {
		t.Errorf("OS sort: first %q last %q", first, last)
	}
	if !strings.Contains(plain(b), "sorted by OS ascending") || !strings.Contains(plain(b), "OS▲") {
		t.Error("the sort is not shown")
	}
	// Sort by the disk-encryption glyph column: failures first.
	for b.tab().spec.sortCol != deviceFirstCheck {
		press(t, b, "s")
	}
	if st := tab.rows[b.tab().view[0]].cell(tab.text, deviceFirstCheck); st != string(evidence.Fail) {
		t.Errorf("FDE sort starts with %s", st)
	}
}

func TestBrowserFilterIsOffThreadAndDropsStaleResults(t *testing.T) {
	b := devBrowser(t, devSnapshot(300), 120, 30)
	// Typing: each keystroke returns a command (the work is not done in Update).
	b.Update(devKey("/"))
	var cmds []tea.Cmd
	for _, k := range []string{"w", "i", "n", "d", "o", "w"} {
		_, cmd := b.Update(devKey(k))
		if cmd == nil {
			t.Fatal("filter keystrokes must return commands")
		}
		cmds = append(cmds, cmd)
	}
	if len(b.tab().view) != 300 {
		t.Fatal("Update filtered synchronously")
	}
	newest, older := cmds[5](), cmds[1]() // "window", and "wi" (which also matches darwin)
	b.Update(newest)
	if got := len(b.tab().view); got != 100 {
		t.Fatalf("filter \"window\" shows %d rows, want the 100 Windows devices", got)
	}
	b.Update(older) // arrives late: must be dropped
	if got := len(b.tab().view); got != 100 {
		t.Fatalf("a stale filter result was applied: %d rows", got)
	}
	press(t, b, "s", " ", "host-0000")
	if got := len(b.tab().view); got != 3 { // host-00001, -00004, -00007 are Windows
		t.Errorf("two-word filter shows %d rows", got)
	}
	press(t, b, "enter")
	if !strings.Contains(plain(b), `filter "windows host-0000"`) {
		t.Errorf("the filter is not shown:\n%s", plain(b))
	}
	press(t, b, "esc")
	if len(b.tab().view) != 300 || b.tab().spec.query != "" {
		t.Error("esc did not clear the filter")
	}
	press(t, b, "/", "w", "i", "n", "enter")
	if got := len(b.tab().view); got != 100 { // "darwin" is not searched: "win" finds Windows only
		t.Errorf("\"win\" matches %d devices, want the 100 Windows devices", got)
	}
	press(t, b, "esc")
	press(t, b, "/", "z", "z", "z")
	if !strings.Contains(plain(b), "Nothing matches") {
		t.Error("empty filter result not explained")
	}
	press(t, b, "esc")
}

func TestBrowserQuickFilters(t *testing.T) {
	b := devBrowser(t, devSnapshot(120), 120, 30)
	press(t, b, "t")
	for _, i := range b.tab().view {
		if !b.tab().rows[i].flag {
			t.Fatal("stale filter kept a fresh device")
		}
	}
	if len(b.tab().view) != 40 {
		t.Errorf("stale only: %d", len(b.tab().view))
	}
	press(t, b, "t", "o")
	for _, i := range b.tab().view {
		if b.tab().rows[i].groupOf(b.tab().text) != "darwin" {
			t.Fatal("OS filter kept a non-mac")
		}
	}
	press(t, b, "o", "o", "o") // windows, linux, all
	if len(b.tab().view) != 120 {
		t.Errorf("OS filter did not cycle back to all: %d", len(b.tab().view))
	}
	press(t, b, "f")
	for _, i := range b.tab().view {
		if b.tab().rows[i].overallOf(b.tab().text) != evidence.Fail {
			t.Fatal("failing only kept a passing device")
		}
	}
	if !strings.Contains(plain(b), "failing only") {
		t.Error("quick filter not shown")
	}
}

func TestBrowserDetailPane(t *testing.T) {
	snap := devSnapshot(6)
	b := devBrowser(t, snap, 100, 60)
	press(t, b, "enter")
	v := plain(b)
	for _, want := range []string{"host-00000", "Disk encryption", "the JumpCloud agent reports FileVault off",
		"fde.active = false", "Agent checked in recently", "staleDays = 30", "System Insights enabled"} {
		if !strings.Contains(v, want) {
			t.Errorf("detail lacks %q:\n%s", want, v)
		}
	}
	press(t, b, "esc")
	if b.detail || !strings.Contains(plain(b), "Devices") {
		t.Error("esc did not close the detail")
	}
}

// A field JumpCloud sent in a shape jcconnect could not read is shown, cleaned, in the detail:
// from the records of a snapshot kept whole, and from the shell every screen keeps of a
// checks-only one (which has them by id: Snapshot.Shell).
func TestBrowserDetailShowsUnparsedFields(t *testing.T) {
	for _, checksOnly := range []bool{false, true} {
		snap := devSnapshot(3)
		snap.PolicyStatusesForChecksOnly = checksOnly
		d := snap.Devices[0].System()
		d.Unparsed = []jumpcloud.UnparsedField{{Path: "fde.active", Raw: `"yes\u001b[2J"`}}
		snap.Devices[0] = jumpcloud.CompactDevice(d)
		snap.Users[0].Unparsed = []jumpcloud.UnparsedField{{Path: "mfa.exclusionUntil", Raw: `"next week"`}}
		b := devBrowser(t, snap, 100, 40)
		if b.snap.RecordsDropped() != checksOnly {
			t.Fatalf("checks only %v: the browser's snapshot is a shell: %v", checksOnly, b.snap.RecordsDropped())
		}
		press(t, b, "enter")
		if v := plain(b); !strings.Contains(v, `Unparsed      fde.active = "yes\u001b[2J"`) {
			t.Errorf("checks only %v: device detail lacks the unparsed field:\n%s", checksOnly, v)
		}
		press(t, b, "esc", "tab", "enter")
		if v := plain(b); !strings.Contains(v, `Unparsed      mfa.exclusionUntil = "next week"`) {
			t.Errorf("checks only %v: user detail lacks the unparsed field:\n%s", checksOnly, v)
		}
	}
}

func TestBrowserResizeAndTinyTerminal(t *testing.T) {
	b := devBrowser(t, devSnapshot(50), 160, 40)
	wide := plain(b)
	if !strings.Contains(wide, "Owner") || !strings.Contains(wide, "AGT") {
		t.Fatalf("wide layout lacks columns:\n%s", wide)
	}
	b.Update(tea.WindowSizeMsg{Width: 62, Height: 20})
	narrow := plain(b)
	for _, l := range strings.Split(narrow, "\n") {
		if ansi.StringWidth(l) > 62 {
			t.Fatalf("line wider than 62: %q", l)
		}
	}
	if !strings.Contains(narrow, "Device") || !strings.Contains(narrow, "Status") {
		t.Errorf("narrow layout dropped the essentials:\n%s", narrow)
	}
	b.Update(tea.WindowSizeMsg{Width: 40, Height: 10})
	if !strings.Contains(plain(b), "Make the window larger") {
		t.Error("tiny terminal not handled")
	}
	press(t, b, "down") // keys still work and nothing panics
}

func TestBrowserEmptyOrganisation(t *testing.T) {
	b := devBrowser(t, devSnapshot(0), 100, 30)
	v := plain(b)
	if !strings.Contains(v, "No devices in this organisation") {
		t.Errorf("empty org:\n%s", v)
	}
	press(t, b, "down", "enter", "/", "x", "enter", "s", "f") // nothing panics
	if b.detail {
		t.Error("detail opened with no rows")
	}
}

func TestBrowserDrawsHostileNamesHarmlessly(t *testing.T) {
	snap := devSnapshot(3)
	snap.Devices[0].DisplayName = "\x1b]52;c;aGVsbG8=\x07evil\x1b[2Jhost"
	snap.Devices[1].DisplayName = "bidi\u202etxt.exe"
	snap.Users[0].Username = "\x1b]8;;http://x\x07link"
	b := devBrowser(t, snap, 120, 30)
	table := b.View()
	press(t, b, "enter")
	detail := b.View()
	for _, raw := range []string{table, detail} {
		for _, bad := range []string{"\x1b]", "\x07", "\x1b[2J", "\u202e"} {
			if strings.Contains(raw, bad) {
				t.Errorf("a hostile name reached the terminal (%q)", bad)
			}
		}
	}
	if !strings.Contains(ansi.Strip(table), "evilhost") || !strings.Contains(ansi.Strip(table), "bidi?txt.exe") {
		t.Errorf("the cleaned names are not shown:\n%s", ansi.Strip(table))
	}
	if !strings.Contains(ansi.Strip(detail), "bidi?txt.exe") {
		t.Errorf("the detail does not show the cleaned name:\n%s", ansi.Strip(detail))
	}
	press(t, b, "esc", "tab")
	if strings.Contains(b.View(), "\x1b]8") || !strings.Contains(plain(b), "link") {
		t.Error("hostile user name not cleaned")
	}
}

func TestBrowserUsersTab(t *testing.T) {
	b := devBrowser(t, devSnapshot(20), 120, 30)
	press(t, b, "tab")
	v := plain(b)
	if !strings.Contains(v, "Users and MFA") || !strings.Contains(v, "user00000") || !strings.Contains(v, "MFA") {
		t.Fatalf("users tab:\n%s", v)
	}
	press(t, b, "t") // no MFA only
	if len(b.tab().view) != 5 {
		t.Errorf("no-MFA filter: %d users, want 5", len(b.tab().view))
	}
	press(t, b, "enter")
	if !strings.Contains(plain(b), "no MFA method is enrolled") {
		t.Errorf("user detail:\n%s", plain(b))
	}
	press(t, b, "esc", "tab")
	if !strings.Contains(plain(b), "host-00000") {
		t.Error("tab did not switch back to devices")
	}
	// Without SSO there is no users tab.
	snap := devSnapshot(5)
	snap.Integrations.SSO = false
	b = devBrowser(t, snap, 120, 30)
	press(t, b, "tab")
	if b.mode != modeDevices || !strings.Contains(plain(b), "SSO is not connected") {
		t.Error("users tab without SSO")
	}
}

func TestBrowserShowsUnreadSources(t *testing.T) {
	snap := devSnapshot(5)
	snap.Sources[1].State = evidence.StateNotPermitted
	b := devBrowser(t, snap, 140, 30)
	if v := plain(b); !strings.Contains(v, "Not read: devices (not permitted for this role)") {
		t.Errorf("unread source not shown:\n%s", v)
	}
	b = devBrowser(t, devSnapshot(5), 140, 30)
	if v := plain(b); !strings.Contains(v, "stale after 30 days") {
		t.Errorf("thresholds not stated:\n%s", v)
	}
}

func teaSize(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }

// Narrowing the filter from the shown rows must give exactly what a full filter gives.
func TestBrowserIncrementalFilterMatchesFullFilter(t *testing.T) {
	b := devBrowser(t, devSnapshot(500), 120, 30)
	press(t, b, "/")
	for _, k := range []string{"h", "o", "s", "t", "-", "0", "0", "1", "backspace", "2", " ", "w", "backspace", "backspace", "backspace", "3"} {
		press(t, b, k)
		tab := b.tab()
		want := filterRows(tab.rows, tab.text, sortRows(tab.rows, tab.text, tab.spec.sortCol, tab.spec.desc), tab.spec)
		if fmt.Sprint(want) != fmt.Sprint(tab.view) {
			t.Fatalf("after %q (query %q): %d rows, full filter %d", k, tab.spec.query, len(tab.view), len(want))
		}
	}
	press(t, b, "enter", "f") // a quick filter after a query: still consistent
	tab := b.tab()
	if want := filterRows(tab.rows, tab.text, tab.order, tab.spec); fmt.Sprint(want) != fmt.Sprint(tab.view) {
		t.Fatal("quick filter after a query differs from a full filter")
	}
}

// People read the browser: a family is named as people write it ("only macOS", not "only
// darwin"), and a result as words ("not applicable", not the JSON value "not_applicable").
func TestBrowserShowsFamiliesAndStatusesInWords(t *testing.T) {
	b := devBrowser(t, devSnapshot(6), 100, 60)
	press(t, b, "o")
	if v := plain(b); !strings.Contains(v, "only macOS") || strings.Contains(v, "only darwin") {
		t.Errorf("the OS filter is not named as people write it:\n%s", v)
	}
	press(t, b, "o", "o", "o", "enter") // back to all, then the first device: no policy bound, so one check is n/a
	v := plain(b)
	if !strings.Contains(v, "not applicable") || strings.Contains(v, "not_applicable") {
		t.Errorf("the detail shows a result as a JSON value:\n%s", v)
	}
}

// runCommands runs a command and feeds every message it leads to back into the browser, the way
// the bubbletea runtime would, until done holds or nothing is left, and returns what is left. What
// the browser sends to the app above it (PopMsg) is dropped.
func runCommands(t testing.TB, b *Browser, cmd tea.Cmd, done func() bool) []tea.Cmd {
	t.Helper()
	return uitest.Drain(t, cmd, func(msg tea.Msg) tea.Cmd {
		_, next := b.Update(msg)
		return next
	}, uitest.DrainOptions{MaxSteps: 100000, Until: done, Route: func(msg tea.Msg) uitest.Fate {
		if _, pop := msg.(common.PopMsg); pop {
			return uitest.Drop
		}
		return uitest.Feed
	}}).Left
}
