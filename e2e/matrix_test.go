//go:build linux

package e2e

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// scenario is one row of the fault matrix: the machine before (keyring, setup), the fault, the
// command, and what must hold: its exit code, a time bound as a multiple of the configured
// deadline, a fragment of what it says, and checks of what is left afterwards.
type scenario struct {
	group, name string
	// needs names a feature another branch brings ("i9-gaps"). The row is skipped only while the
	// built program lacks it (see hasFeature): once it lands, the row runs and must pass.
	needs   string
	keyring keyringKind
	devices int // the organisation's size (default 40)

	setup func(w *world)          // the state before the fault (usually a stored key)
	fault func(w *world)          // the fault: a server, a file, a signal plan (w.during)
	args  func(w *world) []string // the command
	stdin func(w *world) string

	exit     []int         // accepted exit codes (one, except where another branch decides)
	deadline time.Duration // the configured deadline the bound is a multiple of
	bound    float64       // the time bound: bound × deadline + plus
	plus     time.Duration
	says     string  // a fragment of stdout+stderr ("" for none)
	after    []check // what must still be true afterwards
}

type check struct {
	name string
	fn   func(w *world, r result) error
}

// outcome is a row's measurement, for the report at the end.
type outcome struct {
	row     string
	status  string // "pass", "FAIL", "waits for i9-gaps"
	elapsed time.Duration
	bound   time.Duration
}

func (s scenario) limit() time.Duration {
	return time.Duration(s.bound*float64(s.deadline)) + s.plus
}

func TestFaultMatrix(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the built program through every fault: skipped with -short")
	}
	c := &canary{}
	rows := scenarios()
	var outcomes []outcome
	for _, s := range rows {
		name := s.group + "/" + s.name
		o := outcome{row: name, bound: s.limit()}
		ran := false
		ok := t.Run(name, func(t *testing.T) {
			ran = true
			defer func() {
				if t.Skipped() && o.status == "" {
					o.status = "skipped" // no dbus or gnome-keyring here: not a pass
				}
			}()
			if s.needs != "" && !hasFeature(t, s.needs) && os.Getenv("E2E_RUN_WAITING") == "" {
				o.status = "waits for " + s.needs
				t.Skipf("needs %s, which the built program does not have yet", s.needs)
			}
			o.elapsed = runScenario(t, s, c)
		})
		switch {
		case !ran:
			continue // not selected by -run
		case o.status != "":
		case ok:
			o.status = "pass"
		default:
			o.status = "FAIL"
		}
		outcomes = append(outcomes, o)
	}

	hits, scanned, err := c.scan()
	if err != nil {
		t.Errorf("canary scan: %v", err)
	}
	for _, h := range hits {
		t.Errorf("canary: %s", h)
	}
	passed, waiting := 0, 0
	var table strings.Builder
	for _, o := range outcomes {
		switch {
		case o.status == "pass":
			passed++
		case strings.HasPrefix(o.status, "waits"):
			waiting++
		}
		fmt.Fprintf(&table, "  %-58s %-18s %7.2fs of %6.2fs\n", o.row, o.status, o.elapsed.Seconds(), o.bound.Seconds())
	}
	summary := fmt.Sprintf("fault matrix: %d/%d scenarios, %d canary hits", passed, len(outcomes), len(hits))
	if waiting > 0 {
		summary += fmt.Sprintf(" (%d waiting for another branch)", waiting)
	}
	fmt.Printf("%s\n%s  (%d outputs and files scanned for %d secrets)\n", summary, table.String(), scanned, len(c.secrets))
}

