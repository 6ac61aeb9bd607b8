package evidence

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
)

// An export's raw sources go to disk as their pages arrive (issue 13): each record is marshalled
// once, when it is decoded, and appended to its source's spool file; memory keeps only a small
// index (sort key, offset, length). The bundle's raw file is then written by copying the records
// back from the spool in the order the snapshot's records would have after normalize, and
// rendered as writeJSONArray would have rendered them, so the bundle is byte-identical to one
// written from the records in memory. Once a source is spooled, the full records are not needed
// for the bundle: the snapshot may keep a compact form for the checks only.

type spoolKey struct{}

// SpoolRawSources asks a collection made with the returned context (not one for the checks only)
// to spool its raw sources to files in a new folder inside dir. The caller removes dir when the
// export is done, failed or canceled: nothing of the spool outlives it. Snapshot.CloseRaw closes
// the files.
func SpoolRawSources(ctx context.Context, dir string) context.Context {
	return context.WithValue(ctx, spoolKey{}, dir)
}

func spoolDirFrom(ctx context.Context) string {
	dir, _ := ctx.Value(spoolKey{}).(string)
	return dir
}

// rawSpool is one collection's spool: a file per source.
type rawSpool struct {
	dir   string
	mu    sync.Mutex
	files map[string]*spoolFile // by source
}

func newRawSpool(parent string) (*rawSpool, error) {
	dir, err := os.MkdirTemp(parent, ".jcconnect-spool-")
	if err != nil {
		return nil, fmt.Errorf("cannot make the export's spool in %s: %w", parent, err)
	}
	return &rawSpool{dir: dir, files: map[string]*spoolFile{}}, nil
}

// file is the spool file of source, created on first use.
func (sp *rawSpool) file(source string) (*spoolFile, error) {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if f := sp.files[source]; f != nil {
		return f, nil
	}
	f, err := os.CreateTemp(sp.dir, "source-")
	if err != nil {
		return nil, err
	}
	sf := &spoolFile{f: f, w: bufio.NewWriterSize(f, 64<<10)}
	sp.files[source] = sf
	return sf, nil
}

// kept is the spooled records the snapshot keeps of source, and whether source was spooled.
func (sp *rawSpool) kept(source string) (*spoolFile, bool) {
	if sp == nil {
		return nil, false
	}
	sp.mu.Lock()
	defer sp.mu.Unlock()
	f := sp.files[source]
	return f, f != nil
}

// spooled lists the spool's files (nil spool: none).
func (sp *rawSpool) spooled() []*spoolFile {
	if sp == nil {
		return nil
	}
	sp.mu.Lock()
	defer sp.mu.Unlock()
	out := make([]*spoolFile, 0, len(sp.files))
	for _, f := range sp.files {
		out = append(out, f)
	}
	return out
}

// close closes every spool file and removes the spool's folder.
func (sp *rawSpool) close() error {
	if sp == nil {
		return nil
	}
	sp.mu.Lock()
	defer sp.mu.Unlock()
	var errs []error
	for _, f := range sp.files {
		errs = append(errs, f.f.Close())
	}
	sp.files = map[string]*spoolFile{}
	return errors.Join(append(errs, os.RemoveAll(sp.dir))...)
}

// spoolEntry is one spooled record: where its bytes are and how it sorts. k1..k3 are the sort
// keys of normalize, in order (an id; or policy, system and status id; or system and collection
// time).
type spoolEntry struct {
	k1, k2, k3 string
	off        int64
	n          int
}

// spoolFile is one source's records, appended as they come; pages of several listings (one per
// policy, for the statuses) may arrive at once, so writes take mu.
type spoolFile struct {
	mu  sync.Mutex
	f   *os.File
	w   *bufio.Writer
	off int64
	err error
	// entries is what the snapshot keeps, in list order (setKept); nil when it keeps nothing.
	entries []spoolEntry
	// byContent breaks ties between records with equal keys by their bytes (System Insights rows,
	// several per device and collection time).
	byContent bool
	sorted    []int // order(), once computed
}

// spoolPart is the records of one listing, in list order.
type spoolPart struct {
	file    *spoolFile
	entries []spoolEntry
}

// add marshals rec (as the bundle marshals it: its MarshalJSON when it has one) and appends it.
func (p *spoolPart) add(rec any, k1, k2, k3 string) error {
	var b []byte
	var err error
	if m, ok := rec.(json.Marshaler); ok {
		b, err = m.MarshalJSON()
	} else {
		b, err = json.Marshal(rec)
	}
	if err != nil {
		return err
	}
	f := p.file
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return f.err
	}
	if _, err := f.w.Write(b); err != nil {
		f.err = fmt.Errorf("writing the export's spool: %w", err)
		return f.err
	}
	p.entries = append(p.entries, spoolEntry{k1: k1, k2: k2, k3: k3, off: f.off, n: len(b)})
	f.off += int64(len(b))
	return nil
}

