package browser

import (
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/x/ansi"

	"jcconnect/glossary"

	"jcconnect/connect"
	"jcconnect/evidence"
	"jcconnect/jumpcloud"
	"jcconnect/ui/common"
)

// View draws the browser. Only the rows in the window are drawn; every API string was cleaned
// when the rows were built.
func (b *Browser) View() string {
	if b.TooSmall() {
		return b.TooSmallView()
	}
	if b.help.ShowAll {
		return b.helpPage()
	}
	s := b.Styles
	var lines []string
	if b.snap == nil {
		lines = append(lines, s.Title.Render("Compliance evidence"), "")
		switch {
		case b.collecting:
			lines = append(lines, "Reading the organisation's evidence from JumpCloud…", "", b.progressLine(b.Width))
		case b.collectErr != nil:
			lines = append(lines, b.errorLines(b.collectErr)...)
		default:
			lines = append(lines, s.Muted.Render("Nothing collected."))
		}
		lines = append(lines, "", b.helpView())
		return strings.Join(lines, "\n")
	}
	if b.detail {
		return b.detailView()
	}
	return b.tableView()
}

// helpView is the key hints that fit in one line, "? all keys and legend" always last.
func (b *Browser) helpView() string {
	var keys []key.Binding
	for _, k := range b.keys.ShortHelp() {
		if k.Help().Key != b.keys.Help.Help().Key {
			keys = append(keys, k)
		}
	}
	return common.HelpLine(b.Styles, b.Width, b.keys.Help, keys...)
}

// helpPage is what ? shows instead of the table: the legend of the check columns' headings and
// of the status marks, then every key, one group a line. pgup/pgdn page it; any other key
// closes it.
func (b *Browser) helpPage() string {
	s := b.Styles
	var legend []string
	for _, c := range b.tab().cols {
		if c.check {
			legend = append(legend, s.Key.Render(c.title)+" "+s.Help.Render(c.help))
		}
	}
	if b.mode == modeDevices {
		legend = append(legend, s.Key.Render("Seen")+" "+s.Help.Render("when the agent last contacted JumpCloud"))
	}
	marks := []string{
		b.glyph(evidence.Pass) + " " + s.Help.Render("pass"),
		b.glyph(evidence.Fail) + " " + s.Help.Render("fail"),
		b.glyph(evidence.Unknown) + " " + s.Help.Render("unknown: no evidence either way"),
		b.glyph(evidence.NotApplicable) + " " + s.Help.Render("not applicable"),
	}
	if b.snap != nil && len(b.snap.Reading()) > 0 {
		marks = append(marks, b.glyph(evidence.Reading)+" "+s.Help.Render("reading: its evidence is still being read; it fills in"))
	}
	lines := []string{
		s.Subtitle.Render("Columns") + "  " + strings.Join(legend, s.Help.Render(" · ")),
		s.Subtitle.Render("Marks") + "    " + strings.Join(marks, s.Help.Render(" · ")),
		"",
		s.Subtitle.Render("Keys"),
	}
	for _, group := range b.keys.FullHelp() {
		var parts []string
		for _, k := range group {
			if k.Help().Key != b.keys.Help.Help().Key {
				parts = append(parts, s.Key.Render(k.Help().Key)+" "+s.Help.Render(k.Help().Desc))
			}
		}
		lines = append(lines, "  "+strings.Join(parts, s.Help.Render(" · ")))
	}
	title := "Devices: keys and legend"
	if b.mode == modeUsers {
		title = "Users and MFA: keys and legend"
	}
	closeKey := key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "or any key closes this help"))
	return b.helpScroller().Page(s, b.Width, b.Height, s.Title.Render(title), strings.Join(lines, "\n"),
		common.HelpLine(s, b.Width, closeKey))
}

// helpScroller is the help page's scroll, made on first use.
func (b *Browser) helpScroller() *common.Scroll {
	if b.helpScroll == nil {
		b.helpScroll = common.NewScroll()
	}
	return b.helpScroll
}

func (b *Browser) titleLine() string {
	s := b.Styles
	title := "Devices"
	n := fmt.Sprintf("%d devices", len(b.tabs[modeDevices].rows))
	if b.mode == modeUsers {
		title = "Users and MFA"
		n = fmt.Sprintf("%d users", len(b.tabs[modeUsers].rows))
		if b.usersReading() {
			n = "users still being read"
		}
	}
	// Facts drop from the end rather than being cut mid-word ("collected 2026-08-…").
	facts := []string{connect.Clean(b.snap.OrgName), n, "collected " + b.snap.CollectedAt.UTC().Format("2006-01-02 15:04 UTC")}
	room := max(b.Width-len(title)-2, 0)
	for len(facts) > 1 && ansi.StringWidth(strings.Join(facts, " · ")) > room {
		facts = facts[:len(facts)-1]
	}
	return s.Title.Render(title) + "  " + s.Muted.Render(fit(strings.Join(facts, " · "), room))
}

