package evidence

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"

	"jcconnect/jumpcloud"
)

// An export's raw sources go to disk as their pages arrive (issue 13): each record is marshalled
// once, when it is decoded, and appended to its source's spool file. The bundle's raw file is
// then written by copying the records back from the spool in the order the snapshot's records
// would have after normalize, and rendered as writeJSONArray would have rendered them, so the
// bundle is byte-identical to one written from the records in memory. Once a source is spooled,
// the full records are not needed for the bundle: the snapshot may keep a compact form for the
// checks only.
//
// What memory keeps of a spooled record is where it is (8 bytes), not its sort keys: every
// listing is checked as it comes in, and one that arrived in normalize's order (JumpCloud's v1
// lists are asked for sort=_id; the sandbox serves every list in id order) is copied back in
// the order it came, with a bit per record for the ties that normalize orders by content. Only
// a source whose listings did not come in order has its keys read back from the spool, once,
// when the bundle is written: it costs a second decode of those records, never a wrong order.

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
	sf := &spoolFile{f: f}
	sf.rd.f = sf
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

// spoolSortKey is how normalize sorts a source's records: an id; or policy, system and status id;
// or system and collection time (then, for System Insights rows, the record's bytes).
type spoolSortKey struct{ k1, k2, k3 string }

func (a spoolSortKey) compare(b spoolSortKey) int {
	if c := strings.Compare(a.k1, b.k1); c != 0 {
		return c
	}
	if c := strings.Compare(a.k2, b.k2); c != 0 {
		return c
	}
	return strings.Compare(a.k3, b.k3)
}

// spoolFile is one source's records, appended as they come; pages of several listings (one per
// policy, for the statuses) may arrive at once, so writes take mu. Each listing writes its
// records in batches of about spoolBatch bytes, so a listing's records lie in long runs of the
// file and are read back in blocks.
type spoolFile struct {
	mu  sync.Mutex
	f   *os.File
	off int64
	err error
	// kept is the listings whose records the snapshot keeps, in list order (setKept); starts[i] is
	// the index of kept[i]'s first record among all kept records, starts[len(kept)] their count.
	kept   []*spoolPart
	starts []int
	// byContent: records with equal keys are ordered by their bytes (System Insights rows,
	// several per device and collection time).
	byContent bool
	// perm is the kept records' order in the raw file when it is not their list order (ordered
	// says it was computed: nil then means the list order).
	ordered bool
	perm    []int32
	rd      spoolReader // for order, under mu
}

// spoolPart is the records of one listing, in list order.
type spoolPart struct {
	file *spoolFile
	// locs says where each record is: its offset in the file << spoolLenBits | its length. A
	// length that does not fit is spoolLenMax in locs and the length in long.
	locs []uint64
	long map[int]int
	// The listing's order, checked as it comes in: sorted while every record's key is at least
	// the one before; ties has bit i set when record i's key equals record i-1's; first and last
	// are the keys at both ends. rekey reads a record's key back from its spooled bytes, for a
	// listing that did not come in order.
	sorted      bool
	ties        []uint64
	first, last spoolSortKey
	rekey       func([]byte) (spoolSortKey, error)
}

const (
	spoolLenBits = 24
	spoolLenMax  = 1<<spoolLenBits - 1
	spoolOffMax  = 1<<(64-spoolLenBits) - 1
	spoolBatch   = 32 << 10
)

// spoolWriter marshals records into a batch, reused from page to page (a fresh []byte per
// record was most of what spooling allocated).
type spoolWriter struct {
	buf  bytes.Buffer
	enc  *json.Encoder
	lens []int // the batch's records' lengths
}

var spoolWriters = sync.Pool{New: func() any {
	w := &spoolWriter{}
	w.enc = json.NewEncoder(&w.buf) // escapes HTML as json.Marshal does
	return w
}}

// spoolPage appends a page's records to part (nil: not spooling), key giving each record's sort
// key. A spool that cannot be written stops the collection: the export could not be written
// either.
func spoolPage[T any](c *collector, part *spoolPart, p jumpcloud.Page[T], key func(*T) (string, string, string)) error {
	if part == nil {
		return nil
	}
	if err := addPage(part, p.Items, p.Total, func(r *T) spoolSortKey {
		k1, k2, k3 := key(r)
		return spoolSortKey{k1, k2, k3}
	}); err != nil {
		c.stop(err)
		return err
	}
	return nil
}

