package browser

import (
	"math"
	"strings"
	"unicode/utf8"

	"jcconnect/evidence"
)

// A table's rows hold no pointer for the garbage collector to follow. Every string of the rows
// (cells, sort keys, ids, groups, filter texts) is a span of one text per table (rowText), and a
// row (tableRow) is numbers only: its arrays are noscan memory, marked as a handful of objects
// whatever the number of rows. At 50,000 devices the rows' string headers were 1.3 million
// pointers, marked again by every collection while the browser is open (issue 13: a key press
// waits while a collection marks). Reading a span is a substring: no allocation.

// span is a string's place in a table's text.
type span struct{ start, end uint32 }

// rowText is one table's text, which its rows' spans are offsets into.
type rowText struct {
	all   string // the cells', keys', ids' and groups' texts, then every row's filter text
	spans []span // every row's cells then its keys (tableRow.first, tableRow.ncells)
	// search is the rows' filter texts (the end of all), row after row, each ended by a newline
	// (which no query word holds: words are split at white space). A search reads this
	// contiguous memory once, instead of 50,000 strings visited in the sort's order, which made a
	// keystroke that widens the filter cost 10–17 ms of CPU at 50k devices.
	search string
	ends   []uint32 // row i's filter text ends at ends[i] in search (exclusive; hay reads it)
}

func (t *rowText) str(s span) string { return t.all[s.start:s.end] }

// cell is the row's display text of column c (check columns: the status); "" for a column the
// row has no cell in (never another row's).
func (r *tableRow) cell(t *rowText, c int) string {
	if uint(c) >= uint(r.ncells) {
		return ""
	}
	return t.str(t.spans[int(r.first)+c])
}

// key is the row's sort key of column c ("" for a column the row has no cell in).
func (r *tableRow) key(t *rowText, c int) string {
	if uint(c) >= uint(r.ncells) {
		return ""
	}
	return t.str(t.spans[int(r.first)+int(r.ncells)+c])
}

// cells is how many cells the row has.
func (r *tableRow) cells() int { return int(r.ncells) }

// idOf is the row's device or user id.
func (r *tableRow) idOf(t *rowText) string { return t.str(r.id) }

// groupOf is the row's OS family (devices) or state (users).
func (r *tableRow) groupOf(t *rowText) string { return t.str(r.group) }

// hay is row i's lower-cased filter text: what lies between the previous row's end and its
// own. Row i of a table and its filter text are the same row by construction (rowBuilder.endRow
// takes them together), so the `/` filter's one pass over search (markWord) and a row's own
// text agree on which row a match is in.
func (t *rowText) hay(i int) string {
	start := 0
	if i > 0 {
		start = int(t.ends[i-1]) + 1 // past the previous row's newline
	}
	return t.search[start:t.ends[i]]
}

// overallOf is the row's overall status.
func (r *tableRow) overallOf(t *rowText) evidence.Status { return evidence.Status(t.str(r.overall)) }

// rowBuilder puts a table's rows together: the texts in one buffer, the filter texts in another,
// the spans side by side. Strings many rows share (a status, an age, an OS and version) are
// written once.
type rowBuilder struct {
	rows   []tableRow
	text   []byte // cells, keys, ids, groups
	search []byte // filter texts, each ended by a newline
	spans  []span
	ends   []uint32 // ends[i] is rows[i]'s filter text's end: both are appended by endRow only
	cells  []span   // the row being built
	keys   []span
	seen   map[string]span
}

// newRowBuilder has room for rows rows of width cells and as many keys.
func newRowBuilder(rows, width int) *rowBuilder {
	return &rowBuilder{rows: make([]tableRow, 0, rows), spans: make([]span, 0, rows*width*2),
		ends: make([]uint32, 0, rows), seen: map[string]span{}}
}

// reserve makes room for about text bytes of texts and search bytes of filter texts, worked out
// from the report by the caller: the buffers then grow once, not by doubling through every size.
func (b *rowBuilder) reserve(text, search int) {
	b.text, b.search = make([]byte, 0, text), make([]byte, 0, search)
}

// str keeps s in the text.
func (b *rowBuilder) str(s string) span {
	start := len(b.text)
	b.text = append(b.text, s...)
	return b.spanFrom(start)
}

// bytes keeps p in the text (a string put together in a buffer of the caller's).
func (b *rowBuilder) bytes(p []byte) span {
	start := len(b.text)
	b.text = append(b.text, p...)
	return b.spanFrom(start)
}

// shared keeps s in the text once for every row that has it.
func (b *rowBuilder) shared(s string) span {
	if sp, ok := b.seen[s]; ok {
		return sp
	}
	sp := b.str(s)
	b.seen[s] = sp
	return sp
}

// lower is strings.ToLower(s), where at is s in the text: at itself when s is already lower
// case, else the lower-cased text kept (lower-cased straight into the text).
func (b *rowBuilder) lower(s string, at span) span {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			start := len(b.text)
			b.text = appendLower(b.text, s)
			return b.spanFrom(start)
		}
	}
	return at
}

// cell and key add to the row being built.
func (b *rowBuilder) cell(s span) { b.cells = append(b.cells, s) }
func (b *rowBuilder) key(s span)  { b.keys = append(b.keys, s) }

// endRow adds r to the table as its next row, with the cells and keys added since the last row
// (as many keys as cells) and its filter text: the words, lower-cased and joined by spaces. A
// row's filter text is given here and nowhere else, so that no path can leave a row without one,
// or give it two, and shift every later row's (the filter would then show other devices than
// those that match).
func (b *rowBuilder) endRow(r tableRow, words ...string) {
	if len(b.keys) != len(b.cells) || len(b.cells) > math.MaxUint16 {
		panic("browser: a row's keys do not match its cells")
	}
	r.first, r.ncells = uint32(len(b.spans)), uint16(len(b.cells))
	b.spans = append(append(b.spans, b.cells...), b.keys...)
	checkTextSize(len(b.spans))
	b.cells, b.keys = b.cells[:0], b.keys[:0]
	b.search = append(appendLowerWords(b.search, words...), '\n')
	checkTextSize(len(b.search))
	b.ends = append(b.ends, uint32(len(b.search)-1)) // the newline is no part of the row's text
	b.rows = append(b.rows, r)
}

// done is the rows, and their text made once: the texts, then the filter texts.
func (b *rowBuilder) done() ([]tableRow, *rowText) {
	var all strings.Builder
	all.Grow(len(b.text) + len(b.search))
	all.Write(b.text)
	all.Write(b.search)
	checkTextSize(all.Len())
	t := &rowText{all: all.String(), spans: b.spans, ends: b.ends}
	t.search = t.all[len(b.text):]
	rows := b.rows
	*b = rowBuilder{}
	return rows, t
}

func (b *rowBuilder) spanFrom(start int) span {
	checkTextSize(len(b.text))
	return span{uint32(start), uint32(len(b.text))}
}

// checkTextSize refuses a table whose text a span cannot reach (4 GB: tens of millions of rows)
// rather than show rows with wrong texts.
func checkTextSize(n int) {
	if n > math.MaxUint32 {
		panic("browser: a table's text is too large for its rows' offsets")
	}
}
