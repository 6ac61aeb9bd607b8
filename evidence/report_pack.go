package evidence

import (
	"iter"
	"math"
	"strings"
	"time"
	"unsafe"

	"jcconnect/jumpcloud"
)

// PackedDevices is a []DeviceReport kept with nothing for the garbage collector to scan: its
// strings end to end in one string (each once, but for the devices' own ids, names and
// hostnames: see packer.own), and every device a run of uint32 words that refer to them.
//
// A report kept as []DeviceReport is ~21 objects and 2.2 KB a device (results, evidence
// slices, strings, a *time.Time); the 50,000-device browser keeps one for as long as it is open,
// and marking it was over half of each collection's mark work, which a key press arriving
// during the cycle waits behind (issue 13). Packed, it is four objects the collector marks
// without looking inside (a string and three []uint32).
//
// Device gives one report back and Unpack all of them, each equal (reflect.DeepEqual) to the
// one packed: nil and empty slices stay as they were (JSON writes null and [] differently), and
// the strings given back are parts of the one string, not copies. LastContact comes back as the
// same instant at the same offset from UTC, in jumpcloud.ZoneAt's location: the very time a
// jumpcloud.Device gives (a zone's name is not kept, nor a monotonic clock reading: neither is
// written out). The zero value is a nil []DeviceReport. A PackedDevices is never changed after
// PackDevices, so any number of goroutines may read it.
type PackedDevices struct {
	text   string   // the strings, end to end
	spans  []uint32 // string k is text[spans[k]:spans[k+1]]; string 0 is ""
	words  []uint32 // the devices one after another, each as the layout below
	starts []uint32 // device i is words[starts[i]:starts[i+1]]; nil when the reports were nil

	results, evidence int // over every device: what Unpack allocates at once
}

// A device's words: a head of deviceHead words, then each result as resultHead words followed by
// two per evidence (name, value). A string is its number in spans. A count that can be nil is
// kept plus one, 0 meaning nil.
const (
	// string refs
	wID = iota
	wName
	wHostname
	wOS
	wOSVersion
	wFamily
	wOwner
	wOverall
	wFlags    // flagLastContact, flagOwnerReading
	wSecLow   // LastContact: seconds since 1970 (two words, low first)
	wSecHigh  //
	wNsec     // its nanoseconds
	wOffset   // its seconds east of UTC (an int32)
	wResults  // len(Results)+1; 0: Results is nil
	wEvidence // the device's evidence entries over all its results (one allocation)
	deviceHead
)

const (
	wCheck = iota
	wStatus
	wReason
	wEvidenceCount // len(Evidence)+1; 0: Evidence is nil
	resultHead
)

const (
	flagLastContact = 1 << iota
	flagOwnerReading
)

// PackDevices packs reports (see PackedDevices). It reads them only: they may be shared.
func PackDevices(reports []DeviceReport) PackedDevices {
	if reports == nil {
		return PackedDevices{}
	}
	// Room for every word at once (they are counted exactly), and for the strings as many as a
	// sandbox organisation has: about five distinct ones a device (its id, name, hostname,
	// last contact, owner) of some 50 bytes each.
	p := packer{ref: make(map[string]uint32, 2*len(reports)), spans: make([]uint32, 2, 5*len(reports)+2),
		words: make([]uint32, 0, wordsOf(reports)), starts: make([]uint32, 1, len(reports)+1)}
	p.text.Grow(256 * len(reports))
	p.ref[""] = 0
	for i := range reports {
		p.device(&reports[i])
		p.starts = append(p.starts, p.index(len(p.words)))
	}
	// The map is dropped here: only the packed form stays. The text is copied to fit when the
	// room guessed for it above was too much (a few milliseconds at 50,000 devices).
	text := p.text.String()
	if p.text.Cap() > len(text)+len(text)/4 {
		text = strings.Clone(text)
	}
	return PackedDevices{text: text, spans: p.spans, words: p.words, starts: p.starts,
		results: p.results, evidence: p.evidence}
}

// wordsOf is how many words reports take packed.
func wordsOf(reports []DeviceReport) int {
	n := len(reports) * deviceHead
	for i := range reports {
		for _, r := range reports[i].Results {
			n += resultHead + 2*len(r.Evidence)
		}
	}
	return n
}

