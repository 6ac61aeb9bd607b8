package jumpcloud

import (
	"math/bits"
	"sync/atomic"
)

// A System Insights row holds 4-byte numbers where it held strings: a fleet repeats its values
// (the same few states, OS names and policy keys on every device), so each distinct string is
// stored once, in a pool, numbered in the order it first arrived.

// internPool is the pool of one writer: the decoder of one page, or of the rows one listing keeps
// (KeepColumns, called as the pages are handed over one at a time). Its strings are read once it
// is handed over, never while it grows, so it needs no lock. Two pools that numbered the same
// strings in the same order are equal for reflect.DeepEqual (the pager compares pages with it).
type internPool struct {
	ids  map[string]uint32 // nil when sealed (rebuilt if interning starts again)
	strs []string
}

func (p *internPool) str(id uint32) string { return p.strs[id] }

// intern returns b's number, numbering it if it is new. b is copied only then.
func (p *internPool) intern(b []byte) uint32 {
	if id, ok := p.ids[string(b)]; ok { // no copy: the compiler looks up without converting
		return id
	}
	return p.add(string(b))
}

// internString is intern for a string the caller already has.
func (p *internPool) internString(s string) uint32 {
	if id, ok := p.ids[s]; ok {
		return id
	}
	return p.add(s)
}

// add numbers s, which the map does not have (when there is one).
func (p *internPool) add(s string) uint32 {
	if p.ids == nil {
		p.ids = make(map[string]uint32, len(p.strs)+1)
		for id, s := range p.strs {
			p.ids[s] = uint32(id)
		}
		if id, ok := p.ids[s]; ok { // sealed before: s may be there
			return id
		}
	}
	id := uint32(len(p.strs))
	p.strs = append(p.strs, s)
	p.ids[s] = id
	return id
}

// seal drops the lookup map once no more strings are expected, and the slack of the list.
func (p *internPool) seal() {
	p.ids = nil
	if cap(p.strs) > len(p.strs)+len(p.strs)/8 {
		p.strs = append([]string(nil), p.strs...)
	}
}

// sharedPool is a pool many goroutines number strings in at once (the system ids and collection
// times of every table of a collection: InsightKeys, whose lock interning takes).
type sharedPool struct {
	ids map[string]uint32 // nil when sealed
	chunkList[string]
}

// intern returns b's number, numbering it if it is new (b is copied only then). The caller holds
// the lock of the pool's InsightKeys.
func (p *sharedPool) intern(b []byte) uint32 {
	if id, ok := p.ids[string(b)]; ok {
		return id
	}
	if p.ids == nil { // sealed: rebuild the map
		p.ids = make(map[string]uint32, p.n+1)
		for id := range p.n {
			p.ids[p.get(id)] = id
		}
		if id, ok := p.ids[string(b)]; ok {
			return id
		}
	}
	s := string(b)
	id := p.push(s)
	p.ids[s] = id
	return id
}

func (p *sharedPool) str(id uint32) string { return p.get(id) }

// share replaces every string with f's equal copy (f must return an equal string), so the pool
// points at one copy the caller already holds. Not safe while the pool is read or written.
func (p *sharedPool) share(f func(string) string) {
	for id := range p.n {
		if s, old := f(p.get(id)), p.get(id); s == old {
			p.set(id, s)
		}
	}
	p.ids = nil // its keys were the old copies; rebuilt if needed
}

// stampPool numbers (system id, collection time) pairs, as sharedPool numbers strings: a device's
// rows in every table mostly carry the same pair, so a row holds one number for both.
type stampPool struct {
	ids map[stamp]uint32 // nil when sealed
	chunkList[stamp]
}

// stamp is a row's system id and collection time, numbered in their sharedPools.
type stamp struct{ sys, time uint32 }

func (p *stampPool) intern(s stamp) uint32 {
	if id, ok := p.ids[s]; ok {
		return id
	}
	if p.ids == nil {
		p.ids = make(map[stamp]uint32, p.n+1)
		for id := range p.n {
			p.ids[p.get(id)] = id
		}
		if id, ok := p.ids[s]; ok {
			return id
		}
	}
	id := p.push(s)
	p.ids[s] = id
	return id
}

// chunkList holds the values of a pool many goroutines read while one (under its owner's lock)
// appends. Reading takes no lock, and is safe while values are appended: a number is handed out
// only after its value is stored, and a stored value is never moved. The values live in chunks of
// doubling size (8, 16, 32, ...), so the pool never copies what it holds to grow and never keeps
// more than about as many empty slots as values.
type chunkList[T any] struct {
	n      uint32
	chunks [poolChunks]atomic.Pointer[[]T]
}

const (
	poolFirstChunkBits = 3 // the first chunk holds 8 values
	poolChunks         = 32 - poolFirstChunkBits
)

// chunkOf places number id: chunk c holds the numbers from 8·(2^c − 1), 8·2^c of them.
func chunkOf(id uint32) (c int, off uint32) {
	x := uint64(id) + 1<<poolFirstChunkBits
	c = bits.Len64(x) - 1 - poolFirstChunkBits
	return c, uint32(x - 1<<(poolFirstChunkBits+c))
}

// get is the value numbered id, which must have been handed out.
func (p *chunkList[T]) get(id uint32) T {
	c, off := chunkOf(id)
	return (*p.chunks[c].Load())[off]
}

// push stores v under the next number.
func (p *chunkList[T]) push(v T) uint32 {
	id := p.n
	c, off := chunkOf(id)
	if off == 0 {
		chunk := make([]T, 1<<(poolFirstChunkBits+c))
		p.chunks[c].Store(&chunk)
	}
	(*p.chunks[c].Load())[off] = v
	p.n++
	return id
}

// set replaces the value numbered id (only while nobody reads it).
func (p *chunkList[T]) set(id uint32, v T) {
	c, off := chunkOf(id)
	(*p.chunks[c].Load())[off] = v
}
