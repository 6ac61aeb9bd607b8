package browser

import (
	"fmt"
	"os"
	"os/exec"
	"reflect"
	"runtime"
	"runtime/metrics"
	"slices"
	"strings"
	"testing"
	"time"

	"jcconnect/connect"
	"jcconnect/evidence"
	"jcconnect/ui/common"
)

// plainRow is a row given as plain strings, for the tests of the table engine: its cells are its
// keys, its filter text is hay (lower-cased, as every filter text is).
type plainRow struct {
	hay, group    string
	keys          []string
	failing, flag bool
}

// buildPlainRows builds the rows through the rows' builder, as deviceRows and userRows do.
func buildPlainRows(in []plainRow) ([]tableRow, *rowText) {
	tb := newRowBuilder(len(in), 2)
	for i, p := range in {
		for _, k := range p.keys {
			at := tb.str(k)
			tb.cell(at)
			tb.key(at)
		}
		tb.endRow(tableRow{index: i, group: tb.str(p.group), failing: p.failing, flag: p.flag}, p.hay)
	}
	return tb.done()
}

// The rows read exactly what was put in them: lower-cased keys (ASCII, other scripts, already
// lower), made and shared strings, ids, groups and filter texts; a row's cells are its own, and
// a column a row has no cell in reads "" (never the next row's).
func TestRowBuilderKeepsEachRowsStrings(t *testing.T) {
	tb := newRowBuilder(1, 2) // fewer rows than built: the builder grows
	for i, in := range [][2]string{{"MacBook-Pro", "Élodie"}, {"host-2", "ünïcode ÄÖ"}, {"HOST-3", "x"}} {
		name := tb.str(in[0])
		tb.cell(name)
		tb.cell(tb.shared(in[1]))
		tb.key(tb.lower(in[0], name))
		tb.key(tb.bytes([]byte(in[1] + "!")))
		if i == 0 {
			tb.cell(tb.shared("beyond")) // a row wider than the others
			tb.key(tb.shared("z"))
		}
		tb.endRow(tableRow{id: tb.str("id-" + in[0]), group: tb.shared("grp"), overall: tb.shared(string(evidence.Fail))}, in[0], in[1])
	}
	if a, b := tb.shared("Mac"+"OS"), tb.shared("MacOS"); a != b {
		t.Errorf("shared twice: %v, %v", a, b)
	}
	rows, text := tb.done()
	if len(rows) != 3 {
		t.Fatalf("%d rows, 3 built", len(rows))
	}
	want := [][]string{{"MacBook-Pro", "Élodie", "beyond"}, {"host-2", "ünïcode ÄÖ"}, {"HOST-3", "x"}}
	wantKeys := [][]string{{"macbook-pro", "Élodie!", "z"}, {"host-2", "ünïcode ÄÖ!"}, {"host-3", "x!"}}
	wantHay := []string{"macbook-pro élodie", "host-2 ünïcode äö", "host-3 x"}
	for i := range rows {
		r := &rows[i]
		var cells, keys []string
		for c := range r.cells() {
			cells, keys = append(cells, r.cell(text, c)), append(keys, r.key(text, c))
		}
		if !slices.Equal(cells, want[i]) || !slices.Equal(keys, wantKeys[i]) {
			t.Errorf("row %d: cells %q keys %q, want %q and %q", i, cells, keys, want[i], wantKeys[i])
		}
		if r.cell(text, r.cells()) != "" || r.key(text, r.cells()) != "" || r.cell(text, -1) != "" {
			t.Errorf("row %d reads a cell past its own", i)
		}
		if r.idOf(text) != "id-"+want[i][0] || r.groupOf(text) != "grp" || r.overallOf(text) != evidence.Fail || text.hay(i) != wantHay[i] {
			t.Errorf("row %d: id %q group %q overall %q filter text %q", i, r.idOf(text), r.groupOf(text), r.overallOf(text), text.hay(i))
		}
	}
}