// runScenario runs one row and returns the command's measured time.
func runScenario(t *testing.T, s scenario, c *canary) time.Duration {
	devices := s.devices
	if devices == 0 {
		devices = 40
	}
	w := newWorld(t, s.keyring, c, devices)
	if s.setup != nil {
		s.setup(w)
	}
	if s.fault != nil {
		s.fault(w)
	}
	stdin := ""
	if s.stdin != nil {
		stdin = s.stdin(w)
	}
	r := w.run(stdin, s.args(w)...)
	elapsed := r.elapsed
	if !w.clockFrom.IsZero() {
		elapsed = w.clockEnd.Sub(w.clockFrom) // measured from the moment the fault began
	}
	w.stopAt, w.resume = "", ""
	for _, n := range w.notes {
		t.Log(n)
	}
	okCode := false
	for _, code := range s.exit {
		okCode = okCode || r.code == code
	}
	if !okCode {
		t.Errorf("exit %d; want one of %v\n%s", r.code, s.exit, r.brief())
	}
	if elapsed > s.limit() {
		t.Errorf("took %s; the bound is %s (%.1f × %s + %s)", elapsed.Round(time.Millisecond), s.limit(), s.bound, s.deadline, s.plus)
	}
	if s.says != "" && !strings.Contains(r.text(), s.says) {
		t.Errorf("the output does not say %q:\n%s", s.says, r.brief())
	}
	if strings.Contains(r.text(), "panic:") || strings.Contains(r.text(), "goroutine ") {
		t.Errorf("the program crashed:\n%s", r.brief())
	}
	w.endFaults() // the checks below read the keyring and the API
	for _, ch := range s.after {
		if err := ch.fn(w, r); err != nil {
			t.Errorf("afterwards, %s: %v", ch.name, err)
		}
	}
	t.Logf("exit %d in %s (bound %s)", r.code, elapsed.Round(time.Millisecond), s.limit())
	if os.Getenv("E2E_SHOW") != "" {
		t.Log(r.brief())
	}
	return elapsed
}

// hasFeature (E2E_RUN_WAITING=1 runs the waiting rows anyway, to see where main stands) tells whether the built program has a feature another branch brings, from its
// --help (so the row runs as soon as the feature lands, without editing the table).
func hasFeature(t *testing.T, feature string) bool {
	switch feature {
	case "i9-gaps":
		out, _ := exec.Command(program, "evidence", "export", "--help").CombinedOutput()
		return bytes.Contains(out, []byte("--allow-partial"))
	}
	t.Fatalf("unknown feature %q", feature)
	return false
}

// Checks of what must still be true afterwards.

// keyUnchanged: the key stored before the fault is still stored (read from the keyring
// directly), the profile describes it, and it still works (status exits 0).
var keyUnchanged = check{"the stored key is unchanged", func(w *world, _ result) error {
	if got := w.storedFingerprint("default"); got != fingerprint(w.key) {
		return fmt.Errorf("the keyring holds %q; want the key stored before (%s)", got, fingerprint(w.key))
	}
	rep, r := w.status()
	if r.code != 0 || len(rep.Profiles) != 1 || rep.Profiles[0].Fingerprint != fingerprint(w.key) {
		return fmt.Errorf("status exit %d, %+v", r.code, rep.Profiles)
	}
	return nil
}}

// nothingStored: no profile and no keyring item.
var nothingStored = check{"nothing is stored", func(w *world, _ result) error {
	if b, err := os.ReadFile(w.metadataPath()); err == nil && bytes.Contains(b, []byte(`"name"`)) {
		return fmt.Errorf("profiles.json records a profile: %s", b)
	}
	if w.kind == kUnlocked {
		if got := w.storedFingerprint("default"); !strings.HasPrefix(got, "error=") {
			return fmt.Errorf("a keyring item exists (fingerprint %s)", got)
		}
	}
	return nil
}}

// nothingWritten: the export folder is empty (no bundle, no half bundle, no temporary folder).
var nothingWritten = check{"nothing is written to the export folder", func(w *world, _ result) error {
	entries, _ := os.ReadDir(w.out)
	if len(entries) > 0 {
		return fmt.Errorf("the export folder holds %v", entries)
	}
	return nil
}}

