package evidence

import (
	"bytes"
	"context"
	"encoding/json"
	"iter"
	"reflect"
	"testing"
	"time"
	"unicode/utf8"
	"unsafe"

	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
)

// packedReports is what PackedDevices and PackedUsers both give back.
type packedReports[R any] interface {
	Len() int
	Unpack() []R
	Statuses() iter.Seq2[int, *R]
}

// samePackedReports fails unless p gives back reports exactly: each one(i), Unpack, Statuses
// (each report as statusesOf gives what a row reads of it), and the JSON of a report holding
// them (asReport; null and [] included). kind names a record in the messages.
func samePackedReports[R any](t *testing.T, what, kind string, reports []R, p packedReports[R], one func(i int) R,
	statusesOf func(R) R, asReport func([]R) Report) {
	t.Helper()
	if p.Len() != len(reports) {
		t.Fatalf("%s: Len %d, packed %d", what, p.Len(), len(reports))
	}
	for i := range reports {
		if got := one(i); !reflect.DeepEqual(got, reports[i]) {
			t.Fatalf("%s: %s %d unpacked\n%#v\nwant\n%#v", what, kind, i, got, reports[i])
		}
	}
	all := p.Unpack()
	if !reflect.DeepEqual(all, reports) {
		t.Fatalf("%s: Unpack differs from what was packed", what)
	}
	rows := 0 // Statuses: what a table row reads, no reason nor evidence
	for i, r := range p.Statuses() {
		want := statusesOf(reports[i])
		if i != rows || !reflect.DeepEqual(*r, want) {
			t.Fatalf("%s: Statuses gave %s %d as %+v, want %+v", what, kind, i, *r, want)
		}
		rows++
	}
	if rows != len(reports) {
		t.Fatalf("%s: Statuses gave %d %ss of %d", what, rows, kind, len(reports))
	}
	got, err := json.Marshal(asReport(all))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(asReport(reports))
	if !bytes.Equal(got, want) {
		t.Fatalf("%s: the JSON of the unpacked reports differs", what)
	}
}

// samePacked fails unless p gives back reports exactly: each Device(i), Unpack, Heads (the
// strings only), Statuses, and the JSON of a report holding them (null and [] included).
func samePacked(t *testing.T, what string, reports []DeviceReport, p PackedDevices) {
	t.Helper()
	samePackedReports(t, what, "device", reports, &p, p.Device,
		func(d DeviceReport) DeviceReport { d.Results = checksAndStatuses(d.Results); return d },
		func(all []DeviceReport) Report { return Report{Devices: all} })
	heads := 0
	for i, d := range p.Heads() {
		want := reports[i]
		want.LastContact, want.Results = nil, nil
		if i != heads || !reflect.DeepEqual(*d, want) {
			t.Fatalf("%s: Heads gave device %d as %+v, want %+v", what, i, *d, want)
		}
		heads++
	}
	if heads != len(reports) {
		t.Fatalf("%s: Heads gave %d devices of %d", what, heads, len(reports))
	}
}