// A row's filter text is its own, whatever the rows before it gave: none (an empty text), one
// word or many. The `/` filter finds a row's match in all the rows' texts at once (markWord) and
// maps it to a row by the texts' ends, so a row with no text of its own would hand its place to
// the next one and every later row would answer for another's text. Here every row is found by
// its own word, and only it, the fast way and the plain way; and in a devices table, searching a
// device's id shows that device.
func TestEveryRowIsFoundByItsOwnFilterText(t *testing.T) {
	plain := make([]plainRow, 200)
	for i := range plain {
		switch i % 4 {
		case 1: // no filter text
		case 2:
			plain[i].hay = fmt.Sprintf("w%03dw", i)
		default:
			plain[i].hay = fmt.Sprintf("pre w%03dw post", i)
		}
	}
	rows, text := buildPlainRows(plain)
	if len(rows) != len(plain) || len(text.ends) != len(plain) {
		t.Fatalf("%d rows and %d filter texts for %d rows", len(rows), len(text.ends), len(plain))
	}
	for i := range plain {
		if text.hay(i) != plain[i].hay {
			t.Fatalf("row %d's filter text is %q, was given %q", i, text.hay(i), plain[i].hay)
		}
		var want []int
		if plain[i].hay != "" {
			want = []int{i}
		}
		spec := viewSpec{query: fmt.Sprintf("W%03dW", i)}
		if got := filterSearch(rows, text, allRows(len(rows)), spec); !slices.Equal(got, want) {
			t.Errorf("searching row %d's word shows rows %v", i, got)
		}
		if got := filterRows(rows, text, allRows(len(rows)), spec); !slices.Equal(got, want) {
			t.Errorf("searching row %d's word row by row shows rows %v", i, got)
		}
	}

	rep := evidence.Evaluate(devSnapshot(300), evidence.DefaultThresholds())
	drows, dtext := deviceRows(len(rep.Devices), sharedReport(rep).deviceHeads(), sharedReport(rep).deviceStatuses(), devNow)
	for i := range rep.Devices {
		id := rep.Devices[i].ID
		got := filterSearch(drows, dtext, allRows(len(drows)), viewSpec{query: id})
		if len(got) != 1 || drows[got[0]].idOf(dtext) != id || rep.Devices[drows[got[0]].index].ID != id {
			t.Fatalf("searching %q shows rows %v", id, got)
		}
	}
}

// pointerFree reports whether a value of type t holds no pointer the garbage collector follows.
func pointerFree(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Struct:
		for i := range t.NumField() {
			if !pointerFree(t.Field(i).Type) {
				return false
			}
		}
		return true
	case reflect.Array:
		return t.Len() == 0 || pointerFree(t.Elem())
	case reflect.Pointer, reflect.UnsafePointer, reflect.String, reflect.Slice, reflect.Map, reflect.Chan, reflect.Func, reflect.Interface:
		return false
	}
	return true
}

// The rows hold no pointer: a row is numbers only, and a table's text is a handful of objects
// (its text, spans and filter texts' ends), none of them holding a pointer either, so a
// collection marks a table as a few objects it does not scan, whatever its number of rows.
func TestRowsHoldNoPointers(t *testing.T) {
	if !pointerFree(reflect.TypeFor[tableRow]()) {
		t.Errorf("tableRow holds a pointer: %v", reflect.VisibleFields(reflect.TypeFor[tableRow]()))
	}
	text := reflect.TypeFor[rowText]()
	for i := range text.NumField() {
		f := text.Field(i)
		switch f.Type.Kind() {
		case reflect.String:
		case reflect.Slice:
			if !pointerFree(f.Type.Elem()) {
				t.Errorf("rowText.%s holds pointers", f.Name)
			}
		default:
			t.Errorf("rowText.%s is a %v: not one string or a slice of plain values", f.Name, f.Type)
		}
	}
}

