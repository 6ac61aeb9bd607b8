package browser

import (
	"math/bits"
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"jcconnect/evidence"
)

// The browser's table engine, shared by the device and the user screens. It is hand-made rather
// than bubbles/table because the browser holds tens of thousands of rows: rows are built once
// (text cleaned, sort keys and a lower-cased filter haystack precomputed), filtering and sorting
// produce index slices off the UI goroutine, and View draws only the rows in the window.

// column is one table column. Every column has a minimum width, at least its title and the
// sort arrow (so a sorted "FDE" never shows as "FD…"), and a share of the width left over:
// spare room goes to the text columns by share, up to each one's maximum, not all to the name.
type column struct {
	title    string
	min      int  // narrowest width; layout never goes below it (nor below the title + arrow)
	share    int  // weight in the spare width (0: stays at min)
	max      int  // widest it grows by share (0: no limit)
	flex     bool // the name column: never dropped, takes what the others cannot use
	check    bool // cells are evidence.Status values drawn as glyphs
	priority int  // columns with the highest priority number are dropped first when narrow
	help     string
}

// minWidth is the column's minimum with room for its title and the sort arrow.
func (c column) minWidth() int { return max(c.min, ansi.StringWidth(c.title)+1) }

// tableRow is one device or user, ready to draw and to filter. It holds no pointer: its strings
// are spans of the table's text (rowText), read by its methods (cell, key, idOf, ...).
type tableRow struct {
	id       span   // the device's or user's id
	group    span   // OS family for devices, state for users
	overall  span   // overall status (evidence.Status)
	first    uint32 // the row's cells (display text per column; check columns: the status) in rowText.spans,
	ncells   uint16 // and as many sort keys after them
	failing  bool   // overall fail
	flag     bool   // the screen's own quick filter: stale device, user without MFA
	index    int    // position in the report slice, for the detail pane
	checkCol int    // first check column, to draw glyphs
}

// viewSpec is what decides the visible rows: the filter text, quick filters and the sort.
type viewSpec struct {
	query   string
	failing bool
	flag    bool
	group   string // "" = every group
	sortCol int
	desc    bool
}

func (v viewSpec) sameSort(o viewSpec) bool { return v.sortCol == o.sortCol && v.desc == o.desc }

// sortRows returns row indices ordered by one column (ties keep the snapshot's order, which is by
// id, so the order is total and stable). The column's keys are gathered first, side by side (no
// hop through each row's keys slice per comparison), and ties are broken by index, which makes
// the order total: an unstable sort then gives the stable sort's order, without its
// O(n log² n) merging (a 50k-row sort cost ~140 ms).
func sortRows(rows []tableRow, text *rowText, col int, desc bool) []int {
	keys := make([]string, len(rows))
	order := make([]int, len(rows))
	for i := range rows {
		keys[i], order[i] = rows[i].key(text, col), i
	}
	slices.SortFunc(order, func(a, b int) int {
		c := strings.Compare(keys[a], keys[b])
		if desc {
			c = -c
		}
		if c == 0 {
			c = a - b
		}
		return c
	})
	return order
}

// filterRows keeps the rows of order that match spec, in order. Every space-separated word of
// the query must appear in the row's text (case-insensitive).
func filterRows(rows []tableRow, text *rowText, order []int, spec viewSpec) []int {
	words := strings.Fields(strings.ToLower(spec.query))
	if len(words) == 0 && !spec.failing && !spec.flag && spec.group == "" {
		return order
	}
	out := make([]int, 0, len(order)/2)
	for _, i := range order {
		if rowMatches(&rows[i], text.hay(i), text, words, spec) {
			out = append(out, i)
		}
	}
	return out
}

// markWord sets in marks the rows whose text contains word: one pass of strings.Index over the
// whole text, going on from the next row after each row's first match.
func (s *rowText) markWord(word string, marks rowSet) {
	pos, r := 0, 0
	for pos < len(s.search) {
		k := strings.Index(s.search[pos:], word)
		if k < 0 {
			return
		}
		p := pos + k
		for int(s.ends[r]) < p { // the row p falls in
			r++
		}
		if p+len(word) <= int(s.ends[r]) { // never false: a word holds no newline, the rows' ends
			marks.add(r)
		}
		pos = int(s.ends[r]) + 1
		r++
	}
}

