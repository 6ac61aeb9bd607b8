package browser

import "unicode/utf8"

// rowStore makes a table's rows hold few objects for the garbage collector to mark: every row's
// cells and sort keys are slices of one backing array, and the strings made for the rows (the
// lower-cased sort keys, texts put together, dates) are one text. At 50,000 devices the rows
// were 430,000 small objects, marked again by every collection while the browser is open.
type rowStore struct {
	strs []string // the rows' cells and keys, side by side
	used int
	text []byte // the made strings, end to end
	refs []textRef
	seen map[string]string // made strings many rows share (an age, an OS and version)
}

// textRef is a made string's place: it becomes text[start:end] in *dst when done.
type textRef struct {
	dst        *string
	start, end int
}

// newRowStore has room for rows rows of width cells and as many keys.
func newRowStore(rows, width int) *rowStore {
	return &rowStore{strs: make([]string, rows*width*2), seen: map[string]string{}}
}

// row is the next row's cells and keys: empty, with room for width each (never more: the backing
// array is cut at capacity, so an append beyond it would copy rather than spill into a neighbour).
func (s *rowStore) row(width int) (cells, keys []string) {
	if s.used+2*width > len(s.strs) {
		s.strs, s.used = make([]string, max(2*width, len(s.strs)/2)), 0 // more rows than sized for: go on in a new block
	}
	cells = s.strs[s.used : s.used : s.used+width]
	keys = s.strs[s.used+width : s.used+width : s.used+2*width]
	s.used += 2 * width
	return cells, keys
}

// lower appends to list the lower-cased s, kept in the store's text when it differs from s
// (lower-cased straight into the text: no string made on the way).
func (s *rowStore) lower(list []string, str string) []string {
	for i := 0; i < len(str); i++ {
		if c := str[i]; c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			start := len(s.text)
			s.text = appendLower(s.text, str)
			return s.kept(list, start)
		}
	}
	return append(list, str)
}

// madeBytes appends to list a string the row made, kept in the store's text: its bytes, put
// together in a buffer of the caller's (no string made on the way).
func (s *rowStore) madeBytes(list []string, str []byte) []string {
	start := len(s.text)
	s.text = append(s.text, str...)
	return s.kept(list, start)
}

// kept appends to list the string the store's text holds from start to its end.
func (s *rowStore) kept(list []string, start int) []string {
	list = append(list, "")
	s.refs = append(s.refs, textRef{dst: &list[len(list)-1], start: start, end: len(s.text)})
	return list
}

// shared is str, one copy for every row that makes the same text.
func (s *rowStore) shared(str string) string {
	if v, ok := s.seen[str]; ok {
		return v
	}
	s.seen[str] = str
	return str
}

// done points the rows' made strings into the one text.
func (s *rowStore) done() {
	all := string(s.text)
	for _, r := range s.refs {
		*r.dst = all[r.start:r.end]
	}
	s.text, s.refs, s.seen = nil, nil, nil
}
