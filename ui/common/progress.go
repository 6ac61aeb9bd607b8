package common

import (
	"fmt"

	"github.com/charmbracelet/bubbles/progress"
	"github.com/muesli/termenv"

	"jcconnect/connect"
	"jcconnect/evidence"
)

// WorkBar is a collection's progress as every screen draws it: bubbles' progress bar filled by
// pages read over pages expected (connect.WorkMeter: weighted by work, not by source), with the
// pages and items beside it. It draws with ViewAs, a pure function of the counts, so the same
// events give the same screen (tests, goldens) and nothing animates behind the model's back.
type WorkBar struct {
	meter *connect.WorkMeter
	bar   progress.Model
}

// NewWorkBar measures a collection of the sources integ chooses.
func NewWorkBar(s Styles, integ evidence.Integrations) WorkBar {
	opts := []progress.Option{progress.WithoutPercentage()}
	if s.NoColor {
		opts = append(opts, progress.WithColorProfile(termenv.Ascii), progress.WithFillCharacters('#', '-'))
	} else {
		opts = append(opts, progress.WithDefaultGradient())
	}
	return WorkBar{meter: connect.NewWorkMeter(integ), bar: progress.New(opts...)}
}

// Add takes one progress event of the collection (ignored by a zero WorkBar).
func (w WorkBar) Add(ev evidence.ProgressEvent) {
	if w.meter != nil {
		w.meter.Add(ev)
	}
}

// Work is the progress so far (nothing for a zero WorkBar).
func (w WorkBar) Work() connect.Work {
	if w.meter == nil {
		return connect.Work{}
	}
	return w.meter.Work()
}

// View draws the bar barWidth cells wide, the percentage, and "pages 12 of ~40 · 1,200 items".
func (w WorkBar) View(barWidth int) string {
	work := w.Work()
	w.bar.Width = max(barWidth, 10)
	return fmt.Sprintf("%s %3d%%  %s", w.bar.ViewAs(work.Fraction), int(work.Fraction*100), PagesText(work))
}

// PagesText is "pages 12 of ~40 · 1,200 items" ("~" while the count is an estimate).
func PagesText(work connect.Work) string {
	of := fmt.Sprintf("~%d", work.ExpectedPages)
	if work.SourcesDone == work.Sources {
		of = fmt.Sprint(work.ExpectedPages)
	}
	return fmt.Sprintf("pages %d of %s · %s items", work.Pages, of, thousands(work.Items))
}

// BusyText names the sources still reading, the most work left first: "devices 161/500 pages".
func BusyText(work connect.Work, n int) []string {
	var out []string
	for _, b := range work.Busy[:min(n, len(work.Busy))] {
		out = append(out, fmt.Sprintf("%s %d/%d pages", b.Source, b.Pages, b.ExpectedPages))
	}
	return out
}

// thousands writes n with thousands separators: 16100 -> "16,100".
func thousands(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
