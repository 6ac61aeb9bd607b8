package evidence

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"jcconnect/jumpcloud"
)

// richSnapshot has a bit of every source, including hostile text.
func richSnapshot() *Snapshot {
	s := okSnapshot()
	s.OrgName = "Acme | Corp\x1b[2J"
	s.Region, s.BaseURL, s.KeyFingerprint, s.Role = "us", "https://console.jumpcloud.com", "0123456789ab", "Read Only"
	a, b := mac("d1"), win("d2")
	a.DisplayName = "=HYPERLINK(\"http://evil\")"
	a.FDE = &jumpcloud.FDE{Active: true}
	b.DisplayName = "evil\x1b]52;c;aGVsbG8=\x07host"
	s.Devices = jumpcloud.CompactDevices(a, b)
	s.Users = []jumpcloud.SystemUser{{ID: "u1", Username: "@admin", Email: "a@example.com", TOTPEnabled: ptr(true)}}
	s.Admins = []jumpcloud.Admin{{ID: "a1", Email: "root@example.com", TOTPEnrolled: ptr(false)}}
	s.Policies = []jumpcloud.Policy{{ID: "p1", Name: "Lock", Template: jumpcloud.PolicyTemplate{Name: "screen_lock_darwin"}}}
	s.PolicyStatuses = []jumpcloud.PolicyResult{{PolicyID: "p1", SystemID: "d1", State: "success"}}
	s.Insights[jumpcloud.TableALF] = []jumpcloud.InsightRow{row("d1", map[string]any{"global_state": float64(1), "version": "1.6"})}
	s.Settings = &jumpcloud.OrganizationSettings{RequireAdminMFA: ptr(true)}
	setState(s, string(jumpcloud.SourceApplications), StateNotPermitted)
	setState(s, InsightSource(jumpcloud.TableBitlockerInfo), StateFailed)
	s.normalize()
	return s
}

func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestExportIsDeterministic(t *testing.T) {
	s := richSnapshot()
	d1, d2 := t.TempDir(), t.TempDir()
	r1, err := Export(context.Background(), s, Evaluate(s, DefaultThresholds()), d1)
	if err != nil {
		t.Fatal(err)
	}
	// A second, independent evaluation and export of an equal snapshot.
	s2 := richSnapshot()
	r2, err := Export(context.Background(), s2, Evaluate(s2, DefaultThresholds()), d2)
	if err != nil {
		t.Fatal(err)
	}
	t1, t2 := readTree(t, r1.Dir), readTree(t, r2.Dir)
	if len(t1) != len(t2) || len(t1) < 10 {
		t.Fatalf("file counts %d vs %d", len(t1), len(t2))
	}
	for p, b := range t1 {
		if !bytes.Equal(b, t2[p]) {
			t.Errorf("%s differs between two exports of the same snapshot", p)
		}
	}
	z1, _ := os.ReadFile(r1.Zip)
	z2, _ := os.ReadFile(r2.Zip)
	if !bytes.Equal(z1, z2) {
		t.Error("the zips differ")
	}
	if !strings.HasPrefix(r1.Name, "jcconnect-evidence-acme-corp-2j-20260801T100000Z") {
		t.Errorf("bundle name %q", r1.Name)
	}
	// Never overwrite.
	if _, err := Export(context.Background(), s, Evaluate(s, DefaultThresholds()), d1); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("second export into the same folder: %v", err)
	}
	// No temporary folder left behind.
	entries, _ := os.ReadDir(d1)
	if len(entries) != 2 {
		t.Errorf("out dir holds %d entries, want folder + zip", len(entries))
	}
}

