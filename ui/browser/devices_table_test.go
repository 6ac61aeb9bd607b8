package browser

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"jcconnect/evidence"
)

// filterSearch (one pass over the rows' shared text) must keep exactly the rows filterRows (row
// by row, the definition) keeps, in the same order: for every kind of query, quick filter and
// base, including words that would match across two rows' texts were they not kept apart.
func TestFilterSearchKeepsWhatFilterRowsKeeps(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 1))
	pieces := []string{"ab", "cd", "mac", "book", "win", "-", "1", "é", "straße", "İ", "compliant", "failing", "x y", ""}
	plain := make([]plainRow, 3000)
	for i := range plain {
		var sb strings.Builder
		for range r.IntN(6) {
			sb.WriteString(pieces[r.IntN(len(pieces))])
		}
		plain[i] = plainRow{hay: strings.ToLower(sb.String()), failing: r.IntN(3) == 0, flag: r.IntN(4) == 0,
			group: []string{"", "darwin", "windows"}[r.IntN(3)]}
	}
	// Row 0 ends in "ab" and row 1 starts with "cd": "bc" matches neither.
	plain[0].hay, plain[1].hay = "xxab", "cdxx"
	rows, text := buildPlainRows(plain)
	for i := range rows {
		if text.hay(i) != plain[i].hay {
			t.Fatalf("row %d's filter text changed: %q, was %q", i, text.hay(i), plain[i].hay)
		}
	}
	order := r.Perm(len(rows))
	queries := []string{"", "bc", "ab", "b", "mac", "MAC BOOK", "book mac", "ß", "STRASSE", "straße", "i̇", "x", "x y", "y x",
		"  mac  ", "compliant failing", "zzz", "-", "1 1", "é1", "abcd"}
	for _, q := range queries {
		for _, spec := range []viewSpec{{query: q}, {query: q, failing: true}, {query: q, flag: true, group: "darwin"}, {query: q, group: "windows"}} {
			for _, base := range [][]int{order, order[:len(order)/2], order[:100], nil} {
				got, exp := filterSearch(rows, text, base, spec), filterRows(rows, text, base, spec)
				if !slices.Equal(got, exp) {
					t.Fatalf("%+v over %d rows: %d rows, filterRows keeps %d", spec, len(base), len(got), len(exp))
				}
			}
		}
	}
	if got := filterSearch(rows, text, order, viewSpec{query: "bc"}); slices.Contains(got, 0) || slices.Contains(got, 1) {
		t.Errorf("\"bc\" matched across rows 0 and 1")
	}
}

// A table with no rows, or rows with no text, searches to nothing without failing.
func TestFilterSearchOfEmptyTexts(t *testing.T) {
	for _, plain := range [][]plainRow{nil, {{}, {}, {hay: "a"}}} {
		rows, text := buildPlainRows(plain)
		got := filterSearch(rows, text, allRows(len(rows)), viewSpec{query: "a"})
		if want := filterRows(rows, text, allRows(len(rows)), viewSpec{query: "a"}); !slices.Equal(got, want) {
			t.Errorf("%d rows: %v, want %v", len(rows), got, want)
		}
	}
}

func allRows(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// appendFit, the row drawing's fit without allocations, cuts and pads exactly as fit does.
func TestAppendFitIsFit(t *testing.T) {
	cells := []string{"", "a", "alice-MacBook-Pro-12.local", "macOS 14.5", "never", "12d ago", "x~y z", "é", "日本語のホスト名",
		"tab\there", "\x1b[31mred", "DESKTOP-AB12CDE", strings.Repeat("w", 100), "…"}
	for _, c := range cells {
		for w := -1; w <= 110; w++ {
			if got, want := string(appendFit([]byte("> "), c, w)), "> "+fit(c, w); got != want {
				t.Fatalf("appendFit(%q, %d) = %q, fit gives %q", c, w, got, want)
			}
		}
	}
}

// sortRows orders as a stable sort of the rows by the column would (ties in the snapshot's
// order, also when descending), on a column full of ties.
func TestSortRowsIsTheStableSort(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 2))
	plain := make([]plainRow, 5000)
	for i := range plain {
		plain[i].keys = []string{statusKey([]evidence.Status{evidence.Pass, evidence.Fail, evidence.Unknown}[r.IntN(3)]),
			strings.Repeat("a", r.IntN(40))}
	}
	rows, text := buildPlainRows(plain)
	for col := range 2 {
		for _, desc := range []bool{false, true} {
			want := allRows(len(rows))
			slices.SortStableFunc(want, func(a, b int) int {
				if desc {
					return strings.Compare(plain[b].keys[col], plain[a].keys[col])
				}
				return strings.Compare(plain[a].keys[col], plain[b].keys[col])
			})
			if got := sortRows(rows, text, col, desc); !slices.Equal(got, want) {
				t.Errorf("column %d, descending %v: not the stable sort's order", col, desc)
			}
		}
	}
}
