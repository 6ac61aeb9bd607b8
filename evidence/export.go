package evidence

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
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
// keys sorted by encoding/json, slices sorted by the collector, times from the snapshot). Export
// renders the same files straight to disk instead (renderBundle).
func Bundle(s *Snapshot, r *Report) ([]BundleFile, Manifest, error) {
	return renderBundle(s, evaluationOf(r), memorySink{})
}

// errChecksOnlyStatuses refuses a bundle of a collection that read only the checks' statuses.
var errChecksOnlyStatuses = errors.New("this collection read the statuses of only the policies the checks need, not every policy: an export collects them all (run `jcconnect evidence export`)")

// errSpoolGone refuses a second bundle of a snapshot whose raw sources were spooled for one
// export: its records are the checks' part only.
var errSpoolGone = errors.New("this collection's raw sources were written for the export made with it and are gone: collect again to export (run `jcconnect evidence export`)")

// renderBundle writes every file of the bundle into sink, each as it is rendered (raw sources
// record by record, the check files device by device: writeCheckFiles), so what is held at once
// is the snapshot and one record: never a whole file, and, when e evaluates as it goes
// (ExportEvaluating), never the whole report. It returns the files in path order,
// manifest.json last (with no digest of its own, as the manifest cannot list itself).
func renderBundle(s *Snapshot, e *evaluation, sink bundleSink) ([]BundleFile, Manifest, error) {
	if s.recordsDropped {
		return nil, Manifest{}, ErrRecordsDropped
	}
	if s.PolicyStatusesForChecksOnly {
		// Every policy status is evidence: a snapshot that read only the checks' is not a bundle.
		return nil, Manifest{}, errChecksOnlyStatuses
	}
	if s.rawOnlySpooled && s.raw == nil {
		return nil, Manifest{}, errSpoolGone
	}
	var files []BundleFile
	add := func(path string, write func(io.Writer) error) error {
		f, err := writeBundleFile(sink, path, write)
		if err != nil {
			return fmt.Errorf("rendering %s: %w", path, err)
		}
		files = append(files, f)
		return nil
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
	type rawFile struct {
		source, path string
		write        func(io.Writer) error
	}
	raws := []rawFile{
		{string(jumpcloud.SourceDevices), "raw/devices.json", devicesFile(s.Devices)},
		{string(jumpcloud.SourcePolicies), "raw/policies.json", jsonArrayFile(s.Policies)},
		{string(jumpcloud.SourcePolicyResults), "raw/policy_statuses.json", jsonArrayFile(s.PolicyStatuses)},
		// Sensitive values were dropped when decoding: only their field names are here.
		{SourcePolicySettings, "raw/policy_settings.json", jsonArrayFile(s.PolicyDetails)},
	}
	for _, table := range insightTablesRead() {
		raws = append(raws, rawFile{InsightSource(table), "raw/system_insights/" + table + ".json", jsonArrayFile(s.Insights[table])})
	}
	raws = append(raws,
		rawFile{string(jumpcloud.SourceUsers), "raw/users.json", jsonArrayFile(s.Users)},
		rawFile{string(jumpcloud.SourceAdmins), "raw/administrators.json", jsonArrayFile(s.Admins)},
		rawFile{string(jumpcloud.SourceApplications), "raw/applications.json", jsonArrayFile(s.Applications)},
		rawFile{string(jumpcloud.SourceAuthnPolicies), "raw/conditional_access.json", jsonArrayFile(s.AuthnPolicies)})
	// An export's collection spooled its raw sources as they arrived: they are copied from there,
	// the same bytes (spool.go), whatever the snapshot still holds of the records.
	for i, rf := range raws {
		if f, ok := s.raw.kept(rf.source); ok {
			raws[i].write = f.writeArray
			kept[rf.source] = f.count()
		}
	}

	steps := []func() error{
		func() error {
			return add("raw/collection.json", jsonFile(struct {
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
				CompletenessOf(s), s.Sources}))
		},
		func() error {
			return add("raw/organization.json", jsonFile(struct {
				ID       string                          `json:"id"`
				Name     string                          `json:"name"`
				Settings *jumpcloud.OrganizationSettings `json:"settings"`
			}{s.OrgID, s.OrgName, s.Settings}))
		},
	}
	for _, rf := range raws {
		steps = append(steps, func() error {
			if !collected(rf.source) {
				return nil
			}
			return add(rf.path, rf.write)
		})
	}
	steps = append(steps,
		func() error {
			checkFiles, facts, err := writeCheckFiles(sink, e, checkFiles{devicesCSV: s.Integrations.Endpoint,
				usersCSV: s.Integrations.SSO, adminsCSV: collected(string(jumpcloud.SourceAdmins))})
			if err != nil {
				return err
			}
			files = append(files, checkFiles...)
			return add("summary.md", func(w io.Writer) error {
				_, err := io.WriteString(w, summaryText(s, facts))
				return err
			})
		})
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, Manifest{}, err
		}
	}

	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	m := Manifest{Bundle: BundleName(s), Generator: "jcconnect", CollectedAt: s.CollectedAt,
		OrgID: s.OrgID, OrgName: s.OrgName, KeyFingerprint: s.KeyFingerprint, Evidence: CompletenessOf(s), Files: files}
	mf, err := writeBundleFile(sink, "manifest.json", jsonFile(m))
	if err != nil {
		return nil, Manifest{}, fmt.Errorf("rendering manifest.json: %w", err)
	}
	mf.SHA256 = ""
	return append(files, mf), m, nil
}

