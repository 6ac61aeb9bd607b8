package browser

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/evidence"
)

// Issue 11 item 13: the browser's columns.

func TestColumnNamesAreUnique(t *testing.T) {
	for name, cols := range map[string][]column{"devices": deviceColumns(), "users": userColumns()} {
		seen := map[string]bool{}
		for _, c := range cols {
			k := strings.ToLower(c.title)
			if seen[k] {
				t.Errorf("%s: two columns named %q", name, c.title)
			}
			seen[k] = true
		}
	}
}

// The sort arrow used to squeeze short headings to "FD…" and "F…": every visible heading now
// shows whole, with its arrow, at every width and for every sorted column, and the sorted
// column is never the one dropped.
func TestSortArrowNeverSqueezesAHeading(t *testing.T) {
	for _, cols := range [][]column{deviceColumns(), userColumns()} {
		for width := 60; width <= 160; width++ {
			for sortCol := range cols {
				visible, widths := layout(cols, width, nil, sortCol)
				total := 2
				kept := false
				for _, i := range visible {
					total += widths[i] + 1
					title := cols[i].title
					if i == sortCol {
						title += "▲"
						kept = true
					}
					if got := fit(title, widths[i]); strings.Contains(got, "…") {
						t.Fatalf("width %d, sorted by %s: heading %q drawn as %q", width, cols[sortCol].title, title, got)
					}
				}
				if !kept {
					t.Fatalf("width %d: the sorted column %s was dropped", width, cols[sortCol].title)
				}
				if total-1 > width {
					t.Fatalf("width %d: the columns take %d", width, total-1)
				}
			}
		}
	}
}

// Spare width used to go to Device alone while Owner and OS stayed cut: it is shared, and no
// column grows past its widest cell while another is still cut.
func TestSpareWidthIsSharedByTheTextColumns(t *testing.T) {
	cols := deviceColumns()
	want := make([]int, len(cols))
	want[0], want[1], want[2] = 22, 20, 16 // widest device name, OS, owner
	_, widths := layout(cols, 120, want, 0)
	if widths[1] < 20 || widths[2] < 16 {
		t.Fatalf("at 120 columns OS is %d and Owner %d wide, want their whole text (20, 16): %v", widths[1], widths[2], widths)
	}
	_, narrow := layout(cols, 100, want, 0)
	if narrow[0] > want[0] && (narrow[1] < want[1] || narrow[2] < want[2]) {
		t.Fatalf("at 100 columns Device got %d while OS (%d) or Owner (%d) is cut", narrow[0], narrow[1], narrow[2])
	}
}

func TestHelpExplainsEveryHeadingAndMark(t *testing.T) {
	b := devBrowser(t, devSnapshot(20), 100, 40)
	press(t, b, "?")
	v := strings.Join(strings.Fields(plain(b)), " ")
	for _, c := range evidence.DeviceChecks {
		if !strings.Contains(v, c.Short+" "+c.Title) {
			t.Errorf("the legend lacks %s %s:\n%s", c.Short, c.Title, plain(b))
		}
	}
	for _, want := range []string{"✓ pass", "✗ fail", "? unknown", "– not applicable", "Seen when the agent"} {
		if !strings.Contains(v, want) {
			t.Errorf("the legend lacks %q", want)
		}
	}
	press(t, b, "?")
	if strings.Contains(plain(b), "keys and legend") && !strings.Contains(plain(b), "? all keys and legend") {
		t.Fatal("? did not close the help")
	}
	b.Update(tea.KeyMsg{Type: tea.KeyTab})
	press(t, b, "?")
	v = strings.Join(strings.Fields(plain(b)), " ")
	for _, c := range evidence.UserChecks {
		if !strings.Contains(v, c.Short+" "+c.Title) {
			t.Errorf("the users' legend lacks %s %s", c.Short, c.Title)
		}
	}
}
