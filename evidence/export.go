package evidence

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"jcconnect/jumpcloud"
)

// BundleFile is one file of an export, with its digest.
type BundleFile struct {
	Path   string `json:"path"` // relative, forward slashes
	SHA256 string `json:"sha256"`
	Bytes  int    `json:"bytes"`
	data   []byte
}

// Manifest lists every file of a bundle (except itself) with its SHA-256.
type Manifest struct {
	Bundle         string       `json:"bundle"`
	Generator      string       `json:"generator"`
	CollectedAt    time.Time    `json:"collectedAt"`
	OrgID          string       `json:"orgId"`
	OrgName        string       `json:"orgName"`
	KeyFingerprint string       `json:"keyFingerprint"`
	Evidence       Completeness `json:"evidence"`
	Files          []BundleFile `json:"files"`
}

// Completeness is the mark manifest.json and raw/collection.json carry (summary.md says it in
// words at the top): whether every chosen source was read in full and, when not, which were not.
type Completeness struct {
	Complete bool     `json:"complete"`
	Gaps     []string `json:"gaps,omitempty"` // "devices (INCOMPLETE: 50 of 200 read)", "users (failed)"
}

// CompletenessOf is the snapshot's mark, from Snapshot.Gaps.
func CompletenessOf(s *Snapshot) Completeness {
	return Completeness{Complete: s.Complete(), Gaps: s.GapNames()}
}

// ExportResult says where a bundle was written.
type ExportResult struct {
	Name     string // the bundle's name (folder name without path)
	Dir      string // the folder
	Zip      string // the zip of the folder, beside it
	Manifest Manifest
}

// BundleName is "jcconnect-evidence-<org>-<collected-at>": the organisation and the time.
func BundleName(s *Snapshot) string {
	return "jcconnect-evidence-" + slug(firstNonEmpty(s.OrgName, s.OrgID, "org")) + "-" +
		s.CollectedAt.UTC().Format("20060102T150405Z")
}

func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		default:
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
		}
		if b.Len() >= 40 {
			break
		}
	}
	out := strings.Trim(b.String(), "-")
	if out == "" {
		return "org"
	}
	return out
}