// addPage spools items, one page of the listing.
func addPage[T any](part *spoolPart, items []T, total int, key func(*T) spoolSortKey) error {
	if part.rekey == nil {
		part.rekey = func(b []byte) (spoolSortKey, error) {
			var v T
			if err := json.Unmarshal(b, &v); err != nil {
				return spoolSortKey{}, fmt.Errorf("reading the export's spool: %w", err)
			}
			return key(&v), nil
		}
	}
	if part.locs == nil && total > len(items) {
		// Room for the announced total at once: an index grown by appending holds up to twice
		// itself while it grows.
		part.locs = make([]uint64, 0, min(total, 1<<20))
	}
	w := spoolWriters.Get().(*spoolWriter)
	defer spoolWriters.Put(w)
	w.buf.Reset()
	w.lens = w.lens[:0]
	for i := range items {
		if err := part.add(w, &items[i], key(&items[i])); err != nil {
			return err
		}
		if w.buf.Len() >= spoolBatch {
			if err := part.flush(w); err != nil {
				return err
			}
		}
	}
	return part.flush(w)
}

// add marshals rec into the batch (as the bundle marshals it: its MarshalJSON when it has one)
// and notes where its key puts it.
func (p *spoolPart) add(w *spoolWriter, rec any, k spoolSortKey) error {
	start := w.buf.Len()
	if m, ok := rec.(json.Marshaler); ok {
		b, err := m.MarshalJSON()
		if err != nil {
			return err
		}
		w.buf.Write(b)
	} else {
		if err := w.enc.Encode(rec); err != nil {
			return err
		}
		w.buf.Truncate(w.buf.Len() - 1) // Encode's newline
	}
	w.lens = append(w.lens, w.buf.Len()-start)

	i := len(p.locs) + len(w.lens) - 1
	switch {
	case i == 0:
		p.sorted, p.first = true, k
	case !p.sorted:
	default:
		switch c := k.compare(p.last); {
		case c < 0:
			p.sorted, p.ties = false, nil // its keys are read back when it is written
		case c == 0:
			for len(p.ties) <= i/64 {
				p.ties = append(p.ties, 0)
			}
			p.ties[i/64] |= 1 << (i % 64)
		}
	}
	p.last = k
	return nil
}

// flush writes the batch at the end of the file and records where its records went.
func (p *spoolPart) flush(w *spoolWriter) error {
	if len(w.lens) == 0 {
		return nil
	}
	f := p.file
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return f.err
	}
	base := f.off
	if base+int64(w.buf.Len()) > spoolOffMax {
		f.err = errors.New("writing the export's spool: it would be larger than 1 TiB")
		return f.err
	}
	if _, err := f.f.Write(w.buf.Bytes()); err != nil {
		f.err = fmt.Errorf("writing the export's spool: %w", err)
		return f.err
	}
	f.off += int64(w.buf.Len())
	for _, n := range w.lens {
		stored := n
		if n >= spoolLenMax {
			if p.long == nil {
				p.long = map[int]int{}
			}
			p.long[len(p.locs)] = n
			stored = spoolLenMax
		}
		p.locs = append(p.locs, uint64(base)<<spoolLenBits|uint64(stored))
		base += int64(n)
	}
	w.buf.Reset()
	w.lens = w.lens[:0]
	return nil
}

// loc is where record j of the listing is.
func (p *spoolPart) loc(j int) (off int64, n int) {
	l := p.locs[j]
	off, n = int64(l>>spoolLenBits), int(l&spoolLenMax)
	if n == spoolLenMax {
		n = p.long[j]
	}
	return off, n
}

func (p *spoolPart) tie(j int) bool {
	return j/64 < len(p.ties) && p.ties[j/64]&(1<<(j%64)) != 0
}

// setKept says which records the snapshot keeps: these parts' records, in this order.
func (f *spoolFile) setKept(parts ...*spoolPart) {
	f.kept, f.starts = f.kept[:0], []int{0}
	for _, p := range parts {
		if p != nil && len(p.locs) > 0 {
			f.kept = append(f.kept, p)
			f.starts = append(f.starts, f.starts[len(f.starts)-1]+len(p.locs))
		}
	}
	f.ordered, f.perm = false, nil
}