// rowSet is a set of row indexes, one bit per row.
type rowSet []uint64

func newRowSet(n int) rowSet    { return make(rowSet, (n+63)/64) }
func (s rowSet) add(i int)      { s[i/64] |= 1 << (i % 64) }
func (s rowSet) del(i int)      { s[i/64] &^= 1 << (i % 64) }
func (s rowSet) has(i int) bool { return s[i/64]&(1<<(i%64)) != 0 }
func (s rowSet) count() (n int) {
	for _, w := range s {
		n += bits.OnesCount64(w)
	}
	return n
}

// each calls f for every row in the set, in index order.
func (s rowSet) each(f func(i int)) {
	for k, w := range s {
		for w != 0 {
			f(k*64 + bits.TrailingZeros64(w))
			w &= w - 1
		}
	}
}

// filterSearch is filterRows (the definition: it gives exactly the same rows, in the same order)
// made fast for a large table. base is the rows to keep from, in the order to keep them: every
// row sorted (t.order) or, when the query only got longer, what the shorter query showed. A base
// of most rows is searched in one pass over the shared text (rowText.markWord) for the query's
// first word, the other words and the quick filters then looked at only in the rows it matched,
// in row order; a small base is searched row by row, as filterRows does.
func filterSearch(rows []tableRow, text *rowText, base []int, spec viewSpec) []int {
	words := strings.Fields(strings.ToLower(spec.query))
	if len(words) == 0 && !spec.failing && !spec.flag && spec.group == "" {
		return base
	}
	if text == nil || len(base) < len(rows)/4 { // nil: no rows yet (the first collection is running)
		return filterRows(rows, text, base, spec)
	}
	marks := newRowSet(len(rows))
	if len(words) > 0 {
		text.markWord(words[0], marks)
		words = words[1:]
	} else {
		for i := range rows {
			marks.add(i)
		}
	}
	marks.each(func(i int) {
		if !rowMatches(&rows[i], text.hay(i), text, words, spec) {
			marks.del(i)
		}
	})
	out := make([]int, 0, min(marks.count(), len(base)))
	for _, i := range base {
		if marks.has(i) {
			out = append(out, i)
		}
	}
	return out
}

