package jumpcloud

import (
	"encoding/json"
	"math"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// Tests of the pure helpers behind retries, sanitising and header rules. Everything that talks
// HTTP is tested against jctest in the _test package.

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 8, 1, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		name, value string
		want        time.Duration
		ok          bool
	}{
		{"absent", "", 0, false},
		{"seconds", "3", 3 * time.Second, true},
		{"zero", "0", 0, true},
		{"an hour, not capped here", "3600", time.Hour, true},
		{"huge seconds do not overflow", "999999999999999999", math.MaxInt64, true},
		{"http date", now.Add(5 * time.Second).Format(http.TimeFormat), 5 * time.Second, true},
		{"date in the past", now.Add(-time.Minute).Format(http.TimeFormat), 0, true},
		{"a date an hour ahead", now.Add(time.Hour).Format(http.TimeFormat), time.Hour, true},
		{"negative", "-1", 0, false},
		{"garbage", "soon", 0, false},
		{"fraction is not a valid value", "1.5", 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := http.Header{}
			if c.value != "" {
				h.Set("Retry-After", c.value)
			}
			got, ok := retryAfter(h, now)
			if got != c.want || ok != c.ok {
				t.Fatalf("retryAfter(%q) = %v, %v; want %v, %v", c.value, got, ok, c.want, c.ok)
			}
		})
	}
}

