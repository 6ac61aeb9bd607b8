package jumpcloud

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"sync"
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
// A fleet sends the same few values in every row (states, OS names, policy keys), so a row holds
// numbers, not strings (issue 13: at 50,000 devices the rows a collection for the checks kept
// were 45 MB, over 200 bytes a row): the system id and collection time are one number for the
// pair, in pools shared by the tables of one collection (InsightKeys), and the columns one for the
// row's whole set of (column, value) pairs, which its table numbers once however many devices
// send it. A row is 16 bytes and its table's pools; the values are unchanged, and MarshalJSON
// writes the row back byte for byte as the map of decoded values it once was.
//
// Rows are read-only once their list is returned; the zero row has no columns.
type InsightRow struct {
	st *insightStore
	// key numbers the row's system_id and collection_time in st.keys; cols numbers its other
	// columns in st.tuples (see insightStore).
	key, cols uint32
}

// InsightKeys holds the system ids and collection times that the System Insights tables of one
// collection share: a device's rows in six tables carry the same id, and mostly the same time.
// Pass one in ListOptions.InsightKeys to each table of a collection; Seal it once they are all
// read. It is safe for concurrent use.
type InsightKeys struct {
	mu         sync.Mutex // held to number keys
	ids, times sharedPool
	stamps     stampPool // (id, time) pairs: what a row holds
}

func NewInsightKeys() *InsightKeys { return &InsightKeys{} }

// Seal drops what numbering new keys needs (a map as large as the pools), once every table that
// uses them has been read. The rows stay readable.
func (k *InsightKeys) Seal() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.ids.ids, k.times.ids, k.stamps.ids = nil, nil, nil
}

// number numbers a row's system id and collection time (rowKey) together.
func (k *InsightKeys) number(sys, time []byte) uint32 {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.stamps.intern(stamp{k.ids.intern(sys), k.times.intern(time)})
}

// stamp is what key numbers.
func (k *InsightKeys) stamp(key uint32) stamp { return k.stamps.get(key) }

// ShareInsightSystemIDs makes the system ids of these tables' rows point at f's equal copies (the
// device records' ids, say) instead of their pools' own. Call it only while no other goroutine
// reads the rows.
func ShareInsightSystemIDs(f func(string) string, tables ...[]InsightRow) {
	done := map[*InsightKeys]bool{}
	for _, rows := range tables {
		for _, r := range rows {
			if r.st != nil && !done[r.st.keys] {
				done[r.st.keys] = true
				r.st.keys.mu.Lock()
				r.st.keys.ids.share(f)
				r.st.keys.mu.Unlock()
			}
		}
	}
}

// insightStore holds what rows point into: column names, values (as encoding/json writes them),
// each distinct set of a row's (column, value) pairs ("tuples"), and each distinct list of
// unparsed fields, numbered in their pools. Each page of a listing is decoded into a store of its
// own, which no one writes to once the page is decoded, so rows are read without locks, and the
// values of a page's full rows go with the page when only some columns are kept (KeepColumns).
//
// A tuple is a string of little-endian uint32s: 1 + the number of the row's unparsed list (0
// when none), then (column name, value) pairs sorted by column name. Numbering whole tuples, not
// values one by one, makes a row two numbers whatever its width, and makes two rows with the
// same content equal for reflect.DeepEqual, even from two pages' stores (the pager compares
// pages so to refuse a server that ignores skip).
type insightStore struct {
	keys                            *InsightKeys
	names, values, tuples, unparsed internPool
	keep                            []string // ListOptions.Columns: nil keeps every column
	// kept is where KeepColumns renumbers this store's rows: the one store of the rows a listing
	// keeps. nil: this store.
	kept *insightStore
}

func newInsightStore(keys *InsightKeys, keep []string) *insightStore {
	if keys == nil {
		keys = NewInsightKeys()
	}
	return &insightStore{keys: keys, keep: keep}
}