// rowMatches: the row, whose filter text is hay, passes the quick filters and holds every word.
func rowMatches(r *tableRow, hay string, text *rowText, words []string, spec viewSpec) bool {
	if (spec.failing && !r.failing) || (spec.flag && !r.flag) || (spec.group != "" && r.groupOf(text) != spec.group) {
		return false
	}
	for _, w := range words {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

// statusKey sorts failures first, then unknown, pass and not applicable.
func statusKey(s evidence.Status) string {
	switch s {
	case evidence.Fail:
		return "0"
	case evidence.Unknown, evidence.Reading: // both undecided
		return "1"
	case evidence.Pass:
		return "2"
	}
	return "3"
}

// layout decides which columns fit in width and how wide each is: columns are dropped, least
// important first, until their minimums fit; the spare width is then shared by the columns'
// shares (each up to its max), and what none of them can take goes to the flex column.
// want (per column, the widest cell; nil when unknown) caps the growth, and keep (the sorted
// column) is never dropped.
func layout(cols []column, width int, want []int, keep int) (visible []int, widths []int) {
	limit := func(i int) int { // how wide column i may grow by its share; 0 is no limit
		m := cols[i].max
		if i < len(want) && want[i] > 0 {
			w := max(want[i], cols[i].minWidth())
			if m == 0 || w < m {
				m = w
			}
		}
		return m
	}
	visible = make([]int, 0, len(cols))
	for i := range cols {
		visible = append(visible, i)
	}
	need := func(vis []int) int {
		n := 2 // cursor marker
		for _, i := range vis {
			n += cols[i].minWidth() + 1
		}
		return n
	}
	for need(visible) > width && len(visible) > 1 {
		// Drop the visible column with the highest priority number (the least important).
		worst := -1
		for k, i := range visible {
			if cols[i].flex || i == keep {
				continue
			}
			if worst < 0 || cols[i].priority > cols[visible[worst]].priority {
				worst = k
			}
		}
		if worst < 0 {
			break
		}
		visible = append(visible[:worst], visible[worst+1:]...)
	}
	widths = make([]int, len(cols))
	for _, i := range visible {
		widths[i] = cols[i].minWidth()
	}
	spare := width - need(visible)
	// Share out the spare width in rounds: a column at its max drops out, its part is shared again.
	for spare > 0 {
		total := 0
		for _, i := range visible {
			if cols[i].share > 0 && (limit(i) == 0 || widths[i] < limit(i)) {
				total += cols[i].share
			}
		}
		if total == 0 {
			break
		}
		given := 0
		for _, i := range visible {
			c := cols[i]
			if c.share == 0 || (limit(i) > 0 && widths[i] >= limit(i)) {
				continue
			}
			add := max(spare*c.share/total, 1)
			if l := limit(i); l > 0 {
				add = min(add, l-widths[i])
			}
			add = min(add, spare-given)
			widths[i] += add
			given += add
			if given == spare {
				break
			}
		}
		spare -= given
		if given == 0 {
			break
		}
	}
	for _, i := range visible {
		if cols[i].flex && spare > 0 {
			widths[i] += spare
		}
	}
	return visible, widths
}

// cellWidths is, per column, the widest cell of rows (check columns draw one glyph).
func cellWidths(rows []tableRow, text *rowText, ncols int) []int {
	w := make([]int, ncols)
	for r := range rows {
		cells := text.spans[rows[r].first : rows[r].first+uint32(rows[r].ncells)]
		for i, c := range cells {
			if i < ncols && int(c.end-c.start) > w[i] { // bytes bound cells first: StringWidth only when it may grow
				w[i] = max(w[i], ansi.StringWidth(text.str(c)))
			}
		}
	}
	return w
}

// fit pads or truncates plain text to exactly w cells.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if ansi.StringWidth(s) > w {
		s = ansi.Truncate(s, w, "…")
	}
	if pad := w - ansi.StringWidth(s); pad > 0 {
		s += strings.Repeat(" ", pad)
	}
	return s
}

// clip truncates text (styled or not) to w cells without padding.
func clip(s string, w int) string {
	if ansi.StringWidth(s) > w {
		return ansi.Truncate(s, max(w, 0), "…")
	}
	return s
}

// appendRowLine appends one row of the table, in the columns layout chose, to the screen being
// drawn (tableView): no padding strings, no fitted copies of cells, no string per row.
func (b *Browser) appendRowLine(line []byte, text *rowText, r *tableRow, selected bool, visible, widths []int) []byte {
	if selected {
		line = b.appendSelected(line, "›", 0)
		line = append(line, ' ')
	} else {
		line = append(line, "  "...)
	}
	last := r.cells() - 1
	for k, i := range visible {
		if k > 0 {
			line = append(line, ' ')
		}
		switch {
		case i >= r.checkCol && i < last:
			line = append(line, b.glyph(evidence.Status(r.cell(text, i)))...)
			line = appendSpaces(line, widths[i]-1)
		case i == last:
			line = append(line, b.statusCell(r.overallOf(text), widths[i])...)
		case selected && i == 0:
			line = b.appendSelected(line, r.cell(text, i), widths[i])
		default:
			line = appendFit(line, r.cell(text, i), widths[i])
		}
	}
	return line
}

// appendFit appends fit(s, w). Cells are mostly printable ASCII, one cell per byte: those are
// cut or padded here without measuring; anything else goes through fit.
func appendFit(dst []byte, s string, w int) []byte {
	if w <= 0 {
		return dst
	}
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] > '~' {
			return append(dst, fit(s, w)...)
		}
	}
	if len(s) > w {
		return append(append(dst, s[:w-1]...), "…"...)
	}
	return appendSpaces(append(dst, s...), w-len(s))
}

const spaces = "                                                                "

// appendSpaces appends n spaces (none when n <= 0).
func appendSpaces(dst []byte, n int) []byte {
	for n > 0 {
		k := min(n, len(spaces))
		dst = append(dst, spaces[:k]...)
		n -= k
	}
	return dst
}
