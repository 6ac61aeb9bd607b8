package evidence

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
)

// Every System Insights column the checks name in their source is kept by a collection for the
// checks: a column missing from checkColumns would read as absent in the browser and `devices`
// while the export, which keeps every column, saw it.
func TestCheckColumnsListEveryColumnTheChecksRead(t *testing.T) {
	var kept []string
	for _, cols := range checkColumns {
		kept = append(kept, cols...)
	}
	reads := regexp.MustCompile(`\.(?:String|Int)\("([a-z_]+)"\)|wscCheck\([^)]*"[a-z_]+", "([a-z_]+)"`)
	files, _ := filepath.Glob("*.go")
	found := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range reads.FindAllStringSubmatch(string(src), -1) {
			col := m[1] + m[2]
			found++
			if !slices.Contains(kept, col) {
				t.Errorf("%s reads the System Insights column %q, which checkColumns does not keep", f, col)
			}
		}
	}
	if found < 20 {
		t.Fatalf("found only %d column reads: the pattern no longer matches how the checks read columns", found)
	}
}

// With only checkColumns kept, every check gives the same report as with every column.
func TestChecksGiveTheSameReportOnTheKeptColumns(t *testing.T) {
	snap, full := collectSandbox(t, jctest.Options{Devices: 400, Seed: 9})
	dropped := 0
	for table, rows := range snap.Insights {
		for i := range rows {
			before := len(rows[i].ColumnNames())
			rows[i].KeepColumns(checkColumns[table])
			dropped += before - len(rows[i].ColumnNames())
		}
	}
	if dropped == 0 {
		t.Fatal("the sandbox's rows have no column beyond the checks': nothing was tested")
	}
	if kept := Evaluate(snap, DefaultThresholds()); !reflect.DeepEqual(kept, full) {
		t.Error("the report on the kept columns differs from the report on every column")
	}
}

// A collection for the checks keeps only their columns; an export's keeps every column.
func TestChecksOnlyCollectionKeepsTheChecksColumns(t *testing.T) {
	srv := newServer(t, jctest.Options{Devices: 60, Seed: 2})
	for _, checksOnly := range []bool{true, false} {
		opt := both()
		opt.StatusesForChecksOnly = checksOnly
		snap, err := Collect(t.Context(), newClient(t, srv, srv.Keys.ReadOnly, nil), opt)
		if err != nil {
			t.Fatal(err)
		}
		rows := snap.Insights[jumpcloud.TableManagedPolicies]
		if len(rows) == 0 {
			t.Fatal("no managed_policies rows")
		}
		extra := false
		for _, r := range rows {
			for _, c := range r.ColumnNames() {
				extra = extra || !slices.Contains(checkColumns[jumpcloud.TableManagedPolicies], c)
			}
		}
		if extra == checksOnly {
			t.Errorf("checks only %v: columns beyond the checks' kept: %v", checksOnly, extra)
		}
	}
}

// rowsBySystem groups without copying a normalized table, and still groups (by copying) a table
// whose device rows are not contiguous; appending to a group never writes into the table.
func TestRowsBySystem(t *testing.T) {
	rows := []jumpcloud.InsightRow{row("a", nil), row("a", nil), row("b", nil), row("a", nil), row("c", nil)}
	m := rowsBySystem(rows)
	if len(m["a"]) != 3 || len(m["b"]) != 1 || len(m["c"]) != 1 {
		t.Fatalf("groups %d %d %d", len(m["a"]), len(m["b"]), len(m["c"]))
	}
	_ = append(m["b"], row("x", nil))
	if rows[3].SystemID() != "a" {
		t.Error("an append to a group wrote into the snapshot's table")
	}
	if &m["b"][0] != &rows[2] {
		t.Error("a contiguous group was copied")
	}
}

// A collected table is sorted by device, so the checks find a device's rows by binary search:
// the same rows, in the same order, as grouping the table by device; a device with no rows has
// none; and a table that is not sorted is grouped.
func TestInsightIndexFindsEachDevicesRows(t *testing.T) {
	snap, _ := collectSandbox(t, jctest.Options{Devices: 200, Seed: 5})
	multi := 0
	for table, rows := range snap.Insights {
		ix := newInsightIndex(rows)
		if ix.bySys != nil {
			t.Fatalf("%s: a collected table was not seen as sorted", table)
		}
		groups := rowsBySystem(rows)
		for _, d := range snap.Devices {
			if got, want := ix.of(d.ID), groups[d.ID]; !reflect.DeepEqual(got, want) && len(got)+len(want) > 0 {
				t.Fatalf("%s %s: %d rows, grouped %d", table, d.ID, len(got), len(want))
			} else if len(got) > 1 {
				multi++
			}
		}
		if len(ix.of("no such device")) != 0 {
			t.Errorf("%s: rows for a device that has none", table)
		}
	}
	if multi == 0 {
		t.Fatal("no device has several rows in a table: the runs were not tested")
	}
	unsorted := []jumpcloud.InsightRow{row("b", nil), row("a", nil), row("b", nil)}
	if ix := newInsightIndex(unsorted); ix.bySys == nil || len(ix.of("b")) != 2 || len(ix.of("a")) != 1 {
		t.Error("an unsorted table is not grouped by device")
	}
}