// seal drops the pools' lookup maps once no more rows are made in the store (the keys are
// shared: see InsightKeys.Seal).
func (st *insightStore) seal() {
	st.names.seal()
	st.values.seal()
	st.tuples.seal()
	st.unparsed.seal()
}

// NewInsightRow builds a row from decoded columns (as encoding/json decodes them into any). The
// tests use it; the client decodes rows itself. Each row built so has its own small pools.
func NewInsightRow(systemID, collectionTime string, columns map[string]any) InsightRow {
	all := make(map[string]any, len(columns)+2)
	for k, v := range columns {
		all[k] = v
	}
	all["system_id"], all["collection_time"] = systemID, collectionTime
	doc, err := json.Marshal(all)
	if err != nil {
		doc = []byte(`{}`)
	}
	return newInsightStore(nil, nil).row(doc)
}

func (r *InsightRow) UnmarshalJSON(b []byte) error {
	if k := jsonKind(b); k != "an object" {
		return &shapeError{got: k, want: wantRecord}
	}
	*r = newInsightStore(nil, nil).row(b)
	return nil
}

// SystemID is the row's system_id ("" when absent, null or not a string: see Unparsed).
func (r InsightRow) SystemID() string {
	if r.st == nil {
		return ""
	}
	return r.st.keys.ids.str(r.st.keys.stamp(r.key).sys)
}

// CollectionTime is the row's collection_time, as sent ("" when absent, null or not a string).
func (r InsightRow) CollectionTime() string {
	if r.st == nil {
		return ""
	}
	return r.st.keys.times.str(r.st.keys.stamp(r.key).time)
}

// Unparsed lists system_id or collection_time when they were not strings.
func (r InsightRow) Unparsed() []UnparsedField {
	text := r.unparsedJSON()
	if text == "" {
		return nil
	}
	var out []UnparsedField
	_ = json.Unmarshal([]byte(text), &out) // written by json.Marshal: cannot fail
	return out
}

// unparsedJSON is the row's unparsed list as json.Marshal wrote it, or "".
func (r InsightRow) unparsedJSON() string {
	t := r.tuple()
	if t == "" || tupleWord(t, 0) == 0 {
		return ""
	}
	return r.st.unparsed.str(tupleWord(t, 0) - 1)
}

func (r InsightRow) tuple() string {
	if r.st == nil {
		return ""
	}
	return r.st.tuples.str(r.cols)
}

// tupleWord is the i-th uint32 of a tuple.
func tupleWord(t string, i int) uint32 {
	j := 4 * i
	return uint32(t[j]) | uint32(t[j+1])<<8 | uint32(t[j+2])<<16 | uint32(t[j+3])<<24
}

// pairs is the number of (column, value) pairs of a tuple.
func pairs(t string) int {
	if len(t) < 4 {
		return 0
	}
	return (len(t)/4 - 1) / 2
}

// column is the name and value text of the row's i-th column (sorted by name).
func (r InsightRow) column(t string, i int) (name, raw string) {
	return r.st.names.str(tupleWord(t, 1+2*i)), r.st.values.str(tupleWord(t, 2+2*i))
}

// KeepColumns drops every column but these (system_id and collection_time always stay). The
// client does this as it decodes (ListOptions.Columns); this is for a row already made, such as
// the full row of a page whose rows are also written out whole. The row is renumbered in the
// store of the rows its listing keeps, so its page's store, with every value of the full rows,
// goes with the page. Call it for the rows of one listing from one goroutine at a time (as the
// pages are handed over), not while other goroutines read the rows it keeps.
func (r *InsightRow) KeepColumns(names []string) {
	if r.st == nil {
		return
	}
	to := r.st.kept
	if to == nil {
		to = r.st
	}
	t := r.tuple()
	words := []uint32{0}
	if u := r.unparsedJSON(); u != "" {
		words[0] = to.unparsed.internString(u) + 1
	}
	for i := range pairs(t) {
		if name, raw := r.column(t, i); slices.Contains(names, name) {
			words = append(words, to.names.internString(name), to.values.internString(raw))
		}
	}
	*r = InsightRow{st: to, key: r.key, cols: to.tuples.intern(tupleBytes(nil, words))}
}

