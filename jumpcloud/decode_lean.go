package jumpcloud

// The lean decoders read the hot pages (System Insights rows, policy statuses, devices) without
// encoding/json's reflection, which was most of a collection's CPU (issue 13: at 10,000 devices
// half of the client's CPU was encoding/json scanning System Insights rows). They read only what
// they are sure of. A page they are not sure of in any way (a syntax error, a field of an
// unexpected type, a key that encoding/json would match case-insensitively, a repeated key,
// deeper nesting than a record has) is not judged by them at all: it is decoded again, whole,
// by the encoding/json path, which gives today's answer or today's error. So the lean decoders
// can never be less strict than that path; the fuzz tests (decode_lean_test.go) prove they give
// the same results whenever they do read a page.
//
// A page is read in two passes over each record: scanValue checks the record is JSON exactly as
// encoding/json reads it and finds its end, then the record's members are walked (memberScanner)
// knowing they are well formed.

// scanValue's answers other than a length.
const (
	scanShort = -1 // the input ended inside the value: it may go on in the next chunk
	scanBad   = -2 // not JSON as encoding/json reads it, or nested deeper than leanMaxDepth
)

// leanMaxDepth is the deepest nesting the lean decoders read (encoding/json allows 10,000; a
// record has two or three levels): deeper values go to encoding/json.
const leanMaxDepth = 64

// scanValue returns the length of the JSON value that starts at b[0] (no leading whitespace),
// scanShort or scanBad. A number or literal that ends exactly at the end of b is scanShort: the
// next chunk may hold more of it.
func scanValue(b []byte) int {
	var objects uint64 // bit d: the container at depth d is an object (else a list)
	depth, i := 0, 0
	for {
		// A value starts at i.
		if i >= len(b) {
			return scanShort
		}
		switch c := b[i]; {
		case c == '{' || c == '[':
			if depth == leanMaxDepth {
				return scanBad
			}
			if c == '{' {
				objects |= 1 << depth
			} else {
				objects &^= 1 << depth
			}
			depth++
			i = skipSpace(b, i+1)
			if i >= len(b) {
				return scanShort
			}
			if b[i] == '}' && c == '{' || b[i] == ']' && c == '[' {
				depth--
				i++
				break // to the end of a value
			}
			if c == '{' {
				if i = scanKey(b, i); i < 0 {
					return i
				}
			}
			continue
		case c == '"':
			n := scanString(b[i:])
			if n < 0 {
				return n
			}
			i += n
		case c == '-' || c >= '0' && c <= '9':
			n := scanNumber(b[i:])
			if n < 0 {
				return n
			}
			i += n
		case c == 't':
			if i = scanLiteral(b, i, "true"); i < 0 {
				return i
			}
		case c == 'f':
			if i = scanLiteral(b, i, "false"); i < 0 {
				return i
			}
		case c == 'n':
			if i = scanLiteral(b, i, "null"); i < 0 {
				return i
			}
		default:
			return scanBad
		}
		// A value ended at i: close containers, or go on to the next element or member.
	next:
		if depth == 0 {
			return i
		}
		if i = skipSpace(b, i); i >= len(b) {
			return scanShort
		}
		inObject := objects>>(depth-1)&1 == 1
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
			if inObject {
				if i >= len(b) {
					return scanShort
				}
				if i = scanKey(b, i); i < 0 {
					return i
				}
			}
		case '}', ']':
			if (b[i] == '}') != inObject {
				return scanBad
			}
			depth--
			i++
			goto next
		default:
			return scanBad
		}
	}
}

