package connect

import (
	"math"
	"sort"

	"jcconnect/evidence"
)

// WorkMeter turns a collection's progress events into how much of the work is done, weighted
// by pages (requests), not by source: 16 small sources read and devices at page 161 of 500 is
// about a third done, not 94%. Totals arrive with a source's first page, so from then on its
// page count is known (its items' total divided by the items per page so far). The zero value
// is not ready: use NewWorkMeter. Not safe for concurrent use: a face feeds it from its event
// loop.
type WorkMeter struct {
	chosen  []string
	sources map[string]evidence.ProgressEvent
}

// NewWorkMeter measures a collection of the sources integ chooses.
func NewWorkMeter(integ evidence.Integrations) *WorkMeter {
	return &WorkMeter{chosen: evidence.ChosenSources(integ), sources: map[string]evidence.ProgressEvent{}}
}

// Add takes one progress event. A source's later event replaces its earlier one; a finished
// source stays finished.
func (m *WorkMeter) Add(ev evidence.ProgressEvent) {
	if last, ok := m.sources[ev.Source]; ok && last.Done && !ev.Done {
		return
	}
	m.sources[ev.Source] = ev
}

// Work is a collection's progress at one moment.
type Work struct {
	// Fraction is the share of the expected pages read, 0 to 1. It is 1 only when every
	// source has finished.
	Fraction float64
	// Pages read so far, and the pages expected in all (an estimate until the end: a source
	// whose total is not known yet counts one page more than it has read).
	Pages, ExpectedPages int
	// Items read so far, over every source.
	Items int
	// SourcesDone of Sources have finished.
	SourcesDone, Sources int
	// Busy are the sources still reading, the most pages left first.
	Busy []SourceWork
}

// SourceWork is one source still reading.
type SourceWork struct {
	Source               string
	Pages, ExpectedPages int
	Items, Total         int // Total -1 when the API does not say
}

// Work is the progress so far.
func (m *WorkMeter) Work() Work {
	names := map[string]bool{}
	for _, s := range m.chosen {
		names[s] = true
	}
	for s := range m.sources {
		names[s] = true
	}
	w := Work{Sources: len(names)}
	for s := range names {
		ev, started := m.sources[s]
		done, expected := ev.Pages, expectedPages(ev)
		switch {
		case !started:
			expected = 1 // not begun: at least one request
		case ev.Done:
			w.SourcesDone++
			done = expected
		default:
			w.Busy = append(w.Busy, SourceWork{Source: s, Pages: ev.Pages, ExpectedPages: expected, Items: ev.Items, Total: ev.Total})
		}
		w.Pages += done
		w.ExpectedPages += expected
		w.Items += ev.Items
	}
	switch {
	case w.SourcesDone == w.Sources && w.Sources > 0:
		w.Fraction = 1
	case w.ExpectedPages > 0:
		// Never 100% while a source is still reading, however the estimate rounds.
		w.Fraction = min(float64(w.Pages)/float64(w.ExpectedPages), 0.99)
	}
	sort.Slice(w.Busy, func(i, j int) bool {
		li, lj := w.Busy[i].ExpectedPages-w.Busy[i].Pages, w.Busy[j].ExpectedPages-w.Busy[j].Pages
		if li != lj {
			return li > lj
		}
		return w.Busy[i].Source < w.Busy[j].Source
	})
	return w
}

// expectedPages is how many pages a source will take: what it read when it has finished;
// from its items' total and the items per page so far while it reads; one more than read when
// the total is not known.
func expectedPages(ev evidence.ProgressEvent) int {
	switch {
	case ev.Done:
		return max(ev.Pages, 1)
	case ev.Total >= 0 && ev.Pages > 0 && ev.Items > 0:
		perPage := float64(ev.Items) / float64(ev.Pages) // every page but the last is full
		// One more than read while the total says items remain: a lying total must not
		// freeze the bar at "done".
		n := int(math.Ceil(float64(ev.Total) / perPage))
		if ev.Items < ev.Total {
			n = max(n, ev.Pages+1)
		}
		return max(n, ev.Pages)
	}
	return ev.Pages + 1
}
