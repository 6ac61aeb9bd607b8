package jumpcloud

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// The lean decoders (decode_lean.go) must never read a page encoding/json would not, and must
// read every page they do read exactly as encoding/json's path does. The fuzz tests below hold
// them to that against the encoding/json path itself; their seeds are here and in
// testdata/fuzz. More with, for example,
//
//	go test ./jumpcloud -run '^$' -fuzz FuzzScanValue -fuzztime 60s

// leanSeeds are pages and values the fuzz tests start from: the shapes JumpCloud sends, and the
// ones the lean decoders must leave to encoding/json.
var leanSeeds = []string{
	`[{"system_id":"s1","collection_time":"t","encrypted":1,"name":"C:"},{"system_id":"s2","x":null}]`,
	`{"totalCount":2,"results":[{"system_id":"s1"},{"system_id":"s2","y":[1,2,{"z":"}"}]}]}`,
	`{"results":[],"totalCount":null}`, `{"Results":[{"a":1}],"TOTALCOUNT":1}`, `[]`, ` [ ] `,
	`{"results":null}`, `{"results":[1]}`, `{"results":[null]}`, `{"totalCount":1}`, `{}`, `null`,
	`{"totalCount":"2","results":[{"a":1}]}`, `{"totalCount":1e1,"results":[]}`,
	`{"res\u0075lts":[{"a":1}]}`, `{"results":[{"a":1}],"results":[{"b":2}]}`,
	`[{"a":"\ud83d\ude00 \u00e9 \" \\ \/ \b\f\n\r\t"},{"b":-0.5e+10},{"c":true,"d":false,"e":null}]`,
	`[{"a":01}]`, `[{"a":1.}]`, `[{"a":.5}]`, `[{"a":-}]`, `[{"a":1e}]`, `[{"a":"\x"}]`, `[{"a":"\u12G4"}]`,
	`[{"a":tru}]`, `[{"a":truex}]`, `[{"a":nul}]`, `[{"a":[1,]}]`, `[{"a":{"b":1,}}]`, `[{"a" 1}]`,
	`[{"a":1}] x`, `[{"a":1}`, `[{"a":1},]`, "[{\"a\":\"\x01\"}]", "[{\"a\":\"\xff\xfe\"}]",
	`[{"a":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}]`,
	`<html><title>502</title></html>`,
}

// FuzzScanValue: what scanValue takes for a value, encoding/json takes for a value; and what
// encoding/json takes (as deep as a record goes), scanValue takes whole.
func FuzzScanValue(f *testing.F) {
	for _, s := range leanSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		n := scanValue(b)
		if n >= 0 && !json.Valid(b[:n]) {
			t.Fatalf("scanValue took %q, which encoding/json refuses", b[:n])
		}
		trimmed := []byte(strings.Trim(string(b), " \t\r\n"))
		if len(trimmed) == 0 || !json.Valid(trimmed) || depth(trimmed) > leanMaxDepth {
			return
		}
		last := trimmed[len(trimmed)-1]
		if last != '}' && last != ']' && last != '"' {
			return // a number or literal at the very end may go on in the next chunk: scanShort
		}
		if got := scanValue(trimmed); got != len(trimmed) {
			t.Fatalf("encoding/json takes %q, scanValue says %d", trimmed, got)
		}
	})
}

// depth is how deep b's lists and objects nest (brackets in strings counted too: an upper bound).
func depth(b []byte) int {
	d, most := 0, 0
	for _, c := range b {
		switch c {
		case '[', '{':
			d++
			most = max(most, d)
		case ']', '}':
			d--
		}
	}
	return most
}

// FuzzLeanInsightPage: a page of System Insights rows decodes, in chunks of any size, exactly as
// encoding/json's record-by-record path decodes it whole: the same rows, total and error.
func FuzzLeanInsightPage(f *testing.F) {
	for _, s := range append(leanSeeds, insightRowDocs...) {
		f.Add([]byte(s), uint8(3))
	}
	f.Add([]byte(`[`+strings.Join(insightRowDocs, ",")+`]`), uint8(1))
	f.Fuzz(func(t *testing.T, body []byte, cut uint8) {
		if k := jsonKind(body); k != "a list" && k != "an object" {
			return // decodeList answers these before a page decoder sees them
		}
		want, wantTotal, wantErr := decodeShape(whole(body), newInsightStore(nil, nil).record, true)
		for _, size := range []int{len(body), 1 + int(cut)%64} {
			got, total, err := newInsightStore(nil, nil).decodePage(chunked(body, size))
			if fmt.Sprint(err) != fmt.Sprint(wantErr) || total != wantTotal || len(got) != len(want) || (got == nil) != (want == nil) {
				t.Fatalf("in chunks of %d: %d rows, total %d, %v; encoding/json: %d rows, total %d, %v\n%q",
					size, len(got), total, err, len(want), wantTotal, wantErr, body)
			}
			for i := range got {
				gj, _ := got[i].MarshalJSON()
				wj, _ := want[i].MarshalJSON()
				if string(gj) != string(wj) || !reflect.DeepEqual(got[i].Unparsed(), want[i].Unparsed()) {
					t.Fatalf("row %d in chunks of %d: %s, encoding/json: %s", i, size, gj, wj)
				}
			}
		}
	})
}

