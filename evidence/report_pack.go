package evidence

import (
	"iter"
	"time"

	"jcconnect/jumpcloud"
)

// PackedDevices is a []DeviceReport kept with nothing for the garbage collector to scan: its
// strings end to end in one string (each once, but for the devices' own ids, names and
// hostnames: see recordPacker.own), and every device a run of uint32 words that refer to them.
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
	packedText          // the strings
	words      []uint32 // the devices one after another, each as the layout below
	starts     []uint32 // device i is words[starts[i]:starts[i+1]]; nil when the reports were nil

	results, evidence int // over every device: what Unpack allocates at once
}

// A device's words: a head of deviceHead words, then its results (packResults). A string is its
// number in the text. A count that can be nil is kept plus one, 0 meaning nil (countOf).
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
	words := len(reports) * deviceHead
	for i := range reports {
		words += resultWords(reports[i].Results)
	}
	var p recordPacker
	p.init(len(reports), words, 5*len(reports), 256*len(reports))
	for i := range reports {
		packDevice(&p, &reports[i])
		p.endRecord()
	}
	return PackedDevices{packedText: p.done(), words: p.words, starts: p.starts, results: p.results, evidence: p.evidence}
}

func packDevice(p *recordPacker, d *DeviceReport) {
	head := p.record(deviceHead)
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
	evidence := p.packResults(d.Results)
	p.words[head+wEvidence] = p.index(evidence) // p.words may have moved: not w
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
	out := make([]DeviceReport, p.Len())
	rs, ev := make([]Result, p.results), make([]Evidence, p.evidence)
	for i := range out {
		w := p.words[p.starts[i]:p.starts[i+1]]
		n, e := countLen(w[wResults]), int(w[wEvidence])
		p.unpack(w, &out[i], rs[:n:n], ev[:e:e])
		rs, ev = rs[n:], ev[e:]
	}
	return out
}

// Heads gives every device's report in order with its strings only (id, names, OS, family,
// owner, overall and whether the owner is still being read): no results, no last contact.
// It allocates nothing (the one *DeviceReport is reused: valid until the next step only), for a
// pass that only measures the strings (the browser's rows reserve their text).
func (p *PackedDevices) Heads() iter.Seq2[int, *DeviceReport] {
	return func(yield func(int, *DeviceReport) bool) {
		var d DeviceReport
		for i := range p.Len() {
			p.head(p.words[p.starts[i]:p.starts[i+1]], &d)
			if !yield(i, &d) {
				return
			}
		}
	}
}

// Statuses gives every device's report in order as a table row reads it: its strings, its last
// contact, and each result's check and status, without their reasons and evidence (all but a
// few percent of what a device unpacks to). It allocates one slice of results for the whole
// pass, made again only when a device has more results than it holds (the one *DeviceReport,
// its results and its last contact are reused: valid until the next step only), where
// unpacking makes every report anew: opening the 50,000-device browser on a kept collection
// made over 100 MB of them that the rows never read.
func (p *PackedDevices) Statuses() iter.Seq2[int, *DeviceReport] {
	return func(yield func(int, *DeviceReport) bool) {
		var d DeviceReport
		var contact time.Time
		var results []Result
		for i := range p.Len() {
			w := p.words[p.starts[i]:p.starts[i+1]]
			p.head(w, &d)
			if p.lastContact(w, &contact) {
				d.LastContact = &contact
			}
			d.Results = p.statusesInto(w[wResults], w[deviceHead:], &results)
			if !yield(i, &d) {
				return
			}
		}
	}
}

// unpack fills d from its words w, its results into results (exactly as many as it has) and
// their evidence into evidence (ditto).
func (p *PackedDevices) unpack(w []uint32, d *DeviceReport, results []Result, evidence []Evidence) {
	p.head(w, d)
	var t time.Time
	if p.lastContact(w, &t) {
		d.LastContact = &t
	}
	if w[wResults] != 0 {
		d.Results = results
	}
	p.unpackResults(w[deviceHead:], results, evidence)
}

// head sets d to the strings of the device of words w, and nothing else.
func (p *PackedDevices) head(w []uint32, d *DeviceReport) {
	*d = DeviceReport{ID: p.str(w[wID]), Name: p.str(w[wName]), Hostname: p.str(w[wHostname]),
		OS: p.str(w[wOS]), OSVersion: p.str(w[wOSVersion]), Family: p.str(w[wFamily]),
		Owner: p.str(w[wOwner]), Overall: Status(p.str(w[wOverall])), OwnerReading: w[wFlags]&flagOwnerReading != 0}
}

// lastContact sets *t to the last contact of the device of words w, if it has one.
func (p *PackedDevices) lastContact(w []uint32, t *time.Time) bool {
	if w[wFlags]&flagLastContact == 0 {
		return false
	}
	sec := int64(uint64(w[wSecHigh])<<32 | uint64(w[wSecLow]))
	*t = time.Unix(sec, int64(w[wNsec])).In(jumpcloud.ZoneAt(int(int32(w[wOffset]))))
	return true
}
