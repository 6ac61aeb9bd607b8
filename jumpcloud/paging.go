package jumpcloud

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"strconv"
	"sync"

	"golang.org/x/sync/errgroup"
)

// listSpec describes one paged list endpoint.
type listSpec struct {
	path     string
	source   string
	pageSize int
	sortByID bool // v1: sort=_id keeps skip paging stable while data changes (DOC-BP)
	filter   string
	insights *insightListing // a System Insights list: its pages are decoded into its pools
	ids      *StringPool     // ListOptions.SystemIDs
}

// maxConcurrentPages bounds the page table a bogus total could make us allocate; past it the
// pager falls back to sequential paging.
const maxConcurrentPages = 100_000

// fetchPage requests the page starting at skip.
func fetchPage[T any](ctx context.Context, c *Client, spec listSpec, skip int) ([]T, int, error) {
	q := url.Values{}
	q.Set("limit", strconv.Itoa(spec.pageSize))
	q.Set("skip", strconv.Itoa(skip))
	if spec.sortByID {
		q.Set("sort", "_id")
	}
	if spec.filter != "" {
		q.Set("filter", spec.filter)
	}
	rq := request{path: spec.path, query: q, source: spec.source}
	resp, err := c.get(ctx, rq)
	if err != nil {
		return nil, 0, err
	}
	decode := decodeItems[T]
	if _, outcomes := any((*T)(nil)).(*PolicyOutcome); outcomes { // ids from the caller's pool, when it has one
		decode = func(body *pageBody) ([]T, int, error) {
			out, total, err := policyOutcomePage(body, spec.ids)
			items, _ := any(out).([]T)
			return items, total, err
		}
	}
	if spec.insights != nil {
		decode = func(body *pageBody) ([]T, int, error) {
			rows, total, err := spec.insights.decodePage(body)
			items, _ := any(rows).([]T)
			return items, total, err
		}
	}
	return decodeListWith(c, resp, rq, decode)
}

// IncompleteError is returned, together with the items that were read, when a list ended (an
// empty page) before the total JumpCloud announced: "50 of 200". It unwraps to an *Error of
// KindIncomplete, so KindOf and errors.Is(err, ErrIncomplete) see it.
type IncompleteError struct {
	Source     string
	Got, Total int
	err        *Error
}

func (e *IncompleteError) Error() string { return e.err.Error() }
func (e *IncompleteError) Unwrap() error { return e.err }

func (c *Client) incomplete(spec listSpec, got, total int) *IncompleteError {
	return &IncompleteError{Source: spec.source, Got: got, Total: total,
		err: c.newError(KindIncomplete, 0, request{path: spec.path, source: spec.source}, nil,
			fmt.Sprintf("%d of %d read; the pages ran out before JumpCloud's total", got, total))}
}

// Page is one page of a list, handed to a PageFunc in list order.
type Page[T any] struct {
	Items  []T
	Offset int // how many items of the list came before this page
	Total  int // the size of the whole list as JumpCloud last announced it; -1 when it did not say
}

// PageFunc receives the pages of one list call, one at a time and in list order, each as soon as
// the pages before it have been received. The records are the receiver's to keep, but not to
// change: the pager compares each page with the one before it (a server that ignores skip sends
// the same page again). An error from it stops the listing and is what the list call returns.
//
// The list call's own error decides what the pages were worth: nil, every item; an
// *IncompleteError, the pages handed over are what was read (kept and marked); any other error,
// the listing failed and the pages handed over must be thrown away, as the []T calls do.
type PageFunc[T any] func(Page[T]) error

// PageLister is a list call that hands its pages over one at a time (Client.SystemsPages and the
// like): the same requests, order, checks and progress as the list call that returns []T.
type PageLister[T any] func(context.Context, ListOptions, PageFunc[T]) error

// AppendPage appends p to all, reserving room for the announced total on the first page (growing
// by append would hold up to twice the list), capped so a bogus total cannot allocate gigabytes.
// An empty first page is kept as it is (an empty list stays what the decoder made of it).
func AppendPage[T any](all []T, p Page[T]) []T {
	if p.Offset == 0 {
		if p.Total > len(p.Items) {
			return append(make([]T, 0, PreallocFor(p.Total)), p.Items...)
		}
		return p.Items
	}
	return append(all, p.Items...)
}