// TestLeanPagesAreReadLean: the pages JumpCloud sends (and the sandbox serves) are read by the
// lean decoders, not handed to encoding/json, in one chunk or in many.
func TestLeanPagesAreReadLean(t *testing.T) {
	rows := []byte(`[` + strings.Join(insightRowDocs[:4], ",") + `]`)
	var shared sharedStrings
	for _, size := range []int{len(rows), 7, 100} {
		if _, _, ok := leanList(chunked(rows, size), newInsightStore(nil, nil).leanRow); !ok {
			t.Errorf("rows in chunks of %d: not read lean", size)
		}
		if devices, _, ok := leanList(chunked(devicePage(3, false), size), shared.system); !ok || len(devices) != 3 {
			t.Errorf("devices in chunks of %d: not read lean (%d)", size, len(devices))
		}
		// A date that is not one is for encoding/json's path (decodeRecord keeps it as unparsed).
		if _, _, ok := leanList(chunked(devicePage(3, true), size), shared.system); ok {
			t.Errorf("devices in chunks of %d: an odd date read lean", size)
		}
		statuses := []byte(leanRecordSeeds[13])
		if got, _, ok := leanList(chunked(statuses, size), shared.policyResult); !ok || len(got) != 3 {
			t.Errorf("statuses in chunks of %d: not read lean (%d)", size, len(got))
		}
		if got, _, ok := leanList(chunked(statuses, size), shared.policyOutcome); !ok || len(got) != 3 {
			t.Errorf("outcomes in chunks of %d: not read lean (%d)", size, len(got))
		}
	}
}

// leanRecordSeeds are pages of devices and statuses: JumpCloud's shapes, and the odd fields,
// repeated keys, case-folded keys and types that the lean decoders must leave to encoding/json.
var leanRecordSeeds = []string{
	`{"totalCount":2,"results":[{"_id":"a","id":"a","displayName":"d","hostname":"h","os":"Mac OS X","osFamily":"darwin","version":"14.1",` +
		`"osVersionDetail":{"osName":"macOS","major":"14","minor":"1","patch":"0","releaseName":"Sonoma","distributionName":null},` +
		`"arch":"arm64","active":true,"lastContact":"2026-08-01T12:00:00+02:00","created":"2025-01-01T00:00:00Z","agentVersion":"1.2",` +
		`"fde":{"active":true,"keyPresent":false},"systemInsights":{"state":"enabled"},"isPolicyBound":true,` +
		`"policyStats":{"total":3,"success":2,"failed":1,"pending":0,"duplicate":0,"unsupportedOs":0},` +
		`"primarySystemUser":{"id":"u1"},"desktopCapable":false,"displayManager":"gdm","remoteIP":"1.2.3.4"},` +
		`{"id":"b","fde":null,"active":null,"osVersionDetail":{},"lastContact":null,"hostname":"caf\u00e9"}]}`,
	`[{"_id":"a","lastContact":"soon"}]`, `[{"_id":"a","lastContact":""}]`, `[{"_id":"a","active":"yes"}]`,
	`[{"_id":"a","policyStats":{"total":1.5}}]`, `[{"_id":"a","policyStats":{"total":99999999999999999999}}]`,
	`[{"_id":"a","Hostname":"x"}]`, `[{"_id":"a","hostname":"x","hostname":"y"}]`, `[{"_id":"a","fde":{"active":true,"ACTIVE":false}}]`,
	`[{"_id":"a","unparsed":[{"path":"p","raw":"r"}]}]`, `[{"_id":"a","primarySystemUser":"u"}]`, `[{"_id":"","id":"b"}]`,
	`[{"host\u006eame":"x"}]`, `[{"id":"s1","policyID":"p","systemID":"d1","state":"success","success":true,"exitStatus":0,` +
		`"startedAt":"2026-01-01T00:00:00Z","endedAt":"2026-01-01T00:00:01.5-07:00","detail":"ok"},` +
		`{"id":"s2","policyID":"p","systemID":"d2","status":"FAILED ","exitStatus":-3},{"id":"s3","systemID":"d3","success":false}]`,
	`[{"id":"s1","exitStatus":1.0}]`, `[{"id":"s1","exitStatus":"1"}]`, `[{"id":"s1","success":"true"}]`,
	`[{"id":"s1","State":"failed","state":"success"}]`, `[{"id":"s1","state":7,"success":true}]`,
	`[{"id":"s1","startedAt":"yesterday","state":"pending"}]`, `[{"id":"s1","detail":{"a":1}}]`,
	`{"totalCount":1,"results":[{"id":"s1","systemID":null,"state":null,"success":null,"exitStatus":null}]}`,
	`[{"id":"s1","systemid":"d"}]`, `[{"id":"s1","systemID":"d\ud800"}]`, `[]`, `{"results":[]}`,
}

