package jctest

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"
)

var fixedNow = time.Date(2026, 8, 1, 10, 0, 0, 0, time.UTC)

// dump fetches a fixed set of pages, for comparing two servers byte for byte.
func dump(t *testing.T, s *Server) []byte {
	t.Helper()
	var b bytes.Buffer
	for _, p := range []string{"/api/organizations", "/api/organizations/" + s.Org().ID,
		"/api/systems?limit=100&skip=100", "/api/systemusers?limit=100", "/api/applications",
		"/api/v2/policies?limit=100", "/api/v2/policyresults?limit=100&skip=200",
		"/api/v2/systeminsights/disk_encryption?limit=500", "/api/v2/systeminsights/managed_policies?limit=500",
		"/api/v2/authn/policies", "/api/users/getSelf", "/api/settings"} {
		r := get(t, s, s.Keys.ReadOnly, "", p)
		fmt.Fprintf(&b, "%s %d %s\n", p, r.status, r.body)
	}
	fmt.Fprintln(&b, s.Keys)
	r := get(t, s, s.Keys.Admin, "", "/api/users?limit=100")
	fmt.Fprintf(&b, "/api/users %d %s\n", r.status, r.body)
	return b.Bytes()
}

func TestSameSeedSameOrganisation(t *testing.T) {
	a := NewServer(Options{Devices: 300, Seed: 42, Now: fixedNow})
	defer a.Close()
	b := NewServer(Options{Devices: 300, Seed: 42, Now: fixedNow})
	defer b.Close()
	c := NewServer(Options{Devices: 300, Seed: 43, Now: fixedNow})
	defer c.Close()
	da, db, dc := dump(t, a), dump(t, b), dump(t, c)
	if !bytes.Equal(da, db) {
		t.Errorf("same seed, different output")
	}
	if bytes.Equal(da, dc) {
		t.Errorf("different seeds, same output")
	}
	if a.Keys != b.Keys || a.Keys == c.Keys {
		t.Errorf("keys are not per seed")
	}
}

func TestDefaultsAndCounts(t *testing.T) {
	s := NewServer(Options{Seed: 1})
	defer s.Close()
	o := s.Org()
	if o.Devices != 50 || o.Users != 20 || o.Policies != 8 || o.Applications != 6 {
		t.Errorf("defaults: %+v", o)
	}
	check := map[string]int{
		"/api/systems": o.Devices, "/api/systemusers": o.Users, "/api/applications": o.Applications,
	}
	for p, want := range check {
		if n, _ := get(t, s, s.Keys.ReadOnly, "", p).v1Page(t); n != want {
			t.Errorf("%s totalCount %d, want %d", p, n, want)
		}
	}
	if h := get(t, s, s.Keys.ReadOnly, "", "/api/v2/policyresults").header.Get("x-total-count"); h != fmt.Sprint(o.Statuses) {
		t.Errorf("policyresults x-total-count %s, want %d", h, o.Statuses)
	}
	if o.FDEActive+o.FDEInactive+o.FDEAbsent != o.Devices || o.Success+o.Failed+o.Pending != o.Statuses {
		t.Errorf("summary does not add up: %+v", o)
	}
}

func TestRealisticSpread(t *testing.T) {
	s := NewServer(Options{Devices: 5000, Seed: 7, Now: fixedNow})
	defer s.Close()
	o := s.Org()
	for _, fam := range []string{"darwin", "windows", "linux"} {
		if o.ByFamily[fam] < 250 {
			t.Errorf("%s: only %d of 5000", fam, o.ByFamily[fam])
		}
	}
	pct := func(n int) int { return n * 100 / o.Devices }
	if p := pct(o.FDEActive); p < 60 || p > 90 {
		t.Errorf("encrypted %d%%", p)
	}
	if pct(o.FDEInactive) < 5 || pct(o.FDEAbsent) < 5 || pct(o.Stale) < 4 || pct(o.Stale) > 20 {
		t.Errorf("spread: %+v", o)
	}
	if o.MFAConfigured == 0 || o.MFAAbsent == 0 || o.Suspended == 0 || o.Locked == 0 || o.PasswordExpired == 0 {
		t.Errorf("users lack variety: %+v", o)
	}
	if o.Failed == 0 || o.Pending == 0 || o.Success < o.Failed {
		t.Errorf("policy outcomes: %+v", o)
	}
}