// packer builds a PackedDevices; ref numbers each string as it is first met. Looking a string
// up there (hashing it, then comparing it with a string elsewhere in memory) was most of the
// time packing took, so two cheaper looks come first. A device's strings come in the same order
// device after device (the same checks, the same evidence), and the same field often says what
// it said for the device before (a reason, an OS version): last is the previous device's, by
// position. Most of the others are the checks' own strings (names, statuses, evidence names),
// the same bytes in memory device after device: seen finds those by where their bytes are.
type packer struct {
	text              strings.Builder
	ref               map[string]uint32
	last              []lastString // by position in the device (pos)
	pos               int
	seen              [1024]seenString
	spans             []uint32
	words             []uint32
	starts            []uint32
	results, evidence int
}

// lastString is a string met at a position in the device before, and its number.
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

func (p *packer) device(d *DeviceReport) {
	p.pos = 0
	head := len(p.words)
	p.words = append(p.words, make([]uint32, deviceHead)...)
	w := p.words[head:]
	w[wID], w[wName], w[wHostname] = p.own(d.ID), p.own(d.Name), p.own(d.Hostname)
	w[wOS], w[wOSVersion], w[wFamily] = p.str(d.OS), p.str(d.OSVersion), p.str(d.Family)
	w[wOwner], w[wOverall] = p.str(d.Owner), p.str(string(d.Overall))
	if d.OwnerReading {
		w[wFlags] |= flagOwnerReading
	}
	if t := d.LastContact; t != nil {
		w[wFlags] |= flagLastContact
		sec := uint64(t.Unix())
		_, off := t.Zone()
		w[wSecLow], w[wSecHigh], w[wNsec], w[wOffset] = uint32(sec), uint32(sec>>32), uint32(t.Nanosecond()), uint32(int32(off))
	}
	w[wResults] = countOf(len(d.Results), d.Results == nil)
	evidence := 0
	for k := range d.Results {
		r := &d.Results[k]
		p.words = append(p.words, p.str(r.Check), p.str(string(r.Status)), p.str(r.Reason),
			countOf(len(r.Evidence), r.Evidence == nil))
		for _, e := range r.Evidence {
			p.words = append(p.words, p.str(e.Name), p.str(e.Value))
		}
		evidence += len(r.Evidence)
	}
	p.words[head+wEvidence] = p.index(evidence) // p.words may have moved: not w
	p.results += len(d.Results)
	p.evidence += evidence
}

