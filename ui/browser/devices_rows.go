package browser

import (
	"fmt"
	"strings"
	"time"

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

// deviceRows builds the rows once per report. Every API string goes through Clean.
func deviceRows(rep *evidence.Report, now time.Time) []tableRow {
	rows := make([]tableRow, len(rep.Devices))
	ncols := deviceFirstCheck + len(evidence.DeviceChecks) + 1
	store := newRowStore(len(rows), ncols)
	for i := range rep.Devices {
		d := &rep.Devices[i]
		name, owner := connect.Clean(d.Name), connect.Clean(d.Owner)
		if d.OwnerReading {
			owner = readingGlyph // a user id whose name is still being read: never shown as the name
		}
		osText := store.shared(connect.Clean(strings.TrimSpace(osName(d) + " " + d.OSVersion)))
		seen := "never"
		if d.LastContact != nil {
			seen = store.shared(relative(now, *d.LastContact))
		}
		cells, keys := store.row(ncols)
		cells = append(cells, name, osText, owner, seen)
		keys = store.lower(keys, name)
		keys = append(keys, store.shared(strings.ToLower(osText)))
		keys = store.lower(keys, owner)
		if d.LastContact != nil {
			var stamp [len(time.RFC3339) + 8]byte
			keys = store.made(keys, string(d.LastContact.UTC().AppendFormat(stamp[:0], time.RFC3339)))
		} else {
			keys = append(keys, "")
		}
		for _, r := range d.Results {
			cells = append(cells, string(r.Status))
			keys = append(keys, statusKey(r.Status))
		}
		cells = append(cells, statusWord(d.Overall))
		keys = append(keys, statusKey(d.Overall))
		rows[i] = tableRow{
			id: d.ID, cells: cells, keys: keys, index: i, overall: d.Overall, checkCol: deviceFirstCheck,
			// Not the family: "darwin" would make a search for "win" match every Mac.
			hay:     strings.ToLower(strings.Join([]string{name, connect.Clean(d.Hostname), osText, owner, connect.Clean(d.ID), statusWord(d.Overall)}, " ")),
			failing: d.Overall == evidence.Fail,
			flag:    d.IsStale(),
			group:   d.Family,
		}
	}
	store.done()
	return rows
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

// relative is a short age: "5m ago", "3h ago", "12d ago", "in future" for clock skew.
func relative(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < 0:
		return "just now"
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh ago", int(d.Hours()))
	case d < 365*24*time.Hour:
		return fmt.Sprintf("%dd ago", int(d.Hours()/24))
	}
	return fmt.Sprintf("%dy ago", int(d.Hours()/24/365))
}

// deviceGroups are the OS quick filter's steps.
var deviceGroups = []string{"", "darwin", "windows", "linux"}