// The reports of sandbox organisations of a few sizes, an early snapshot's (owners still being
// read) and a snapshot with the odd devices (no last contact, an unparsed field, names empty or
// not ASCII, a last contact at an offset from UTC) come back exactly as they were packed.
func TestPackedDevicesGiveBackSandboxReports(t *testing.T) {
	type sample struct {
		name    string
		reports []DeviceReport
	}
	var samples []sample
	for _, size := range []int{1, 60, 900} {
		_, rep := collectSandbox(t, jctest.Options{Devices: size, Users: size/5 + 3, Policies: 9, Seed: int64(size)})
		samples = append(samples, sample{"sandbox", rep.Devices})
	}

	srv := newServer(t, jctest.Options{Devices: 150, Users: 30, Policies: 12, Seed: 7})
	r := startEarly(t, context.Background(), srv, srv.Keys.Admin, true)
	early := r.waitEarly(t)
	samples = append(samples, sample{"early", Evaluate(early, DefaultThresholds()).Devices})
	r.open()

	odd, _ := collectSandbox(t, jctest.Options{Devices: 40, Users: 10, Policies: 6, Seed: 11})
	edit := func(i int, change func(*jumpcloud.System)) {
		d := odd.Devices[i].System()
		change(&d)
		odd.Devices[i] = jumpcloud.CompactDevice(d)
	}
	edit(0, func(d *jumpcloud.System) { d.LastContact = nil })
	edit(1, func(d *jumpcloud.System) {
		d.Unparsed = []jumpcloud.UnparsedField{{Path: "fde.active", Raw: `"yes"`}}
		d.FDE = nil
	})
	edit(2, func(d *jumpcloud.System) { d.DisplayName, d.Hostname = "", "" })
	edit(3, func(d *jumpcloud.System) { d.DisplayName, d.Hostname = "Zoë's MacBook — 東京", "zoë-mbp" })
	edit(4, func(d *jumpcloud.System) {
		at := time.Date(2026, 3, 1, 9, 30, 0, 123456789, time.FixedZone("", 5*3600+1800))
		d.LastContact = &at
	})
	samples = append(samples, sample{"odd devices", Evaluate(odd, DefaultThresholds()).Devices})
	samples = append(samples, sample{"none", nil}, sample{"empty", []DeviceReport{}})

	var seen struct{ noContact, ownerReading, offset, emptyString, nonASCII, stale, nilEvidence, emptyEvidence bool }
	for _, s := range samples {
		samePacked(t, s.name, s.reports, PackDevices(s.reports))
		for _, d := range s.reports {
			seen.noContact = seen.noContact || d.LastContact == nil
			seen.ownerReading = seen.ownerReading || d.OwnerReading
			seen.emptyString = seen.emptyString || d.Hostname == "" || d.Owner == ""
			seen.nonASCII = seen.nonASCII || !isASCII(d.Name)
			if d.LastContact != nil {
				_, off := d.LastContact.Zone()
				seen.offset = seen.offset || off != 0
			}
			for _, r := range d.Results {
				seen.stale = seen.stale || r.Check == "agent_checkin" && r.Status == Fail
				seen.nilEvidence = seen.nilEvidence || r.Evidence == nil
				seen.emptyEvidence = seen.emptyEvidence || r.Evidence != nil && len(r.Evidence) == 0
			}
		}
	}
	// What the samples must hold for the test to mean something; the report's checks always
	// quote evidence, so an empty or nil evidence list is the fuzz test's (below).
	if !seen.noContact || !seen.ownerReading || !seen.offset || !seen.emptyString || !seen.nonASCII || !seen.stale {
		t.Errorf("the samples lack a case: %+v", seen)
	}
	t.Logf("cases seen: %+v", seen)
}