// str is the number of s, adding it to the text the first time.
func (p *packer) str(s string) uint32 {
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

// lookup is str without the device before.
func (p *packer) lookup(s string) uint32 {
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
func (p *packer) numberOf(s string) uint32 {
	if k, ok := p.ref[s]; ok {
		return k
	}
	k := p.own(s)
	p.ref[s] = k
	return k
}

// own is the number of a string of one device's own (its id, name, hostname), added to the
// text as it comes: looking for it among the others would almost never find it, and they were
// two thirds of the strings looked for in vain. One met twice (two devices of the same name) is
// kept twice, which costs its bytes and nothing else.
func (p *packer) own(s string) uint32 {
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
func (p *packer) index(n int) uint32 {
	if n > math.MaxUint32 {
		panic("evidence: device reports too large to pack")
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

// Len is the number of devices.
func (p *PackedDevices) Len() int { return max(len(p.starts)-1, 0) }

// Device is the report of device i (0 ≤ i < Len), as packed. Its results and their evidence are
// made anew (two allocations), so the caller may change them; its strings are the packed text's.
func (p *PackedDevices) Device(i int) DeviceReport {
	w := p.words[p.starts[i]:p.starts[i+1]]
	var d DeviceReport
	p.unpack(w, &d, make([]Result, countLen(w[wResults])), make([]Evidence, w[wEvidence]))
	return d
}

// Unpack is every report, as packed (nil when nil was packed): for an export, which needs the
// whole []DeviceReport. All the results are one allocation, all the evidence another.
func (p *PackedDevices) Unpack() []DeviceReport {
	if p.starts == nil {
		return nil
	}
	return p.unpackRange(0, p.Len(), p.results, p.evidence)
}

// unpackBlock is how many devices All unpacks at a time.
const unpackBlock = 512

// All gives every device's report in order, unpacked a block of unpackBlock at a time (three
// allocations a block, never the whole report at once: building the browser's rows from a kept
// report holds one block). The *DeviceReport given is valid until the next step only.
func (p *PackedDevices) All() iter.Seq2[int, *DeviceReport] {
	return func(yield func(int, *DeviceReport) bool) {
		for from := 0; from < p.Len(); from += unpackBlock {
			to := min(from+unpackBlock, p.Len())
			var results, evidence int
			for i := from; i < to; i++ {
				w := p.words[p.starts[i]:p.starts[i+1]]
				results, evidence = results+countLen(w[wResults]), evidence+int(w[wEvidence])
			}
			block := p.unpackRange(from, to, results, evidence)
			for i := range block {
				if !yield(from+i, &block[i]) {
					return
				}
			}
		}
	}
}

// Heads gives every device's report in order with its strings only (id, names, OS, family,
// owner, overall and whether the owner is still being read): no results, no last contact.
// It allocates nothing (the one *DeviceReport is reused: valid until the next step only), for a
// pass that only measures the strings (the browser's rows reserve their text).
func (p *PackedDevices) Heads() iter.Seq2[int, *DeviceReport] {
	return func(yield func(int, *DeviceReport) bool) {
		var d DeviceReport
		for i := range p.Len() {
			w := p.words[p.starts[i]:p.starts[i+1]]
			d = DeviceReport{ID: p.str(w[wID]), Name: p.str(w[wName]), Hostname: p.str(w[wHostname]),
				OS: p.str(w[wOS]), OSVersion: p.str(w[wOSVersion]), Family: p.str(w[wFamily]),
				Owner: p.str(w[wOwner]), Overall: Status(p.str(w[wOverall])), OwnerReading: w[wFlags]&flagOwnerReading != 0}
			if !yield(i, &d) {
				return
			}
		}
	}
}

// unpackRange unpacks devices from..to-1, whose results and evidence entries number results and
// evidence: all the results are one allocation, all the evidence another.
func (p *PackedDevices) unpackRange(from, to, results, evidence int) []DeviceReport {
	out := make([]DeviceReport, to-from)
	rs, ev := make([]Result, results), make([]Evidence, evidence)
	for i := range out {
		w := p.words[p.starts[from+i]:p.starts[from+i+1]]
		n, e := countLen(w[wResults]), int(w[wEvidence])
		p.unpack(w, &out[i], rs[:n:n], ev[:e:e])
		rs, ev = rs[n:], ev[e:]
	}
	return out
}

// unpack fills d from its words w, its results into results (exactly as many as it has) and
// their evidence into evidence (ditto). A slice is capped at its length, so that appending to
// one result's evidence cannot write over the next one's.
func (p *PackedDevices) unpack(w []uint32, d *DeviceReport, results []Result, evidence []Evidence) {
	*d = DeviceReport{ID: p.str(w[wID]), Name: p.str(w[wName]), Hostname: p.str(w[wHostname]),
		OS: p.str(w[wOS]), OSVersion: p.str(w[wOSVersion]), Family: p.str(w[wFamily]),
		Owner: p.str(w[wOwner]), Overall: Status(p.str(w[wOverall])), OwnerReading: w[wFlags]&flagOwnerReading != 0}
	if w[wFlags]&flagLastContact != 0 {
		sec := int64(uint64(w[wSecHigh])<<32 | uint64(w[wSecLow]))
		t := time.Unix(sec, int64(w[wNsec])).In(jumpcloud.ZoneAt(int(int32(w[wOffset]))))
		d.LastContact = &t
	}
	if w[wResults] != 0 {
		d.Results = results
	}
	at := deviceHead
	for k := range results {
		r := w[at : at+resultHead]
		results[k] = Result{Check: p.str(r[wCheck]), Status: Status(p.str(r[wStatus])), Reason: p.str(r[wReason])}
		at += resultHead
		if r[wEvidenceCount] == 0 {
			continue // nil, as packed
		}
		n := countLen(r[wEvidenceCount])
		ev := evidence[:n:n] // never nil: evidence is made (make of 0 is not nil) or cut from a made slice
		for j := range ev {
			ev[j] = Evidence{Name: p.str(w[at]), Value: p.str(w[at+1])}
			at += 2
		}
		results[k].Evidence, evidence = ev, evidence[n:]
	}
}

// countLen is the length a count kept by countOf stands for.
func countLen(c uint32) int { return max(int(c)-1, 0) }

// str is string k of the text ("" without pointing into it).
func (p *PackedDevices) str(k uint32) string {
	if k == 0 {
		return ""
	}
	return p.text[p.spans[k]:p.spans[k+1]]
}