// infoLine says what could not be read, else the thresholds in force.
func (b *Browser) infoLine() string {
	s := b.Styles
	if probs := b.snap.Problems(); len(probs) > 0 {
		var parts []string
		for _, p := range probs {
			what := p.State
			switch p.State {
			case evidence.StateNotPermitted:
				what = "not permitted for this role"
			case evidence.StateNotEnabled:
				what = "not enabled"
			case evidence.StateReading:
				what = "still being read"
			}
			parts = append(parts, p.Source+" ("+what+")")
		}
		return s.Warn.Render(fit("Not read: "+strings.Join(parts, "; "), b.Width))
	}
	return s.Muted.Render(fit("Thresholds: "+b.kept.report().Thresholds.Describe(), b.Width))
}

// statusLine is the filter input while typing, else what is shown: count, filters, sort.
func (b *Browser) statusLine() string {
	s := b.Styles
	if b.filtering {
		return b.input.View(b.Common)
	}
	t := b.tab()
	parts := []string{fmt.Sprintf("%d of %d", len(t.view), len(t.rows))}
	if t.spec.query != "" {
		parts = append(parts, fmt.Sprintf("filter %q", t.spec.query))
	}
	if t.spec.failing {
		parts = append(parts, "failing only")
	}
	if t.spec.flag {
		if b.mode == modeUsers {
			parts = append(parts, "no MFA only")
		} else {
			parts = append(parts, "stale only")
		}
	}
	if t.spec.group != "" {
		parts = append(parts, "only "+glossary.OS(t.spec.group))
	}
	dir := "ascending"
	if t.spec.desc {
		dir = "descending"
	}
	parts = append(parts, "sorted by "+t.cols[t.spec.sortCol].title+" "+dir)
	return s.Muted.Render(fit(strings.Join(parts, " · "), b.Width))
}

// usersReading: the snapshot shown is an early one whose users come after the device table.
func (b *Browser) usersReading() bool {
	return b.snap.Status(string(jumpcloud.SourceUsers)).State == evidence.StateReading
}

func (b *Browser) headerLine(t *tabState, visible, widths []int) string {
	var cells []string
	for _, i := range visible {
		title := t.cols[i].title
		if i == t.spec.sortCol {
			if t.spec.desc {
				title += "▼"
			} else {
				title += "▲"
			}
		}
		cells = append(cells, fit(title, widths[i]))
	}
	return "  " + b.Styles.Header.Render(strings.Join(cells, " "))
}

// glyph draws a check status; meaning never rests on colour alone (four distinct shapes). The
// styled glyphs are rendered once per browser: View runs on every key press.
func (b *Browser) glyph(st evidence.Status) string {
	b.ensureCache()
	return b.glyphs[statusIndex(st)]
}

// statusCell is the overall column's styled word, padded to the column width.
func (b *Browser) statusCell(st evidence.Status, w int) string {
	b.ensureCache()
	if w == statusWidth {
		return b.words[statusIndex(st)]
	}
	return b.statusStyle(st).Render(fit(statusWord(st), w))
}

const statusWidth = 9

// readingGlyph marks a check whose evidence is still being read (evidence.Reading).
const readingGlyph = "…"

func statusIndex(st evidence.Status) int {
	switch st {
	case evidence.Pass:
		return 0
	case evidence.Fail:
		return 1
	case evidence.Unknown:
		return 2
	case evidence.Reading:
		return 4
	}
	return 3
}

func (b *Browser) ensureCache() {
	if b.glyphs[0] != "" {
		return
	}
	s := b.Styles
	for _, st := range []evidence.Status{evidence.Pass, evidence.Fail, evidence.Unknown, evidence.NotApplicable, evidence.Reading} {
		i := statusIndex(st)
		g := s.GlyphNA
		switch st {
		case evidence.Reading:
			g = readingGlyph
		case evidence.Pass:
			g = s.GlyphPass
		case evidence.Fail:
			g = s.GlyphFail
		case evidence.Unknown:
			g = s.GlyphUnk
		}
		b.glyphs[i] = b.statusStyle(st).Render(g)
		b.words[i] = b.statusStyle(st).Render(fit(statusWord(st), statusWidth))
	}
}

func (b *Browser) statusStyle(st evidence.Status) styleRenderer {
	s := b.Styles
	switch st {
	case evidence.Pass:
		return s.OK
	case evidence.Fail:
		return s.Bad
	case evidence.Unknown:
		return s.Warn
	}
	return s.Muted
}

// refusedKeyFix is the next step for a key refused mid-collection: rotation replaces the stored
// key, but a key from JUMPCLOUD_API_KEY is fixed in the variable.
func (b *Browser) refusedKeyFix() string {
	if b.keyFromEnvironment {
		return "Set JUMPCLOUD_API_KEY to a new key (or unset it to use the stored key)"
	}
	return "Run `jcconnect rotate`"
}

// errorLines explain a failed collection and what to do next.
func (b *Browser) errorLines(err error) []string {
	s := b.Styles
	lines := []string{s.Bad.Render("The evidence could not be collected.")}
	var refused *evidence.KeyRefusedError
	if errors.As(err, &refused) {
		lines = append(lines, common.WrapLines(connect.Clean(refused.Fact()), b.Width-2)...)
		lines = append(lines, "", b.refusedKeyFix()+".")
	} else {
		lines = append(lines, common.WrapLines(connect.Clean(err.Error()), b.Width-2)...)
		if b.collect != nil {
			lines = append(lines, "", "Press r to try again.")
		}
	}
	return lines
}
