package jumpcloud_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
)

// stripTotal removes x-total-count from answers, as the live API may for some v2 routes
// (reference §10.1: UNCONFIRMED on /policies*), so the pager must page until a short page.
type stripTotal struct{ next http.RoundTripper }

func (st stripTotal) RoundTrip(r *http.Request) (*http.Response, error) {
	res, err := st.next.RoundTrip(r)
	if err == nil {
		res.Header.Del("x-total-count")
	}
	return res, err
}

func TestV2PagingWithoutATotalPagesUntilAShortPage(t *testing.T) {
	s := sandbox(t, jctest.Options{Devices: 450, Policies: 3, Seed: 50})
	ctx := context.Background()
	withTotal := newClient(t, s, s.Keys.ReadOnly)
	without := newClient(t, s, s.Keys.ReadOnly, func(cfg *jumpcloud.Config) { cfg.Transport = stripTotal{http.DefaultTransport} })

	policies, err := withTotal.Policies(ctx, jumpcloud.ListOptions{})
	if err != nil || len(policies) != 3 {
		t.Fatalf("%d policies: %v", len(policies), err)
	}
	checked := 0
	for _, p := range policies {
		want, err := withTotal.PolicyStatuses(ctx, p.ID, jumpcloud.ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		s.ResetCounts()
		var last jumpcloud.Progress
		got, err := without.PolicyStatuses(ctx, p.ID, jumpcloud.ListOptions{OnPage: func(pr jumpcloud.Progress) { last = pr }})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("policy %s: %d statuses without a total, %d with", p.ID, len(got), len(want))
		}
		for i := range got {
			if got[i].ID != want[i].ID {
				t.Fatalf("policy %s: item %d differs: order lost", p.ID, i)
			}
		}
		pages := len(want)/100 + 1 // the last page is short (possibly empty)
		if n := s.Requests("/api/v2/policies/"); n != pages || last.Total != -1 || last.Pages != pages {
			t.Fatalf("policy %s: %d statuses took %d requests, progress %+v; want %d pages, total unknown",
				p.ID, len(got), n, last, pages)
		}
		if len(want) > 100 {
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("no policy had more than one page of statuses: the test proves nothing")
	}
}

// A server that ignores skip would make an unguarded pager loop forever, or, when it announces
// a total, count every item once per page. jctest honours skip, so these cases use a broken
// handler of their own.
func TestAServerIgnoringSkipIsAnErrorNotAnEndlessLoop(t *testing.T) {
	for _, total := range []string{"", "350"} {
		t.Run("x-total-count "+total, func(t *testing.T) { testIgnoredSkip(t, total) })
	}
}

func testIgnoredSkip(t *testing.T, total string) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if total != "" {
			w.Header().Set("x-total-count", total)
		}
		items := make([]string, 100)
		for i := range items {
			items[i] = fmt.Sprintf(`{"id":"p%d","name":"same"}`, i)
		}
		fmt.Fprint(w, "["+strings.Join(items, ",")+"]")
	}))
	defer srv.Close()
	c, err := jumpcloud.New(jumpcloud.Config{BaseURL: srv.URL, APIKey: "jca_test"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Policies(context.Background(), jumpcloud.ListOptions{})
	if err == nil || !strings.Contains(err.Error(), "same page again") || !strings.Contains(err.Error(), "policies (/api/v2/policies)") {
		t.Fatalf("got %v", err)
	}
}
