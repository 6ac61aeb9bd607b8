package jumpcloud

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"unique"
)

// System Insights tables the collector reads (GET /api/v2/systeminsights/<table>).
const (
	TableDiskEncryption        = "disk_encryption"
	TableBitlockerInfo         = "bitlocker_info"
	TableALF                   = "alf"
	TableWindowsSecurityCenter = "windows_security_center"
	TableOSVersion             = "os_version"
	TableManagedPolicies       = "managed_policies"
)

// InsightTables lists the tables above, in collection order.
var InsightTables = []string{TableDiskEncryption, TableBitlockerInfo, TableALF,
	TableWindowsSecurityCenter, TableOSVersion, TableManagedPolicies}

// InsightRow is one System Insights row. Every table has system_id and collection_time; the
// other columns differ per table and across agent versions (osquery columns are loosely typed:
// a number may arrive as 1 or "1"), so they are kept as sent, each value as encoding/json writes
// it. Read them with the typed accessors String and Int.
//
// A row used to hold its columns as a map[string]any: at 20,000 devices those maps were half of
// the heap a snapshot kept. A sorted slice of (name, value text) pairs, with the names and short
// values shared between rows, holds the same information in about a third of the space, and the
// bundle writes it back byte for byte as the map did.
type InsightRow struct {
	SystemID       string `json:"system_id"`
	CollectionTime string `json:"collection_time"`
	cols           []insightCol
	// Unparsed holds system_id or collection_time when they were not strings.
	Unparsed []UnparsedField `json:"-"`
}

// insightCol is one column: its name and its value as encoding/json writes it ("1", "\"on\"",
// "null", "{...}").
type insightCol struct{ name, raw string }

// NewInsightRow builds a row from decoded columns (as encoding/json decodes them into any). The
// sandbox and tests use it; the client decodes rows itself.
func NewInsightRow(systemID, collectionTime string, columns map[string]any) InsightRow {
	r := InsightRow{SystemID: systemID, CollectionTime: collectionTime}
	for k, v := range columns {
		raw, err := json.Marshal(v)
		if err != nil {
			raw = []byte("null")
		}
		r.cols = append(r.cols, insightCol{share(k), shareValue(string(raw))})
	}
	r.sortCols()
	return r
}

func (r *InsightRow) sortCols() {
	slices.SortFunc(r.cols, func(a, b insightCol) int { return strings.Compare(a.name, b.name) })
}

// KeepColumns drops every column but these (system_id and collection_time always stay). A
// collection that only feeds the checks keeps the columns they read, as each page is decoded.
func (r *InsightRow) KeepColumns(names []string) {
	n := 0
	for _, c := range r.cols {
		if slices.Contains(names, c.name) {
			n++
		}
	}
	kept := make([]insightCol, 0, n) // exactly: a row holds its columns until the snapshot goes
	for _, c := range r.cols {
		if slices.Contains(names, c.name) {
			kept = append(kept, c)
		}
	}
	r.cols = kept
}

// ColumnNames lists the row's columns other than system_id and collection_time, sorted.
func (r InsightRow) ColumnNames() []string {
	out := make([]string, len(r.cols))
	for i, c := range r.cols {
		out[i] = c.name
	}
	return out
}

func (r *InsightRow) UnmarshalJSON(b []byte) error {
	if k := jsonKind(b); k != "an object" {
		return &shapeError{got: k, want: wantRecord}
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		return err
	}
	*r = insightRowFromRaw(all)
	return nil
}

// insightRecord decodes the row at dec's position.
func insightRecord(dec *json.Decoder, _ []byte) (InsightRow, error) {
	var all map[string]json.RawMessage
	if err := dec.Decode(&all); err != nil {
		return InsightRow{}, err
	}
	return insightRowFromRaw(all), nil
}

// insightRowFromRaw splits a row's members into its common columns and the rest.
func insightRowFromRaw(all map[string]json.RawMessage) InsightRow {
	var r InsightRow
	for _, col := range []struct {
		name string
		into *string
	}{{"system_id", &r.SystemID}, {"collection_time", &r.CollectionTime}} {
		raw, ok := all[col.name]
		if !ok {
			continue
		}
		delete(all, col.name)
		switch raw = bytes.TrimSpace(raw); {
		case string(raw) == "null":
		case len(raw) > 0 && raw[0] == '"':
			// Shared: a device's rows across the tables carry the same id and, mostly, time.
			*col.into = share(jsonString(raw))
		default:
			r.Unparsed = append(r.Unparsed, unparsedField(col.name, []byte(canonicalJSON(raw))))
		}
	}
	r.cols = make([]insightCol, 0, len(all))
	for k, v := range all {
		r.cols = append(r.cols, insightCol{share(k), shareValue(canonicalJSON(v))})
	}
	r.sortCols()
	return r
}

