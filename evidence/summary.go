package evidence

import (
	"fmt"
	"strings"
	"time"

	"jcconnect/glossary"
)

// Summary is the human summary of a bundle, in Markdown: what was collected, when, from which
// organisation, by which key (fingerprint) and role, pass rates per check, and what could not be
// read and why. Text from the API is made safe for Markdown tables (no control characters, no
// pipes that would break a row).
func Summary(s *Snapshot, r *Report) string {
	f := summaryFacts{thresholds: r.Thresholds, summary: r.Summary, org: r.Org,
		devices: newCheckTally("device", nil), users: newCheckTally("user", nil)}
	for _, d := range r.Devices {
		f.devices.add(nil, d.Overall)
	}
	for _, u := range r.Users {
		f.users.add(nil, u.Overall)
	}
	return summaryText(s, f)
}

// summaryFacts is what the summary says of a report: its thresholds, the devices' and users'
// overall verdicts counted, the pass rates and the organisation's results.
type summaryFacts struct {
	thresholds     Thresholds
	devices, users *checkTally
	summary        []CheckSummary
	org            []Result
}

func summaryText(s *Snapshot, f summaryFacts) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }

	if gaps := s.Gaps(); len(gaps) > 0 {
		p("**INCOMPLETE EVIDENCE**: %d source(s) could not be read in full, so this bundle does not show the whole organisation:\n\n", len(gaps))
		for _, g := range gaps {
			p("- **%s**: %s\n", md(glossary.Source(g.Source)), md(g.Describe()))
		}
		p("\n")
	}
	p("# JumpCloud compliance evidence: %s\n\n", md(firstNonEmpty(s.OrgName, s.OrgID)))
	p("| | |\n|---|---|\n")
	p("| Organisation | %s (`%s`) |\n", md(s.OrgName), md(s.OrgID))
	p("| Collected at | %s |\n", s.CollectedAt.UTC().Format(time.RFC3339))
	p("| API | %s |\n", md(apiLabel(s)))
	p("| Key fingerprint | `%s` (the key itself is not in this bundle) |\n", md(firstNonEmpty(s.KeyFingerprint, "not recorded")))
	p("| Key owner role | %s |\n", md(firstNonEmpty(s.Role, "unknown ("+firstNonEmpty(s.RoleNote, "the API did not say")+")")))
	if s.OwnerEmail != "" {
		p("| Key owner | %s |\n", md(s.OwnerEmail))
	}
	p("| Integrations | %s |\n", integrationsLabel(s.Integrations))
	if s.ServerRules != nil && !s.ServerRules.Empty() {
		p("| Servers | %s (screen lock not applicable) |\n", md(strings.Join(s.ServerRules.Items(), ", ")))
	}
	p("| Thresholds | %s |\n", md(f.thresholds.Describe()))
	p("| OS end-of-support table | dated %s (%s) |\n\n", md(firstNonEmpty(f.thresholds.OSSupportAsOf, osSupport.AsOf)), md(osSupportAge(s)))

	p("## What was collected\n\n| Source | Result | Items |\n|---|---|---|\n")
	for _, st := range s.Sources {
		p("| %s | %s | %d |\n", md(glossary.Source(st.Source)), md(st.Describe()), st.Items)
	}
	p("\n## What could not be read\n\n")
	if probs := s.Problems(); len(probs) == 0 {
		p("Everything chosen was read.\n")
	} else {
		for _, st := range probs {
			why := st.Describe()
			if st.Reason != "" && st.State != StateFailed {
				why += " (" + st.Reason + ")"
			}
			p("- **%s**: %s\n", md(glossary.Source(st.Source)), md(why))
		}
		p("\nChecks that depend on these sources are reported as unknown, with the reason.\n")
	}

	if s.Integrations.Endpoint {
		c := f.devices.overall
		p("\n## Devices\n\n%d devices: %d compliant (every applicable check passes), %d failing, %d "+glossary.Unknown+" (some evidence missing).\n",
			f.devices.subjects, c[Pass], c[Fail], c[Unknown])
	}
	if s.Integrations.SSO {
		c := f.users.overall
		p("\n## Users\n\n%d users: %d pass every check, %d failing, %d "+glossary.Unknown+".\n", f.users.subjects, c[Pass], c[Fail], c[Unknown])
	}

	p("\n## Pass rates per check\n\nPass rate is passes over decided results (pass + fail); unknown and not applicable are counted apart. ")
	p("Unknown is never compliant. Hygiene checks are reported but not part of a device's or user's overall verdict.\n\n")
	p("| Check | Subject | Severity | Controls | Pass | Fail | Unknown | Not applicable | Pass rate |\n|---|---|---|---|---|---|---|---|---|\n")
	for _, c := range f.summary {
		rate := "n/a"
		if v, ok := c.PassRate(); ok {
			rate = fmt.Sprintf("%.1f%%", v*100)
		}
		ctl := ControlOf(c.Check)
		sev := string(ctl.Severity)
		if ctl.Hygiene {
			sev += " (hygiene)"
		}
		p("| %s (`%s`) | %s | %s | %s | %d | %d | %d | %d | %s |\n", c.Title, c.Check, c.Subject, sev, ctl.References(),
			c.Pass, c.Fail, c.Unknown, c.NotApplicable, rate)
	}
	p("\n## Organisation\n\n")
	for _, res := range f.org {
		p("- `%s`: **%s**: %s\n", res.Check, glossary.Status(string(res.Status)), md(res.Reason))
	}

	p("\n## Files\n\n")
	p("- `summary.md`: this summary\n")
	p("- `checks.json`, `checks.csv`: every check result with its reason and the raw values behind it\n")
	if s.Integrations.Endpoint {
		p("- `devices.csv`: one row per device, one column per check\n")
	}
	if s.Integrations.SSO {
		p("- `users.csv`: one row per user, one column per check\n")
	}
	p("- `raw/`: the evidence as JSON, one file per source, as the API returned it (sorted by id)\n")
	p("- `manifest.json`: the SHA-256 of every file; verify with `sha256sum`\n")
	p("\nCSV cells that would start with = + - @ are prefixed with ' so spreadsheets show them as text.\n")
	return b.String()
}

