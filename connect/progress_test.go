package connect

import (
	"math"
	"sync"
	"testing"

	"jcconnect/evidence"
	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
)

// Issue 11 item 15: the bar said 94% with devices at 16,100 of 50,000, because it counted
// sources, not work. The WorkMeter counts pages.

// The situation as a fixed sequence of events: every other source finished in one
// page, devices at page 161 of 500 (100 items a page). By source that is 94% or more; by pages
// it is about a third.
func TestWorkMeterWeighsByPagesNotBySource(t *testing.T) {
	integ := evidence.Integrations{Endpoint: true, SSO: true}
	m := NewWorkMeter(integ)
	chosen := evidence.ChosenSources(integ)
	devices := string(jumpcloud.SourceDevices)
	for _, s := range chosen {
		if s != devices {
			m.Add(evidence.ProgressEvent{Source: s, Pages: 1, Items: 20, Total: 20})
			m.Add(evidence.ProgressEvent{Source: s, Done: true, Pages: 1, Items: 20, State: evidence.StateOK})
		}
	}
	m.Add(evidence.ProgressEvent{Source: devices, Pages: 161, Items: 16100, Total: 50000})

	w := m.Work()
	others := len(chosen) - 1
	bySource := (float64(others) + 16100.0/50000) / float64(len(chosen))
	want := float64(others+161) / float64(others+500)
	if bySource < 0.9 {
		t.Fatalf("the scenario is not the issue's: by source it is %.0f%%", bySource*100)
	}
	if math.Abs(w.Fraction-want) > 0.001 {
		t.Errorf("fraction %.3f, want %.3f (pages %d of %d)", w.Fraction, want, w.Pages, w.ExpectedPages)
	}
	if w.Pages != others+161 || w.ExpectedPages != others+500 || w.Items != others*20+16100 {
		t.Errorf("pages %d of %d, items %d", w.Pages, w.ExpectedPages, w.Items)
	}
	if len(w.Busy) != 1 || w.Busy[0].Source != devices || w.Busy[0].ExpectedPages != 500 {
		t.Errorf("busy: %+v", w.Busy)
	}

	// Each further devices page moves the bar by the same step, and it reaches 100% only when
	// devices is done.
	prev := w.Fraction
	for page := 162; page <= 500; page++ {
		m.Add(evidence.ProgressEvent{Source: devices, Pages: page, Items: min(page*100, 50000), Total: 50000})
		f := m.Work().Fraction
		if f < prev || f >= 1 {
			t.Fatalf("page %d: fraction %.4f after %.4f", page, f, prev)
		}
		prev = f
	}
	m.Add(evidence.ProgressEvent{Source: devices, Done: true, Pages: 500, Items: 50000, State: evidence.StateOK})
	if w := m.Work(); w.Fraction != 1 || w.SourcesDone != len(chosen) || w.Pages != w.ExpectedPages {
		t.Errorf("done: %+v", w)
	}
}

// A source whose total is unknown counts one page more than read; a late progress event after
// Done does not reopen it; a total that lies (more than the pages give) never shows 100%.
func TestWorkMeterUnknownTotalsAndLateEvents(t *testing.T) {
	m := NewWorkMeter(evidence.Integrations{SSO: true})
	m.Add(evidence.ProgressEvent{Source: "users", Pages: 3, Items: 300, Total: -1})
	if w := m.Work(); w.Busy[0].ExpectedPages != 4 {
		t.Errorf("unknown total: expected %d pages, want 4", w.Busy[0].ExpectedPages)
	}
	m.Add(evidence.ProgressEvent{Source: "users", Done: true, Pages: 3, Items: 300, State: evidence.StateOK})
	m.Add(evidence.ProgressEvent{Source: "users", Pages: 2, Items: 200, Total: -1})
	if w := m.Work(); len(w.Busy) != 0 {
		t.Errorf("a late page reopened a finished source: %+v", w.Busy)
	}
	m.Add(evidence.ProgressEvent{Source: "applications", Pages: 2, Items: 20, Total: 20})
	if w := m.Work(); w.Fraction >= 1 {
		t.Errorf("%.2f with applications still reading", w.Fraction)
	}
}

// A real collection against jctest with far more device pages than anything else (5 devices
// a page): at every devices event, the bar is within 10 points of the true share of pages
// read (known at the end), and it is 100% at the end. Counting sources, it would be near 90%
// while devices still had most of its pages to go.
func TestWorkMeterTracksARealCollection(t *testing.T) {
	srv := jctest.NewServer(jctest.Options{Devices: 600, Seed: 5})
	t.Cleanup(srv.Close)
	srv.Inject(jctest.Fault{PathPrefix: "/api/systems", Kind: jctest.FaultPageCap, Items: 5})
	client, err := wizClient(jumpcloud.Config{APIKey: srv.Keys.ReadOnly, BaseURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	integ := evidence.Integrations{Endpoint: true, SSO: true}
	m := NewWorkMeter(integ)
	var mu sync.Mutex
	devices := string(jumpcloud.SourceDevices)
	type point struct {
		shown, bySource float64
		pagesRead       int
	}
	var points []point
	_, err = evidence.Collect(wizCtx, client, evidence.CollectOptions{Integrations: integ, StatusesForChecksOnly: true,
		OnProgress: func(ev evidence.ProgressEvent) {
			mu.Lock()
			defer mu.Unlock()
			m.Add(ev)
			if ev.Source == devices && !ev.Done && ev.Total > 0 {
				w := m.Work()
				bySource := (float64(w.SourcesDone) + float64(ev.Items)/float64(ev.Total)) / float64(w.Sources)
				points = append(points, point{w.Fraction, bySource, w.Pages})
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	final := m.Work()
	if final.Fraction != 1 {
		t.Errorf("after the collection: %.2f (%d of %d sources)", final.Fraction, final.SourcesDone, final.Sources)
	}
	if len(points) < 100 {
		t.Fatalf("only %d device pages: the page cap did not apply", len(points))
	}
	worstGap, worstBySource := 0.0, 0.0
	for _, p := range points {
		truth := float64(p.pagesRead) / float64(final.Pages)
		worstGap = max(worstGap, math.Abs(p.shown-truth))
		worstBySource = max(worstBySource, math.Abs(p.bySource-truth))
	}
	if worstBySource < 0.3 {
		t.Fatalf("counting by source strayed only %.0f points: the scenario does not show the fault", worstBySource*100)
	}
	if worstGap > 0.10 {
		t.Errorf("the bar strayed %.0f points from the share of pages read", worstGap*100)
	}
	t.Logf("%d device pages of %d in all; largest gap to the truth: by pages %.0f points, by source %.0f points",
		len(points), final.Pages, worstGap*100, worstBySource*100)
}