// setKept says which records the snapshot keeps: these parts' records, in this order.
func (f *spoolFile) setKept(parts ...*spoolPart) {
	n := 0
	for _, p := range parts {
		if p != nil {
			n += len(p.entries)
		}
	}
	f.entries = nil
	if n == 0 {
		return
	}
	for _, p := range parts {
		if p != nil && len(p.entries) == n {
			f.entries = p.entries // one listing: its index as it is, not a copy
			return
		}
	}
	f.entries = make([]spoolEntry, 0, n)
	for _, p := range parts {
		if p != nil {
			f.entries = append(f.entries, p.entries...)
		}
	}
}

func (f *spoolFile) count() int { return len(f.entries) }

// order is the kept records' order in the raw file: sorted as normalize sorts them (stable:
// equal keys keep their list order; with byContent, equal keys are ordered by the records'
// bytes), as indexes into entries. It is computed once.
func (f *spoolFile) order() ([]int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.sorted != nil || f.err != nil {
		return f.sorted, f.err
	}
	if err := f.w.Flush(); err != nil {
		f.err = fmt.Errorf("writing the export's spool: %w", err)
		return nil, f.err
	}
	e := f.entries
	idx := make([]int, len(e))
	for i := range idx {
		idx[i] = i
	}
	same := func(a, b spoolEntry) bool { return a.k1 == b.k1 && a.k2 == b.k2 && a.k3 == b.k3 }
	slices.SortStableFunc(idx, func(a, b int) int {
		if c := strings.Compare(e[a].k1, e[b].k1); c != 0 {
			return c
		}
		if c := strings.Compare(e[a].k2, e[b].k2); c != 0 {
			return c
		}
		return strings.Compare(e[a].k3, e[b].k3)
	})
	if f.byContent {
		for i := 0; i < len(idx); {
			j := i + 1
			for j < len(idx) && same(e[idx[j]], e[idx[i]]) {
				j++
			}
			if j-i > 1 {
				if err := f.sortByContent(idx[i:j]); err != nil {
					f.err = err
					return nil, err
				}
			}
			i = j
		}
	}
	f.sorted = idx
	return idx, nil
}

// writeArray writes the kept records as jsonArrayFile writes a source's records, in order:
// each indented by one level, invisible characters escaped, "[]" when there are none, and a
// final newline.
func (f *spoolFile) writeArray(w io.Writer) error {
	order, err := f.order()
	if err != nil {
		return err
	}
	arr := jsonArrayStream{w: w}
	var buf []byte
	for _, i := range order {
		e := f.entries[i]
		if cap(buf) < e.n {
			buf = make([]byte, e.n)
		}
		buf = buf[:e.n]
		if _, err := f.f.ReadAt(buf, e.off); err != nil {
			return fmt.Errorf("reading the export's spool: %w", err)
		}
		// What encoding/json makes of a record inside a slice: its MarshalJSON (the spooled
		// bytes) compacted with HTML escaping, then indented (MarshalIndent).
		if err := arr.add(json.RawMessage(buf)); err != nil {
			return err
		}
	}
	if err := arr.end(); err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n")
	return err
}

// sortByContent orders records with equal keys (indexes into entries) by their bytes, as
// normalize orders System Insights rows by their MarshalJSON.
func (f *spoolFile) sortByContent(group []int) error {
	content := make(map[int]string, len(group))
	for _, i := range group {
		e := f.entries[i]
		b := make([]byte, e.n)
		if _, err := f.f.ReadAt(b, e.off); err != nil {
			return fmt.Errorf("reading the export's spool: %w", err)
		}
		content[i] = string(b)
	}
	slices.SortStableFunc(group, func(a, b int) int { return strings.Compare(content[a], content[b]) })
	return nil
}

// sortLike puts items, the kept records in list order (one per entry), in the raw file's order,
// in place. It reports false, leaving items as they were, when it cannot.
func sortLike[T any](f *spoolFile, items []T) bool {
	order, err := f.order()
	if err != nil || len(order) != len(items) {
		return false
	}
	// Apply the permutation by its cycles: items[i] = old items[order[i]].
	done := make([]bool, len(items))
	for start := range items {
		if done[start] {
			continue
		}
		first := items[start]
		i := start
		for {
			done[i] = true
			next := order[i]
			if next == start {
				items[i] = first
				break
			}
			items[i] = items[next]
			i = next
		}
	}
	return true
}

// keep makes this listing's records the ones the snapshot keeps of its source (nil: no spool).
func (p *spoolPart) keep() {
	if p != nil {
		p.file.setKept(p)
	}
}

// keepNone says the snapshot keeps none of this listing's records (it failed).
func (p *spoolPart) keepNone() {
	if p != nil {
		p.file.setKept()
	}
}