// Bundle renders every file of the export in memory, in path order. Rendering is deterministic:
// the same snapshot and report give byte-identical files (struct fields in declaration order, map
// keys sorted by encoding/json, slices sorted by the collector, times from the snapshot).
func Bundle(s *Snapshot, r *Report) ([]BundleFile, Manifest, error) {
	if s.PolicyStatusesForChecksOnly {
		// Every policy status is evidence: a snapshot that read only the checks' is not a bundle.
		return nil, Manifest{}, errors.New("this collection read the statuses of only the policies the checks need, not every policy: an export collects them all (run `jcconnect evidence export`)")
	}
	var files []BundleFile
	var firstErr error
	add := func(path string, data []byte, err error) {
		if err != nil && firstErr == nil {
			firstErr = fmt.Errorf("rendering %s: %w", path, err)
		}
		sum := sha256.Sum256(data)
		files = append(files, BundleFile{Path: path, SHA256: hex.EncodeToString(sum[:]), Bytes: len(data), data: data})
	}
	addJSON := func(path string, v any) {
		b, err := json.MarshalIndent(v, "", "  ")
		add(path, append(EscapeJSON(b), '\n'), err)
	}
	addCSV := func(path string, header []string, rows [][]string) {
		var b bytes.Buffer
		err := WriteCSV(&b, header, rows)
		add(path, b.Bytes(), err)
	}
	// A source's raw file is written when it was read, or when a failed source kept part of its
	// data (policy statuses); an empty file for a source that could not be read would read as
	// "there are none".
	kept := map[string]int{
		string(jumpcloud.SourceDevices): len(s.Devices), string(jumpcloud.SourcePolicies): len(s.Policies),
		string(jumpcloud.SourcePolicyResults): len(s.PolicyStatuses), string(jumpcloud.SourceUsers): len(s.Users),
		string(jumpcloud.SourceAdmins): len(s.Admins), string(jumpcloud.SourceApplications): len(s.Applications),
		string(jumpcloud.SourceAuthnPolicies): len(s.AuthnPolicies), SourcePolicySettings: len(s.PolicyDetails),
	}
	for _, t := range insightTablesRead() {
		kept[InsightSource(t)] = len(s.Insights[t])
	}
	collected := func(source string) bool {
		return s.Status(source).State == StateOK || kept[source] > 0
	}

	addJSON("raw/collection.json", struct {
		CollectedAt    time.Time      `json:"collectedAt"`
		OrgID          string         `json:"orgId"`
		OrgName        string         `json:"orgName"`
		Region         string         `json:"region"`
		BaseURL        string         `json:"baseUrl"`
		KeyFingerprint string         `json:"keyFingerprint"`
		Role           string         `json:"role"`
		OwnerEmail     string         `json:"ownerEmail,omitempty"`
		Integrations   Integrations   `json:"integrations"`
		Evidence       Completeness   `json:"evidence"`
		Sources        []SourceStatus `json:"sources"`
	}{s.CollectedAt, s.OrgID, s.OrgName, s.Region, s.BaseURL, s.KeyFingerprint, s.Role, s.OwnerEmail, s.Integrations,
		CompletenessOf(s), s.Sources})
	addJSON("raw/organization.json", struct {
		ID       string                          `json:"id"`
		Name     string                          `json:"name"`
		Settings *jumpcloud.OrganizationSettings `json:"settings"`
	}{s.OrgID, s.OrgName, s.Settings})
	if collected(string(jumpcloud.SourceDevices)) {
		addJSON("raw/devices.json", nonNil(s.Devices))
	}
	if collected(string(jumpcloud.SourcePolicies)) {
		addJSON("raw/policies.json", nonNil(s.Policies))
	}
	if collected(string(jumpcloud.SourcePolicyResults)) {
		addJSON("raw/policy_statuses.json", nonNil(s.PolicyStatuses))
	}
	if collected(SourcePolicySettings) {
		// Sensitive values were dropped when decoding: only their field names are here.
		addJSON("raw/policy_settings.json", nonNil(s.PolicyDetails))
	}
	for _, table := range insightTablesRead() {
		if collected(InsightSource(table)) {
			addJSON("raw/system_insights/"+table+".json", nonNil(s.Insights[table]))
		}
	}
	if collected(string(jumpcloud.SourceUsers)) {
		addJSON("raw/users.json", nonNil(s.Users))
	}
	if collected(string(jumpcloud.SourceAdmins)) {
		addJSON("raw/administrators.json", nonNil(s.Admins))
	}
	if collected(string(jumpcloud.SourceApplications)) {
		addJSON("raw/applications.json", nonNil(s.Applications))
	}
	if collected(string(jumpcloud.SourceAuthnPolicies)) {
		addJSON("raw/conditional_access.json", nonNil(s.AuthnPolicies))
	}

	addJSON("checks.json", r)
	addCSV("checks.csv", CheckColumns, CheckRows(r))
	if s.Integrations.Endpoint {
		addCSV("devices.csv", DeviceColumns(), DeviceRows(r.Devices))
	}
	if s.Integrations.SSO {
		addCSV("users.csv", UserColumns(UserChecks), UserRows(r.Users))
	}
	if collected(string(jumpcloud.SourceAdmins)) {
		addCSV("administrators.csv", UserColumns(AdminChecks), UserRows(r.Admins))
	}
	add("summary.md", []byte(Summary(s, r)), nil)

	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	m := Manifest{Bundle: BundleName(s), Generator: "jcconnect", CollectedAt: s.CollectedAt,
		OrgID: s.OrgID, OrgName: s.OrgName, KeyFingerprint: s.KeyFingerprint, Evidence: CompletenessOf(s), Files: files}
	mb, err := json.MarshalIndent(m, "", "  ")
	mb = EscapeJSON(mb)
	if err != nil && firstErr == nil {
		firstErr = err
	}
	files = append(files, BundleFile{Path: "manifest.json", Bytes: len(mb) + 1, data: append(mb, '\n')})
	return files, m, firstErr
}