func TestHumanWait(t *testing.T) {
	for d, want := range map[time.Duration]string{
		time.Second: "1 second", 1500 * time.Millisecond: "2 seconds", 90 * time.Second: "90 seconds",
		15 * time.Minute: "15 minutes", 5 * time.Hour: "5 hours", 11 * 24 * time.Hour: "11 days",
		math.MaxInt64: "292 years",
	} {
		if got := humanWait(d); got != want {
			t.Errorf("humanWait(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestBackoffGrowsWithJitterAndStaysUnderTheCap(t *testing.T) {
	base, max := 100*time.Millisecond, time.Second
	for attempt := range 8 {
		full := base << attempt
		if full > max {
			full = max
		}
		seen := map[time.Duration]bool{}
		for range 50 {
			d := backoff(attempt, base, max)
			if d < full/2 || d > full {
				t.Fatalf("attempt %d: backoff %v outside [%v, %v]", attempt, d, full/2, full)
			}
			seen[d] = true
		}
		if len(seen) < 2 {
			t.Fatalf("attempt %d: 50 backoffs were all %v: no jitter", attempt, backoffValues(seen))
		}
	}
}

func backoffValues(m map[time.Duration]bool) []time.Duration {
	var out []time.Duration
	for d := range m {
		out = append(out, d)
	}
	return out
}

func TestSanitizeTextStripsEscapesAndCaps(t *testing.T) {
	in := "bad\x1b]52;c;ZWNobyBoaQ==\x07 name\u202e\u200b\r\n  next\tline"
	got := sanitizeText(in, 200)
	if strings.ContainsAny(got, "\x1b\x07\r\n\t\u202e\u200b") {
		t.Fatalf("control or format characters survived: %q", got)
	}
	if got != "bad]52;c;ZWNobyBoaQ== name next line" {
		t.Fatalf("sanitizeText = %q", got)
	}
	long := sanitizeText(strings.Repeat("x", 500), 10)
	if long != strings.Repeat("x", 10)+"…" {
		t.Fatalf("cap: %q", long)
	}
}

func TestServerMessagePrefersMessageThenErrorThenText(t *testing.T) {
	cases := map[string]string{
		`{"message":"Unauthorized: api key user not found","error":"Unauthorized"}`: "Unauthorized: api key user not found",
		`{"error":"Forbidden"}`:               "Forbidden",
		`{"message":"","error":"only error"}`: "only error",
		`{"code":403,"status":"x"}`:           "",
		`<html><head><title>Attention Required! | Cloudflare</title></head></html>`: "Attention Required! | Cloudflare",
		`<html><body>no title</body></html>`:                                        "",
		"plain text from a proxy":                                                   "plain text from a proxy",
		`{"message":"evil\u001b[2Jclear"}`:                                          "evil[2Jclear",
	}
	for body, want := range cases {
		if got := serverMessage([]byte(body)); got != want {
			t.Errorf("serverMessage(%q) = %q, want %q", body, got, want)
		}
	}
}

func TestOrgHeaderRoutes(t *testing.T) {
	for path, want := range map[string]bool{
		"/api/organizations":         false,
		"/api/organizations/abc":     false,
		"/api/users/getSelf":         false,
		"/api/organizationsX":        true,
		"/api/systems":               true,
		"/api/users":                 true,
		"/api/settings":              true,
		"/api/v2/policies":           true,
		"/api/v2/systeminsights/alf": true,
	} {
		if got := sendsOrgHeader(path); got != want {
			t.Errorf("sendsOrgHeader(%q) = %v, want %v", path, got, want)
		}
	}
}

func TestDecodingToleratesEmptyDates(t *testing.T) {
	var s System
	err := json.Unmarshal([]byte(`{"_id":"a1","id":"a1","hostname":"h","lastContact":"","created":"2025-01-10T09:00:00.000Z"}`), &s)
	if err != nil {
		t.Fatalf("empty lastContact sank the device: %v", err)
	}
	if s.ID != "a1" || s.Hostname != "h" || s.LastContact != nil || s.Created == nil {
		t.Fatalf("decoded %+v", s)
	}
	var a Admin
	if err := json.Unmarshal([]byte(`{"_id":"x","email":"e@x","lastLogin":"","roleName":"Read Only"}`), &a); err != nil || a.RoleName != "Read Only" {
		t.Fatalf("admin %+v: %v", a, err)
	}
	// A real type error is not papered over: the date is unknown and recorded as unparsed.
	s = System{}
	if err := json.Unmarshal([]byte(`{"_id":"a1","lastContact":"yesterday"}`), &s); err != nil {
		t.Fatalf("one unreadable date sank the device: %v", err)
	}
	if s.ID != "a1" || s.LastContact != nil || len(s.Unparsed) != 1 ||
		s.Unparsed[0] != (UnparsedField{Path: "lastContact", Raw: `"yesterday"`}) {
		t.Fatalf("decoded %+v", s)
	}
}

func TestPolicyResultToleratesAnEmptyEndDate(t *testing.T) {
	var r PolicyResult
	err := json.Unmarshal([]byte(`{"id":"r","policyID":"p","systemID":"s","state":"Pending","startedAt":"2026-08-01T10:00:00Z","endedAt":""}`), &r)
	if err != nil || r.EndedAt != nil || r.StartedAt == nil || r.Outcome() != OutcomePending {
		t.Fatalf("result %+v: %v", r, err)
	}
}

func TestPageDecodingFastAndLenientPathsAgree(t *testing.T) {
	wrapped := []byte(`{"totalCount":3,"results":[
		{"_id":"u1","id":"other","hostname":"a","fde":{"active":true}},
		{"id":"only-id","hostname":"b"},
		{"_id":"u3","hostname":"c","lastContact":""}]}`)
	systems, total, err := decodeItems[System](chunked(wrapped, 7))
	if err != nil || total != 3 || len(systems) != 3 {
		t.Fatalf("decodeItems: %d systems, total %d, %v", len(systems), total, err)
	}
	if systems[0].ID != "u1" || systems[1].ID != "only-id" || systems[2].ID != "u3" {
		t.Fatalf("ids %q %q %q: _id must win over id", systems[0].ID, systems[1].ID, systems[2].ID)
	}
	if systems[0].FDE == nil || !systems[0].FDE.Active || systems[1].FDE != nil || systems[2].LastContact != nil {
		t.Fatalf("fields: %+v", systems)
	}

	bare := []byte(`[{"_id":"x","username":"jane","mfa":{"configured":true}},{"id":"y","username":"joe"}]`)
	users, total, err := decodeItems[SystemUser](chunked(bare, 5))
	if err != nil || total != -1 || len(users) != 2 || users[0].ID != "x" || users[1].ID != "y" ||
		users[0].MFA == nil || users[1].MFA != nil {
		t.Fatalf("users %+v total %d: %v", users, total, err)
	}

	results, _, err := decodeItems[PolicyResult](chunked([]byte(`[{"id":"r1","state":"Success"},{"id":"r2","success":false,"endedAt":""}]`), 3))
	if err != nil || len(results) != 2 || results[0].Outcome() != OutcomeSuccess || results[1].Outcome() != OutcomeFailed {
		t.Fatalf("policy results %+v: %v", results, err)
	}

	rows, _, err := decodeItems[InsightRow](chunked([]byte(`[{"system_id":"s1","collection_time":"t","global_state":1,"version":"1.6"}]`), 4))
	if err != nil || len(rows) != 1 || rows[0].SystemID() != "s1" || rows[0].CollectionTime() != "t" ||
		rows[0].String("version") != "1.6" || len(rows[0].ColumnNames()) != 2 {
		t.Fatalf("insight rows %+v: %v", rows, err)
	}
	if n, ok := rows[0].Int("global_state"); !ok || n != 1 {
		t.Fatalf("global_state %d %v", n, ok)
	}

	if none, total, err := decodeItems[System](chunked([]byte(`{"totalCount":0,"results":null}`), 4)); err != nil || len(none) != 0 || total != 0 {
		t.Fatalf("results null: %v %d %v", none, total, err)
	}

	if _, _, err := decodeItems[System](chunked([]byte(`{"totalCount":3}`), 4)); err != errNoResults {
		t.Fatalf("object without results: %v", err)
	}
	if _, _, err := decodeItems[System](chunked([]byte(`{"results":[{"_id":"a"`), 4)); err == nil {
		t.Fatal("truncated page accepted")
	}
}

func TestANullListIsEmpty(t *testing.T) {
	c := &Client{}
	resp := &response{status: 200, header: http.Header{}, raw: chunked([]byte(" null\n"), 2)}
	items, total, err := decodeList[Policy](c, resp, request{path: "/api/v2/policies", query: url.Values{"skip": {"0"}}})
	if err != nil || len(items) != 0 || total != -1 {
		t.Fatalf("null body: %v %d %v", items, total, err)
	}
}
