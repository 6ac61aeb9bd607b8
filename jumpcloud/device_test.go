package jumpcloud

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"
	"unsafe"
)

// A Device gives back the System it was made from, and encodes exactly as that System did: the
// export's raw/devices.json must not change by a byte for being written from Devices.
func TestDeviceGivesBackItsSystem(t *testing.T) {
	var systems []System
	for _, odd := range []bool{false, true} {
		page, _, err := decodeItems[System](whole(devicePage(3, odd)))
		if err != nil {
			t.Fatal(err)
		}
		systems = append(systems, page...)
	}
	// Every optional field absent, every one present, times in other zones and with fractions,
	// a primarySystemUser without an id, fields that could not be read.
	var edge []System
	for _, raw := range []string{
		`{"_id":"a1"}`,
		`{"id":"a2","displayName":"same","hostname":"same","lastContact":"2026-08-01T12:00:00.123456789+02:00",` +
			`"created":"1999-12-31T23:59:59-05:30","primarySystemUser":{},"fde":{"active":false,"keyPresent":true},` +
			`"desktopCapable":false,"isPolicyBound":false,"displayManager":"gdm","policyStats":{"total":0},` +
			`"osVersionDetail":{},"systemInsights":{"state":""},"active":false}`,
		`{"id":"a3","lastContact":"2026-08-01T00:00:00+00:00","created":"0001-01-01T00:00:00Z","desktopCapable":true,` +
			`"fde":{"active":"yes"},"policyStats":{"total":"3"},"os":"iPadOS","osFamily":"ios"}`,
	} {
		var s System
		if err := json.Unmarshal([]byte(raw), &s); err != nil {
			t.Fatal(err)
		}
		edge = append(edge, s)
	}
	if len(edge[2].Unparsed) == 0 {
		t.Fatal("the odd record has no unparsed fields: the test does not test them")
	}
	systems = append(systems, edge...)
	systems = append(systems, System{}) // made by hand: a zero System
	for _, s := range systems {
		d := CompactDevice(s)
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		got, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("device %q encodes as\n%s\nwant\n%s", s.ID, got, want)
		}
		back := d.System()
		if !reflect.DeepEqual(normalTimes(back), normalTimes(s)) {
			t.Errorf("device %q gives back\n%+v\nwant\n%+v", s.ID, back, s)
		}
		if d.Family() != s.Family() || d.IsMobile() != s.IsMobile() || d.Name() != s.Name() {
			t.Errorf("device %q: family %s mobile %v name %q, want %s %v %q", s.ID, d.Family(), d.IsMobile(), d.Name(),
				s.Family(), s.IsMobile(), s.Name())
		}
		if srv, ok := d.IsServer(); ok {
			if wsrv, wok := s.IsServer(); srv != wsrv || ok != wok {
				t.Errorf("device %q: server %v %v", s.ID, srv, ok)
			}
		}
	}
	// Fleets repeat themselves: two devices of one kind share it.
	a, b := CompactDevice(systems[0]), CompactDevice(systems[1])
	if a.kind != b.kind || a.stats != b.stats {
		t.Error("two devices of one kind do not share it")
	}
}

// normalTimes makes times comparable with DeepEqual: the same instant in the same offset (a
// zone's name is not part of a System's JSON).
func normalTimes(s System) System {
	for _, p := range []**time.Time{&s.LastContact, &s.Created} {
		if *p != nil {
			_, off := (*p).Zone()
			t := (*p).In(time.FixedZone("", off))
			*p = &t
		}
	}
	return s
}

// The size a Device takes, beside its own strings: the figure issue 13 aims at (≲ 200 bytes).
func TestDeviceIsSmall(t *testing.T) {
	if n := unsafe.Sizeof(Device{}); unsafe.Sizeof(uintptr(0)) == 8 && n > 160 {
		t.Errorf("a Device is %d bytes", n)
	}
	t.Logf("Device %d bytes, System %d bytes (plus its pointed-to records)", unsafe.Sizeof(Device{}), unsafe.Sizeof(System{}))
}

// BenchmarkCompactDevice is what keeping a decoded System as a Device costs (per device):
//
//	go test ./jumpcloud -run '^$' -bench CompactDevice -benchmem
func BenchmarkCompactDevice(b *testing.B) {
	page, _, err := decodeItems[System](whole(devicePage(100, false)))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		for i := range page {
			_ = CompactDevice(page[i])
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(page)), "ns/device")
}
