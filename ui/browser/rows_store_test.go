package browser

import (
	"reflect"
	"runtime"
	"runtime/metrics"
	"slices"
	"testing"
	"time"

	"jcconnect/connect"
	"jcconnect/evidence"
	"jcconnect/ui/common"
)

// plainRow is a row given as plain strings, for the tests of the table engine: its cells are its
// keys, its filter text is kept as given.
type plainRow struct {
	hay, group    string
	keys          []string
	failing, flag bool
}

// buildPlainRows builds the rows through the rows' builder, as deviceRows and userRows do.
func buildPlainRows(in []plainRow) ([]tableRow, *rowText) {
	tb := newRowBuilder(len(in), 2)
	rows := make([]tableRow, len(in))
	for i, p := range in {
		for _, k := range p.keys {
			at := tb.str(k)
			tb.cell(at)
			tb.key(at)
		}
		start := len(tb.search)
		tb.search = append(tb.search, p.hay...)
		rows[i] = tableRow{index: i, hay: tb.searchFrom(start), group: tb.str(p.group), failing: p.failing, flag: p.flag}
		tb.endRow(&rows[i])
	}
	return rows, tb.done()
}

// The rows read exactly what was put in them: lower-cased keys (ASCII, other scripts, already
// lower), made and shared strings, ids, groups and filter texts; a row's cells are its own, and
// a column a row has no cell in reads "" (never the next row's).
func TestRowBuilderKeepsEachRowsStrings(t *testing.T) {
	tb := newRowBuilder(1, 2) // fewer rows than built: the builder grows
	var rows [3]tableRow
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
		rows[i] = tableRow{id: tb.str("id-" + in[0]), group: tb.shared("grp"), overall: tb.shared(string(evidence.Fail)),
			hay: tb.searchWords(in[0], in[1])}
		tb.endRow(&rows[i])
	}
	if a, b := tb.shared("Mac"+"OS"), tb.shared("MacOS"); a != b {
		t.Errorf("shared twice: %v, %v", a, b)
	}
	text := tb.done()
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
		if r.idOf(text) != "id-"+want[i][0] || r.groupOf(text) != "grp" || r.overallOf(text) != evidence.Fail || r.hayOf(text) != wantHay[i] {
			t.Errorf("row %d: id %q group %q overall %q filter text %q", i, r.idOf(text), r.groupOf(text), r.overallOf(text), r.hayOf(text))
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
// scans, runtime/metrics' /gc/scan/heap:bytes, with the tables and without them, the report
// they were built from kept in both) is next to nothing: with a string per cell it was 16 bytes
// for each of the 210,000 cells and keys (3.4 MB).
func TestRowsAreNotScanned(t *testing.T) {
	rep := evidence.Evaluate(devSnapshot(6000), evidence.DefaultThresholds())
	scanned := func() uint64 {
		runtime.GC()
		s := []metrics.Sample{{Name: "/gc/scan/heap:bytes"}}
		metrics.Read(s)
		return s[0].Value.Uint64()
	}
	without := scanned()
	var prev [2]tabState
	prev[modeDevices].cols, prev[modeUsers].cols = deviceColumns(), userColumns()
	tabs := buildTabs(rep, prev, devNow)
	with := scanned()
	cells := 0
	for _, tab := range tabs {
		for i := range tab.rows {
			cells += 2 * tab.rows[i].cells()
		}
	}
	if cells < 100000 {
		t.Fatalf("%d cells and keys: the test shows nothing", cells)
	}
	t.Logf("scanned heap: %d bytes without the tables, %d with them", without, with)
	// The margin: what else the test's process does between the two readings.
	if grown := int64(with) - int64(without); grown > 64<<10 {
		t.Errorf("the rows of %d cells and keys add %d bytes to what a collection scans", cells, grown)
	}
	runtime.KeepAlive(tabs)
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