func (f *spoolFile) count() int {
	if len(f.starts) == 0 {
		return 0
	}
	return f.starts[len(f.starts)-1]
}

// loc is where the kept record with index g (in list order) is.
func (f *spoolFile) loc(g int) (off int64, n int) {
	i := sort.Search(len(f.kept), func(i int) bool { return f.starts[i+1] > g })
	return f.kept[i].loc(g - f.starts[i])
}

// order is the kept records' order in the raw file, as indexes in list order, or nil when it
// is the list order: sorted as normalize sorts them (stable: equal keys keep their list order;
// with byContent, equal keys are ordered by the records' bytes). It is computed once.
func (f *spoolFile) order() ([]int32, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.ordered || f.err != nil {
		return f.perm, f.err
	}
	perm, ok, err := f.arrivalOrder()
	if err == nil && !ok {
		perm, err = f.keyedOrder()
	}
	if err != nil {
		f.err = err
		return nil, err
	}
	f.ordered, f.perm = true, perm
	f.rd = spoolReader{f: f} // its block is not needed again
	return perm, nil
}

// arrivalOrder is the order when every kept listing came in order and the listings do not
// overlap (then the raw file is the listings one after the other, those that start lower first),
// without reading a key; ok is false otherwise.
func (f *spoolFile) arrivalOrder() (perm []int32, ok bool, err error) {
	runs := make([]int, len(f.kept)) // indexes into kept, in the file's order
	for i, p := range f.kept {
		if !p.sorted {
			return nil, false, nil
		}
		runs[i] = i
	}
	slices.SortStableFunc(runs, func(a, b int) int { return f.kept[a].first.compare(f.kept[b].first) })
	inListOrder := true
	for i := 1; i < len(runs); i++ {
		a, b := runs[i-1], runs[i]
		c := f.kept[a].last.compare(f.kept[b].first)
		if c > 0 || c == 0 && a > b {
			return nil, false, nil // they overlap: only the keys can order them
		}
		inListOrder = inListOrder && a < b
	}
	// Ties normalize orders by content: runs of records whose key equals the one before (within
	// a listing, its bits; across two listings, the keys at their ends).
	var tied [][2]int // [from, to) positions in the file's order
	if f.byContent {
		pos, from := 0, -1
		for i, r := range runs {
			p := f.kept[r]
			for j := range p.locs {
				eq := j > 0 && p.tie(j) || j == 0 && i > 0 && f.kept[runs[i-1]].last == p.first
				switch {
				case eq && from < 0:
					from = pos - 1
				case !eq && from >= 0:
					tied = append(tied, [2]int{from, pos})
					from = -1
				}
				pos++
			}
		}
		if from >= 0 {
			tied = append(tied, [2]int{from, pos})
		}
	}
	if inListOrder && len(tied) == 0 {
		return nil, true, nil
	}
	perm = make([]int32, 0, f.count())
	for _, r := range runs {
		for j := range f.kept[r].locs {
			perm = append(perm, int32(f.starts[r]+j))
		}
	}
	for _, t := range tied {
		if err := f.sortByContent(perm[t[0]:t[1]]); err != nil {
			return nil, false, err
		}
	}
	return perm, true, nil
}

// keyedOrder reads every kept record's key back from the spool and sorts by them.
func (f *spoolFile) keyedOrder() ([]int32, error) {
	n := f.count()
	keys := make([]spoolSortKey, n)
	for g := range n {
		b, err := f.rd.read(f.loc(g))
		if err != nil {
			return nil, err
		}
		i := sort.Search(len(f.kept), func(i int) bool { return f.starts[i+1] > g })
		if keys[g], err = f.kept[i].rekey(b); err != nil {
			return nil, err
		}
	}
	perm := make([]int32, n)
	for i := range perm {
		perm[i] = int32(i)
	}
	slices.SortStableFunc(perm, func(a, b int32) int { return keys[a].compare(keys[b]) })
	if f.byContent {
		for i := 0; i < len(perm); {
			j := i + 1
			for j < len(perm) && keys[perm[j]] == keys[perm[i]] {
				j++
			}
			if j-i > 1 {
				if err := f.sortByContent(perm[i:j]); err != nil {
					return nil, err
				}
			}
			i = j
		}
	}
	return perm, nil
}

