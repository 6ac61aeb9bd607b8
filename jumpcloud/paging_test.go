package jumpcloud_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
)

// stripTotal removes x-total-count from answers, as the live API may for some v2 routes
// (reference §10.1: UNCONFIRMED on /policies*), so the pager must page until an empty page.
type stripTotal struct{ next http.RoundTripper }

func (st stripTotal) RoundTrip(r *http.Request) (*http.Response, error) {
	res, err := st.next.RoundTrip(r)
	if err == nil {
		res.Header.Del("x-total-count")
	}
	return res, err
}

func TestV2PagingWithoutATotalPagesUntilAnEmptyPage(t *testing.T) {
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
		// Without a total a short page does not prove the end (a server may page by fewer than
		// asked): only an empty page does, so it costs one request more than the pages of data.
		pages := (len(want) + 99) / 100
		if n := s.Requests("/api/v2/policies/"); n != pages+1 || last.Total != -1 || last.Pages != pages {
			t.Fatalf("policy %s: %d statuses took %d requests, progress %+v; want %d pages and one empty, total unknown",
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

// A server that pages by 50 when asked for 100 (its totalCount says 200) must still give all
// 200: a short page is not the end while the total says more.
func TestAServerPagingByFewerThanAskedGivesEveryItem(t *testing.T) {
	for _, tc := range []struct {
		name, path string
		list       func(*jumpcloud.Client) (int, error)
		want       func(*jctest.Server) int
	}{
		{"v1 devices", "/api/systems", func(c *jumpcloud.Client) (int, error) {
			v, err := c.Systems(context.Background(), jumpcloud.ListOptions{})
			return len(v), err
		}, func(s *jctest.Server) int { return s.Org().Devices }},
		{"v2 policies", "/api/v2/policies", func(c *jumpcloud.Client) (int, error) {
			v, err := c.Policies(context.Background(), jumpcloud.ListOptions{})
			return len(v), err
		}, func(s *jctest.Server) int { return s.Org().Policies }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := sandbox(t, jctest.Options{Devices: 200, Policies: 7, Seed: 51})
			per := 50
			if tc.path == "/api/v2/policies" {
				per = 3 // 7 policies: pages of 3, 3, 1
			}
			s.Inject(jctest.Fault{PathPrefix: tc.path, Kind: jctest.FaultPageCap, Items: per})
			n, err := tc.list(newClient(t, s, s.Keys.ReadOnly))
			if err != nil || n != tc.want(s) {
				t.Fatalf("%d items (want %d): %v", n, tc.want(s), err)
			}
			if r := s.Requests(tc.path); r < (n+per-1)/per {
				t.Fatalf("%d requests for %d items by %d: the cap was not in force", r, n, per)
			}
		})
	}
}

// When the pages run out before the announced total, the list comes back with what was read and
// an IncompleteError that says "200 of 210", never as a shorter list with no error.
func TestPagesEndingBeforeTheTotalAreIncomplete(t *testing.T) {
	for _, path := range []string{"/api/systems", "/api/v2/policies"} {
		t.Run(path, func(t *testing.T) {
			s := sandbox(t, jctest.Options{Devices: 200, Policies: 7, Seed: 52})
			s.Inject(jctest.Fault{PathPrefix: path, Kind: jctest.FaultTotalInflated, Items: 10})
			c := newClient(t, s, s.Keys.ReadOnly)
			var n, want int
			var err error
			if path == "/api/systems" {
				var v []jumpcloud.System
				v, err = c.Systems(context.Background(), jumpcloud.ListOptions{})
				n, want = len(v), s.Org().Devices
			} else {
				var v []jumpcloud.Policy
				v, err = c.Policies(context.Background(), jumpcloud.ListOptions{})
				n, want = len(v), s.Org().Policies
			}
			var inc *jumpcloud.IncompleteError
			if !errors.As(err, &inc) || !errors.Is(err, jumpcloud.ErrIncomplete) {
				t.Fatalf("%d items, err %v: want an IncompleteError", n, err)
			}
			if n != want || inc.Got != want || inc.Total != want+10 {
				t.Fatalf("%d items, %+v; want %d of %d", n, inc, want, want+10)
			}
			if msg := err.Error(); !strings.Contains(msg, fmt.Sprintf("%d of %d read", want, want+10)) {
				t.Fatalf("message: %s", msg)
			}
		})
	}
}

// A route that answers 403 "organization selection not allowed via header" is asked once more
// without x-org-id, and remembered: the next request there goes without it at once.
func TestARouteRefusingTheOrgHeaderIsRetriedWithoutItAndRemembered(t *testing.T) {
	var mu sync.Mutex
	var withHeader, without int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if r.Header.Get("x-org-id") != "" {
			withHeader++
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, `{"message":"Forbidden: organization selection not allowed via header","error":"Forbidden"}`)
			return
		}
		without++
		fmt.Fprint(w, `{"totalCount":1,"results":[{"_id":"5f00974e0000000000000009","email":"a@example.com"}]}`)
	}))
	defer srv.Close()
	c, err := jumpcloud.New(jumpcloud.Config{BaseURL: srv.URL, APIKey: "jca_test", OrgID: "5f00974e0000000000000001"})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		admins, err := c.Administrators(context.Background(), jumpcloud.ListOptions{})
		if err != nil || len(admins) != 1 {
			t.Fatalf("call %d: %d admins, %v", i, len(admins), err)
		}
	}
	if withHeader != 1 || without != 2 {
		t.Fatalf("%d requests with x-org-id, %d without; want 1 refused, then 2 without", withHeader, without)
	}
}