// Insights rows exist only for devices with System Insights enabled, and agree with the device.
func TestInsightsConsistentWithDevices(t *testing.T) {
	s := NewServer(Options{Devices: 400, Seed: 11, Now: fixedNow})
	defer s.Close()
	devices := map[string]map[string]any{}
	for skip := 0; skip < 400; skip += 100 {
		_, res := get(t, s, s.Keys.ReadOnly, "", fmt.Sprintf("/api/systems?limit=100&skip=%d", skip)).v1Page(t)
		for _, d := range res {
			devices[d["_id"].(string)] = d
		}
	}
	enabled := func(d map[string]any) bool {
		si, ok := d["systemInsights"].(map[string]any)
		return ok && si["state"] == "enabled"
	}
	rows := func(table string) []map[string]any {
		return get(t, s, s.Keys.ReadOnly, "", "/api/v2/systeminsights/"+table+"?limit=10000").v2Page(t)
	}
	for _, table := range []string{"disk_encryption", "bitlocker_info", "alf", "windows_security_center", "os_version", "managed_policies"} {
		got := rows(table)
		if len(got) == 0 || len(got) != s.Org().InsightRows[table] {
			t.Errorf("%s: %d rows, Org says %d", table, len(got), s.Org().InsightRows[table])
		}
		for _, row := range got {
			d := devices[row["system_id"].(string)]
			if d == nil || !enabled(d) {
				t.Fatalf("%s row for a device without System Insights: %v", table, row)
			}
			if row["collection_time"] == nil {
				t.Fatalf("%s row without collection_time", table)
			}
		}
	}
	for _, row := range rows("alf") {
		if devices[row["system_id"].(string)]["osFamily"] != "darwin" {
			t.Errorf("alf row for a non-Mac")
		}
	}
	for _, row := range rows("bitlocker_info") {
		d := devices[row["system_id"].(string)]
		fde, known := d["fde"].(map[string]any)
		if known && row["drive_letter"] == "C:" && (fde["active"] == true) != (row["protection_status"] == 1.0) {
			t.Errorf("bitlocker C: protection %v but fde.active %v", row["protection_status"], fde["active"])
		}
	}
	// filter=system_id:eq:<id> narrows to one device.
	var id string
	for k, d := range devices {
		if enabled(d) && d["osFamily"] == "darwin" {
			id = k
			break
		}
	}
	one := get(t, s, s.Keys.ReadOnly, "", "/api/v2/systeminsights/alf?filter=system_id:eq:"+id).v2Page(t)
	if len(one) != 1 || one[0]["system_id"] != id {
		t.Errorf("filter by system_id: %v", one)
	}
	for _, bad := range []string{"system_id:ne:" + id, "hostname:eq:x", "nonsense"} {
		if r := get(t, s, s.Keys.ReadOnly, "", "/api/v2/systeminsights/alf?filter="+bad); r.status != 400 {
			t.Errorf("filter %q: %d, want 400", bad, r.status)
		}
	}
}

func TestHostileNamesCarryEscapes(t *testing.T) {
	s := NewServer(Options{Devices: 10, HostileNames: true})
	defer s.Close()
	_, res := get(t, s, s.Keys.ReadOnly, "", "/api/systems").v1Page(t)
	found := false
	for _, d := range res {
		if strings.Contains(d["displayName"].(string), "\x1b]52") {
			found = true
		}
	}
	if !found {
		t.Errorf("no device name with an OSC 52 sequence")
	}
}

func BenchmarkGenerate100k(b *testing.B) {
	for b.Loop() {
		newServer(Options{Devices: 100000, Seed: 1, Now: fixedNow})
	}
}

func BenchmarkPage100Systems(b *testing.B) {
	s := NewServer(Options{Devices: 100000, Seed: 1})
	defer s.Close()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		get(b, s, s.Keys.ReadOnly, "", fmt.Sprintf("/api/systems?limit=100&skip=%d", (i*100)%100000))
	}
}

// BenchmarkServeAllSystems100k pages through 100,000 devices (1000 pages of 100) over HTTP,
// sequentially: the server's cost of one full device collection.
func BenchmarkServeAllSystems100k(b *testing.B) {
	s := NewServer(Options{Devices: 100000, Seed: 1})
	defer s.Close()
	b.ResetTimer()
	for b.Loop() {
		for skip := 0; skip < 100000; skip += 100 {
			get(b, s, s.Keys.ReadOnly, "", fmt.Sprintf("/api/systems?limit=100&skip=%d&sort=_id", skip))
		}
	}
}

// BenchmarkServeInsights10000 serves one full System Insights page (10000 rows).
func BenchmarkServeInsights10000(b *testing.B) {
	s := NewServer(Options{Devices: 100000, Seed: 1})
	defer s.Close()
	b.ResetTimer()
	for b.Loop() {
		get(b, s, s.Keys.ReadOnly, "", "/api/v2/systeminsights/managed_policies?limit=10000&skip=20000")
	}
}