// listAll pages through a list into one slice (listPages, each page appended).
func listAll[T any](ctx context.Context, c *Client, spec listSpec, opt ListOptions) ([]T, error) {
	var all []T
	err := listPages(ctx, c, spec, opt, func(p Page[T]) error {
		all = AppendPage(all, p)
		return nil
	})
	var inc *IncompleteError
	switch {
	case err == nil:
		return all, nil
	case errors.As(err, &inc) && len(all) > 0:
		return all, err
	}
	return nil, err
}

// listPages pages through a list, handing each page to each in order. The first page tells the
// total when the API gives one (v1 totalCount, v2 x-total-count). When the server honours the
// page size, the remaining pages are fetched concurrently (bounded by the client's in-flight
// limit) and handed over in order as soon as the pages before them are in; then, or when it pages
// by fewer items than asked, paging goes on sequentially from the number of items actually
// received.
//
// A short page is never taken as the end by itself: a server may page by 50 when asked for 100.
// The list ends when the total is reached or a page comes back empty. Ending on an empty page
// below the total returns an *IncompleteError ("50 of 200") after the pages read, never a
// silently shorter list. The first page is always handed over, even empty; later empty pages
// never are.
func listPages[T any](ctx context.Context, c *Client, spec listSpec, opt ListOptions, each PageFunc[T]) error {
	if opt.Source != "" {
		spec.source = opt.Source
	}
	spec.ids = opt.SystemIDs
	prog := &progress{fn: opt.OnPage, p: Progress{Source: spec.source, Total: -1}}

	first, total, err := fetchPage[T](ctx, c, spec, 0)
	if err != nil {
		return err
	}
	prog.page(len(first), total)
	d := &delivery[T]{each: each, total: total}
	if err := d.hand(first); err != nil {
		return err
	}
	if len(first) == 0 {
		if total > 0 {
			return c.incomplete(spec, 0, total)
		}
		return nil
	}
	if total >= 0 && len(first) == spec.pageSize {
		if pages := (total + spec.pageSize - 1) / spec.pageSize; pages >= 2 && pages <= maxConcurrentPages {
			if err := listConcurrent(ctx, c, spec, d, pages, prog); err != nil {
				return err
			}
		}
	}
	return listRest(ctx, c, spec, d, prog)
}

// delivery hands pages over in order and remembers what the checks need: how many items were
// handed over and the last page (to refuse a repeat), never the list.
type delivery[T any] struct {
	each  PageFunc[T]
	got   int
	total int
	prev  []T
}

func (d *delivery[T]) hand(items []T) error {
	p := Page[T]{Items: items, Offset: d.got, Total: d.total}
	d.got += len(items)
	d.prev = items
	return d.each(p)
}

// repeats says whether items is the page handed over last again.
func (d *delivery[T]) repeats(items []T) bool {
	return len(items) == len(d.prev) && reflect.DeepEqual(items, d.prev)
}

// listRest continues from the items handed over until the total is reached or a page comes back
// empty. With no total it pays one request more than the old "until a short page" rule: the
// empty page proves the end. A non-empty page equal to the one before means the server ignores
// skip: without this check that would loop until memory ran out.
func listRest[T any](ctx context.Context, c *Client, spec listSpec, d *delivery[T], prog *progress) error {
	for {
		if d.total >= 0 && d.got >= d.total {
			return nil
		}
		items, t, err := fetchPage[T](ctx, c, spec, d.got)
		if err != nil {
			return err
		}
		if t >= 0 {
			d.total = t // the latest word: devices come and go while we page
		}
		if len(items) == 0 {
			if d.total >= 0 && d.got < d.total {
				return c.incomplete(spec, d.got, d.total)
			}
			return nil
		}
		if d.repeats(items) {
			return errRepeatedPage(c, spec)
		}
		if err := d.hand(items); err != nil {
			return err
		}
		prog.page(len(items), -1)
	}
}