// FuzzLeanDevicePage: a page of devices decodes, in one chunk or many, exactly as the encoding/json
// path (wirePage) decodes it: the same records, total and error.
func FuzzLeanDevicePage(f *testing.F) {
	for _, s := range append(leanRecordSeeds, leanSeeds...) {
		f.Add([]byte(s), uint8(5))
	}
	f.Add(devicePage(3, false), uint8(0))
	f.Add(devicePage(3, true), uint8(1))
	f.Fuzz(func(t *testing.T, body []byte, cut uint8) {
		_, _ = sameAsWire(t, body, cut, systemFromWire)
	})
}

// FuzzLeanStatusPage: a page of policy statuses decodes as the encoding/json path decodes it, and
// its outcomes (PolicyOutcomesPages) are those of the statuses that path decodes.
func FuzzLeanStatusPage(f *testing.F) {
	for _, s := range append(leanRecordSeeds, leanSeeds...) {
		f.Add([]byte(s), uint8(5))
	}
	f.Fuzz(func(t *testing.T, body []byte, cut uint8) {
		want, ok := sameAsWire(t, body, cut, policyResultFromWire)
		if !ok {
			return
		}
		for i, pb := range []*pageBody{whole(body), chunked(body, 1+int(cut)%64), whole(body)} {
			var ids *StringPool
			if i == 2 {
				ids = NewStringPool() // the device ids kept in a pool (ListOptions.SystemIDs)
			}
			got, total, err := policyOutcomePage(pb, ids)
			wantErr, wantTotal := want.err, want.total
			if fmt.Sprint(err) != fmt.Sprint(wantErr) || total != wantTotal || len(got) != len(want.items) {
				t.Fatalf("outcomes: %d, total %d, %v; statuses: %d, total %d, %v\n%q", len(got), total, err, len(want.items), wantTotal, wantErr, body)
			}
			for i := range got {
				if w := want.items[i].OutcomeOf(); got[i] != w {
					t.Fatalf("outcome %d: %+v, of the status: %+v\n%q", i, got[i], w, body)
				}
			}
		}
	})
}

type wireResult[T any] struct {
	items []T
	total int
	err   error
}

// sameAsWire decodes body through decodeItems (the lean decoder first) in one chunk and in chunks,
// and fails unless each gives what wirePage gives; it returns that.
func sameAsWire[W, T any](t *testing.T, body []byte, cut uint8, toT func(*W) T) (wireResult[T], bool) {
	t.Helper()
	if k := jsonKind(body); k != "a list" && k != "an object" {
		return wireResult[T]{}, false // decodeList answers these before a page decoder sees them
	}
	var want wireResult[T]
	for _, size := range []int{len(body), 1 + int(cut)%64} {
		var w wireResult[T]
		w.items, w.total, w.err = wirePage(chunked(body, size), toT)
		got, total, err := decodeItems[T](chunked(body, size))
		if fmt.Sprint(err) != fmt.Sprint(w.err) || total != w.total || !reflect.DeepEqual(got, w.items) {
			t.Fatalf("in chunks of %d: %+v, total %d, %v\nencoding/json: %+v, total %d, %v\n%q", size, got, total, err, w.items, w.total, w.err, body)
		}
		if size == len(body) {
			want = w
		}
	}
	return want, true
}
