package evidence

import (
	"math"
	"strings"
	"unsafe"
)

// What the packed reports (PackedDevices, PackedUsers) share: their strings end to end in one
// string, each a number (packedText), and each record a run of uint32 words that refer to them,
// its results packed the same way whatever the record (packResults, unpackResults). A
// string and slices of uint32 are objects the garbage collector marks without looking inside.

// packedText is a packed report's strings: string k is text[spans[k]:spans[k+1]]; string 0 is "".
type packedText struct {
	text  string
	spans []uint32
}

// str is string k of the text ("" without pointing into it).
func (t *packedText) str(k uint32) string {
	if k == 0 {
		return ""
	}
	return t.text[t.spans[k]:t.spans[k+1]]
}

// A result's words, after its record's head, followed by two per evidence (name, value). A
// count that can be nil is kept plus one, 0 meaning nil (countOf).
const (
	wCheck = iota
	wStatus
	wReason
	wEvidenceCount // len(Evidence)+1; 0: Evidence is nil
	resultHead
)

// resultWords is how many words results take packed.
func resultWords(results []Result) int {
	n := 0
	for _, r := range results {
		n += resultHead + 2*len(r.Evidence)
	}
	return n
}

// unpackResults fills results (exactly as many as were packed) and their evidence (ditto) from w, the
// words that follow a record's head. A slice is capped at its length, so that appending to one
// result's evidence cannot write over the next one's.
func (t *packedText) unpackResults(w []uint32, results []Result, evidence []Evidence) {
	at := 0
	for k := range results {
		r := w[at : at+resultHead]
		results[k] = Result{Check: t.str(r[wCheck]), Status: Status(t.str(r[wStatus])), Reason: t.str(r[wReason])}
		at += resultHead
		if r[wEvidenceCount] == 0 {
			continue // nil, as packed
		}
		n := countLen(r[wEvidenceCount])
		ev := evidence[:n:n] // never nil: evidence is made (make of 0 is not nil) or cut from a made slice
		for j := range ev {
			ev[j] = Evidence{Name: t.str(w[at]), Value: t.str(w[at+1])}
			at += 2
		}
		results[k].Evidence, evidence = ev, evidence[n:]
	}
}

// unpackStatuses fills results (exactly as many as were packed) from w as unpackResults does, with each
// result's check and status only: no reason, no evidence.
func (t *packedText) unpackStatuses(w []uint32, results []Result) {
	at := 0
	for k := range results {
		r := w[at : at+resultHead]
		results[k] = Result{Check: t.str(r[wCheck]), Status: Status(t.str(r[wStatus]))}
		at += resultHead + 2*countLen(r[wEvidenceCount])
	}
}

// statusesInto is a record's results as a table row reads them (unpackStatuses), count being
// its packed count (countOf) and w its words from its results on: nil when Results was nil,
// else a slice of *scratch, which is grown when the record has more results than it holds and
// kept for the next record (a pass over every record makes one or two, not one a record).
func (t *packedText) statusesInto(count uint32, w []uint32, scratch *[]Result) []Result {
	if count == 0 {
		return nil
	}
	n := countLen(count)
	if *scratch == nil || cap(*scratch) < n { // never nil once made: Results was not
		*scratch = make([]Result, n)
	}
	results := (*scratch)[:n:n]
	t.unpackStatuses(w, results)
	return results
}

// recordPacker builds a packed report's text and words: a record at a time (record, then its
// results, then endRecord), each string numbered as it is first met in ref.
//
// Looking a string up there (hashing it, then comparing it with a string elsewhere in memory)
// was most of the time packing took, so two cheaper looks come first. A record's strings come
// in the same order record after record (the same checks, the same evidence), and the same
// field often says what it said for the record before (a reason, an OS version): last is the
// previous record's, by position. Most of the others are the checks' own strings (names,
// statuses, evidence names), the same bytes in memory record after record: seen finds those by
// where their bytes are.
type recordPacker struct {
	text              strings.Builder
	ref               map[string]uint32
	last              []lastString // by position in the record (pos)
	pos               int
	seen              [1024]seenString
	spans             []uint32
	words             []uint32
	starts            []uint32
	results, evidence int
}

// lastString is a string met at a position in the record before, and its number.
type lastString struct {
	s   string
	ref uint32
}