// checksAndStatuses is results with their checks and statuses only: what Statuses gives back.
func checksAndStatuses(results []Result) []Result {
	if results == nil {
		return nil
	}
	out := make([]Result, len(results))
	for k, r := range results {
		out[k] = Result{Check: r.Check, Status: r.Status}
	}
	return out
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// A packed form holds nothing the garbage collector scans: its fields are a string and slices of
// uint32 (whose backing arrays hold no pointers), and ints. A field added with pointers in it
// fails here.
func TestPackedDevicesHoldNoPointersToScan(t *testing.T) {
	holdsNothingToScan(t, reflect.TypeFor[PackedDevices]())
}

// holdsNothingToScan fails unless every field of the struct typ, and of the structs in it, is a
// string, an int or a slice of uint32: the string's bytes and the slices' backing arrays are
// objects the collector marks without looking inside.
func holdsNothingToScan(t *testing.T, typ reflect.Type) {
	t.Helper()
	for i := range typ.NumField() {
		f := typ.Field(i)
		switch k := f.Type.Kind(); {
		case k == reflect.String, k == reflect.Int:
		case k == reflect.Slice && f.Type.Elem().Kind() == reflect.Uint32:
		case k == reflect.Struct:
			holdsNothingToScan(t, f.Type)
		default:
			t.Errorf("%s.%s is a %s: the collector would scan it", typ.Name(), f.Name, f.Type)
		}
	}
}

// Strings given back are parts of the one text (no copy per device), and a string met twice is
// kept once, but for each device's own id, name and hostname, kept as they come.
func TestPackedDevicesShareOneText(t *testing.T) {
	_, rep := collectSandbox(t, jctest.Options{Devices: 30, Users: 10, Policies: 6, Seed: 2})
	p := PackDevices(rep.Devices)
	text := memoryOf(p.text)
	d := p.Device(7)
	for _, s := range []string{d.ID, d.Name, d.Results[0].Reason, d.Results[0].Evidence[0].Value} {
		if s != "" && !text.holds(s) {
			t.Errorf("%q is not part of the packed text", s)
		}
	}
	if got, once := len(p.spans)-1, distinctStrings(rep.Devices); got != once {
		t.Errorf("%d strings kept for %d distinct ones", got, once)
	}
}

// memory is where a string's bytes are.
type memory struct{ start, end uintptr }

func memoryOf(s string) memory {
	at := uintptr(unsafe.Pointer(unsafe.StringData(s)))
	return memory{at, at + uintptr(len(s))}
}

func (m memory) holds(s string) bool {
	in := memoryOf(s)
	return m.start <= in.start && in.end <= m.end
}

func distinctStrings(reports []DeviceReport) int {
	seen, own := map[string]bool{"": true}, 0
	for _, d := range reports {
		for _, s := range []string{d.ID, d.Name, d.Hostname} {
			if s != "" {
				own++
			}
		}
		for _, s := range []string{d.OS, d.OSVersion, d.Family, d.Owner, string(d.Overall)} {
			seen[s] = true
		}
		for _, r := range d.Results {
			seen[r.Check], seen[string(r.Status)], seen[r.Reason] = true, true, true
			for _, e := range r.Evidence {
				seen[e.Name], seen[e.Value] = true, true
			}
		}
	}
	return len(seen) + own
}

// Appending to one result's evidence (a caller may: Device's slices are its own) does not
// write over the next result's, though they share one allocation.
func TestPackedDeviceAppendDoesNotOverwrite(t *testing.T) {
	reports := []DeviceReport{{ID: "a", Results: []Result{
		{Check: "x", Evidence: []Evidence{{"n", "1"}}}, {Check: "y", Evidence: []Evidence{{"n", "2"}}}}}}
	p := PackDevices(reports)
	for _, got := range [][]DeviceReport{{p.Device(0)}, p.Unpack()} {
		_ = append(got[0].Results[0].Evidence, Evidence{"n", "overwritten"})
		if !reflect.DeepEqual(got, reports) {
			t.Errorf("appending to one result changed another: %+v", got)
		}
	}
}

// Arbitrary reports (any bytes as strings, invalid UTF-8 included; nil and empty slices; last
// contacts at any instant and offset, or none) come back exactly.
func FuzzPackedDevices(f *testing.F) {
	f.Add([]byte("device\x00name\xffx"), uint64(1))
	f.Add([]byte{}, uint64(0))
	f.Add([]byte("pass fail unknown reading not_applicable é 東"), uint64(1<<40+77))
	f.Fuzz(func(t *testing.T, data []byte, seed uint64) {
		g := reportGen{data: data, seed: seed}
		var reports []DeviceReport
		if g.next()%8 != 0 {
			reports = make([]DeviceReport, g.next()%6)
		}
		for i := range reports {
			reports[i] = g.device()
		}
		samePacked(t, "fuzz", reports, PackDevices(reports))
	})
}

// reportGen makes reports from a fuzzer's bytes; seed varies the shape when the bytes run out.
type reportGen struct {
	data []byte
	seed uint64
}

func (g *reportGen) next() uint64 {
	g.seed = g.seed*6364136223846793005 + 1442695040888963407
	if len(g.data) > 0 {
		g.seed ^= uint64(g.data[0])
		g.data = g.data[1:]
	}
	return g.seed >> 33
}

// str is a string of the fuzzer's bytes, often one met before (so that strings are shared).
func (g *reportGen) str() string {
	pool := []string{"", "pass", "fail", "é", "\xff\xfe"}
	if k := g.next() % 8; int(k) < len(pool) {
		return pool[k]
	}
	n := min(int(g.next()%12), len(g.data))
	s := string(g.data[:n])
	g.data = g.data[n:]
	return s
}

func (g *reportGen) device() DeviceReport {
	d := DeviceReport{ID: g.str(), Name: g.str(), Hostname: g.str(), OS: g.str(), OSVersion: g.str(),
		Family: g.str(), Owner: g.str(), Overall: Status(g.str()), OwnerReading: g.next()%2 == 0}
	if g.next()%4 != 0 {
		// Years 1 to 9999 (what RFC 3339, hence JSON, writes) at offsets of under a day (ditto),
		// to the second: a day short at either end, so that the local year is one of them too.
		const first, last = -62135596800 + 86400, 253402300800 - 86400
		sec := int64(g.next()<<31|g.next())%(last-first) + first
		off := int(int64(g.next()%(2*86400-1)) - 86399)
		at := time.Unix(sec, int64(g.next()%1e9)).In(jumpcloud.ZoneAt(off))
		d.LastContact = &at
	}
	if g.next()%5 != 0 {
		d.Results = make([]Result, g.next()%10)
	}
	for k := range d.Results {
		r := &d.Results[k]
		r.Check, r.Status, r.Reason = g.str(), Status(g.str()), g.str()
		if g.next()%3 != 0 {
			r.Evidence = make([]Evidence, g.next()%4)
		}
		for j := range r.Evidence {
			r.Evidence[j] = Evidence{g.str(), g.str()}
		}
	}
	return d
}
