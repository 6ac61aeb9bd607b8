package jumpcloud

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
)

// Numbers are handed out in order and read back, before and after the pool is sealed;
// interning again after seal finds the old numbers.
func TestInternPoolNumbersInOrder(t *testing.T) {
	var p internPool
	var q sharedPool
	const n = 5000
	for i := range n {
		v := fmt.Sprint("v", i)
		if id, qid := p.intern([]byte(v)), q.intern([]byte(v)); id != uint32(i) || qid != uint32(i) {
			t.Fatalf("v%d numbered %d, shared %d", i, id, qid)
		}
	}
	if id, qid := p.internString("v17"), q.intern([]byte("v17")); id != 17 || qid != 17 {
		t.Fatalf("v17 again: %d, shared %d", id, qid)
	}
	p.seal()
	q.ids = nil // InsightKeys.Seal
	for i := range n {
		if got, qgot := p.str(uint32(i)), q.str(uint32(i)); got != fmt.Sprint("v", i) || qgot != got {
			t.Fatalf("str(%d) = %q, shared %q", i, got, qgot)
		}
	}
	if id, qid := p.intern([]byte("v4999")), q.intern([]byte("v4999")); id != 4999 || qid != 4999 {
		t.Fatalf("after seal, v4999 numbered %d, shared %d", id, qid)
	}
	if id, qid := p.intern([]byte("new")), q.intern([]byte("new")); id != n || qid != n {
		t.Fatalf("after seal, a new string numbered %d, shared %d", id, qid)
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

// The rows of a finished table are read while other tables still number keys in the shared
// pool (go test -race is what this test is for).
func TestSharedPoolReadWhileInterning(t *testing.T) {
	k := NewInsightKeys()
	first := k.number([]byte("first"), nil)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 3000 {
				k.number([]byte(fmt.Sprint(w, "-", i%1000)), []byte(fmt.Sprint(i%7)))
				if k.ids.str(k.stamp(first).sys) != "first" {
					t.Error("a stored string changed")
					return
				}
			}
		})
	}
	wg.Wait()
	// i%1000 and i%7 meet in 1000·7/gcd = 7000 > 3000 ways: every (id, time) pair is new.
	if k.ids.n != 4*1000+1 || k.times.n != 7+1 || k.stamps.n != 4*3000+1 {
		t.Errorf("%d ids, %d times, %d pairs numbered, want %d, 8, %d", k.ids.n, k.times.n, k.stamps.n, 4*1000+1, 4*3000+1)
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
	if len(st.tuples.strs) != 2 || len(st.values.strs) != 3 || keys.ids.n != 500 || keys.times.n != 1 || keys.stamps.n != 500 {
		t.Errorf("numbered %d tuples, %d values, %d ids, %d times, %d pairs; want 2, 3, 500, 1, 500",
			len(st.tuples.strs), len(st.values.strs), keys.ids.n, keys.times.n, keys.stamps.n)
	}
	if rows[0] != rows[1000-500] || rows[0] == rows[1] {
		t.Error("rows with the same content differ, or rows that differ are equal")
	}
	// The same page again, decoded into another page's store, is the same page for the pager.
	again, _, _ := (&insightStore{keys: keys, keep: st.keep}).decodePage(chunked([]byte(page.String()), 512))
	other, _, _ := (&insightStore{keys: keys, keep: st.keep}).decodePage(chunked([]byte(strings.Replace(page.String(), "1.6", "1.7", 1)), 512))
	if !reflect.DeepEqual(rows, again) || reflect.DeepEqual(rows, other) {
		t.Error("pages compare by their stores, not by their content")
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

// KeepColumns renumbers a page's full row in the store of the rows its listing keeps: nothing it
// keeps points into the page's store, which goes with the page.
func TestKeepColumnsLetsThePageGo(t *testing.T) {
	l := newInsightListing(ListOptions{})
	rows, _, err := l.decodePage(chunked([]byte(`[{"system_id":"a","collection_time":"t","uuid":"u-1","global_state":1},`+
		`{"system_id":7,"collection_time":"t","uuid":"u-2","global_state":0}]`), 16))
	if err != nil {
		t.Fatal(err)
	}
	page := rows[0].st
	for i := range rows {
		rows[i].KeepColumns([]string{"global_state"})
		if rows[i].st != l.kept {
			t.Fatalf("row %d still points into its page's store", i)
		}
	}
	if len(l.kept.values.strs) != 2 || slices.Contains(l.kept.values.strs, `"u-1"`) || page == l.kept {
		t.Errorf("kept values %q", l.kept.values.strs)
	}
	if a, _ := rows[1].MarshalJSON(); string(a) != `{"collection_time":"t","global_state":0,"system_id":"","unparsed":[{"path":"system_id","raw":"7"}]}` {
		t.Errorf("kept row %s", a)
	}
}
