package evidence

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// The compliance gate (`jcconnect evidence check`) turns a report into one verdict for CI and
// cron, like JumpCloud's own `jc audit --exit-code --threshold`: each selected check is judged by
// its pass rate when one is required (--min-pass-rate), else by --fail-on (any failing result, or
// any failing or unknown result). Evidence that could not be read is reported apart: the caller
// exits with the partial-evidence code when no gate failed but a source a selected check needs
// was not read.

// Fail-on modes.
const (
	FailOnFailing = "failing" // a gate fails when any result of a selected check fails
	FailOnUnknown = "unknown" // ... or is unknown
)

// GateOptions are the gate's flags.
type GateOptions struct {
	FailOn      string             // FailOnFailing (default) or FailOnUnknown
	MinPassRate map[string]float64 // check id → required pass rate, 0..1
	Only        []string           // check ids; empty: every check
}

// ParseGateOptions reads the flag values: --fail-on, --min-pass-rate CHECK=95% (repeatable or
// comma-separated), --only CHECK,... Unknown checks and bad rates are errors that say what to do.
func ParseGateOptions(failOn string, minRates, only []string) (GateOptions, error) {
	o := GateOptions{FailOn: strings.ToLower(strings.TrimSpace(failOn)), MinPassRate: map[string]float64{}}
	switch o.FailOn {
	case "":
		o.FailOn = FailOnFailing
	case FailOnFailing, FailOnUnknown:
	default:
		return o, fmt.Errorf("--fail-on %q: use failing or unknown", failOn)
	}
	for _, c := range splitList(only) {
		if err := knownCheck(c, "--only"); err != nil {
			return o, err
		}
		o.Only = append(o.Only, c)
	}
	for _, spec := range splitList(minRates) {
		check, rate, ok := strings.Cut(spec, "=")
		check = strings.TrimSpace(check)
		if !ok {
			return o, fmt.Errorf("--min-pass-rate %q: write CHECK=PERCENT, e.g. disk_encryption=95%%", spec)
		}
		if err := knownCheck(check, "--min-pass-rate"); err != nil {
			return o, err
		}
		v, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rate), "%"), 64)
		if err != nil || v < 0 || v > 100 {
			return o, fmt.Errorf("--min-pass-rate %s: %q is not a percentage from 0 to 100", check, rate)
		}
		o.MinPassRate[check] = v / 100
	}
	return o, nil
}

