package evidence

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"

	"jcconnect/jumpcloud"
)

// The machine-readable rows shared by `jcconnect devices --csv/--json` and the export: one row per
// device or user, with stable column names (snake_case, never renamed; new columns are added at
// the end). The glossary's words (glossary/) are for people: the summary and the screens use them,
// but these keys and their values (pass, fail, unknown, not_applicable) are identifiers that an
// auditor's scripts and spreadsheets key on, so they stay as they are.

// DeviceColumns are the device rows' column names.
func DeviceColumns() []string {
	cols := []string{"id", "name", "hostname", "os", "version", "owner", "last_contact"}
	for _, c := range DeviceChecks {
		cols = append(cols, c.ID)
	}
	return append(cols, "overall", "failing")
}

// DeviceRow is one device as strings in DeviceColumns order.
func DeviceRow(d DeviceReport) []string {
	last := ""
	if d.LastContact != nil {
		last = d.LastContact.UTC().Format(time.RFC3339)
	}
	row := make([]string, 0, 9+len(d.Results)) // one slice, not three as it grows
	row = append(row, d.ID, d.Name, d.Hostname, d.OS, d.OSVersion, d.Owner, last)
	for _, r := range d.Results {
		row = append(row, string(r.Status))
	}
	return append(row, string(d.Overall), failing(d.Results))
}

// UserColumns are the user (and administrator) rows' column names.
func UserColumns(checks []CheckInfo) []string {
	cols := []string{"id", "username", "email", "name", "state"}
	for _, c := range checks {
		cols = append(cols, c.ID)
	}
	return append(cols, "overall", "failing")
}

// UserRow is one user as strings in UserColumns order.
func UserRow(u UserReport) []string {
	row := make([]string, 0, 7+len(u.Results))
	row = append(row, u.ID, u.Username, u.Email, u.Name, u.State)
	for _, r := range u.Results {
		row = append(row, string(r.Status))
	}
	return append(row, string(u.Overall), failing(u.Results))
}

// failing is "check: reason; ..." for every failed check, made in one piece (every row has it).
func failing(results []Result) string {
	n := 0
	for _, r := range results {
		if r.Status == Fail {
			n += len("; ") + len(r.Check) + len(": ") + len(r.Reason)
		}
	}
	if n == 0 {
		return ""
	}
	var b strings.Builder
	b.Grow(n - len("; "))
	for _, r := range results {
		if r.Status == Fail {
			if b.Len() > 0 {
				b.WriteString("; ")
			}
			b.WriteString(r.Check)
			b.WriteString(": ")
			b.WriteString(r.Reason)
		}
	}
	return b.String()
}

// CheckColumns are the per-result rows of checks.csv.
// severity and controls come from the Controls table; hygiene is "true" for checks kept out of
// the overall verdict.
var CheckColumns = []string{"subject_type", "subject_id", "subject_name", "check", "status", "reason", "evidence",
	"severity", "controls", "hygiene"}

// CheckRows flattens a report into one row per (subject, check), in a stable order: organisation,
// devices, users, administrators.
func CheckRows(r *Report) [][]string {
	var rows [][]string
	_ = eachCheckRow(r, func(row []string) error {
		rows = append(rows, row)
		return nil
	})
	return rows
}

// eachCheckRow hands CheckRows' rows to emit one at a time (the bundle writes them as they come:
// at 50,000 devices they are half a million rows) and stops at emit's first error.
func eachCheckRow(r *Report, emit func([]string) error) error {
	if err := checkRowsOf("organisation", "", "", r.Org, emit); err != nil {
		return err
	}
	for _, d := range r.Devices {
		if err := checkRowsOf("device", d.ID, d.Name, d.Results, emit); err != nil {
			return err
		}
	}
	for _, u := range r.Users {
		if err := checkRowsOf("user", u.ID, u.Username, u.Results, emit); err != nil {
			return err
		}
	}
	for _, a := range r.Admins {
		if err := checkRowsOf("administrator", a.ID, a.Email, a.Results, emit); err != nil {
			return err
		}
	}
	return nil
}

// checkRowsOf hands one subject's rows of checks.csv to emit, one per result.
func checkRowsOf(kind, id, name string, results []Result, emit func([]string) error) error {
	for _, res := range results {
		var evs []string
		for _, e := range res.Evidence {
			evs = append(evs, e.Name+"="+e.Value)
		}
		ctl := ControlOf(res.Check)
		if err := emit([]string{kind, id, name, res.Check, string(res.Status), res.Reason, strings.Join(evs, "; "),
			string(ctl.Severity), ctl.References(), strconv.FormatBool(ctl.Hygiene)}); err != nil {
			return err
		}
	}
	return nil
}