// shareValueMax bounds the values shared between rows: short ones ("encrypted", "1", "on")
// repeat across the fleet; long ones (volume UUIDs, serials) rarely do and would only grow the
// table.
const shareValueMax = 24

// share returns the one shared copy of s (column names: a few dozen across all rows).
func share(s string) string { return unique.Make(s).Value() }

func shareValue(raw string) string {
	if len(raw) > shareValueMax {
		return raw
	}
	return share(raw)
}

// canonicalJSON is the value as encoding/json writes it after decoding it into any: what the
// map this row used to hold wrote into the bundle. Most values already are (a plain string, a
// small integer, true); the rest are decoded and encoded again.
func canonicalJSON(raw []byte) string {
	raw = bytes.TrimSpace(raw)
	if plainJSONValue(raw) {
		return string(raw)
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return "null" // cannot happen: raw is one member of a document that decoded
	}
	out, err := json.Marshal(v)
	if err != nil {
		return "null"
	}
	return string(out)
}

// plainJSONValue reports whether encoding/json would write raw back unchanged: true, false,
// null, an integer of at most 15 digits without a leading zero, or a string of printable ASCII
// without escapes or the characters it escapes (<, >, &).
func plainJSONValue(raw []byte) bool {
	switch s := string(raw); {
	case s == "true" || s == "false" || s == "null":
		return true
	case len(raw) >= 2 && raw[0] == '"' && raw[len(raw)-1] == '"':
		for _, c := range raw[1 : len(raw)-1] {
			if c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
				return false
			}
		}
		return true
	default:
		digits := strings.TrimPrefix(s, "-")
		if digits == "" || len(digits) > 15 || (len(digits) > 1 && digits[0] == '0') {
			return false
		}
		for _, c := range []byte(digits) {
			if c < '0' || c > '9' {
				return false
			}
		}
		return true
	}
}

// jsonString decodes a JSON string literal ("" when it is not one).
func jsonString(raw []byte) string {
	if plainJSONValue(raw) && raw[0] == '"' {
		return string(raw[1 : len(raw)-1])
	}
	var s string
	_ = json.Unmarshal(raw, &s)
	return s
}

func (r InsightRow) MarshalJSON() ([]byte, error) {
	// The keys in the order encoding/json writes a map's: sorted by bytes.
	type member struct{ name, raw string }
	members := make([]member, 0, len(r.cols)+3)
	for _, c := range r.cols {
		if c.name == "unparsed" && len(r.Unparsed) > 0 {
			continue // the row's own unparsed list takes the name, as it did in the map
		}
		members = append(members, member(c))
	}
	for _, m := range []struct{ name, value string }{{"system_id", r.SystemID}, {"collection_time", r.CollectionTime}} {
		raw, err := json.Marshal(m.value)
		if err != nil {
			return nil, err
		}
		members = append(members, member{m.name, string(raw)})
	}
	if len(r.Unparsed) > 0 {
		raw, err := json.Marshal(r.Unparsed)
		if err != nil {
			return nil, err
		}
		members = append(members, member{"unparsed", string(raw)})
	}
	slices.SortFunc(members, func(a, b member) int { return strings.Compare(a.name, b.name) })
	b := []byte{'{'}
	for i, m := range members {
		if i > 0 {
			b = append(b, ',')
		}
		if plainJSONValue([]byte(`"` + m.name + `"`)) {
			b = append(append(append(b, '"'), m.name...), '"')
		} else {
			key, err := json.Marshal(m.name)
			if err != nil {
				return nil, err
			}
			b = append(b, key...)
		}
		b = append(append(b, ':'), m.raw...)
	}
	return append(b, '}'), nil
}

// value is the text of a column ("" when the row has none).
func (r InsightRow) value(col string) string {
	i, ok := slices.BinarySearchFunc(r.cols, col, func(c insightCol, name string) int { return strings.Compare(c.name, name) })
	if !ok {
		return ""
	}
	return r.cols[i].raw
}

// String returns a column as text ("" when absent, null, an object or a list).
func (r InsightRow) String(col string) string {
	raw := r.value(col)
	switch {
	case raw == "":
		return ""
	case raw[0] == '"':
		return jsonString([]byte(raw))
	case raw == "true" || raw == "false":
		return raw
	case raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9'):
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			return ""
		}
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return ""
}

// Int returns a column as an integer; ok is false when absent or not a number.
// osquery integers arrive as JSON numbers or as numeric strings depending on the agent.
func (r InsightRow) Int(col string) (n int64, ok bool) {
	raw := r.value(col)
	switch {
	case raw == "":
		return 0, false
	case raw[0] == '"':
		x := json.Number(strings.TrimSpace(jsonString([]byte(raw))))
		if i, err := x.Int64(); err == nil {
			return i, true
		}
	case raw == "true":
		return 1, true
	case raw == "false":
		return 0, true
	case raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9'):
		if f, err := strconv.ParseFloat(raw, 64); err == nil {
			return int64(f), true
		}
	}
	return 0, false
}
