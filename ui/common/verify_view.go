package common

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"jcconnect/connect"
)

// rows are the results in display order.
func (m VerifyModel) rows() []connect.CheckResult {
	rows := []connect.CheckResult{m.key, m.Org, m.owner, m.role}
	for _, s := range m.sources {
		rows = append(rows, s.Result)
	}
	return append(rows, m.expiry)
}

// View draws one line per check, then what the current phase needs.
func (m VerifyModel) View() string {
	width := min(max(m.Width-2, 20), MaxTextWidth) // wrapped here once: Page does not wrap it again
	footer := m.footerView(width)
	results := m.rows()
	if m.Phase == VerifyRefused {
		// A refused key stops the checks: the rows never started say nothing, and would push
		// the refusal's row and its fix apart.
		results = slices.DeleteFunc(results, func(r connect.CheckResult) bool { return r.State == connect.CheckPending })
	}
	var rows []string
	nameW := nameWidth(results)
	for _, r := range results {
		rows = append(rows, m.rowView(r, width, nameW))
	}
	// In a short window the readable sources fold into one line, so the question at the bottom
	// (pick, retry, the least-privilege choice) stays on screen.
	if m.Height > 0 && lipgloss.Height(strings.Join(rows, "\n"))+lipgloss.Height(footer)+1 > m.Height {
		rows = m.foldedRows(width)
	}
	return strings.Join(rows, "\n") + "\n\n" + footer
}

// foldedRows is rows with every readable source folded into one line.
func (m VerifyModel) foldedRows(width int) []string {
	results := []connect.CheckResult{m.key, m.Org, m.owner, m.role}
	var readable []string
	for _, sc := range m.sources {
		if sc.Result.State == connect.CheckPassed {
			readable = append(readable, string(sc.Source))
			continue
		}
		results = append(results, sc.Result)
	}
	if len(readable) > 0 {
		results = append(results, connect.CheckResult{Name: fmt.Sprintf("Can read %d sources", len(readable)),
			State: connect.CheckPassed, Detail: strings.Join(readable, ", ")})
	}
	results = append(results, m.expiry)
	nameW := nameWidth(results)
	rows := make([]string, 0, len(results))
	for _, r := range results {
		rows = append(rows, m.rowView(r, width, nameW))
	}
	return rows
}

// footerView is what the current phase asks of the user.
func (m VerifyModel) footerView(width int) string {
	s := m.Styles
	var b strings.Builder
	switch m.Phase {
	case verifyPickOrg:
		b.WriteString(s.Subtitle.Render("This key is multi-tenant. Which organisation is this integration for?") + "\n")
		for i, o := range m.orgs {
			line := "  " + connect.OrgLabel(o)
			if i == m.cursor {
				line = Focus + s.Selected.Render("> "+line[2:])
			}
			b.WriteString(line + "\n")
		}
	case verifyStuck:
		b.WriteString(Focus + s.Warn.Render("JumpCloud could not be reached or was busy. Nothing is lost: press r to try again.") + "\n")
	case VerifyRefused:
		for _, r := range m.rows() {
			if r.State == connect.CheckFailed && r.Fix != "" {
				b.WriteString(Boxed(s.ErrorBox, min(width, 90), r.Fix+"\n\nesc goes back to change the key or the region.") + Focus + "\n")
				break
			}
		}
	case verifyPrivilege:
		w := m.words()
		msg := s.Warn.Bold(true).Render(fmt.Sprintf("This %s is not Read Only: %s is %s.", w.Name, w.Role, connect.Clean(m.result.Owner.Role))) +
			"\n" + m.result.LeastPrivilege() +
			"\n\nb  go back and create " + w.ReadOnly + " (recommended)\nc  continue knowingly with this " + w.Name
		b.WriteString(Boxed(s.Box, min(width, 90), msg) + Focus + "\n")
	case verifyDone:
		b.WriteString(Focus + s.OK.Render("The "+m.words().Name+" works. Press enter to continue to saving it.") + "\n")
	}
	return b.String()
}

func (m VerifyModel) rowView(r connect.CheckResult, width, nameW int) string {
	s := m.Styles
	var mark string
	switch r.State {
	case connect.CheckRunning:
		mark = m.spin.View()
	case connect.CheckPassed:
		mark = s.OK.Render(s.GlyphPass)
	case connect.CheckWarning:
		mark = s.Warn.Render("!")
	case connect.CheckFailed:
		mark = s.Bad.Render(s.GlyphFail)
	case connect.CheckSkipped:
		mark = s.Muted.Render(s.GlyphNA)
	default:
		mark = s.Muted.Render("·")
	}
	// The details hang beside the names, each row a block: "role Read Only" is never split to
	// the start of the next line.
	prefix := mark + " " + r.Name + strings.Repeat(" ", max(nameW-lipgloss.Width(r.Name), 0)+2)
	detail := r.Detail
	if r.State == connect.CheckRunning {
		detail = s.Muted.Render("checking…")
	}
	line := Hang(prefix, detail, width)
	if (r.State == connect.CheckWarning || r.State == connect.CheckFailed) && r.Fix != "" && r.Name != connect.CheckNameReadOnly && m.Phase != VerifyRefused {
		line += "\n" + Hang("    ", s.Muted.Render(r.Fix), width)
	}
	return line
}

// nameWidth is the width of the names' column: the longest name shown, at most 28 cells.
func nameWidth(rows []connect.CheckResult) int {
	w := 0
	for _, r := range rows {
		w = max(w, lipgloss.Width(r.Name))
	}
	return min(w, 28)
}
