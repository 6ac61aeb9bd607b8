package jctest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

func TestListsHaveJumpCloudShapes(t *testing.T) {
	s := NewServer(Options{Devices: 60, Seed: 3})
	defer s.Close()
	for _, path := range []string{"/api/systems", "/api/systemusers", "/api/applications", "/api/organizations"} {
		r := get(t, s, s.Keys.ReadOnly, "", path+"?limit=5")
		if r.status != 200 {
			t.Fatalf("%s: %d %s", path, r.status, r.body)
		}
		total, results := r.v1Page(t)
		if total < len(results) || len(results) == 0 || len(results) > 5 {
			t.Errorf("%s: totalCount %d with %d results", path, total, len(results))
		}
		for _, o := range results {
			if o["_id"] == nil || o["_id"] != o["id"] {
				t.Errorf("%s: v1 object must carry _id and id alike: %v / %v", path, o["_id"], o["id"])
			}
		}
	}
	for _, path := range []string{"/api/v2/policies", "/api/v2/policyresults", "/api/v2/authn/policies"} {
		r := get(t, s, s.Keys.ReadOnly, "", path+"?limit=3")
		if r.status != 200 {
			t.Fatalf("%s: %d %s", path, r.status, r.body)
		}
		items := r.v2Page(t)
		if len(items) != 3 {
			t.Errorf("%s: %d items, want 3", path, len(items))
		}
		for _, o := range items {
			if o["id"] == nil || o["_id"] != nil {
				t.Errorf("%s: v2 objects carry id only: %v", path, o)
			}
		}
		if n, err := strconv.Atoi(r.header.Get("x-total-count")); err != nil || n < 3 {
			t.Errorf("%s: x-total-count %q", path, r.header.Get("x-total-count"))
		}
	}
}

func TestPagingCoversEveryObjectOnce(t *testing.T) {
	s := NewServer(Options{Devices: 237, Seed: 9})
	defer s.Close()
	seen := map[string]bool{}
	for skip := 0; ; skip += 100 {
		r := get(t, s, s.Keys.ReadOnly, "", fmt.Sprintf("/api/systems?limit=100&skip=%d&sort=_id", skip))
		total, results := r.v1Page(t)
		if total != 237 {
			t.Fatalf("totalCount %d, want 237", total)
		}
		for _, o := range results {
			id := o["_id"].(string)
			if seen[id] {
				t.Fatalf("device %s served twice", id)
			}
			seen[id] = true
		}
		if len(results) < 100 {
			break
		}
	}
	if len(seen) != 237 {
		t.Fatalf("paged %d devices, want 237", len(seen))
	}
	// Default page size is 10; skip past the end is an empty page, not an error.
	if _, res := get(t, s, s.Keys.ReadOnly, "", "/api/systems").v1Page(t); len(res) != 10 {
		t.Errorf("default page: %d results, want 10", len(res))
	}
	if _, res := get(t, s, s.Keys.ReadOnly, "", "/api/systems?skip=5000").v1Page(t); len(res) != 0 {
		t.Errorf("skip past the end: %d results", len(res))
	}
	// sort=-_id reverses.
	_, asc := get(t, s, s.Keys.ReadOnly, "", "/api/systems?limit=1&sort=_id").v1Page(t)
	_, desc := get(t, s, s.Keys.ReadOnly, "", "/api/systems?limit=1&sort=-_id").v1Page(t)
	if asc[0]["_id"] == desc[0]["_id"] {
		t.Errorf("sort=-_id did not reverse the order")
	}
}

