package common

import (
	"fmt"
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
	width := max(m.Width-4, 20)
	footer := m.footerView(width)
	var rows []string
	for _, r := range m.rows() {
		rows = append(rows, m.rowView(r, width))
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
	var rows, readable []string
	for _, r := range []connect.CheckResult{m.key, m.Org, m.owner, m.role} {
		rows = append(rows, m.rowView(r, width))
	}
	for _, sc := range m.sources {
		if sc.Result.State == connect.CheckPassed {
			readable = append(readable, string(sc.Source))
			continue
		}
		rows = append(rows, m.rowView(sc.Result, width))
	}
	if len(readable) > 0 {
		rows = append(rows, m.rowView(connect.CheckResult{Name: fmt.Sprintf("Can read %d sources", len(readable)),
			State: connect.CheckPassed, Detail: strings.Join(readable, ", ")}, width))
	}
	return append(rows, m.rowView(m.expiry, width))
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
				line = s.Selected.Render("> " + line[2:])
			}
			b.WriteString(line + "\n")
		}
	case verifyStuck:
		b.WriteString(s.Warn.Render("JumpCloud could not be reached or was busy. Nothing is lost: press r to try again.") + "\n")
	case VerifyRefused:
		for _, r := range m.rows() {
			if r.State == connect.CheckFailed && r.Fix != "" {
				b.WriteString(s.ErrorBox.Width(min(width, 90)).Render(r.Fix+"\n\nesc goes back to change the key or the region.") + "\n")
				break
			}
		}
	case verifyPrivilege:
		w := m.words()
		msg := s.Warn.Bold(true).Render(fmt.Sprintf("This %s is not Read Only: %s is %s.", w.what, w.whose, connect.Clean(m.result.Owner.Role))) +
			"\n" + m.result.LeastPrivilege() +
			"\n\nb  go back and create " + w.readOnly + " (recommended)\nc  continue knowingly with this " + w.what
		b.WriteString(s.Box.Width(min(width, 90)).Render(msg) + "\n")
	case verifyDone:
		b.WriteString(s.OK.Render("The "+m.words().what+" works. Press enter to continue to saving it.") + "\n")
	}
	return b.String()
}

func (m VerifyModel) rowView(r connect.CheckResult, width int) string {
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
	name := lipgloss.NewStyle().Width(28).Render(r.Name)
	detail := r.Detail
	if r.State == connect.CheckRunning {
		detail = s.Muted.Render("checking…")
	}
	line := mark + " " + name + " " + detail
	if (r.State == connect.CheckWarning || r.State == connect.CheckFailed) && r.Fix != "" && r.Name != connect.CheckNameReadOnly && m.Phase != VerifyRefused {
		line += "\n    " + s.Muted.Render(r.Fix)
	}
	return lipgloss.NewStyle().Width(width).Render(line)
}