// What the garbage collector scans for the rows of 6,000 devices and 3,000 users (the heap it
// scans, runtime/metrics' /gc/scan/heap:bytes, before and after the tables are built, the report
// they were built from kept throughout) is next to nothing beside what a control table scans: the
// same cells and keys held as the rows held them before issue 13, a string each (16 bytes of
// pointer-holding memory apiece, 3.4 MB).
//
// The metric is the whole process's, so the test runs alone in a process of its own (it starts
// the test binary again for itself only): goroutines left by the package's other tests (a
// collection, a server, a timer) allocating or freeing between the readings would otherwise move
// it by more than the rows do.
func TestRowsAreNotScanned(t *testing.T) {
	const alone = "JCCONNECT_TEST_ROWS_SCAN_ALONE"
	if os.Getenv(alone) != "1" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestRowsAreNotScanned$", "-test.v", "-test.count=1")
		cmd.Env = append(os.Environ(), alone+"=1")
		out, err := cmd.CombinedOutput()
		t.Logf("alone in a process:\n%s", out)
		if err != nil || !strings.Contains(string(out), "--- PASS: TestRowsAreNotScanned") {
			t.Fatalf("the test alone in a process did not pass (%v)", err)
		}
		return
	}
	rep := evidence.Evaluate(devSnapshot(6000), evidence.DefaultThresholds())
	scanned := func() int64 {
		runtime.GC()
		s := []metrics.Sample{{Name: "/gc/scan/heap:bytes"}}
		metrics.Read(s)
		return int64(s[0].Value.Uint64())
	}
	without := scanned()
	var prev [2]tabState
	prev[modeDevices].cols, prev[modeUsers].cols = deviceColumns(), userColumns()
	tabs := buildTabs(sharedReport(rep), prev, devNow)
	with := scanned()
	// The control: the very same cells and keys, a string each.
	var control [2][][]string
	cells := 0
	for m, tab := range tabs {
		control[m] = make([][]string, len(tab.rows))
		for i := range tab.rows {
			r := &tab.rows[i]
			strs := make([]string, 0, 2*r.cells())
			for c := range r.cells() {
				strs = append(strs, r.cell(tab.text, c), r.key(tab.text, c))
			}
			control[m][i] = strs
			cells += len(strs)
		}
	}
	withControl := scanned()
	rows, strs := with-without, withControl-with
	t.Logf("%d cells and keys; scanned heap: %d bytes without the tables, %d with them, %d with the control too", cells, without, with, withControl)
	if cells < 100000 {
		t.Fatalf("%d cells and keys: the test shows nothing", cells)
	}
	if strs < int64(cells)*16 {
		t.Fatalf("the control's %d strings add %d bytes to what a collection scans: the metric does not show them", cells, strs)
	}
	if rows*100 > strs {
		t.Errorf("the rows of %d cells and keys add %d bytes to what a collection scans, over 1%% of the %d a string per cell adds", cells, rows, strs)
	}
	runtime.KeepAlive(tabs)
	runtime.KeepAlive(control)
	runtime.KeepAlive(rep)
}

// Before the first collection ends a table has no rows and no text: the filter keys, quick
// filters and sort keys are taken (and drawn) without failing.
func TestFilterKeysBeforeTheFirstSnapshot(t *testing.T) {
	c := common.NewCommon(&connect.Env{NoColor: true, Now: func() time.Time { return devNow }})
	b := NewBrowser(c, BrowserOptions{})
	b.Update(teaSize(100, 30))
	press(t, b, "/", "a", "b", "enter", "f", "t", "o", "s", "S")
	if tab := b.tab(); tab.text != nil || len(tab.view) != 0 || tab.spec.query != "ab" {
		t.Errorf("before any snapshot: text %v, %d rows shown, query %q", tab.text, len(tab.view), tab.spec.query)
	}
	_ = b.View()
}
