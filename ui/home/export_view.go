package home

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"

	"jcconnect/connect"
	"jcconnect/store"
	"jcconnect/ui/common"
)

// Drawing of the export screen (export.go holds its state and behaviour).

func (m *ExportModel) View() string {
	if m.TooSmall() {
		return m.TooSmallView()
	}
	s := m.Styles
	width := min(max(m.Width-4, 20), 100)
	var b strings.Builder
	b.WriteString(s.Title.Render("Export evidence for auditors") + "\n\n")
	var keys []key.Binding
	switch m.state {
	case exportAsking:
		b.WriteString(common.Wrap("The bundle (a folder and a zip of it: JSON, CSV, a summary and a manifest with "+
			"SHA-256 digests) is written in this folder. It holds e-mails and device owners: keep it where only "+
			"you and the auditor can read it.", width) + "\n\n")
		b.WriteString(m.input.View() + "\n")
		if m.err != nil {
			b.WriteString("\n" + s.Bad.Render(common.Wrap(connect.Clean(m.err.Error()), width)) + "\n")
		}
		keys = []key.Binding{m.keys.Start, key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back"))}
	case exportRunning:
		b.WriteString("Collecting every source (each policy status is evidence)…\n\n")
		b.WriteString(m.bar.View(min(max(width-40, 10), 50)) + "\n")
		if busy := common.BusyText(m.bar.Work(), 2); len(busy) > 0 {
			b.WriteString(s.Muted.Render("reading "+strings.Join(busy, " · ")) + "\n")
		}
		b.WriteString("\n" + s.Muted.Render("Into "+m.Folder()) + "\n")
		keys = []key.Binding{m.keys.Cancel}
	case exportDone:
		b.WriteString(m.doneView(width))
		keys = []key.Binding{m.keys.Open, m.keys.Back}
	case exportCanceled:
		b.WriteString(s.Warn.Render(common.Wrap("Export canceled: "+connect.Clean(m.err.Error())+".", width)) + "\n")
		keys = []key.Binding{m.keys.Back}
	case exportFailed:
		text := "The export failed: " + connect.Clean(m.err.Error())
		if fix := store.Fix(m.err); fix != "" {
			text += "\n" + fix
		}
		b.WriteString(s.ErrorBox.Width(width).Render(common.Wrap(text, width-4)) + "\n")
		keys = []key.Binding{m.keys.Back}
	}
	b.WriteString("\n" + helpLine(s, keys))
	return b.String()
}

// doneView is where the bundle is and whether it is complete.
func (m *ExportModel) doneView(width int) string {
	s, out := m.Styles, m.outcome
	var b strings.Builder
	if out.Complete() {
		b.WriteString(s.OK.Render(s.GlyphPass+" Complete: every source was read in full.") + "\n\n")
	} else {
		b.WriteString(s.Warn.Bold(true).Render("INCOMPLETE: not read in full: ") +
			common.Wrap(connect.Clean(strings.Join(out.Gaps, ", ")), width) + "\n")
		b.WriteString(s.Muted.Render(common.Wrap("The bundle says so in summary.md and manifest.json; the summary says why.", width)) + "\n\n")
	}
	// A path is shown whole, on lines of its own: cut at the window's edge it would not be the
	// path any more.
	path := func(label, p string) {
		b.WriteString("  " + s.Muted.Render(label) + "\n")
		for _, line := range splitWidth(p, max(m.Width-6, 10)) {
			b.WriteString("    " + line + "\n")
		}
	}
	path("Folder", out.Result.Dir)
	path("Zip", out.Result.Zip)
	b.WriteString("  " + s.Muted.Render("Files") + " " + common.Wrap(fmt.Sprintf("%d, each listed with its SHA-256 in manifest.json",
		len(out.Result.Manifest.Files)+1), width-8) + "\n")
	if m.opened != "" {
		b.WriteString("\n" + s.Muted.Render(common.Wrap(m.opened, width)) + "\n")
	}
	return b.String()
}

// helpLine is "key what · key what" for the given keys.
func helpLine(s common.Styles, keys []key.Binding) string {
	var parts []string
	for _, k := range keys {
		parts = append(parts, s.Key.Render(k.Help().Key)+" "+s.Help.Render(k.Help().Desc))
	}
	return strings.Join(parts, s.Help.Render(" · "))
}

// splitWidth cuts s into pieces of at most w cells (paths have no spaces to wrap at).
func splitWidth(s string, w int) []string {
	var out []string
	r := []rune(s)
	for len(r) > w {
		out = append(out, string(r[:w]))
		r = r[w:]
	}
	return append(out, string(r))
}
