package jumpcloud

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// devicePage is a page of n devices shaped like JumpCloud's (and jctest's) /api/systems
// records; odd puts an unreadable date on one record.
func devicePage(n int, odd bool) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `{"totalCount":%d,"results":[`, n)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		last := `"2026-07-31T09:58:00.000Z"`
		if odd && i == n/2 {
			last = `"yesterday"`
		}
		fmt.Fprintf(&b, `{"_id":"64aa%020x","id":"64aa%020x","displayName":"host-%05d","hostname":"host-%05d.local",`+
			`"serialNumber":"C02X%06d","os":"Mac OS X","osFamily":"darwin","version":"14.5","arch":"arm64","active":true,`+
			`"lastContact":%s,"created":"2025-01-10T09:00:00.000Z","agentVersion":"1.169.0",`+
			`"osVersionDetail":{"osName":"macOS","version":"14.5","major":"14","minor":"5","patch":"0","releaseName":"Sonoma"},`+
			`"fde":{"active":true,"keyPresent":true},"systemInsights":{"state":"enabled"},"isPolicyBound":true,`+
			`"policyStats":{"total":4,"success":3,"failed":1,"pending":0,"duplicate":0,"unsupportedOs":0},`+
			`"primarySystemUser":{"id":"64bb%020x"},"organization":"64cc00000000000000000001","remoteIP":"192.0.2.1"}`,
			i, i, i, i, i, last, i)
	}
	b.WriteString(`]}`)
	return []byte(b.String())
}

// BenchmarkDecodeDevicePage compares, in one run, ways to decode one page of 100 devices:
//
//		go test ./jumpcloud -run '^$' -bench DecodeDevicePage -benchmem -count 8 -cpu 1
//
//	  - client: what the client does with a clean page (one pass over the whole page, a pointer
//	    per record so that a null cannot pass for a record);
//	  - client-one-odd: the client on a page where one record has an unreadable date (the one pass
//	    fails, then the page is decoded record by record and that record field by field);
//	  - record-by-record: the record-by-record decoder alone (json.Decoder, one wire record at a
//	    time), what a streaming decoder would do;
//	  - previous-whole-page: the fast path before issue 9 (one pass, no pointers), which failed the
//	    whole page on one odd field and let a null pass as an empty device;
//	  - per-record-UnmarshalJSON: every record through System.UnmarshalJSON (the slow path).
func BenchmarkDecodeDevicePage(b *testing.B) {
	page, odd := devicePage(MaxPageSize, false), devicePage(MaxPageSize, true)
	toSystem := func(w *systemWire) System {
		s := System(w.systemFields)
		if w.UnderscoreID != "" {
			s.ID = w.UnderscoreID
		}
		return s
	}
	b.Run("client", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		for b.Loop() {
			if items, _, err := decodeItems[System](page); err != nil || len(items) != MaxPageSize {
				b.Fatal(len(items), err)
			}
		}
	})
	b.Run("client-one-odd", func(b *testing.B) {
		b.SetBytes(int64(len(odd)))
		for b.Loop() {
			items, _, err := decodeItems[System](odd)
			if err != nil || len(items) != MaxPageSize || len(items[MaxPageSize/2].Unparsed) != 1 {
				b.Fatal(len(items), err)
			}
		}
	})
	b.Run("record-by-record", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		for b.Loop() {
			if items, _, err := decodeShape(page, viaWire(toSystem), true); err != nil || len(items) != MaxPageSize {
				b.Fatal(len(items), err)
			}
		}
	})
	b.Run("previous-whole-page", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		for b.Loop() {
			var w struct {
				TotalCount int          `json:"totalCount"`
				Results    []systemWire `json:"results"`
			}
			if err := json.Unmarshal(page, &w); err != nil {
				b.Fatal(err)
			}
			out := make([]System, len(w.Results))
			for i := range w.Results {
				out[i] = toSystem(&w.Results[i])
			}
			if len(out) != MaxPageSize {
				b.Fatal(len(out))
			}
		}
	})
	b.Run("per-record-UnmarshalJSON", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		for b.Loop() {
			var w struct {
				Results []System `json:"results"`
			}
			if err := json.Unmarshal(page, &w); err != nil || len(w.Results) != MaxPageSize {
				b.Fatal(err)
			}
		}
	})
}