// SafeCell defuses spreadsheet formula injection: a cell that starts with = + - @ (or a tab or
// carriage return, which some spreadsheets skip before evaluating) gets a leading apostrophe, so a
// hostname like "=HYPERLINK(...)" is shown as text instead of run.
//
// Bidi overrides, isolates and C1 controls are kept visible as \u202e-style escapes
// (EscapeInvisible); the other control characters (escape sequences included) become "?": a CSV
// printed to a terminal must not be able to drive it, and a spreadsheet has no use for them.
func SafeCell(s string) string {
	if s == "" {
		return s
	}
	s = replaceControls(EscapeInvisible(s))
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// replaceControls replaces control characters (escape sequences included) with "?".
func replaceControls(s string) string {
	if strings.IndexFunc(s, isControl) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isControl(r) {
			return '?'
		}
		return r
	}, s)
}

// isControl is a C0 or C1 control character, DEL, or a bidi override/format character.
func isControl(r rune) bool {
	return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || unicode.Is(unicode.Cf, r)
}

// WriteCSV writes a header and rows, every cell defused with SafeCell.
func WriteCSV(w io.Writer, header []string, rows [][]string) error {
	return WriteCSVOrJSON(w, header, rows, false)
}

// WriteJSONLines writes one JSON object per row with the columns as keys, in column order.
func WriteJSONLines(w io.Writer, header []string, rows [][]string) error {
	return WriteCSVOrJSON(w, header, rows, true)
}

// WriteCSVOrJSON is WriteJSONLines when jsonLines, else WriteCSV.
func WriteCSVOrJSON(w io.Writer, header []string, rows [][]string, jsonLines bool) error {
	out, err := NewRowWriter(w, header, jsonLines)
	if err != nil {
		return err
	}
	for _, row := range rows {
		if err := out.Write(row); err != nil {
			return err
		}
	}
	return out.Flush()
}

// RowWriter writes machine rows one at a time, as they are made: CSV (a header first, every cell
// defused with SafeCell) or JSON Lines (one object per row, the columns as keys in column order).
// Nothing is held but the row being written.
type RowWriter struct {
	header    []string
	keys      [][]byte // JSON Lines: the encoded column names
	csv       *csv.Writer
	w         io.Writer
	buf       bytes.Buffer
	cell      []byte // JSON Lines: the cell being encoded
	safe      []string
	jsonLines bool
}

// NewRowWriter starts the rows (for CSV, writes the header).
func NewRowWriter(w io.Writer, header []string, jsonLines bool) (*RowWriter, error) {
	rw := &RowWriter{header: header, w: w, jsonLines: jsonLines}
	if jsonLines {
		for _, col := range header {
			k, _ := json.Marshal(col)
			rw.keys = append(rw.keys, k)
		}
		return rw, nil
	}
	rw.csv = csv.NewWriter(w)
	rw.safe = make([]string, 0, len(header))
	return rw, rw.csv.Write(header)
}

// Write writes one row, in header order.
func (rw *RowWriter) Write(row []string) error {
	if !rw.jsonLines {
		rw.safe = rw.safe[:0]
		for _, c := range row {
			rw.safe = append(rw.safe, SafeCell(c))
		}
		return rw.csv.Write(rw.safe)
	}
	b := &rw.buf
	b.Reset()
	b.WriteByte('{')
	for i, k := range rw.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		v := ""
		if i < len(row) {
			v = row[i]
		}
		b.Write(k)
		b.WriteByte(':')
		// json.Marshal's bytes without its allocation for the many plain cells: marshalling
		// every cell was a fifth of the rows' CPU, on the one goroutine that writes them.
		rw.cell = jumpcloud.AppendJSONString(rw.cell[:0], v)
		b.Write(EscapeJSON(rw.cell))
	}
	b.WriteString("}\n")
	_, err := rw.w.Write(b.Bytes())
	return err
}

// Flush writes out what the CSV writer buffers, and reports a write error.
func (rw *RowWriter) Flush() error {
	if rw.csv == nil {
		return nil
	}
	rw.csv.Flush()
	return rw.csv.Error()
}
