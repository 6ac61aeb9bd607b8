package jumpcloud

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
)

// FuzzDecodePage: whatever the body, decoding a page never panics, and when it succeeds it
// returned exactly the records the body holds (none dropped, none invented). More with
//
//	go test ./jumpcloud -run '^$' -fuzz FuzzDecodePage -fuzztime 1m
func FuzzDecodePage(f *testing.F) {
	for _, seed := range []string{
		string(devicePage(3, false)), string(devicePage(3, true)),
		`[{"_id":"a","fde":{"active":"yes"}},{"id":"b"}]`,
		`{"totalCount":"2","results":[{"_id":"a"},{"_id":"b","mfa":{"exclusionUntil":""}}]}`,
		`[{"_id":"a","mfa":{"configured":true,"exclusionUntil":""}},{"_id":"b","mfa":{"exclusionUntil":"2026-01-02T03:04:05Z"}}]`,
		`{"results":[{"_id":"a"},"b"]}`, `{"results":null}`, `null`, `{"totalCount":1}`,
		`[{"_id":"a","lastContact":"soon","policyStats":{"total":"x"}}]`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if len(body) == 0 || (body[0] != '[' && body[0] != '{') {
			return // decodeList answers these before decodeItems sees them
		}
		// Cut into small chunks, the body decodes as it does in one piece.
		size := 1 + len(body)%7
		systems, _, err := decodeItems[System](chunked(body, size))
		users, _, uerr := decodeItems[SystemUser](chunked(body, size))
		rows, _, rerr := decodeItems[InsightRow](chunked(body, size))
		inOne, _, oneErr := decodeItems[System](whole(body))
		if len(inOne) != len(systems) || fmt.Sprint(oneErr) != fmt.Sprint(err) {
			t.Fatalf("in chunks of %d: %d records, %v; in one piece: %d, %v", size, len(systems), err, len(inOne), oneErr)
		}
		if uerr == nil {
			// The one pass reads a user as the lenient decode reads it alone.
			var raws []json.RawMessage
			if json.Unmarshal(body, &raws) != nil {
				var w struct{ Results []json.RawMessage }
				_ = json.Unmarshal(body, &w)
				raws = w.Results
			}
			for i := range min(len(raws), len(users)) {
				var lenient SystemUser
				if json.Unmarshal(raws[i], &lenient) == nil && !reflect.DeepEqual(users[i], lenient) {
					t.Fatalf("user %d decoded %+v, alone %+v: %s", i, users[i], lenient, raws[i])
				}
			}
		}
		want, ok := recordCount(body)
		for _, c := range []struct {
			n   int
			err error
		}{{len(systems), err}, {len(users), uerr}, {len(rows), rerr}} {
			if c.err == nil && (!ok || c.n != want) {
				t.Fatalf("decoded %d records of a body holding %d (countable %v): %s", c.n, want, ok, body)
			}
		}
	})
}

// recordCount counts the objects of a bare array or of results, as encoding/json reads them.
func recordCount(body []byte) (int, bool) {
	var arr []json.RawMessage
	if json.Unmarshal(body, &arr) == nil {
		return len(arr), true
	}
	var w struct {
		Results []json.RawMessage `json:"results"`
	}
	if json.Unmarshal(body, &w) == nil {
		return len(w.Results), true
	}
	return 0, false
}