func TestLimitAboveDocumentedMaximumIs400(t *testing.T) {
	s := NewServer(Options{Devices: 20})
	defer s.Close()
	cases := map[string]int{
		"/api/systems?limit=100":                        200,
		"/api/systems?limit=101":                        400,
		"/api/v2/policies?limit=101":                    400,
		"/api/v2/systeminsights/os_version?limit=10000": 200,
		"/api/v2/systeminsights/os_version?limit=10001": 400,
		"/api/systems?limit=-1":                         400,
		"/api/systems?limit=ten":                        400,
		"/api/systems?skip=-3":                          400,
	}
	for path, want := range cases {
		r := get(t, s, s.Keys.ReadOnly, "", path)
		if r.status != want {
			t.Errorf("%s: %d, want %d (%s)", path, r.status, want, r.body)
		}
		if want == 400 {
			msg, _ := r.errorBody(t)
			if !strings.HasPrefix(msg, "Bad Request") {
				t.Errorf("%s: message %q", path, msg)
			}
		}
	}
}

func TestMethodsAndUnknownPaths(t *testing.T) {
	s := NewServer(Options{Devices: 10})
	defer s.Close()
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch} {
		r := do(t, s, m, s.Keys.Admin, "", "/api/systems")
		if r.status != 405 || r.header.Get("Allow") == "" {
			t.Errorf("%s: %d, Allow %q", m, r.status, r.header.Get("Allow"))
		}
		r.errorBody(t)
	}
	if r := get(t, s, s.Keys.Admin, "", "/api/v2/systeminsights/uptime"); r.status != 200 || string(r.body) != "[]" {
		t.Errorf("documented table without generated rows: %d %s", r.status, r.body)
	}
	for _, p := range []string{"/api/nope", "/api/systems/", "/api/v2/systeminsights/screenlock", "/api/v2/policies/000000000000000000000000/policystatuses"} {
		r := get(t, s, s.Keys.Admin, "", p)
		if r.status != 404 {
			t.Errorf("%s: %d, want 404", p, r.status)
		}
		r.errorBody(t)
	}
}

func TestAbsentNestedObjectsAndResultSpellings(t *testing.T) {
	s := NewServer(Options{Devices: 400, Seed: 5})
	defer s.Close()
	fdeAbsent, siAbsent := 0, 0
	for skip := 0; skip < 400; skip += 100 {
		_, res := get(t, s, s.Keys.ReadOnly, "", fmt.Sprintf("/api/systems?limit=100&skip=%d", skip)).v1Page(t)
		for _, d := range res {
			if _, ok := d["fde"]; !ok {
				fdeAbsent++
			}
			if _, ok := d["systemInsights"]; !ok {
				siAbsent++
			}
		}
	}
	if fdeAbsent == 0 || fdeAbsent != s.Org().FDEAbsent || siAbsent == 0 {
		t.Errorf("fde absent on %d devices (org says %d), systemInsights absent on %d", fdeAbsent, s.Org().FDEAbsent, siAbsent)
	}
	mfaAbsent := 0
	_, users := get(t, s, s.Keys.ReadOnly, "", "/api/systemusers?limit=100").v1Page(t)
	for _, u := range users {
		if _, ok := u["mfa"]; !ok {
			mfaAbsent++
		}
	}
	if mfaAbsent == 0 {
		t.Errorf("no user without an mfa object among %d", len(users))
	}
	spell := map[string]int{}
	for skip := 0; skip < 300; skip += 100 {
		for _, res := range get(t, s, s.Keys.ReadOnly, "", fmt.Sprintf("/api/v2/policyresults?limit=100&skip=%d", skip)).v2Page(t) {
			_, st := res["state"]
			_, su := res["status"]
			switch {
			case st && !su:
				spell["state"]++
				if v := res["state"].(string); v != strings.ToLower(v) {
					t.Errorf("state %q is not lower case", v)
				}
			case su && !st:
				spell["status"]++
			case !st && !su:
				spell["success only"]++
			}
			if _, ok := res["success"].(bool); !ok {
				t.Errorf("result without success: %v", res)
			}
		}
	}
	if spell["state"] == 0 || spell["status"] == 0 || spell["success only"] == 0 {
		t.Errorf("result spellings: %v; want all three", spell)
	}
}
