package browser

import "strings"

// frame is what the table screen keeps between two draws, so that a key press that moves the
// cursor or pages allocates nothing but the screen's one string: the screen is written into a
// reused buffer, the rows straight from their cells, and the lines around the table (title,
// what could not be read, status, header, key hints, message) and the column layout are kept
// until what they are drawn from changes. A key press that allocates nothing never starts a
// garbage collection and is never made to help one mark (issue 13: a move key allocated 27 KB,
// and the slowest one was the one that started a collection or assisted it).
//
// Every kept part is keyed by what it is drawn from; the rows, the snapshot and the report
// change only in apply, which counts them in Browser.frameGen.
type frame struct {
	buf []byte

	drawnFor                  frameKey // what the layout and the lines below were drawn for
	visible, widths           []int
	title, info, header, help string

	statusFor statusLineKey
	status    string

	messageFor messageKey
	message    string

	// The selected row's marker and name cell are drawn with Styles.Selected: its escape codes
	// around the text, found once (selected), so a selected row is appended like the others.
	selectedFound, selectedPlain bool
	selectedOpen, selectedClose  string
}

// frameKey is what the layout and the lines around the table are drawn from.
type frameKey struct {
	gen     int // Browser.frameGen: the rows, snapshot and report shown
	mode    browserMode
	width   int
	sortCol int
	desc    bool
}

type statusLineKey struct {
	frameKey
	spec       viewSpec
	shown, all int
}

type messageKey struct {
	text  string
	bad   bool
	width int
}

// frameKey is the current table's key.
func (b *Browser) frameKey() frameKey {
	t := b.tab()
	return frameKey{gen: b.frameGen, mode: b.mode, width: b.Width, sortCol: t.spec.sortCol, desc: t.spec.desc}
}

// tableView draws the table screen (a snapshot is shown, no detail pane, no help page).
func (b *Browser) tableView() string {
	f := &b.frame
	t := b.tab()
	key := b.frameKey()
	if f.drawnFor != key || f.visible == nil {
		f.visible, f.widths = layout(t.cols, b.Width, t.want, t.spec.sortCol)
		f.title, f.info, f.header, f.help = b.titleLine(), b.infoLine(), b.headerLine(t, f.visible, f.widths), b.helpView()
		f.drawnFor = key
	}
	visible, widths := f.visible, f.widths
	status := b.cachedStatusLine(key)

	buf := f.buf[:0]
	lines := 0
	line := func(s string) {
		if lines > 0 {
			buf = append(buf, '\n')
		}
		buf = append(buf, s...)
		lines++
	}
	line(f.title)
	line(f.info)
	line(status)
	line(f.header)
	h := b.tableHeight()
	s := b.Styles
	switch {
	case len(t.rows) == 0 && b.mode == modeDevices:
		line(s.Muted.Render("  No devices in this organisation: install the JumpCloud agent on a device, then refresh (r)."))
	case len(t.rows) == 0 && b.usersReading():
		line(s.Muted.Render("  The users are still being read: they fill in when they are in."))
	case len(t.rows) == 0:
		line(s.Muted.Render("  No users in this organisation."))
	case len(t.view) == 0:
		line(s.Muted.Render("  Nothing matches the filter: esc clears it."))
	}
	end := min(t.offset+h, len(t.view))
	for k := t.offset; k < end; k++ {
		buf = append(buf, '\n')
		buf = b.appendRowLine(buf, t.text, &t.rows[t.view[k]], k == t.cursor, visible, widths)
		lines++
	}
	for lines < 4+h {
		line("")
	}
	if b.collecting {
		line(b.progressLine(b.Width))
	}
	if b.message != "" {
		line(b.cachedMessageLine())
	}
	line(f.help)
	f.buf = buf
	return string(buf)
}

// cachedStatusLine is statusLine, kept while what it says is unchanged; the filter input, being
// typed in, is drawn anew.
func (b *Browser) cachedStatusLine(key frameKey) string {
	if b.filtering {
		return b.statusLine()
	}
	t := b.tab()
	k := statusLineKey{frameKey: key, spec: t.spec, shown: len(t.view), all: len(t.rows)}
	if b.frame.statusFor != k || b.frame.status == "" {
		b.frame.status, b.frame.statusFor = b.statusLine(), k
	}
	return b.frame.status
}

// cachedMessageLine is the message under the table, drawn once per message and width.
func (b *Browser) cachedMessageLine() string {
	k := messageKey{text: b.message, bad: b.bad, width: b.Width}
	if b.frame.messageFor != k || b.frame.message == "" {
		st := b.Styles.Muted
		if b.bad {
			st = b.Styles.Bad
		}
		b.frame.message, b.frame.messageFor = st.Render(fit(b.message, b.Width)), k
	}
	return b.frame.message
}

// appendSelected appends text (cut or padded to width cells when width > 0) drawn in
// Styles.Selected. The style's escape codes around a text
// are found once, by drawing a probe, and used only when they draw other texts exactly as the
// style does (one line, no padding or width): otherwise each text is drawn by the style.
func (b *Browser) appendSelected(dst []byte, text string, width int) []byte {
	f := &b.frame
	if !f.selectedFound {
		f.selectedFound = true
		sel := b.Styles.Selected
		probe := sel.Render("x")
		if i := strings.Index(probe, "x"); i >= 0 {
			open, close := probe[:i], probe[i+1:]
			f.selectedPlain = true
			for _, s := range []string{"›", "a b…", "  name  ", "É"} {
				if sel.Render(s) != open+s+close {
					f.selectedPlain = false
				}
			}
			f.selectedOpen, f.selectedClose = open, close
		}
	}
	if !f.selectedPlain {
		if width > 0 {
			text = fit(text, width)
		}
		return append(dst, b.Styles.Selected.Render(text)...)
	}
	dst = append(dst, f.selectedOpen...)
	if width > 0 {
		dst = appendFit(dst, text, width)
	} else {
		dst = append(dst, text...)
	}
	return append(dst, f.selectedClose...)
}
