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
	row := []string{d.ID, d.Name, d.Hostname, d.OS, d.OSVersion, d.Owner, last}
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
	row := []string{u.ID, u.Username, u.Email, u.Name, u.State}
	for _, r := range u.Results {
		row = append(row, string(r.Status))
	}
	return append(row, string(u.Overall), failing(u.Results))
}

// failing is "check: reason; ..." for every failed check.
func failing(results []Result) string {
	var parts []string
	for _, r := range results {
		if r.Status == Fail {
			parts = append(parts, r.Check+": "+r.Reason)
		}
	}
	return strings.Join(parts, "; ")
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
	add := func(kind, id, name string, results []Result) {
		for _, res := range results {
			var evs []string
			for _, e := range res.Evidence {
				evs = append(evs, e.Name+"="+e.Value)
			}
			ctl := ControlOf(res.Check)
			rows = append(rows, []string{kind, id, name, res.Check, string(res.Status), res.Reason, strings.Join(evs, "; "),
				string(ctl.Severity), ctl.References(), strconv.FormatBool(ctl.Hygiene)})
		}
	}
	add("organisation", "", "", r.Org)
	for _, d := range r.Devices {
		add("device", d.ID, d.Name, d.Results)
	}
	for _, u := range r.Users {
		add("user", u.ID, u.Username, u.Results)
	}
	for _, a := range r.Admins {
		add("administrator", a.ID, a.Email, a.Results)
	}
	return rows
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
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	safe := make([]string, 0, len(header))
	for _, row := range rows {
		safe = safe[:0]
		for _, c := range row {
			safe = append(safe, SafeCell(c))
		}
		if err := cw.Write(safe); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteJSONLines writes one JSON object per row with the columns as keys, in column order.
func WriteJSONLines(w io.Writer, header []string, rows [][]string) error {
	var b bytes.Buffer
	for _, row := range rows {
		b.Reset()
		b.WriteByte('{')
		for i, col := range header {
			if i > 0 {
				b.WriteByte(',')
			}
			k, _ := json.Marshal(col)
			v := ""
			if i < len(row) {
				v = row[i]
			}
			val, _ := json.Marshal(v)
			b.Write(k)
			b.WriteByte(':')
			b.Write(EscapeJSON(val))
		}
		b.WriteString("}\n")
		if _, err := w.Write(b.Bytes()); err != nil {
			return err
		}
	}
	return nil
}

// DeviceRows and UserRows convert whole reports.
func DeviceRows(ds []DeviceReport) [][]string {
	rows := make([][]string, len(ds))
	for i, d := range ds {
		rows[i] = DeviceRow(d)
	}
	return rows
}

func UserRows(us []UserReport) [][]string {
	rows := make([][]string, len(us))
	for i, u := range us {
		rows[i] = UserRow(u)
	}
	return rows
}
