package jumpcloud

import (
	"bytes"
	"io"
)

// pageBody is a response body in the pooled chunks it was read into (readBodyChunks). A page is
// decoded from it as a stream: the decoder reads it through Read, and the chunks before the
// record being decoded go back to the pool (releaseBefore), so a page's bytes and its decoded
// records are never both held whole. The chunks not yet released can still be looked at by
// offset (kindAt, slice): a record that fails the one-pass decode is decoded again from its own
// bytes, and a value's kind is known before it is decoded, as with a body in one slice.
type pageBody struct {
	chunks []*[]byte // nil once released
	n      int64     // the body's length
	first  int       // chunks before it are released
	base   int64     // the offset of chunks[first]
	// The reader's position.
	rc  int // chunk
	rat int // offset in it
}

// Read gives the body's bytes in order.
func (b *pageBody) Read(p []byte) (int, error) {
	for b.rc < len(b.chunks) {
		ch := *b.chunks[b.rc]
		if b.rat < len(ch) {
			n := copy(p, ch[b.rat:])
			b.rat += n
			return n, nil
		}
		b.rc++
		b.rat = 0
	}
	return 0, io.EOF
}

// at returns the chunk index and offset in it of the body offset off, or -1 when off is past the
// end or released.
func (b *pageBody) at(off int64) (int, int) {
	if off < b.base {
		return -1, 0
	}
	pos := b.base
	for i := b.first; i < len(b.chunks); i++ {
		l := int64(len(*b.chunks[i]))
		if off < pos+l {
			return i, int(off - pos)
		}
		pos += l
	}
	return -1, 0
}

// kindAt is jsonKind of the value at off, skipping whitespace and the characters in skip (the ','
// before an element, the ':' after a key): only its first byte decides.
func (b *pageBody) kindAt(off int64, skip string) string {
	i, j := b.at(off)
	for i >= 0 && i < len(b.chunks) {
		for _, c := range (*b.chunks[i])[j:] {
			switch {
			case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			case containsByte(skip, c):
			default:
				return jsonKind([]byte{c})
			}
		}
		i, j = i+1, 0
	}
	return "nothing"
}

func containsByte(s string, c byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return true
		}
	}
	return false
}

// slice copies the bytes [from, to) (not released).
func (b *pageBody) slice(from, to int64) []byte {
	out := make([]byte, 0, max(to-from, 0))
	i, j := b.at(from)
	for i >= 0 && i < len(b.chunks) && int64(len(out)) < to-from {
		ch := (*b.chunks[i])[j:]
		out = append(out, ch[:min(int64(len(ch)), to-from-int64(len(out)))]...)
		i, j = i+1, 0
	}
	return out
}

// releaseBefore gives back to the pool the chunks that end at or before off (the decoder has
// read past them, and no record that starts at off or later lies in them).
func (b *pageBody) releaseBefore(off int64) {
	for b.first < len(b.chunks) && b.first < b.rc {
		l := int64(len(*b.chunks[b.first]))
		if b.base+l > off {
			return
		}
		putChunk(b.chunks[b.first])
		b.chunks[b.first] = nil
		b.first++
		b.base += l
	}
}

// release gives every chunk back.
func (b *pageBody) release() {
	for i := b.first; i < len(b.chunks); i++ {
		putChunk(b.chunks[i])
		b.chunks[i] = nil
	}
	b.first = len(b.chunks)
}

// bytes joins the body into one slice and releases the chunks.
func (b *pageBody) bytes() []byte {
	out := make([]byte, 0, b.n-b.base)
	for i := b.first; i < len(b.chunks); i++ {
		out = append(out, *b.chunks[i]...)
	}
	b.release()
	return out
}

func putChunk(ch *[]byte) {
	if cap(*ch) != bodyChunk {
		return // not the pool's (tests cut bodies into small chunks)
	}
	*ch = (*ch)[:cap(*ch)]
	chunkPool.Put(ch)
}

// trimmedLen is the body's length without the whitespace around it.
func (b *pageBody) trimmedLen() int64 {
	isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }
	lead := int64(0)
lead:
	for i := b.first; i < len(b.chunks); i++ {
		for _, c := range *b.chunks[i] {
			if !isSpace(c) {
				break lead
			}
			lead++
		}
	}
	if lead == b.n-b.base {
		return 0
	}
	trail := int64(0)
trail:
	for i := len(b.chunks) - 1; i >= b.first; i-- {
		ch := *b.chunks[i]
		for j := len(ch) - 1; j >= 0; j-- {
			if !isSpace(ch[j]) {
				break trail
			}
			trail++
		}
	}
	return b.n - b.base - lead - trail
}

// single is the body's bytes, without surrounding whitespace, when they are all in one chunk
// (nothing released): no copy.
func (b *pageBody) single() ([]byte, bool) {
	if b.first != 0 || len(b.chunks) != 1 {
		return nil, false
	}
	one := bytes.TrimSpace(*b.chunks[0])
	return one, len(one) > 0
}
