package evidence

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"jcconnect/jumpcloud"
)

// The OS version check asks "does the vendor still ship security updates for this release?",
// not "is it above one number per family": Windows support ends per build *and* edition
// (Windows 10 Enterprise LTSC 2021 outlives Windows 11 23H2 Home), macOS per major with a patch
// level, Linux per distribution release. The dates are data (os_support.json, with the date they
// were taken and their sources); the summary prints that date. --min-os overrides per family.

//go:embed os_support.json
var osSupportJSON []byte

// OSSupportTable is os_support.json.
type OSSupportTable struct {
	AsOf    string            `json:"asOf"` // YYYY-MM-DD: when the dates were taken
	Note    string            `json:"note"`
	Sources map[string]string `json:"sources"`
	Windows []struct {
		Build      int    `json:"build"`
		Name       string `json:"name"`
		Consumer   string `json:"consumer"`   // Home, Pro
		Enterprise string `json:"enterprise"` // Enterprise, Education
		LTSC       string `json:"ltsc"`       // Enterprise LTSC/LTSB
	} `json:"windows"`
	Darwin []struct {
		Major        int    `json:"major"`
		Name         string `json:"name"`
		MinVersion   string `json:"minVersion"`
		EndOfSupport string `json:"endOfSupport"`
	} `json:"darwin"`
	Linux []struct {
		Distribution string `json:"distribution"`
		Version      string `json:"version"`
		Name         string `json:"name"`
		EndOfSupport string `json:"endOfSupport"`
	} `json:"linux"`
}

var osSupport = func() OSSupportTable {
	var t OSSupportTable
	if err := json.Unmarshal(osSupportJSON, &t); err != nil {
		panic("evidence: os_support.json: " + err.Error()) // embedded data; TestOSSupportTableIsValid guards it
	}
	return t
}()

// OSSupport returns the end-of-support table the os_version check uses.
func OSSupport() OSSupportTable { return osSupport }

// supportedOn reports whether an end-of-support date ("" = none announced) is still ahead at t.
func supportedOn(eos string, t time.Time) (bool, error) {
	if eos == "" {
		return true, nil
	}
	d, err := time.Parse("2006-01-02", eos)
	if err != nil {
		return false, err
	}
	return t.Before(d.Add(24 * time.Hour)), nil
}

// judgeOS is what the table says of one device, its evidence added to e.
func judgeOS(ix *index, d *jumpcloud.Device, version string, at time.Time, e *deviceEvidence) (Status, string) {
	switch d.Family() {
	case jumpcloud.FamilyWindows:
		return judgeWindows(ix, d, at, e)
	case jumpcloud.FamilyDarwin:
		return judgeMac(version, at, e)
	case jumpcloud.FamilyLinux:
		return judgeLinux(ix, d, version, at, e)
	}
	return Unknown, fmt.Sprintf("the end-of-support table (as of %s) has no %s releases; set a minimum with --min-os %s=VERSION",
		osSupport.AsOf, firstNonEmpty(d.Family(), "unknown"), d.Family())
}

// osText is every name the API gives the device's OS, lower-cased, for matching editions and
// distributions. Built in a buffer on the stack and lower-cased in place when it is ASCII (as
// strings.ToLower would): one allocation per device instead of a join and a copy.
func osText(ix *index, d *jumpcloud.Device) string {
	parts := [7]string{d.OS(), d.Version()}
	n := 2
	if od := d.OSVersionDetail(); od != nil {
		parts[2], parts[3], parts[4] = od.OSName, od.DistributionName, od.Version
		n = 5
	}
	if rows := ix.insights[jumpcloud.TableOSVersion].of(d.ID); len(rows) > 0 {
		r := rows[len(rows)-1]
		parts[n], parts[n+1] = r.String("name"), r.String("platform")
		n += 2
	}
	var stack [256]byte
	buf := stack[:0]
	for i, p := range parts[:n] {
		if i > 0 {
			buf = append(buf, ' ')
		}
		buf = append(buf, p...)
	}
	for i, c := range buf {
		if c >= utf8.RuneSelf {
			return strings.ToLower(string(buf))
		}
		if 'A' <= c && c <= 'Z' {
			buf[i] = c + ('a' - 'A')
		}
	}
	return string(buf)
}

// windowsBuild finds the build number: System Insights os_version build ("26100.2605"), else the
// third part of a 10.0.NNNNN version, else the agent's patch number.
func windowsBuild(ix *index, d *jumpcloud.Device) int {
	var buf versionBuf
	lead := func(s string) int {
		p, ok := versionParts(s, buf[:])
		if !ok {
			return 0
		}
		return p[0]
	}
	if rows := ix.insights[jumpcloud.TableOSVersion].of(d.ID); len(rows) > 0 {
		r := rows[len(rows)-1]
		if b := lead(r.String("build")); b >= 10000 {
			return b
		}
		if b := lead(r.String("patch")); b >= 10000 {
			return b
		}
	}
	for _, v := range []string{d.Version()} {
		if p, ok := versionParts(v, buf[:]); ok && len(p) >= 3 && p[2] >= 10000 {
			return p[2]
		}
	}
	if od := d.OSVersionDetail(); od != nil {
		if p, ok := versionParts(od.Version, buf[:]); ok && len(p) >= 3 && p[2] >= 10000 {
			return p[2]
		}
		if b := lead(od.Patch); b >= 10000 {
			return b
		}
	}
	return 0
}

