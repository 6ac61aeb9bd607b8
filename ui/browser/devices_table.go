package browser

import (
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

// tableRow is one device or user, ready to draw and to filter.
type tableRow struct {
	id       string
	cells    []string // cleaned display text per column (check columns: the status)
	keys     []string // sort key per column
	hay      string   // lower-cased text the `/` filter searches
	failing  bool     // overall fail
	flag     bool     // the screen's own quick filter: stale device, user without MFA
	group    string   // OS family for devices, state for users
	index    int      // position in the report slice, for the detail pane
	overall  evidence.Status
	checkCol int // first check column, to draw glyphs
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
// id, so the order is total and stable).
func sortRows(rows []tableRow, col int, desc bool) []int {
	order := make([]int, len(rows))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		c := strings.Compare(rows[a].keys[col], rows[b].keys[col])
		if desc {
			c = -c
		}
		return c
	})
	return order
}

// filterRows keeps the rows of order that match spec, in order. Every space-separated word of
// the query must appear in the row's text (case-insensitive).
func filterRows(rows []tableRow, order []int, spec viewSpec) []int {
	words := strings.Fields(strings.ToLower(spec.query))
	if len(words) == 0 && !spec.failing && !spec.flag && spec.group == "" {
		return order
	}
	out := make([]int, 0, len(order)/2)
next:
	for _, i := range order {
		r := &rows[i]
		if (spec.failing && !r.failing) || (spec.flag && !r.flag) || (spec.group != "" && r.group != spec.group) {
			continue
		}
		for _, w := range words {
			if !strings.Contains(r.hay, w) {
				continue next
			}
		}
		out = append(out, i)
	}
	return out
}

// statusKey sorts failures first, then unknown, pass and not applicable.
func statusKey(s evidence.Status) string {
	switch s {
	case evidence.Fail:
		return "0"
	case evidence.Unknown:
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
func cellWidths(rows []tableRow, ncols int) []int {
	w := make([]int, ncols)
	for r := range rows {
		for i, c := range rows[r].cells {
			if i < ncols && len(c) > w[i] { // bytes bound cells first: StringWidth only when it may grow
				w[i] = max(w[i], ansi.StringWidth(c))
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