// seenString is a string met while packing, by where its bytes are (an address, not a pointer:
// the reports being packed keep them alive and the collector does not move them).
type seenString struct {
	at  uintptr
	len int
	ref uint32
}

// init readies p for records records taking words words in all (counted exactly), with room
// for strings strings of textBytes bytes in all (a guess).
func (p *recordPacker) init(records, words, strings, textBytes int) {
	p.ref = make(map[string]uint32, 2*records)
	p.ref[""] = 0
	p.spans = make([]uint32, 2, strings+2)
	p.words = make([]uint32, 0, words)
	p.starts = make([]uint32, 1, records+1)
	p.text.Grow(textBytes)
}

// record starts a record with a head of head words, all 0, and gives where it starts in words.
func (p *recordPacker) record(head int) int {
	p.pos = 0
	at := len(p.words)
	p.words = append(p.words, make([]uint32, head)...)
	return at
}

// packResults adds results' words to the record being packed and gives how many evidence
// entries they hold.
func (p *recordPacker) packResults(results []Result) (evidence int) {
	for k := range results {
		r := &results[k]
		p.words = append(p.words, p.str(r.Check), p.str(string(r.Status)), p.str(r.Reason),
			countOf(len(r.Evidence), r.Evidence == nil))
		for _, e := range r.Evidence {
			p.words = append(p.words, p.str(e.Name), p.str(e.Value))
		}
		evidence += len(r.Evidence)
	}
	p.results += len(results)
	p.evidence += evidence
	return evidence
}

// endRecord ends the record being packed.
func (p *recordPacker) endRecord() { p.starts = append(p.starts, p.index(len(p.words))) }

// done is the text packed. The map is dropped with p: only the packed form stays. The text is
// copied to fit when the room guessed for it was too much (a few milliseconds at 50,000
// devices).
func (p *recordPacker) done() packedText {
	text := p.text.String()
	if p.text.Cap() > len(text)+len(text)/4 {
		text = strings.Clone(text)
	}
	return packedText{text: text, spans: p.spans}
}

// str is the number of s, adding it to the text the first time.
func (p *recordPacker) str(s string) uint32 {
	pos := p.pos
	p.pos++
	if pos == len(p.last) {
		p.last = append(p.last, lastString{})
	}
	last := &p.last[pos]
	if last.s == s {
		return last.ref
	}
	k := p.lookup(s)
	*last = lastString{s, k}
	return k
}

// lookup is str without the record before.
func (p *recordPacker) lookup(s string) uint32 {
	at := uintptr(unsafe.Pointer(unsafe.StringData(s)))
	seen := &p.seen[(at>>3^uintptr(len(s)))%uintptr(len(p.seen))]
	if seen.at == at && seen.len == len(s) {
		return seen.ref
	}
	k := p.numberOf(s)
	*seen = seenString{at, len(s), k}
	return k
}

// numberOf is str by the string's bytes.
func (p *recordPacker) numberOf(s string) uint32 {
	if k, ok := p.ref[s]; ok {
		return k
	}
	k := p.own(s)
	p.ref[s] = k
	return k
}

// own is the number of a string of one record's own (a device's id, name, hostname; a user's
// id, names, email), added to the text as it comes: looking for it among the others would
// almost never find it, and they were two thirds of the strings looked for in vain. One met
// twice (two devices of the same name) is kept twice, which costs its bytes and nothing else.
func (p *recordPacker) own(s string) uint32 {
	if s == "" {
		return 0
	}
	k := p.index(len(p.spans) - 1)
	p.text.WriteString(s)
	p.spans = append(p.spans, p.index(p.text.Len()))
	return k
}

// index is n as a word. Reports of 4 GiB (some 80 times the 50,000 devices' text) do not fit:
// better a clear stop than a wrong report.
func (p *recordPacker) index(n int) uint32 {
	if n > math.MaxUint32 {
		panic("evidence: reports too large to pack")
	}
	return uint32(n)
}

// countOf is a slice's length as kept: plus one, 0 for a nil slice.
func countOf(n int, isNil bool) uint32 {
	if isNil {
		return 0
	}
	return uint32(n) + 1
}

// countLen is the length a count kept by countOf stands for.
func countLen(c uint32) int { return max(int(c)-1, 0) }
