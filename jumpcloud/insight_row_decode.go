package jumpcloud

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"sync"
)

// Decoding a System Insights row goes straight from the record's JSON to its numbers: the
// record is read whole into a reused buffer, its members walked in place (memberScanner), each
// kept column's name and value looked up in the table's pools, and the row's tuple numbered.
// Nothing of the record outlives its decoding unless a value is new to the table; a page is a
// list of 16-byte rows.

// record decodes the row at dec's position (a recordDecoder).
func (st *insightStore) record(dec *json.Decoder, _ *pageBody) (InsightRow, error) {
	buf := recordBufs.Get().(*json.RawMessage)
	defer putRecordBuf(buf)
	*buf = (*buf)[:0]
	if err := dec.Decode(buf); err != nil {
		return InsightRow{}, err
	}
	return st.row(*buf), nil
}

var recordBufs = sync.Pool{New: func() any { return new(json.RawMessage) }}

// putRecordBuf returns a buffer to the pool unless one odd record made it large.
func putRecordBuf(buf *json.RawMessage) {
	if cap(*buf) <= 64<<10 {
		recordBufs.Put(buf)
	}
}

// colPair is a column's name and value numbers.
type colPair struct{ name, value uint32 }

// row makes the row of one JSON object (checked by encoding/json already).
func (st *insightStore) row(obj []byte) InsightRow {
	var (
		stack        [16]colPair
		cols         = stack[:0]
		sysRaw, tRaw []byte
	)
	sc := newMemberScanner(obj)
	for {
		key, val, ok := sc.next()
		if !ok {
			break
		}
		name := memberName(key)
		switch string(name) {
		case "system_id": // a repeated key: the last one counts, as in a decoded map
			sysRaw = val
			continue
		case "collection_time":
			tRaw = val
			continue
		}
		if st.keep != nil && !containsText(st.keep, name) {
			continue
		}
		p := colPair{st.names.intern(name), st.values.intern(canonicalValue(val))}
		if i := slices.IndexFunc(cols, func(c colPair) bool { return c.name == p.name }); i >= 0 {
			cols[i] = p
		} else {
			cols = append(cols, p)
		}
	}
	var unparsed []UnparsedField
	r := InsightRow{st: st}
	r.key = st.keys.number(rowKey("system_id", sysRaw, &unparsed), rowKey("collection_time", tRaw, &unparsed))
	slices.SortFunc(cols, func(a, b colPair) int { return strings.Compare(st.names.str(a.name), st.names.str(b.name)) })

	var words [1 + 2*len(stack)]uint32
	w := append(words[:0], 0)
	if len(unparsed) > 0 {
		text, _ := json.Marshal(unparsed) // strings only: cannot fail
		w[0] = st.unparsed.intern(text) + 1
	}
	for _, c := range cols {
		w = append(w, c.name, c.value)
	}
	var tb [4 * len(words)]byte
	r.cols = st.tuples.intern(tupleBytes(tb[:0], w))
	return r
}

// tupleBytes appends the words as little-endian uint32s.
func tupleBytes(b []byte, words []uint32) []byte {
	for _, x := range words {
		b = append(b, byte(x), byte(x>>8), byte(x>>16), byte(x>>24))
	}
	return b
}

// rowKey is system_id or collection_time as the row holds it: a string as itself, null or
// absent as "", anything else as "" with the value recorded as unparsed.
func rowKey(name string, raw []byte, unparsed *[]UnparsedField) []byte {
	switch {
	case raw == nil || string(raw) == "null":
	case raw[0] == '"' && plainJSONValue(raw):
		return raw[1 : len(raw)-1]
	case raw[0] == '"':
		return []byte(jsonString(raw))
	default:
		*unparsed = append(*unparsed, unparsedField(name, []byte(canonicalJSON(raw))))
	}
	return nil
}

// canonicalValue is canonicalJSON without a copy for the values that already are.
func canonicalValue(raw []byte) []byte {
	if plainJSONValue(raw) {
		return raw
	}
	return []byte(canonicalJSON(raw))
}

func containsText(list []string, b []byte) bool {
	for _, s := range list {
		if s == string(b) {
			return true
		}
	}
	return false
}

// decodePage decodes one page of a System Insights list into rows of st: by the lean decoder
// (decode_lean.go), or when it is not sure of the page, record by record through encoding/json,
// into a store emptied of what the lean pass numbered.
func (st *insightStore) decodePage(body *pageBody) ([]InsightRow, int, error) {
	defer st.seal()
	if rows, total, ok := leanList(body, st.leanRow); ok {
		return rows, total, nil
	}
	*st = insightStore{keys: st.keys, keep: st.keep, kept: st.kept}
	return decodeShape(body, st.record, true)
}

// leanRow makes the row of one record scanValue checked.
func (st *insightStore) leanRow(obj []byte) (InsightRow, bool) { return st.row(obj), true }

// insightListing is what the pages of one System Insights listing share: the keys, the columns
// kept as the rows are decoded, and the store KeepColumns renumbers the listing's rows into.
type insightListing struct {
	keys    *InsightKeys
	ownKeys bool // not shared: sealed with the listing
	keep    []string
	kept    *insightStore
}

func newInsightListing(opt ListOptions) *insightListing {
	l := &insightListing{keys: opt.InsightKeys, keep: opt.Columns}
	if l.keys == nil {
		l.keys, l.ownKeys = NewInsightKeys(), true
	}
	l.kept = newInsightStore(l.keys, nil)
	return l
}

// decodePage decodes one page into a store of its own.
func (l *insightListing) decodePage(body *pageBody) ([]InsightRow, int, error) {
	return (&insightStore{keys: l.keys, keep: l.keep, kept: l.kept}).decodePage(body)
}

// seal ends the listing: no more rows are kept.
func (l *insightListing) seal() {
	l.kept.seal()
	if l.ownKeys {
		l.keys.Seal()
	}
}

// listInsights lists a System Insights table, its system ids and collection times numbered in
// opt.InsightKeys.
func listInsights(ctx context.Context, c *Client, spec listSpec, opt ListOptions) ([]InsightRow, error) {
	spec.insights = newInsightListing(opt)
	defer spec.insights.seal()
	return listAll[InsightRow](ctx, c, spec, opt)
}

// listInsightPages is listInsights, page by page.
func listInsightPages(ctx context.Context, c *Client, spec listSpec, opt ListOptions, each PageFunc[InsightRow]) error {
	spec.insights = newInsightListing(opt)
	defer spec.insights.seal()
	return listPages(ctx, c, spec, opt, each)
}
