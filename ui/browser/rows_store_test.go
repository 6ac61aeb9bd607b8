package browser

import (
	"slices"
	"testing"
)

// The store's rows read exactly what was put in them: lower-cased keys (ASCII, other scripts,
// already lower), made and shared strings; a row given more than its width copies rather than
// writing over the next row.
func TestRowStoreKeepsEachRowsStrings(t *testing.T) {
	s := newRowStore(3, 2)
	var cells, keys [3][]string
	for i, in := range [][2]string{{"MacBook-Pro", "Élodie"}, {"host-2", "ünïcode ÄÖ"}, {"HOST-3", "x"}} {
		cells[i], keys[i] = s.row(2)
		cells[i] = append(cells[i], in[0], s.shared(in[1]))
		keys[i] = s.lower(keys[i], in[0])
		keys[i] = s.madeBytes(keys[i], []byte(in[1]+"!"))
	}
	cells[0] = append(cells[0], "beyond") // more than the width given
	if a, b := s.shared("Mac"+"OS"), s.shared("MacOS"); a != "MacOS" || b != "MacOS" {
		t.Errorf("shared: %q, %q", a, b)
	}
	s.done()
	want := [][]string{{"MacBook-Pro", "Élodie", "beyond"}, {"host-2", "ünïcode ÄÖ"}, {"HOST-3", "x"}}
	wantKeys := [][]string{{"macbook-pro", "Élodie!"}, {"host-2", "ünïcode ÄÖ!"}, {"host-3", "x!"}}
	for i := range cells {
		if !slices.Equal(cells[i], want[i]) || !slices.Equal(keys[i], wantKeys[i]) {
			t.Errorf("row %d: cells %q keys %q, want %q and %q", i, cells[i], keys[i], want[i], wantKeys[i])
		}
	}
}

// Rows past the number the store was made for go on in a new block.
func TestRowStoreGrows(t *testing.T) {
	s := newRowStore(1, 1)
	var all [][]string
	for i := range 5 {
		c, _ := s.row(1)
		all = append(all, append(c, string(rune('a'+i))))
	}
	s.done()
	for i, c := range all {
		if len(c) != 1 || c[0] != string(rune('a'+i)) {
			t.Errorf("row %d: %q", i, c)
		}
	}
}