// nonNil makes an empty source export as [] rather than null.
func nonNil[T any](v []T) []T {
	if v == nil {
		return []T{}
	}
	return v
}

// Export writes the bundle as a folder and a zip of it in outDir. The folder is written under a
// temporary name and renamed when complete, so a failed export leaves no half bundle; an existing
// bundle of the same name is never overwritten.
func Export(s *Snapshot, r *Report, outDir string) (_ ExportResult, err error) {
	files, m, err := Bundle(s, r)
	if err != nil {
		return ExportResult{}, err
	}
	name := BundleName(s)
	if outDir == "" {
		outDir = "."
	}
	if err := PrepareOutDir(outDir); err != nil {
		return ExportResult{}, err
	}
	res := ExportResult{Name: name, Dir: filepath.Join(outDir, name), Zip: filepath.Join(outDir, name+".zip"), Manifest: m}
	for _, p := range []string{res.Dir, res.Zip} {
		if _, err := os.Lstat(p); err == nil {
			return ExportResult{}, fmt.Errorf("%s already exists: this snapshot was exported there before; move it or pass another --out", p)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return ExportResult{}, err
		}
	}

	tmp, err := os.MkdirTemp(outDir, "."+name+"-")
	if err != nil {
		return ExportResult{}, fmt.Errorf("cannot write in %s: %w", outDir, err)
	}
	// After a successful rename tmp no longer exists; otherwise a half-written folder left
	// behind is reported with the error that stopped the export.
	defer func() { err = errors.Join(err, os.RemoveAll(tmp)) }()
	for _, f := range files {
		p := filepath.Join(tmp, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			return ExportResult{}, err
		}
		if err := os.WriteFile(p, f.data, 0o600); err != nil {
			return ExportResult{}, err
		}
	}
	zipData, err := Zip(name, files, s.CollectedAt)
	if err != nil {
		return ExportResult{}, err
	}
	tmpZip := filepath.Join(tmp, ".bundle.zip")
	if err := os.WriteFile(tmpZip, zipData, 0o600); err != nil {
		return ExportResult{}, err
	}
	if err := os.Rename(tmpZip, res.Zip); err != nil {
		return ExportResult{}, err
	}
	if err := os.Rename(tmp, res.Dir); err != nil {
		// A zip without its folder would look like a complete bundle: it must go too.
		return ExportResult{}, errors.Join(err, os.Remove(res.Zip))
	}
	return res, nil
}

// PrepareOutDir makes sure dir can take a bundle before anything is collected: it is created
// (0700: bundles hold e-mails and device owners) when missing, and must be a writable folder.
func PrepareOutDir(dir string) error {
	if dir == "" {
		dir = "."
	}
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("cannot create the output folder %q: %w; create it or pass another --out", dir, err)
		}
	case err != nil:
		return fmt.Errorf("cannot use the output folder %q: %w; pass another --out", dir, err)
	case !st.IsDir():
		return fmt.Errorf("the output %q is not a folder: pass a folder with --out", dir)
	}
	probe, err := os.CreateTemp(dir, ".jcconnect-write-check-")
	if err != nil {
		return fmt.Errorf("cannot write in the output folder %q: %w; pass another --out", dir, err)
	}
	probe.Close()
	os.Remove(probe.Name())
	return nil
}

// Zip archives the files under a folder named name, in path order, every entry stamped with the
// same modification time (the collection time) so the zip is as deterministic as the files.
func Zip(name string, files []BundleFile, mod time.Time) ([]byte, error) {
	sorted := append([]BundleFile(nil), files...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Path < sorted[j].Path })
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range sorted {
		h := &zip.FileHeader{Name: name + "/" + f.Path, Method: zip.Deflate, Modified: mod.UTC()}
		h.SetMode(0o600)
		w, err := zw.CreateHeader(h)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(f.data); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