// scanKey reads a member's key and its ':' at b[i], and the space after: the index of its value.
func scanKey(b []byte, i int) int {
	if b[i] != '"' {
		return scanBad
	}
	n := scanString(b[i:])
	if n < 0 {
		return n
	}
	if i = skipSpace(b, i+n); i >= len(b) {
		return scanShort
	}
	if b[i] != ':' {
		return scanBad
	}
	return skipSpace(b, i+1)
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// scanString returns the length of the string literal at b[0] ('"'). encoding/json takes any
// byte from 0x20 up in a string (bytes that are not UTF-8 are replaced when decoded) and the
// escapes \" \\ \/ \b \f \n \r \t \uXXXX.
func scanString(b []byte) int {
	for i := 1; i < len(b); i++ {
		switch c := b[i]; {
		case c == '"':
			return i + 1
		case c < 0x20:
			return scanBad
		case c == '\\':
			if i++; i >= len(b) {
				return scanShort
			}
			switch b[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				for k := 1; k <= 4; k++ {
					if i+k >= len(b) {
						return scanShort
					}
					if !isHex(b[i+k]) {
						return scanBad
					}
				}
				i += 4
			default:
				return scanBad
			}
		}
	}
	return scanShort
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// scanNumber returns the length of the number at b[0]: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func scanNumber(b []byte) int {
	i := 0
	if b[i] == '-' {
		i++
	}
	digits := func(first bool) int { // the run of digits at i; first: at least one
		if i >= len(b) {
			return scanShort
		}
		if first && !isDigit(b[i]) {
			return scanBad
		}
		for i < len(b) && isDigit(b[i]) {
			i++
		}
		if i >= len(b) {
			return scanShort
		}
		return i
	}
	if i >= len(b) {
		return scanShort
	}
	switch {
	case b[i] == '0':
		if i++; i >= len(b) {
			return scanShort
		}
	case b[i] >= '1' && b[i] <= '9':
		if n := digits(true); n < 0 {
			return n
		}
	default:
		return scanBad
	}
	if b[i] == '.' {
		i++
		if n := digits(true); n < 0 {
			return n
		}
	}
	if b[i] == 'e' || b[i] == 'E' {
		if i++; i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if n := digits(true); n < 0 {
			return n
		}
	}
	return i
}

// scanLiteral checks the literal word at b[i] and returns the index after it.
func scanLiteral(b []byte, i int, word string) int {
	for k := 0; k < len(word); k++ {
		if i+k >= len(b) {
			return scanShort
		}
		if b[i+k] != word[k] {
			return scanBad
		}
	}
	if i+len(word) >= len(b) {
		return scanShort // "true" may be the start of "truex", which is not JSON
	}
	return i + len(word)
}

// leanCursor reads a body's chunks, none released, as one stream of bytes: a value that lies in
// one chunk is handed out as a slice of it, one that straddles chunks as a copy (scratch).
type leanCursor struct {
	chunks  []*[]byte
	ci      int    // the current chunk
	b       []byte // its bytes
	i       int    // the position in it
	scratch []byte
}

func newLeanCursor(body *pageBody) (leanCursor, bool) {
	if body.first != 0 || len(body.chunks) == 0 {
		return leanCursor{}, false
	}
	return leanCursor{chunks: body.chunks, b: *body.chunks[0]}, true
}

// peek skips whitespace and returns the next byte; ok is false at the end of the body.
func (c *leanCursor) peek() (byte, bool) {
	for {
		c.i = skipSpace(c.b, c.i)
		if c.i < len(c.b) {
			return c.b[c.i], true
		}
		if c.ci+1 >= len(c.chunks) {
			return 0, false
		}
		c.ci++
		c.b, c.i = *c.chunks[c.ci], 0
	}
}

// skip steps over the byte peek returned.
func (c *leanCursor) skip() { c.i++ }

// value reads the JSON value at the cursor (after peek) and returns its bytes, valid until the
// next call; ok is false when it is not JSON as encoding/json reads it, or is cut off.
func (c *leanCursor) value() ([]byte, bool) {
	rest := c.b[c.i:]
	switch n := scanValue(rest); {
	case n >= 0:
		c.i += n
		return rest[:n], true
	case n == scanBad:
		return nil, false
	}
	// It goes on in the next chunks: copy it out, a few KB more at a time (a record is far
	// smaller than a chunk), until it ends.
	c.scratch = append(c.scratch[:0], rest...)
	ci, off := c.ci, len(c.b) // the scratch holds the stream up to chunk ci, offset off
	for more := 4 << 10; ; more *= 2 {
		added := 0
		for added < more {
			ch := *c.chunks[ci]
			if off == len(ch) {
				if ci+1 >= len(c.chunks) {
					break
				}
				ci, off = ci+1, 0
				continue
			}
			take := min(more-added, len(ch)-off)
			c.scratch = append(c.scratch, ch[off:off+take]...)
			off += take
			added += take
		}
		n := scanValue(c.scratch)
		switch {
		case n >= 0:
			// The value ends len(scratch)-n bytes before (ci, off): step back to there.
			back := len(c.scratch) - n
			for back > off {
				back -= off
				ci--
				off = len(*c.chunks[ci])
			}
			c.ci, c.b, c.i = ci, *c.chunks[ci], off-back
			return c.scratch[:n], true
		case n == scanBad || added == 0:
			return nil, false
		}
	}
}

// maxLeanPrealloc bounds the records leanArray makes room for before it has read them.
const maxLeanPrealloc = 1 << 14

// remaining is how many bytes of the body are after the cursor.
func (c *leanCursor) remaining() int {
	n := len(c.b) - c.i
	for _, ch := range c.chunks[c.ci+1:] {
		n += len(*ch)
	}
	return n
}

// leanList reads a page, a bare array or {"totalCount": n, "results": [...]}, each record (a
// JSON object, checked by scanValue) through rec. total is the body's totalCount, or -1. ok is
// false for any page it is not sure of: the caller then decodes the page through encoding/json.
// An empty list is nil, as decodeShape makes it.
func leanList[T any](body *pageBody, rec func(obj []byte) (T, bool)) (items []T, total int, ok bool) {
	c, ok := newLeanCursor(body)
	if !ok {
		return nil, 0, false
	}
	total = -1
	b, ok := c.peek()
	switch {
	case ok && b == '[':
		c.skip()
		if items, ok = leanArray(&c, rec); !ok {
			return nil, 0, false
		}
	case ok && b == '{':
		c.skip()
		if items, total, ok = leanWrapped(&c, rec); !ok {
			return nil, 0, false
		}
	default:
		return nil, 0, false
	}
	if _, more := c.peek(); more {
		return nil, 0, false // something after the JSON value
	}
	return items, total, true
}

// leanWrapped reads the members of {"totalCount": n, "results": [...]} after its '{'.
func leanWrapped[T any](c *leanCursor, rec func([]byte) (T, bool)) (items []T, total int, ok bool) {
	total = -1
	var sawResults, sawTotal bool
	for {
		if b, ok := c.peek(); !ok || b != '"' {
			return nil, 0, false // no results (or not JSON): encoding/json's path names that
		}
		raw, ok := c.value()
		if !ok || !plainKey(raw) {
			return nil, 0, false // a key decoded from escapes may still mean "results"
		}
		key := string(raw[1 : len(raw)-1])
		if b, ok := c.peek(); !ok || b != ':' {
			return nil, 0, false
		}
		c.skip()
		b, ok := c.peek()
		if !ok {
			return nil, 0, false
		}
		switch {
		case asciiEqualFold(key, "results"):
			if sawResults || b != '[' {
				return nil, 0, false
			}
			sawResults = true
			c.skip()
			if items, ok = leanArray(c, rec); !ok {
				return nil, 0, false
			}
		case asciiEqualFold(key, "totalCount"):
			v, ok := c.value()
			if sawTotal || !ok {
				return nil, 0, false
			}
			sawTotal = true
			if total, ok = leanCount(v); !ok {
				return nil, 0, false
			}
		default:
			if _, ok := c.value(); !ok {
				return nil, 0, false
			}
		}
		b, ok = c.peek()
		switch {
		case ok && b == ',':
			c.skip()
		case ok && b == '}':
			c.skip()
			return items, total, sawResults
		default:
			return nil, 0, false
		}
	}
}

// leanCount reads totalCount when it is null (unknown: -1) or a plain whole number.
func leanCount(v []byte) (int, bool) {
	if string(v) == "null" {
		return -1, true
	}
	if len(v) == 0 || len(v) > 15 {
		return 0, false
	}
	n := 0
	for _, d := range v {
		if !isDigit(d) {
			return 0, false
		}
		n = 10*n + int(d-'0')
	}
	return n, true
}

// leanArray reads the records of a list after its '[', and the ']'.
func leanArray[T any](c *leanCursor, rec func([]byte) (T, bool)) ([]T, bool) {
	var out []T
	if b, ok := c.peek(); ok && b == ']' {
		c.skip()
		return out, true
	}
	for {
		if b, ok := c.peek(); !ok || b != '{' {
			return nil, false // not a record: encoding/json's path names where
		}
		obj, ok := c.value()
		if !ok {
			return nil, false
		}
		if out == nil {
			// Room for as many more records as the rest of the body holds of this one's size
			// (growing by doubling copied a page of devices about twice).
			out = make([]T, 0, min(1+c.remaining()/(len(obj)+1), maxLeanPrealloc))
		}
		v, ok := rec(obj)
		if !ok {
			return nil, false
		}
		out = append(out, v)
		b, ok := c.peek()
		switch {
		case ok && b == ',':
			c.skip()
		case ok && b == ']':
			c.skip()
			return out, true
		default:
			return nil, false
		}
	}
}

// plainKey says whether a key (as written, with its quotes) is printable ASCII without escapes:
// such a key decodes to itself, and encoding/json matches it to a field exactly or by ASCII case
// folding only (a key with other bytes may fold to a field's name: "ſ" to "s").
func plainKey(raw []byte) bool {
	if len(raw) < 2 {
		return false
	}
	for _, c := range raw[1 : len(raw)-1] {
		if c < 0x20 || c >= 0x80 || c == '\\' {
			return false
		}
	}
	return true
}

// asciiEqualFold is strings.EqualFold for ASCII text.
func asciiEqualFold[S string | []byte](a S, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if x >= 'A' && x <= 'Z' {
			x += 'a' - 'A'
		}
		if y >= 'A' && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
