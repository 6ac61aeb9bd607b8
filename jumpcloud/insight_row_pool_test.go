package jumpcloud

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

// Numbers are handed out in order and read back across chunk boundaries, before and after the
// pool is sealed; interning again after seal finds the old numbers.
func TestInternPoolNumbersInOrder(t *testing.T) {
	var p internPool
	const n = 5000
	for i := range n {
		if id := p.intern([]byte(fmt.Sprint("v", i))); id != uint32(i) {
			t.Fatalf("v%d numbered %d", i, id)
		}
	}
	if id := p.internString("v17"); id != 17 {
		t.Fatalf("v17 again: %d", id)
	}
	p.seal()
	for i := range n {
		if got := p.str(uint32(i)); got != fmt.Sprint("v", i) {
			t.Fatalf("str(%d) = %q", i, got)
		}
	}
	if id := p.intern([]byte("v4999")); id != 4999 {
		t.Fatalf("after seal, v4999 numbered %d", id)
	}
	if id := p.intern([]byte("new")); id != n {
		t.Fatalf("after seal, a new string numbered %d", id)
	}
	for _, c := range []struct {
		id    uint32
		chunk int
		off   uint32
	}{{0, 0, 0}, {7, 0, 7}, {8, 1, 0}, {23, 1, 15}, {24, 2, 0}, {1<<32 - 1 - 8, 28, 1<<31 - 1}} {
		if chunk, off := chunkOf(c.id); chunk != c.chunk || off != c.off {
			t.Errorf("chunkOf(%d) = %d, %d; want %d, %d", c.id, chunk, off, c.chunk, c.off)
		}
	}
}

// Rows of a finished table are read while other tables still number keys in the shared pool
// (go test -race is what this test is for).
func TestInternPoolReadWhileInterning(t *testing.T) {
	var p internPool
	first := p.internString("first")
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 3000 {
				p.intern([]byte(fmt.Sprint(w, "-", i%1000)))
				if p.str(first) != "first" {
					t.Error("a stored string changed")
					return
				}
			}
		})
	}
	wg.Wait()
	if p.n != 4*1000+1 {
		t.Errorf("%d strings numbered, want %d", p.n, 4*1000+1)
	}
}

// A fleet's rows share their pools: a page of devices that send the same values holds one tuple,
// and rows with the same content are equal Go values (the pager compares pages by value).
func TestInsightRowsShareTheirTable(t *testing.T) {
	var page strings.Builder
	page.WriteString("[")
	for i := range 1000 {
		if i > 0 {
			page.WriteString(",")
		}
		fmt.Fprintf(&page, `{"system_id":"dev%d","collection_time":"2026-08-01T09:00:00Z","global_state":%d,"version":"1.6","uuid":"%08d"}`, i%500, i%2, i)
	}
	page.WriteString("]")
	keys := NewInsightKeys()
	st := newInsightStore(keys, []string{"global_state", "version"})
	rows, _, err := st.decodePage(chunked([]byte(page.String()), 512))
	if err != nil || len(rows) != 1000 {
		t.Fatalf("%d rows: %v", len(rows), err)
	}
	if st.tuples.n != 2 || st.values.n != 3 || keys.ids.n != 500 || keys.times.n != 1 {
		t.Errorf("numbered %d tuples, %d values, %d ids, %d times; want 2, 3, 500, 1",
			st.tuples.n, st.values.n, keys.ids.n, keys.times.n)
	}
	if rows[0] != rows[1000-500] || rows[0] == rows[1] {
		t.Error("rows with the same content differ, or rows that differ are equal")
	}

	// Columns dropped as the page is decoded read as a whole row trimmed afterwards.
	all, _, err := newInsightStore(nil, nil).decodePage(chunked([]byte(page.String()), 512))
	if err != nil {
		t.Fatal(err)
	}
	for i := range rows {
		whole := all[i]
		whole.KeepColumns(st.keep)
		a, _ := rows[i].MarshalJSON()
		b, _ := whole.MarshalJSON()
		if string(a) != string(b) {
			t.Fatalf("row %d: kept as decoded %s, trimmed after %s", i, a, b)
		}
	}
}
