package evidence

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"

	"jcconnect/jumpcloud/jctest"
)

// WriteRows streams the rows Evaluate's report gives, byte for byte, for devices and users, in
// CSV and JSON Lines.
func TestWriteRowsEqualsTheReportsRows(t *testing.T) {
	snap, rep := collectSandbox(t, jctest.Options{Devices: 150, Users: 40, Seed: 4})
	for _, users := range []bool{false, true} {
		for _, jsonLines := range []bool{false, true} {
			header := DeviceColumns()
			var rows [][]string
			for _, d := range rep.Devices {
				rows = append(rows, DeviceRow(d))
			}
			if users {
				header, rows = UserColumns(UserChecks), nil
				for _, u := range rep.Users {
					rows = append(rows, UserRow(u))
				}
			}
			var want, got bytes.Buffer
			if err := WriteCSVOrJSON(&want, header, rows, jsonLines); err != nil {
				t.Fatal(err)
			}
			if err := WriteRows(&got, snap, DefaultThresholds(), users, jsonLines); err != nil {
				t.Fatal(err)
			}
			if lines := strings.Count(got.String(), "\n"); lines < len(rows) || len(rows) < 40 {
				t.Fatalf("users=%v json=%v: %d lines for %d rows", users, jsonLines, lines, len(rows))
			}
			if got.String() != want.String() {
				t.Errorf("users=%v json=%v: streamed rows differ from the report's", users, jsonLines)
			}
		}
	}
}

// Rows evaluated on several cores come out in order, every one once, and a write that fails
// stops the evaluation with its error.
func TestRowsInOrder(t *testing.T) {
	const n = 5*rowBlock + 17
	var got []string
	err := rowsInOrder(n, func(i int) []string { return []string{strconv.Itoa(i)} }, func(r []string) error {
		got = append(got, r[0])
		return nil
	})
	if err != nil || len(got) != n {
		t.Fatalf("%d rows, %v", len(got), err)
	}
	for i, g := range got {
		if g != strconv.Itoa(i) {
			t.Fatalf("row %d is %s", i, g)
		}
	}
	broken := errors.New("disk full")
	written := 0
	err = rowsInOrder(n, func(i int) []string { return nil }, func([]string) error {
		written++
		if written == rowBlock+3 {
			return broken
		}
		return nil
	})
	if !errors.Is(err, broken) || written != rowBlock+3 {
		t.Errorf("after a failed write: %v, %d written", err, written)
	}
}

// Enough devices for several blocks: the streamed rows, evaluated on every core, are still the
// report's, byte for byte.
func TestWriteRowsInBlocksEqualsTheReportsRows(t *testing.T) {
	snap, rep := collectSandbox(t, jctest.Options{Devices: 3*rowBlock + 40, Seed: 9})
	var rows [][]string
	for _, d := range rep.Devices {
		rows = append(rows, DeviceRow(d))
	}
	var want, got bytes.Buffer
	if err := WriteCSVOrJSON(&want, DeviceColumns(), rows, true); err != nil {
		t.Fatal(err)
	}
	if err := WriteRows(&got, snap, DefaultThresholds(), false, true); err != nil {
		t.Fatal(err)
	}
	if got.String() != want.String() || len(rows) <= 3*rowBlock {
		t.Errorf("%d rows: streamed rows differ from the report's", len(rows))
	}
}
