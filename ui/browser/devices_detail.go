package browser

import (
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"

	"jcconnect/connect"
	"jcconnect/evidence"
	"jcconnect/glossary"
	"jcconnect/jumpcloud"
	"jcconnect/ui/common"
)

// styleRenderer is what the browser draws styled text with.
type styleRenderer = lipgloss.Style

// detailView is the detail pane of the selected row: every check with its status, its reason and
// the raw evidence values behind it. It scrolls with ↑/↓.
func (b *Browser) detailView() string {
	s := b.Styles
	t := b.tab()
	if t.cursor >= len(t.view) {
		b.detail = false
		return b.View()
	}
	row := &t.rows[t.view[t.cursor]]
	var head []string
	var results []evidence.Result
	var checks []evidence.CheckInfo
	var overall evidence.Status
	if b.mode == modeDevices {
		dev := b.kept.device(row.index) // unpacked for the pane: one device, a few microseconds
		d := &dev
		last := "never"
		if d.LastContact != nil {
			last = d.LastContact.UTC().Format(time.RFC3339) + " (" + relative(b.now(b.snap), *d.LastContact) + ")"
		}
		head = []string{
			s.Title.Render(connect.Clean(d.Name)) + "  " + s.Muted.Render(connect.Clean(d.ID)),
			"Hostname      " + connect.Clean(d.Hostname),
			"OS            " + connect.Clean(strings.TrimSpace(d.OS+" "+d.OSVersion)),
			"Owner         " + ownerText(d),
			"Last contact  " + last,
		}
		results, checks, overall = d.Results, evidence.DeviceChecks, d.Overall
		head = append(head, unparsedLines(b.snap.DeviceUnparsed(d.ID), b.Width)...)
	} else {
		user := b.kept.user(row.index) // unpacked for the pane: one user
		u := &user
		head = []string{
			s.Title.Render(connect.Clean(u.Username)) + "  " + s.Muted.Render(connect.Clean(u.ID)),
			"Email         " + orNone(connect.Clean(u.Email)),
			"Name          " + orNone(connect.Clean(u.Name)),
			"State         " + u.State,
		}
		results, checks, overall = u.Results, evidence.UserChecks, u.Overall
		head = append(head, unparsedLines(b.snap.UserUnparsed(u.ID), b.Width)...)
	}
	head = append(head, "Overall       "+b.statusStyle(overall).Render(statusWord(overall)), "")

	var body []string
	for i, r := range results {
		title := r.Check
		if i < len(checks) {
			title = checks[i].Title
		}
		body = append(body, b.glyph(r.Status)+" "+s.Subtitle.Render(title)+"  "+s.Muted.Render(glossary.Status(string(r.Status))))
		for _, l := range common.WrapLines(connect.Clean(r.Reason), b.Width-6) {
			body = append(body, "    "+l)
		}
		for _, e := range r.Evidence {
			body = append(body, s.Muted.Render(clip("    "+connect.Clean(e.Name)+" = "+connect.Clean(e.Value), b.Width)))
		}
	}
	room := max(b.Height-len(head)-2, 1)
	b.detailOffset = max(0, min(b.detailOffset, max(len(body)-room, 0)))
	end := min(b.detailOffset+room, len(body))
	lines := append(head, body[b.detailOffset:end]...)
	for len(lines) < b.Height-1 {
		lines = append(lines, "")
	}
	more := ""
	if end < len(body) {
		more = "  ↓ more"
	}
	lines = append(lines, s.Help.Render("↑/↓ scroll · esc/enter back"+more))
	for i := range lines {
		lines[i] = clip(lines[i], b.Width)
	}
	return strings.Join(lines, "\n")
}

// unparsedLines shows the fields JumpCloud sent in a shape jcconnect could not read: their checks
// treat them as unknown, and the user should see why.
func unparsedLines(fields []jumpcloud.UnparsedField, width int) []string {
	var out []string
	for _, f := range fields {
		out = append(out, clip("Unparsed      "+connect.Clean(f.Path)+" = "+connect.Clean(f.Raw), width))
	}
	return out
}

// ownerText is the detail's owner: the user id with what is still to come while the users are
// read after the table (an early snapshot's).
func ownerText(d *evidence.DeviceReport) string {
	if d.OwnerReading {
		return connect.Clean(d.Owner) + " " + readingGlyph + " (the users are still being read: the name comes with them)"
	}
	return orNone(connect.Clean(d.Owner))
}

func orNone(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