// sortByContent orders records with equal keys (indexes in list order) by their bytes, as
// normalize orders System Insights rows by their MarshalJSON.
func (f *spoolFile) sortByContent(group []int32) error {
	content := make(map[int32]string, len(group))
	for _, g := range group {
		b, err := f.rd.read(f.loc(int(g)))
		if err != nil {
			return err
		}
		content[g] = string(b)
	}
	slices.SortStableFunc(group, func(a, b int32) int { return strings.Compare(content[a], content[b]) })
	return nil
}

// writeArray writes the kept records as jsonArrayFile writes a source's records, in order:
// each indented by one level, invisible characters escaped, "[]" when there are none, and a
// final newline.
func (f *spoolFile) writeArray(w io.Writer) error {
	perm, err := f.order()
	if err != nil {
		return err
	}
	arr := rawArrayStream{w: w}
	r := spoolReader{f: f}
	for q := range f.count() {
		g := q
		if perm != nil {
			g = int(perm[q])
		}
		b, err := r.read(f.loc(g))
		if err != nil {
			return err
		}
		if err := arr.add(b); err != nil {
			return err
		}
	}
	if err := arr.end(); err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n")
	return err
}

// spoolReader reads records back from a spool file a block at a time: records written in the
// order they are read back lie next to each other, and most are read with no system call.
type spoolReader struct {
	f     *spoolFile
	block []byte
	off   int64 // the block's offset in the file
}

// read returns the n bytes at off, valid until the next read.
func (r *spoolReader) read(off int64, n int) ([]byte, error) {
	if off >= r.off && off+int64(n) <= r.off+int64(len(r.block)) {
		return r.block[off-r.off : off-r.off+int64(n)], nil
	}
	size := max(n, 64<<10)
	if cap(r.block) < size {
		r.block = make([]byte, size)
	}
	r.block = r.block[:size]
	got, err := r.f.f.ReadAt(r.block, off)
	if got < n {
		if err == nil || err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		r.block = r.block[:0]
		return nil, fmt.Errorf("reading the export's spool: %w", err)
	}
	r.block, r.off = r.block[:got], off
	return r.block[:n], nil
}

// rawArrayStream is jsonArrayStream (at no prefix) for records already marshalled: add(raw)
// writes what add(json.RawMessage(raw)) writes (json.MarshalIndent compacts a RawMessage with
// HTML escaping, then indents it; indenting alone drops the same whitespace), into buffers reused
// from record to record.
type rawArrayStream struct {
	w               io.Writer
	n               int
	escaped, indent bytes.Buffer
}

func (a *rawArrayStream) add(raw []byte) error {
	b := bytes.TrimRight(raw, " \t\r\n")
	if mayNeedHTMLEscape(b) {
		a.escaped.Reset()
		json.HTMLEscape(&a.escaped, b)
		b = a.escaped.Bytes()
	}
	a.indent.Reset()
	if err := json.Indent(&a.indent, b, "  ", "  "); err != nil {
		return fmt.Errorf("reading the export's spool: %w", err)
	}
	lead := ",\n  "
	if a.n == 0 {
		lead = "[\n  "
	}
	a.n++
	if _, err := io.WriteString(a.w, lead); err != nil {
		return err
	}
	_, err := a.w.Write(EscapeJSON(a.indent.Bytes()))
	return err
}

// mayNeedHTMLEscape reports whether b holds <, > or &, or a byte that may start U+2028 or U+2029
// (what encoding/json escapes for HTML). bytes.ContainsAny with those runes in the set was a
// fifth of the rendering's CPU.
func mayNeedHTMLEscape(b []byte) bool {
	for _, c := range b {
		if c == '<' || c == '>' || c == '&' || c == 0xe2 {
			return true
		}
	}
	return false
}

func (a *rawArrayStream) end() error {
	if a.n == 0 {
		_, err := io.WriteString(a.w, "[]")
		return err
	}
	_, err := io.WriteString(a.w, "\n]")
	return err
}

// sortLike puts items, the kept records in list order (one per record), in the raw file's order,
// in place. It reports false, leaving items as they were, when it cannot.
func sortLike[T any](f *spoolFile, items []T) bool {
	order, err := f.order()
	if err != nil || f.count() != len(items) {
		return false
	}
	if order == nil {
		return true // the list order
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
			next := int(order[i])
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