// The ...Pages calls hand the list over page by page, in order, each page as soon as the pages
// before it are in: the same items as the []T call, and the first page before any other request
// is sent.
func TestPagesAreHandedOverInOrderAsTheyComeIn(t *testing.T) {
	s := sandbox(t, jctest.Options{Devices: 1050, Seed: 53})
	c := newClient(t, s, s.Keys.ReadOnly)
	ctx := context.Background()
	want, err := c.Systems(ctx, jumpcloud.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s.ResetCounts()
	var got []jumpcloud.System
	var offsets []int
	requestsAtFirst := int64(-1)
	err = c.SystemsPages(ctx, jumpcloud.ListOptions{}, func(p jumpcloud.Page[jumpcloud.System]) error {
		if p.Offset == 0 {
			requestsAtFirst = int64(s.Requests("/api/systems"))
		}
		if p.Offset != len(got) || p.Total != len(want) || len(p.Items) > jumpcloud.MaxPageSize {
			t.Errorf("page at %d of %d items, total %d, after %d items", p.Offset, len(p.Items), p.Total, len(got))
		}
		offsets = append(offsets, p.Offset)
		got = append(got, p.Items...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) || len(offsets) != 11 {
		t.Fatalf("%d items in %d pages, want %d in 11", len(got), len(offsets), len(want))
	}
	for i := range got {
		if got[i].ID != want[i].ID {
			t.Fatalf("item %d is %s, want %s: order lost", i, got[i].ID, want[i].ID)
		}
	}
	if requestsAtFirst != 1 {
		t.Fatalf("the first page was handed over after %d requests, want 1 (before the rest were asked for)", requestsAtFirst)
	}
}

// An error from the receiver (a full disk while spooling, say) stops the listing: it is what the
// call returns, and no page comes after it.
func TestAReceiverErrorStopsThePaging(t *testing.T) {
	s := sandbox(t, jctest.Options{Devices: 1050, Seed: 54})
	c := newClient(t, s, s.Keys.ReadOnly)
	full := errors.New("disk full")
	var after []int
	stopped := false
	err := c.SystemsPages(context.Background(), jumpcloud.ListOptions{}, func(p jumpcloud.Page[jumpcloud.System]) error {
		if stopped {
			after = append(after, p.Offset)
		}
		if p.Offset == 300 {
			stopped = true
			return full
		}
		return nil
	})
	if !errors.Is(err, full) || !stopped || len(after) > 0 {
		t.Fatalf("err %v, stopped %v, pages handed over after the error at %v", err, stopped, after)
	}
}

// Pages that run out before the total are handed over, then the call says "incomplete".
func TestIncompletePagesAreHandedOverThenMarked(t *testing.T) {
	s := sandbox(t, jctest.Options{Devices: 250, Seed: 55})
	s.Inject(jctest.Fault{PathPrefix: "/api/systems", Kind: jctest.FaultTotalInflated, Items: 10})
	c := newClient(t, s, s.Keys.ReadOnly)
	n := 0
	err := c.SystemsPages(context.Background(), jumpcloud.ListOptions{}, func(p jumpcloud.Page[jumpcloud.System]) error {
		n += len(p.Items)
		return nil
	})
	var inc *jumpcloud.IncompleteError
	if !errors.As(err, &inc) || n != 250 || inc.Got != 250 || inc.Total != 260 {
		t.Fatalf("%d items handed over, err %v", n, err)
	}
}