func TestManifestMatchesFiles(t *testing.T) {
	s := richSnapshot()
	res, err := Export(context.Background(), s, Evaluate(s, DefaultThresholds()), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	tree := readTree(t, res.Dir)
	var m Manifest
	if err := json.Unmarshal(tree["manifest.json"], &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Files) != len(tree)-1 {
		t.Errorf("manifest lists %d files, bundle holds %d besides it", len(m.Files), len(tree)-1)
	}
	for _, f := range m.Files {
		b, ok := tree[f.Path]
		if !ok {
			t.Errorf("manifest lists missing %s", f.Path)
			continue
		}
		sum := sha256.Sum256(b)
		if hex.EncodeToString(sum[:]) != f.SHA256 || f.Bytes != len(b) {
			t.Errorf("%s: digest or size mismatch", f.Path)
		}
	}
	for _, want := range []string{"summary.md", "checks.json", "checks.csv", "devices.csv", "users.csv",
		"administrators.csv", "raw/devices.json", "raw/system_insights/alf.json", "raw/collection.json"} {
		if _, ok := tree[want]; !ok {
			t.Errorf("bundle lacks %s", want)
		}
	}
	// The zip holds the same bytes under the bundle's folder.
	zr, err := zip.OpenReader(res.Zip)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	if len(zr.File) != len(tree) {
		t.Errorf("zip has %d entries, folder %d", len(zr.File), len(tree))
	}
	for _, f := range zr.File {
		rc, _ := f.Open()
		var b bytes.Buffer
		b.ReadFrom(rc)
		rc.Close()
		rel := strings.TrimPrefix(f.Name, res.Name+"/")
		if !bytes.Equal(b.Bytes(), tree[rel]) {
			t.Errorf("zip entry %s differs from the folder", f.Name)
		}
		if !f.Modified.Equal(s.CollectedAt) {
			t.Errorf("zip entry %s mod time %v, want the collection time", f.Name, f.Modified)
		}
	}
}

func TestExportDefusesFormulasAndEscapes(t *testing.T) {
	s := richSnapshot()
	files, _, err := Bundle(s, Evaluate(s, DefaultThresholds()))
	if err != nil {
		t.Fatal(err)
	}
	byPath := map[string][]byte{}
	for _, f := range files {
		byPath[f.Path] = f.data
	}
	rows, err := csv.NewReader(bytes.NewReader(byPath["devices.csv"])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != strings.Join(DeviceColumns(), ",") {
		t.Errorf("header %v", rows[0])
	}
	names := map[string]string{}
	for _, r := range rows[1:] {
		names[r[0]] = r[1]
	}
	if names["d1"] != `'=HYPERLINK("http://evil")` {
		t.Errorf("formula not defused: %q", names["d1"])
	}
	if strings.ContainsRune(names["d2"], 0x1b) || strings.ContainsRune(names["d2"], 0x07) {
		t.Errorf("escape sequence reached the CSV: %q", names["d2"])
	}
	users, _ := csv.NewReader(bytes.NewReader(byPath["users.csv"])).ReadAll()
	if users[1][1] != "'@admin" {
		t.Errorf("@ not defused: %q", users[1][1])
	}
	sum := string(byPath["summary.md"])
	if strings.ContainsRune(sum, 0x1b) || !strings.Contains(sum, `Acme \| Corp`) {
		t.Errorf("summary does not sanitise the org name")
	}
	for _, want := range []string{"0123456789ab", "Read Only", "not permitted for this role", "bitlocker_info", "stale after 30 days", "Pass rate"} {
		if !strings.Contains(sum, want) {
			t.Errorf("summary lacks %q", want)
		}
	}
	for _, c := range []struct{ in, want string }{{"-1", "'-1"}, {"+x", "'+x"}, {"a=b", "a=b"}, {"", ""}, {"\tx", "?x"}, {"\x1b[31m", "?[31m"}} {
		if got := SafeCell(c.in); got != c.want {
			t.Errorf("SafeCell(%q) = %q", c.in, got)
		}
	}
}

func TestJSONLinesStableColumns(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSONLines(&b, []string{"z", "a"}, [][]string{{"1", "x\x1b"}, {"2"}}); err != nil {
		t.Fatal(err)
	}
	want := "{\"z\":\"1\",\"a\":\"x\\u001b\"}\n{\"z\":\"2\",\"a\":\"\"}\n"
	if b.String() != want {
		t.Errorf("got %q want %q", b.String(), want)
	}
}

func TestBundleLeavesOutSourcesThatWereNotRead(t *testing.T) {
	s := richSnapshot()
	setState(s, string(jumpcloud.SourceAdmins), StateNotPermitted)
	s.Admins = nil
	files, _, err := Bundle(s, Evaluate(s, DefaultThresholds()))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		switch f.Path {
		case "raw/administrators.json", "administrators.csv", "raw/applications.json", "raw/system_insights/bitlocker_info.json":
			t.Errorf("%s exported for a source that was not read", f.Path)
		case "summary.md":
			if strings.Contains(string(f.data), "`admin_mfa`") {
				t.Error("the summary rates a check whose source was not read")
			}
		}
	}
}