// listConcurrent fetches pages 1..pages-1 concurrently, with the client's shared semaphore
// bounding the requests in flight, and stops them all at the first error. It hands over the
// pages up to the first short page: after a short page in the middle the later pages' skips do
// not follow on, so listRest re-reads from there rather than leave a hole.
//
// Pages are handed over in order as soon as the pages before them are in, and let go: what is
// held is the pages that arrived ahead of their turn, never the whole list.
func listConcurrent[T any](ctx context.Context, c *Client, spec listSpec, d *delivery[T], pages int, prog *progress) error {
	asm := &assembler[T]{c: c, spec: spec, d: d, pending: make([][]T, pages), arrived: make([]bool, pages),
		next: 1, done: len(d.prev) < spec.pageSize}
	g, gctx := errgroup.WithContext(ctx)
	// Twice as many workers as request slots: a worker decodes its page after giving its slot
	// back, and a second worker waiting on the semaphore keeps that slot busy meanwhile. The
	// shared semaphore, not the worker count, bounds what is in flight.
	g.SetLimit(min(2*c.cfg.MaxInFlight, pages-1))
	for i := 1; i < pages && gctx.Err() == nil; i++ {
		g.Go(func() error {
			items, _, err := fetchPage[T](gctx, c, spec, i*spec.pageSize)
			if err != nil {
				return err
			}
			prog.page(len(items), -1)
			asm.add(i, items)
			return asm.handOver()
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return c.contextError(ctx, nil, err, request{path: spec.path, source: spec.source})
	}
	return nil
}

// maxPreallocItems bounds what a list reserves from the total JumpCloud announced: a bogus total
// must not allocate gigabytes before a page has arrived.
const maxPreallocItems = 1 << 20

// PreallocFor is the room to reserve for a list whose total JumpCloud announced as total, capped
// at maxPreallocItems: for a caller that keeps a listing's pages in a form of its own.
func PreallocFor(total int) int { return min(total, maxPreallocItems) }

// assembler hands pages that arrive in any order over in order, as soon as it can. mu guards the
// pages waiting; handing holds one worker at a time in the receiver, so pages reach it one by
// one while the other workers go on storing theirs.
type assembler[T any] struct {
	c    *Client
	spec listSpec
	d    *delivery[T]

	mu      sync.Mutex
	pending [][]T // pages arrived ahead of their turn
	arrived []bool
	next    int  // the next page to hand over
	done    bool // a short page was handed over: the pages after it are not part of the list
	failed  bool // the receiver or the repeat check stopped the listing

	handing sync.Mutex
}

// add stores page i until its turn.
func (a *assembler[T]) add(i int, items []T) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.pending[i], a.arrived[i] = items, true
}

// handOver hands every page that is next in turn to the receiver. Whichever worker stored a page
// then comes here, so no page is left waiting once the pages before it are in.
func (a *assembler[T]) handOver() error {
	a.handing.Lock()
	defer a.handing.Unlock()
	for {
		a.mu.Lock()
		if a.failed || a.done || a.next >= len(a.arrived) || !a.arrived[a.next] {
			a.mu.Unlock()
			return nil
		}
		p := a.pending[a.next]
		a.pending[a.next] = nil
		a.next++
		a.mu.Unlock()
		// A server that ignores skip while announcing a total would otherwise have every item
		// counted once per page (250 devices read as 300, each one three times): a confident
		// wrong answer.
		if size := a.spec.pageSize; len(p) == size && len(a.d.prev) == size && a.d.repeats(p) {
			a.fail()
			return errRepeatedPage(a.c, a.spec)
		}
		a.done = len(p) < a.spec.pageSize
		if err := a.d.hand(p); err != nil {
			a.fail()
			return err
		}
	}
}

func (a *assembler[T]) fail() {
	a.mu.Lock()
	a.failed = true
	a.mu.Unlock()
}

func errRepeatedPage(c *Client, spec listSpec) error {
	return c.newError(KindUnknown, 0, request{path: spec.path, source: spec.source}, nil,
		"the server sent the same page again for a later skip, so the list cannot be read completely")
}

// progress serialises OnPage calls for one list call.
type progress struct {
	mu sync.Mutex
	fn func(Progress)
	p  Progress
}

// page records one page of n items; total >= 0 updates the known total.
func (pr *progress) page(n, total int) {
	pr.mu.Lock()
	defer pr.mu.Unlock()
	pr.p.Pages++
	pr.p.Items += n
	if total >= 0 {
		pr.p.Total = total
	}
	if pr.fn != nil {
		pr.fn(pr.p)
	}
}