func apiLabel(s *Snapshot) string {
	switch {
	case s.BaseURL != "" && s.Region != "":
		return s.Region + ", " + s.BaseURL
	case s.BaseURL != "":
		return s.BaseURL
	case s.Region != "":
		return "region " + s.Region
	}
	return "not recorded"
}

func integrationsLabel(i Integrations) string {
	var parts []string
	if i.Endpoint {
		parts = append(parts, "Endpoint Management")
	}
	if i.SSO {
		parts = append(parts, "SSO")
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// md makes API text safe inside a Markdown table cell: control characters become "?", pipes and
// backticks are escaped, newlines become spaces.
func md(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\t' {
			return ' '
		}
		if isControl(r) {
			return '?'
		}
		return r
	}, s)
	return strings.NewReplacer("|", `\|`, "`", "'", "<", "&lt;").Replace(s)
}

// osSupportAge says how old the end-of-support table was at collection: an old table misses
// releases and ends of support announced since, which --min-os can make up for.
func osSupportAge(s *Snapshot) string {
	asOf, err := time.Parse("2006-01-02", osSupport.AsOf)
	if err != nil {
		return "undated"
	}
	days := int(s.CollectedAt.Sub(asOf).Hours() / 24)
	if days < 0 {
		return "newer than this collection"
	}
	if days > 180 {
		return fmt.Sprintf("%d days before this collection: releases and ends of support announced since are missing; update jcconnect or set --min-os", days)
	}
	return fmt.Sprintf("%d days before this collection", days)
}
