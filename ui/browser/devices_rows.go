package browser

import (
	"iter"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"jcconnect/connect"
	"jcconnect/evidence"
	"jcconnect/glossary"
)

// deviceColumns are the device browser's columns: name, OS and version, owner, last contact,
// one glyph per check, overall. Their names are unique (the checks' headings are explained in
// the legend of ?).
func deviceColumns() []column {
	cols := []column{
		{title: "Device", min: 14, share: 4, max: 40, flex: true},
		{title: "OS", min: 12, share: 3, max: 26, priority: 3},
		{title: "Owner", min: 10, share: 3, max: 32, priority: 5},
		{title: "Seen", min: 8, priority: 4},
	}
	for i, c := range evidence.DeviceChecks {
		cols = append(cols, column{title: c.Short, min: 2, check: true, priority: 2 + i%2, help: c.Title})
	}
	return append(cols, column{title: "Status", min: statusWidth, priority: 1})
}

const deviceFirstCheck = 4

// deviceRows builds the rows once per report, in one text (rowBuilder). Every API string goes
// through Clean. The texts many rows share (an OS and version, an age, a status) are kept once per
// distinct value: at 10,000 devices the rows are part of what the first table waits for (issue 13).
//
// The reports come one at a time (a kept collection's are packed), first their strings only
// (heads: to reserve the text), then with their last contact and results (devices: the
// results' reasons and evidence may be left out, a row reads neither): a row keeps none of them.
func deviceRows(size int, heads, devices iter.Seq2[int, *evidence.DeviceReport], now time.Time) ([]tableRow, *rowText) {
	ncols := deviceFirstCheck + len(evidence.DeviceChecks) + 1
	tb := newRowBuilder(size, ncols)
	text, search := 0, 0
	for _, d := range heads {
		n := len(d.Name) + len(d.Owner)
		text += 2*n + len(d.ID) + len(time.RFC3339)    // the names and their lower-cased keys, id, stamp
		search += n + len(d.Hostname) + len(d.ID) + 32 // with an OS, a status and spaces
	}
	tb.reserve(text, search)
	type osTexts struct {
		str       string
		text, key span
	}
	oses := map[[2]string]osTexts{}
	ages := map[age]span{}
	never, noKey := tb.shared("never"), tb.shared("")
	for i, d := range devices {
		name, owner := connect.Clean(d.Name), connect.Clean(d.Owner)
		if d.OwnerReading {
			owner = readingGlyph // a user id whose name is still being read: never shown as the name
		}
		ot, ok := oses[[2]string{d.OS, d.OSVersion}]
		if !ok {
			ot.str = connect.Clean(strings.TrimSpace(osName(d) + " " + d.OSVersion))
			ot.text = tb.shared(ot.str)
			ot.key = tb.shared(strings.ToLower(ot.str))
			oses[[2]string{d.OS, d.OSVersion}] = ot
		}
		seen := never
		if d.LastContact != nil {
			a := ageOf(now, *d.LastContact)
			if seen, ok = ages[a]; !ok {
				seen = tb.shared(a.String())
				ages[a] = seen
			}
		}
		nameAt, ownerAt := tb.str(name), tb.str(owner)
		tb.cell(nameAt)
		tb.cell(ot.text)
		tb.cell(ownerAt)
		tb.cell(seen)
		tb.key(tb.lower(name, nameAt))
		tb.key(ot.key)
		tb.key(tb.lower(owner, ownerAt))
		if d.LastContact != nil {
			var stamp [len(time.RFC3339) + 8]byte
			tb.key(tb.bytes(d.LastContact.UTC().AppendFormat(stamp[:0], time.RFC3339)))
		} else {
			tb.key(noKey)
		}
		for _, r := range d.Results {
			tb.cell(tb.shared(string(r.Status)))
			tb.key(tb.shared(statusKey(r.Status)))
		}
		overall := tb.shared(string(d.Overall))
		tb.cell(tb.shared(statusWord(d.Overall)))
		tb.key(tb.shared(statusKey(d.Overall)))
		tb.endRow(tableRow{
			id: tb.str(d.ID), index: i, overall: overall, checkCol: deviceFirstCheck,
			failing: d.Overall == evidence.Fail,
			flag:    d.IsStale(),
			group:   tb.shared(d.Family),
		}, // the filter text; not the family: "darwin" would make a search for "win" match every Mac
			name, connect.Clean(d.Hostname), ot.str, owner, connect.Clean(d.ID), statusWord(d.Overall))
	}
	return tb.done()
}

// appendLowerWords appends the words, lower-cased and joined by spaces, to buf: what
// strings.ToLower(strings.Join(words, " ")) is, without making either string.
func appendLowerWords(buf []byte, words ...string) []byte {
	for i, w := range words {
		if i > 0 {
			buf = append(buf, ' ')
		}
		buf = appendLower(buf, w)
	}
	return buf
}

// appendLower appends strings.ToLower(s) to buf, lower-casing ASCII in place.
func appendLower(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return append(buf, strings.ToLower(s)...)
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf = append(buf, c)
	}
	return buf
}

// osName is the API's OS name in the glossary's words ("Mac OS X" is macOS).
func osName(d *evidence.DeviceReport) string { return glossary.OS(d.OS) }

// statusWord is the overall column's text: "compliant" only when every applicable check passes.
func statusWord(s evidence.Status) string {
	switch s {
	case evidence.Pass:
		return "compliant"
	case evidence.Fail:
		return "failing"
	case evidence.Unknown:
		return "unknown"
	case evidence.Reading:
		return "reading…"
	}
	return "n/a"
}

// relative is a short age: "5m ago", "3h ago", "12d ago", "just now" for clock skew.
func relative(now, t time.Time) string { return ageOf(now, t).String() }

// age is relative's text before it is made: a number of units (unit 0: "just now"), so that rows
// of the same age share one string.
type age struct {
	n    int
	unit byte
}

func ageOf(now, t time.Time) age {
	d := now.Sub(t)
	switch {
	case d < 0:
		return age{}
	case d < time.Minute:
		return age{}
	case d < time.Hour:
		return age{int(d.Minutes()), 'm'}
	case d < 48*time.Hour:
		return age{int(d.Hours()), 'h'}
	case d < 365*24*time.Hour:
		return age{int(d.Hours() / 24), 'd'}
	}
	return age{int(d.Hours() / 24 / 365), 'y'}
}

func (a age) String() string {
	if a.unit == 0 {
		return "just now"
	}
	return strconv.Itoa(a.n) + string(a.unit) + " ago"
}

// deviceGroups are the OS quick filter's steps.
var deviceGroups = []string{"", "darwin", "windows", "linux"}