// profilesIntact: profiles.json is byte for byte what it was before the command (kept aside
// under a .corrupt- name counts when the original was damaged: the bytes are kept).
var profilesIntact = check{"profiles.json is intact", func(w *world, _ result) error {
	if w.profilesBefore == nil {
		return fmt.Errorf("the scenario took no copy of profiles.json")
	}
	if b, err := os.ReadFile(w.metadataPath()); err == nil && bytes.Equal(b, w.profilesBefore) {
		return nil
	}
	aside, _ := filepath.Glob(w.metadataPath() + ".corrupt-*")
	for _, p := range aside {
		if b, err := os.ReadFile(p); err == nil && bytes.Equal(b, w.profilesBefore) {
			return nil
		}
	}
	return fmt.Errorf("profiles.json changed and its previous content is nowhere")
}}

// bundleIncomplete: a bundle was written and says INCOMPLETE in its summary and manifest.
var bundleIncomplete = check{"the bundle is marked incomplete", func(w *world, _ result) error {
	summaries, _ := filepath.Glob(filepath.Join(w.out, "*", "summary.md"))
	manifests, _ := filepath.Glob(filepath.Join(w.out, "*", "manifest.json"))
	if len(summaries) != 1 || len(manifests) != 1 {
		return fmt.Errorf("no single bundle in %s (%v)", w.out, summaries)
	}
	s, _ := os.ReadFile(summaries[0])
	m, _ := os.ReadFile(manifests[0])
	marked := bytes.Contains(bytes.ToLower(m), []byte("incomplete")) || bytes.Contains(m, []byte(`"complete": false`))
	if !bytes.Contains(s, []byte("INCOMPLETE")) || !marked {
		return fmt.Errorf("the summary does not say INCOMPLETE, or the manifest carries no incomplete mark")
	}
	return nil
}}

// bundleComplete: a bundle was written, not marked incomplete.
var bundleComplete = check{"a complete bundle is written", func(w *world, _ result) error {
	summaries, _ := filepath.Glob(filepath.Join(w.out, "*", "summary.md"))
	if len(summaries) != 1 {
		return fmt.Errorf("no single bundle in %s", w.out)
	}
	if s, _ := os.ReadFile(summaries[0]); bytes.Contains(s, []byte("INCOMPLETE")) {
		return fmt.Errorf("the bundle says INCOMPLETE")
	}
	return nil
}}

// consistentKey: after a killed write, exactly one working key is stored and the profile shown
// describes that key (its owner), whichever of the two it is.
var consistentKey = check{"one working key is stored and the profile describes it", func(w *world, _ result) error {
	rep, r := w.status()
	if r.code != 0 || len(rep.Profiles) != 1 {
		return fmt.Errorf("status exit %d: %s", r.code, r.text())
	}
	p := rep.Profiles[0]
	stored := w.storedFingerprint("default")
	if stored != p.Fingerprint {
		return fmt.Errorf("status shows fingerprint %s; the keyring holds %s", p.Fingerprint, stored)
	}
	switch p.Fingerprint {
	case fingerprint(w.key):
		if p.Owner != w.ownerA {
			return fmt.Errorf("the first key is shown with owner %q; its owner is %q", p.Owner, w.ownerA)
		}
	case fingerprint(w.keyB):
		if p.Owner != w.ownerB {
			return fmt.Errorf("the new key is shown with owner %q; its owner is %q", p.Owner, w.ownerB)
		}
	default:
		return fmt.Errorf("status shows a key that is neither of the two (%s)", p.Fingerprint)
	}
	return nil
}}

// noProfileOrConsistent: after a first save killed, either nothing is set up, or the key is
// and its profile describes it.
var noProfileOrConsistent = check{"nothing, or the new key and its profile, is stored", func(w *world, r result) error {
	rep, sr := w.status()
	if sr.code == 4 && rep.State == "no_profile" {
		if got := w.storedFingerprint("default"); !strings.HasPrefix(got, "error=") {
			return fmt.Errorf("no profile, but a keyring item is left behind (%s)", got)
		}
		return nil
	}
	if sr.code != 0 || len(rep.Profiles) != 1 || rep.Profiles[0].Fingerprint != fingerprint(w.key) ||
		w.storedFingerprint("default") != fingerprint(w.key) {
		return fmt.Errorf("status exit %d: %s", sr.code, sr.text())
	}
	return nil
}}
