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
//	  - client: what the client does with a clean page (every page JumpCloud sends): the lean
//	    decoder (decode_lean.go), no reflection, no copy;
//	  - one-pass(before-lean): what it did before: encoding/json in one pass over the chunk, a
//	    pointer per record (wirePage, still the path of a page the lean decoder leaves to it);
//	  - streamed: what the client does with any other page (issue 13): decoded as a stream from
//	    its pooled chunks, record by record, each wire record in one pass;
//	  - client-one-odd: the client on a page where one record has an unreadable date (that record
//	    is decoded again, field by field, from its own bytes);
//	  - whole-page(before-13): what a clean page got before issue 13 (decode_fast.go's wholePage:
//	    one json.Unmarshal over the page joined into one buffer, a pointer per record);
//	  - previous-whole-page: the fast path before issue 9 (one pass, no pointers), which failed the
//	    whole page on one odd field and let a null pass as an empty device;
//	  - per-record-UnmarshalJSON: every record through System.UnmarshalJSON (the slow path).
func BenchmarkDecodeDevicePage(b *testing.B) {
	page, odd := devicePage(MaxPageSize, false), devicePage(MaxPageSize, true)
	toSystem := systemFromWire
	b.Run("client", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		for b.Loop() {
			if items, _, err := decodeItems[System](whole(page)); err != nil || len(items) != MaxPageSize {
				b.Fatal(len(items), err)
			}
		}
	})
	b.Run("one-pass(before-lean)", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		for b.Loop() {
			if items, _, err := wirePage(whole(page), toSystem); err != nil || len(items) != MaxPageSize {
				b.Fatal(len(items), err)
			}
		}
	})
	b.Run("client-one-odd", func(b *testing.B) {
		b.SetBytes(int64(len(odd)))
		for b.Loop() {
			items, _, err := decodeItems[System](whole(odd))
			if err != nil || len(items) != MaxPageSize || len(items[MaxPageSize/2].Unparsed) != 1 {
				b.Fatal(len(items), err)
			}
		}
	})
	b.Run("streamed", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		for b.Loop() {
			if items, _, err := decodeShape(whole(page), viaWire(toSystem), true); err != nil || len(items) != MaxPageSize {
				b.Fatal(len(items), err)
			}
		}
	})
	b.Run("whole-page(before-13)", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		for b.Loop() {
			joined := append([]byte(nil), page...) // the chunks joined, as readBody did
			var w struct {
				TotalCount *int           `json:"totalCount"`
				Results    *[]*systemWire `json:"results"`
			}
			if err := json.Unmarshal(joined, &w); err != nil || w.Results == nil {
				b.Fatal(err)
			}
			out := make([]System, len(*w.Results))
			for i, r := range *w.Results {
				out[i] = toSystem(r)
			}
			if len(out) != MaxPageSize {
				b.Fatal(len(out))
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

// userPage is a page of n users shaped like the sandbox's /api/systemusers records: every 5th
// has mfa.exclusionUntil "" (an unset date).
func userPage(n int) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `{"totalCount":%d,"results":[`, n)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		until := `null`
		if i%5 == 0 {
			until = `""`
		}
		fmt.Fprintf(&b, `{"_id":"64bb%020x","id":"64bb%020x","organization":"64cc00000000000000000001",`+
			`"username":"user%05d","email":"user%05d@example.com","firstname":"First","lastname":"Last%05d",`+
			`"displayname":"First Last","department":"IT","employeeType":"staff","state":"ACTIVATED",`+
			`"activated":true,"suspended":false,"account_locked":false,"account_locked_date":null,`+
			`"password_expired":false,"password_never_expires":false,"password_date":"2026-10-01T09:00:00.000Z",`+
			`"password_expiration_date":"2026-12-30T09:00:00.000Z","totp_enabled":true,`+
			`"enable_user_portal_multifactor":true,"mfa":{"configured":true,"exclusion":false,"exclusionUntil":%s},`+
			`"mfaEnrollment":{"overallStatus":"ENROLLED","totpStatus":"ENROLLED","webAuthnStatus":"NOT_ENROLLED","pushStatus":"NOT_ENROLLED"},`+
			`"created":"2025-01-10T09:00:00.000Z"}`, i, i, i, i, i, until)
	}
	b.WriteString(`]}`)
	return []byte(b.String())
}

// BenchmarkDecodeUserPage compares, in one run, the client on a page of 100 users of which every
// 5th has an unset ("") exclusion date, with what the same page cost when the one pass could not
// read "" (before-optionalDate: the one pass tried and failed, then every record decoded in a
// stream, those users a third time field by field):
//
//	go test ./jumpcloud -run '^$' -bench DecodeUserPage -benchmem -count 4 -cpu 1
func BenchmarkDecodeUserPage(b *testing.B) {
	page := userPage(MaxPageSize)
	type userWireBefore struct {
		userFields
		UnderscoreID string `json:"_id"`
	}
	before := func(w *userWireBefore) SystemUser {
		u := SystemUser(w.userFields)
		u.ID = w.UnderscoreID
		return u
	}
	b.Run("client", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		for b.Loop() {
			if items, _, err := decodeItems[SystemUser](whole(page)); err != nil || len(items) != MaxPageSize {
				b.Fatal(len(items), err)
			}
		}
	})
	b.Run("before-optionalDate", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		for b.Loop() {
			items, _, err := wirePage(whole(page), before)
			if err != nil || len(items) != MaxPageSize {
				b.Fatal(len(items), err)
			}
		}
	})
}