func judgeWindows(ix *index, d *jumpcloud.Device, at time.Time, e *deviceEvidence) (status Status, reason string) {
	text := osText(ix, d)
	build := windowsBuild(ix, d)
	edition := "consumer"
	switch {
	case strings.Contains(text, "ltsc") || strings.Contains(text, "ltsb"):
		edition = "ltsc"
	case strings.Contains(text, "enterprise") || strings.Contains(text, "education"):
		edition = "enterprise"
	case !strings.Contains(text, "home") && !strings.Contains(text, "pro"):
		edition = "unknown"
	}
	e.add("build", strconv.Itoa(build))
	e.add("edition", edition)
	e.add("table as of", osSupport.AsOf)
	if build == 0 {
		status, reason = Unknown, "the Windows build number could not be read"
		return status, reason
	}
	for _, w := range osSupport.Windows {
		if w.Build != build {
			continue
		}
		eos, label := w.Consumer, "Home/Pro"
		switch edition {
		case "enterprise":
			eos, label = w.Enterprise, "Enterprise/Education"
		case "ltsc":
			eos, label = firstNonEmpty(w.LTSC, w.Enterprise), "Enterprise LTSC"
		case "unknown":
			label = "Home/Pro (the edition is not stated, so the earliest date applies)"
		}
		e.add("end of support", eos)
		ok, err := supportedOn(eos, at)
		switch {
		case err != nil:
			status, reason = Unknown, "the support table has a bad date for "+w.Name
		case ok:
			status, reason = Pass, w.Name+" "+label+" is supported until "+firstNonEmpty(eos, "no announced date")
		default:
			status, reason = Fail, w.Name+" "+label+" reached end of support on "+eos
		}
		return status, reason
	}
	newest := 0
	for _, w := range osSupport.Windows {
		newest = max(newest, w.Build)
	}
	if build > newest {
		status, reason = Pass, fmt.Sprintf("build %d is newer than every release in the support table (as of %s)", build, osSupport.AsOf)
		return status, reason
	}
	status, reason = Fail, fmt.Sprintf("build %d is not a supported Windows release in the support table (as of %s)", build, osSupport.AsOf)
	return status, reason
}

func judgeMac(version string, at time.Time, e *deviceEvidence) (status Status, reason string) {
	e.add("version", version)
	e.add("table as of", osSupport.AsOf)
	var buf versionBuf
	p, ok := versionParts(version, buf[:])
	if !ok {
		status, reason = Unknown, fmt.Sprintf("the OS version %q could not be read as a version number", version)
		return status, reason
	}
	newest := 0
	for _, m := range osSupport.Darwin {
		newest = max(newest, m.Major)
		if m.Major != p[0] {
			continue
		}
		if ok, _ := supportedOn(m.EndOfSupport, at); !ok {
			status, reason = Fail, m.Name+" ("+version+") no longer receives security updates (last on "+m.EndOfSupport+")"
			return status, reason
		}
		if cmp, _ := CompareVersions(version, m.MinVersion); m.MinVersion != "" && cmp < 0 {
			status, reason = Fail, m.Name+" "+version+" is below its latest security release "+m.MinVersion
			return status, reason
		}
		status, reason = Pass, m.Name+" "+version+" is supported and at or above "+firstNonEmpty(m.MinVersion, "its minimum")
		return status, reason
	}
	if p[0] > newest {
		status, reason = Pass, fmt.Sprintf("macOS %s is newer than every release in the support table (as of %s)", version, osSupport.AsOf)
		return status, reason
	}
	status, reason = Fail, fmt.Sprintf("macOS %s is older than every supported release in the table (as of %s)", version, osSupport.AsOf)
	return status, reason
}

// linuxDistributions maps words in the OS names to the table's distribution keys.
var linuxDistributions = []struct{ word, key string }{
	{"ubuntu", "ubuntu"}, {"rocky", "rocky"}, {"red hat", "rhel"}, {"rhel", "rhel"}, {"debian", "debian"},
}

func judgeLinux(ix *index, d *jumpcloud.Device, version string, at time.Time, e *deviceEvidence) (status Status, reason string) {
	text := osText(ix, d)
	dist := ""
	for _, l := range linuxDistributions {
		if strings.Contains(text, l.word) {
			dist = l.key
			break
		}
	}
	e.add("distribution", firstNonEmpty(dist, "not recognised"))
	e.add("version", version)
	e.add("table as of", osSupport.AsOf)
	for _, l := range osSupport.Linux {
		if l.Distribution != dist || !versionHasPrefix(version, l.Version) {
			continue
		}
		e.add("end of support", l.EndOfSupport)
		if ok, _ := supportedOn(l.EndOfSupport, at); ok {
			status, reason = Pass, l.Name+" is supported until "+l.EndOfSupport
		} else {
			status, reason = Fail, l.Name+" reached end of standard support on "+l.EndOfSupport
		}
		return status, reason
	}
	status, reason = Unknown, fmt.Sprintf("%s %s is not in the end-of-support table (as of %s); set a minimum with --min-os linux=VERSION",
		firstNonEmpty(dist, d.OS(), "this distribution"), version, osSupport.AsOf)
	return status, reason
}

// versionHasPrefix: "24.04.1" has prefix "24.04", "9.4" has prefix "9", "24.4" (an agent that
// dropped the zero) has prefix "24.04".
func versionHasPrefix(v, prefix string) bool {
	var bv, bp versionBuf
	pv, ok1 := versionParts(v, bv[:])
	pp, ok2 := versionParts(prefix, bp[:])
	if !ok1 || !ok2 || len(pv) < len(pp) {
		return false
	}
	for i := range pp {
		if pv[i] != pp[i] {
			return false
		}
	}
	return true
}