// Export writes the bundle as a folder and a zip of it in outDir. The folder is written under a
// temporary name and renamed when complete, so a failed export leaves no half bundle; an existing
// bundle of the same name is never overwritten. Each file goes to disk as it is rendered, hashed
// as it is written, and the zip is made by copying the files back: a bundle is never held in
// memory (at 50,000 devices its files are half a gigabyte). Canceling ctx stops the writing
// within one buffer (64 KB) of a file, removes what was written and returns an error that
// wraps ctx.Err() (ErrExportCanceled says so).
func Export(ctx context.Context, s *Snapshot, r *Report, outDir string) (ExportResult, error) {
	return exportBundle(ctx, s, evaluationOf(r), outDir)
}

// ExportEvaluating is Export of Evaluate(s, t), with each device and user evaluated as it is
// written (checks.json, checks.csv, devices.csv and users.csv in one pass) and then dropped: the
// same bundle, byte for byte, without ever holding the report (about 100 MB at 50,000 devices).
// The thresholds used, with their defaults filled in, are returned with the result.
func ExportEvaluating(ctx context.Context, s *Snapshot, t Thresholds, outDir string) (ExportResult, Thresholds, error) {
	if s.recordsDropped {
		return ExportResult{}, t, ErrRecordsDropped // before the evaluation, which would panic
	}
	e := newEvaluation(s, t)
	res, err := exportBundle(ctx, s, e, outDir)
	return res, e.thresholds, err
}

func exportBundle(ctx context.Context, s *Snapshot, e *evaluation, outDir string) (_ ExportResult, err error) {
	if s.recordsDropped {
		return ExportResult{}, ErrRecordsDropped
	}
	if s.PolicyStatusesForChecksOnly {
		return ExportResult{}, errChecksOnlyStatuses
	}
	name := BundleName(s)
	if outDir == "" {
		outDir = "."
	}
	if err := PrepareOutDir(outDir); err != nil {
		return ExportResult{}, err
	}
	res := ExportResult{Name: name, Dir: filepath.Join(outDir, name), Zip: filepath.Join(outDir, name+".zip")}
	if err := RefuseExisting(res); err != nil {
		return ExportResult{}, err
	}
	stop := newExportStop(ctx)
	if err := stop.check(); err != nil {
		return ExportResult{}, err
	}

	tmp, err := os.MkdirTemp(outDir, "."+name+"-")
	if err != nil {
		return ExportResult{}, fmt.Errorf("cannot write in %s: %w", outDir, err)
	}
	// After a successful rename tmp no longer exists; otherwise a half-written folder left
	// behind is reported with the error that stopped the export.
	defer func() {
		if rmErr := os.RemoveAll(tmp); rmErr != nil {
			err = errors.Join(err, fmt.Errorf("%w (%s): %w", ErrBundleLeftBehind, tmp, rmErr))
		}
	}()
	files, m, err := renderBundle(s, e, stoppableSink{sink: dirSink{dir: tmp}, stop: stop})
	if err != nil {
		return ExportResult{}, err
	}
	res.Manifest = m
	tmpZip := filepath.Join(tmp, ".bundle.zip")
	if err := writeZipFile(tmpZip, name, files, s.CollectedAt, tmp, stop); err != nil {
		return ExportResult{}, err
	}
	// The last point at which nothing is in place yet: canceled now, nothing is left.
	if err := stop.check(); err != nil {
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

// RefuseExisting is the error an export of res's bundle gives when its folder or its zip is
// already there (a bundle is never overwritten), or nil when neither is.
func RefuseExisting(res ExportResult) error {
	for _, p := range []string{res.Dir, res.Zip} {
		if _, err := os.Lstat(p); err == nil {
			return fmt.Errorf("%s already exists: this snapshot was exported there before; move it or pass another --out", p)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// writeZipFile writes the zip of the files under dir at path.
func writeZipFile(path, name string, files []BundleFile, mod time.Time, dir string, stop exportStop) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	bw := bufio.NewWriterSize(stoppableWriter{w: f, stop: stop}, 64<<10)
	sorted := append([]BundleFile(nil), files...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Path < sorted[j].Path })
	if err := writeZip(bw, name, sorted, mod, func(bf BundleFile) (io.ReadCloser, error) {
		if err := stop.check(); err != nil {
			return nil, err
		}
		return os.Open(filepath.Join(dir, filepath.FromSlash(bf.Path)))
	}); err != nil {
		return err
	}
	return bw.Flush()
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