// ColumnNames lists the row's columns other than system_id and collection_time, sorted.
func (r InsightRow) ColumnNames() []string {
	t := r.tuple()
	out := make([]string, pairs(t))
	for i := range out {
		out[i], _ = r.column(t, i)
	}
	return out
}

func (r InsightRow) MarshalJSON() ([]byte, error) { return r.appendJSON(nil), nil }

// appendJSON appends the row's JSON (MarshalJSON) to b. A row's few members are sorted on the
// stack, so comparing two rows by their JSON (CompareInsightRows) allocates nothing.
func (r InsightRow) appendJSON(b []byte) []byte {
	// The keys in the order encoding/json writes a map's: sorted by bytes.
	type member struct {
		name, raw string
		quote     bool // raw is a string to write as JSON
	}
	t := r.tuple()
	unparsed := r.unparsedJSON()
	var stack [24]member
	members := stack[:0]
	for i := range pairs(t) {
		name, raw := r.column(t, i)
		if name == "unparsed" && unparsed != "" {
			continue // the row's own unparsed list takes the name, as it did in the map
		}
		members = append(members, member{name: name, raw: raw})
	}
	members = append(members, member{"system_id", r.SystemID(), true}, member{"collection_time", r.CollectionTime(), true})
	if unparsed != "" {
		members = append(members, member{name: "unparsed", raw: unparsed})
	}
	slices.SortFunc(members, func(a, b member) int { return strings.Compare(a.name, b.name) })
	b = append(b, '{')
	for i, m := range members {
		if i > 0 {
			b = append(b, ',')
		}
		b = AppendJSONString(b, m.name)
		b = append(b, ':')
		if m.quote {
			b = AppendJSONString(b, m.raw)
		} else {
			b = append(b, m.raw...)
		}
	}
	return append(b, '}')
}

// AppendJSONString appends s as encoding/json writes a string: as it is between quotes when
// it needs no escape (plainJSONText), else through json.Marshal. Most texts need none, so this
// skips json.Marshal's allocation and reflection for them.
func AppendJSONString(b []byte, s string) []byte {
	if !plainJSONText(s) {
		q, _ := json.Marshal(s) // a string: cannot fail
		return append(b, q...)
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// plainJSONText reports whether encoding/json writes the string s as it is, between quotes:
// printable ASCII without the characters it escapes (", \, <, >, &).
func plainJSONText[S string | []byte](s S) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
	}
	return true
}

// CompareInsightRows orders rows as a snapshot lists them: by system id, then collection time,
// then content (MarshalJSON, whose keys are sorted), for the several rows a device may have in
// one table (one per volume, per policy key).
func CompareInsightRows(a, b InsightRow) int {
	if !(a.st != nil && b.st != nil && a.st.keys == b.st.keys && a.key == b.key) {
		if c := strings.Compare(a.SystemID(), b.SystemID()); c != 0 {
			return c
		}
		if c := strings.Compare(a.CollectionTime(), b.CollectionTime()); c != 0 {
			return c
		}
	}
	if a.st == b.st && a.cols == b.cols {
		return 0 // the same tuple, id and time: the same JSON
	}
	var bufA, bufB [512]byte
	return bytes.Compare(a.appendJSON(bufA[:0]), b.appendJSON(bufB[:0]))
}

// value is the text of a column ("" when the row has none).
func (r InsightRow) value(col string) string {
	t := r.tuple()
	for i := range pairs(t) {
		if name, raw := r.column(t, i); name == col {
			return raw
		}
	}
	return ""
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

// share returns the one shared copy of s (record fields a fleet repeats: share.go).
func share(s string) string { return unique.Make(s).Value() }

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
		return plainJSONText(raw[1 : len(raw)-1])
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