func splitList(vals []string) []string {
	var out []string
	for _, v := range vals {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

func knownCheck(c, flag string) error {
	for _, ci := range AllChecks() {
		if ci.ID == c {
			return nil
		}
	}
	var ids []string
	for _, ci := range AllChecks() {
		ids = append(ids, ci.ID)
	}
	return fmt.Errorf("%s: unknown check %q; the checks are: %s", flag, c, strings.Join(ids, ", "))
}

// GateCheck is one check's line of the gate.
type GateCheck struct {
	Check         string   `json:"check"`
	Title         string   `json:"title"`
	Subject       string   `json:"subject"`
	Severity      Severity `json:"severity"`
	Controls      string   `json:"controls"`
	Pass          int      `json:"pass"`
	Fail          int      `json:"fail"`
	Unknown       int      `json:"unknown"`
	NotApplicable int      `json:"notApplicable"`
	PassRate      *float64 `json:"passRate"`    // nil when nothing was decided
	MinPassRate   *float64 `json:"minPassRate"` // set when the check is judged by its rate
	Failed        bool     `json:"failed"`
	Why           string   `json:"why"`
	Examples      []string `json:"examples,omitempty"` // a few subjects that failed (or were unknown)
}

// GateResult is the gate's verdict.
type GateResult struct {
	FailOn string      `json:"failOn"`
	Checks []GateCheck `json:"checks"`
	Failed bool        `json:"failed"` // a gate failed
	// Partial lists the sources the selected checks need that were not read completely, and
	// NotEvaluated the selected checks with no result at all (their source or integration is
	// missing): both make the evidence partial.
	Partial      []SourceStatus `json:"partialEvidence"`
	NotEvaluated []string       `json:"notEvaluated,omitempty"`
	// NotAvailable lists the checks of a run over every check that have no result because a
	// source they rest on is one JumpCloud says is not available to this key (the administrators
	// list for a Read Only key): not partial evidence, as the export says, but named.
	NotAvailable []GateNotAvailable `json:"notAvailable,omitempty"`
}

// GateNotAvailable is a check without a result and why: "administrators not permitted for this role".
type GateNotAvailable struct {
	Check string `json:"check"`
	Why   string `json:"why"`
}

// IsPartial reports whether evidence the selected checks need is missing.
func (g GateResult) IsPartial() bool { return len(g.Partial) > 0 || len(g.NotEvaluated) > 0 }

const gateExamples = 5

// Gate judges a report.
func Gate(s *Snapshot, r *Report, o GateOptions) GateResult {
	if o.FailOn == "" {
		o.FailOn = FailOnFailing
	}
	only := map[string]bool{}
	for _, c := range o.Only {
		only[c] = true
	}
	g := GateResult{FailOn: o.FailOn}
	summaries := map[string]CheckSummary{}
	for _, cs := range r.Summary {
		summaries[cs.Check] = cs
	}
	var selected []string
	for _, ci := range AllChecks() {
		cs, evaluated := summaries[ci.ID]
		switch {
		case len(only) > 0 && !only[ci.ID]:
			continue
		case !evaluated && len(only) == 0 && ci.ID == "admin_mfa" && unavailable(s, ci.ID) != "":
			// The administrators are always collected, but an optional source JumpCloud says this
			// key may not read is not a gap (Snapshot.Gaps): named, not partial.
			g.NotAvailable = append(g.NotAvailable, GateNotAvailable{Check: ci.ID, Why: unavailable(s, ci.ID)})
			continue
		case !evaluated && (len(only) > 0 || ci.ID == "admin_mfa"):
			// Asked for (or the administrators, always collected) but without any result.
			selected = append(selected, ci.ID)
			g.NotEvaluated = append(g.NotEvaluated, ci.ID)
			continue
		case !evaluated:
			continue // an integration this profile does not collect
		}
		selected = append(selected, cs.Check)
		ctl := ControlOf(cs.Check)
		gc := GateCheck{Check: cs.Check, Title: cs.Title, Subject: cs.Subject, Severity: ctl.Severity,
			Controls: ctl.References(), Pass: cs.Pass, Fail: cs.Fail, Unknown: cs.Unknown, NotApplicable: cs.NotApplicable}
		decided := cs.Pass + cs.Fail
		if o.FailOn == FailOnUnknown {
			decided += cs.Unknown
		}
		if decided > 0 {
			v := float64(cs.Pass) / float64(decided)
			gc.PassRate = &v
		}
		bad := func(st Status) bool { return st == Fail || (o.FailOn == FailOnUnknown && st == Unknown) }
		if min, ok := o.MinPassRate[cs.Check]; ok {
			gc.MinPassRate = &min
			switch {
			case gc.PassRate == nil:
				gc.Failed, gc.Why = true, "no result was decided, so the pass rate cannot be shown"
			case *gc.PassRate+1e-9 < min:
				gc.Failed, gc.Why = true, fmt.Sprintf("pass rate %s is below the required %s", pct(*gc.PassRate), pct(min))
			default:
				gc.Why = fmt.Sprintf("pass rate %s meets the required %s", pct(*gc.PassRate), pct(min))
			}
		} else {
			n := cs.Fail
			what := "failing"
			if o.FailOn == FailOnUnknown {
				n += cs.Unknown
				what = "failing or unknown"
			}
			if n > 0 {
				gc.Failed, gc.Why = true, fmt.Sprintf("%d %s %s", n, plural(cs.Subject, n), what)
			} else {
				gc.Why = "none " + what
			}
		}
		if gc.Failed {
			gc.Examples = gateExamplesOf(r, cs, bad)
		}
		g.Failed = g.Failed || gc.Failed
		g.Checks = append(g.Checks, gc)
	}
	needed := map[string]bool{}
	for _, src := range checkSources(selected) {
		needed[src] = true
	}
	// The one completeness rule (Snapshot.Gaps), limited to what the selected checks rest on: an
	// optional source JumpCloud says is not available to this key is not partial evidence here
	// either, so the gate and the export's INCOMPLETE mark never disagree.
	for _, st := range s.Gaps() {
		if needed[st.Source] {
			g.Partial = append(g.Partial, st)
		}
	}
	return g
}

// unavailable says which sources of a check JumpCloud said are not available to this key
// ("administrators not permitted for this role"), or "" when one of them is a gap or none is
// unavailable: only then is a missing result explained rather than partial.
func unavailable(s *Snapshot, check string) string {
	needed := map[string]bool{}
	for _, src := range checkSources([]string{check}) {
		needed[src] = true
	}
	for _, st := range s.Gaps() {
		if needed[st.Source] {
			return ""
		}
	}
	var why []string
	for _, st := range s.Sources {
		if needed[st.Source] && (st.State == StateNotPermitted || st.State == StateNotEnabled) {
			why = append(why, st.Source+" "+st.Describe())
		}
	}
	return strings.Join(why, "; ")
}

func pct(v float64) string { return strconv.FormatFloat(v*100, 'f', 1, 64) + "%" }

func plural(subject string, n int) string {
	if n == 1 {
		return subject
	}
	return subject + "s"
}

// gateExamplesOf names the first few subjects whose result of the check is bad.
func gateExamplesOf(r *Report, cs CheckSummary, bad func(Status) bool) []string {
	var out []string
	add := func(name string, res Result) {
		if len(out) < gateExamples && bad(res.Status) {
			out = append(out, name+": "+res.Reason)
		}
	}
	switch cs.Subject {
	case "device":
		for _, d := range r.Devices {
			add(d.Name, d.Result(cs.Check))
		}
	case "user":
		for _, u := range r.Users {
			add(u.Username, u.Result(cs.Check))
		}
	case "administrator":
		for _, a := range r.Admins {
			add(a.Email, a.Result(cs.Check))
		}
	default:
		add("organisation", findResult(r.Org, cs.Check))
	}
	return out
}

// WriteJSON writes the gate as one JSON object (bidi and C1 characters escaped, EscapeJSON).
func (g GateResult) WriteJSON(w io.Writer) error {
	b, err := json.MarshalIndent(g, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(EscapeJSON(b), '\n'))
	return err
}

// GateColumns are the CSV columns of the gate, one row per check.
var GateColumns = []string{"check", "subject", "severity", "controls", "pass", "fail", "unknown", "not_applicable",
	"pass_rate", "min_pass_rate", "gate", "why"}

// WriteCSV writes one row per check (cells defused like every CSV of jcconnect).
func (g GateResult) WriteCSV(w io.Writer) error {
	var rows [][]string
	for _, c := range g.Checks {
		rate, min := "", ""
		if c.PassRate != nil {
			rate = pct(*c.PassRate)
		}
		if c.MinPassRate != nil {
			min = pct(*c.MinPassRate)
		}
		rows = append(rows, []string{c.Check, c.Subject, string(c.Severity), c.Controls, strconv.Itoa(c.Pass),
			strconv.Itoa(c.Fail), strconv.Itoa(c.Unknown), strconv.Itoa(c.NotApplicable), rate, min, gateWord(c.Failed), c.Why})
	}
	return WriteCSV(w, GateColumns, rows)
}

func gateWord(failed bool) string {
	if failed {
		return "failed"
	}
	return "ok"
}

// WriteText writes the gate for a person or a CI log. Text from the API (names, reasons) goes
// through SafeCell's control-character filter.
func (g GateResult) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Compliance gate (fail on: %s)\n", g.FailOn)
	for _, c := range g.Checks {
		fmt.Fprintf(&b, "  %-6s %-21s %-8s pass %d, fail %d, unknown %d, n/a %d: %s\n", strings.ToUpper(gateWord(c.Failed)),
			c.Check, c.Severity, c.Pass, c.Fail, c.Unknown, c.NotApplicable, c.Why)
		for _, e := range c.Examples {
			fmt.Fprintf(&b, "           - %s\n", cleanText(e))
		}
	}
	if g.IsPartial() {
		b.WriteString("Evidence not read completely (checks that need it may be unknown):\n")
		for _, p := range g.Partial {
			fmt.Fprintf(&b, "  - %s: %s\n", p.Source, cleanText(p.Describe()))
		}
		for _, c := range g.NotEvaluated {
			fmt.Fprintf(&b, "  - %s: no result (its source was not read or its integration is not connected)\n", c)
		}
	}
	for _, n := range g.NotAvailable {
		fmt.Fprintf(&b, "Not judged: %s: %s (not available to this key, so not partial evidence)\n", n.Check, cleanText(n.Why))
	}
	switch {
	case g.Failed:
		b.WriteString("Result: a gate failed.\n")
	case g.IsPartial():
		b.WriteString("Result: within the gates, but the evidence is partial.\n")
	default:
		b.WriteString("Result: within the gates.\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func cleanText(s string) string { return replaceControls(s) }
