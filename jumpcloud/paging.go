package jumpcloud

import (
	"context"
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
	columns  []string // ListOptions.Columns
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
	items, total, err := decodeList[T](c, resp, rq)
	if rows, ok := any(items).([]InsightRow); ok && spec.columns != nil {
		for i := range rows {
			rows[i].KeepColumns(spec.columns)
		}
	}
	return items, total, err
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

// listAll pages through a list. The first page tells the total when the API gives one (v1
// totalCount, v2 x-total-count). When the server honours the page size, the remaining pages are
// fetched concurrently (bounded by the client's in-flight limit) and assembled in order; then, or
// when it pages by fewer items than asked, paging goes on sequentially from the number of items
// actually received.
//
// A short page is never taken as the end by itself: a server may page by 50 when asked for 100.
// The list ends when the total is reached or a page comes back empty. Ending on an empty page
// below the total returns the items read with an *IncompleteError ("50 of 200"), never a
// silently shorter list.
func listAll[T any](ctx context.Context, c *Client, spec listSpec, opt ListOptions) ([]T, error) {
	if opt.Source != "" {
		spec.source = opt.Source
	}
	spec.columns = opt.Columns
	prog := &progress{fn: opt.OnPage, p: Progress{Source: spec.source, Total: -1}}

	first, total, err := fetchPage[T](ctx, c, spec, 0)
	if err != nil {
		return nil, err
	}
	prog.page(len(first), total)
	if len(first) == 0 {
		if total > 0 {
			return nil, c.incomplete(spec, 0, total)
		}
		return first, nil
	}
	all := first
	if total >= 0 && len(first) == spec.pageSize {
		if pages := (total + spec.pageSize - 1) / spec.pageSize; pages >= 2 && pages <= maxConcurrentPages {
			if all, err = listConcurrent(ctx, c, spec, first, pages, prog); err != nil {
				return nil, err
			}
		}
	}
	return listRest(ctx, c, spec, all, total, prog)
}

// listRest continues from len(all) until the total is reached or a page comes back empty. With
// no total it pays one request more than the old "until a short page" rule: the empty page
// proves the end. A non-empty page equal to the one before means the server ignores skip:
// without this check that would loop until memory ran out.
func listRest[T any](ctx context.Context, c *Client, spec listSpec, all []T, total int, prog *progress) ([]T, error) {
	var prev []T
	if n := len(all) % spec.pageSize; n > 0 {
		prev = all[len(all)-n:]
	} else if len(all) > 0 {
		prev = all[len(all)-spec.pageSize:]
	}
	if total > cap(all) {
		// Room for the announced total at once: growing by append would hold up to twice the
		// list (a server that pages by fewer than asked, as System Insights may, comes here
		// after its first page).
		grown := make([]T, len(all), min(total, maxPreallocItems))
		copy(grown, all)
		all = grown
	}
	for {
		if total >= 0 && len(all) >= total {
			return all, nil
		}
		items, t, err := fetchPage[T](ctx, c, spec, len(all))
		if err != nil {
			return nil, err
		}
		if t >= 0 {
			total = t // the latest word: devices come and go while we page
		}
		if len(items) == 0 {
			if total >= 0 && len(all) < total {
				return all, c.incomplete(spec, len(all), total)
			}
			return all, nil
		}
		if len(items) == len(prev) && reflect.DeepEqual(items, prev) {
			return nil, errRepeatedPage(c, spec)
		}
		prev = items
		all = append(all, items...)
		prog.page(len(items), -1)
	}
}

// listConcurrent fetches pages 1..pages-1 concurrently, with the client's shared semaphore
// bounding the requests in flight, and stops them all at the first error. It returns the items
// up to the first short page: after a short page in the middle the later pages' skips do not
// follow on, so listRest re-reads from there rather than leave a hole.
//
// Pages are appended to the list in order as soon as the pages before them are in, and let go:
// what is held is the list and the pages that arrived ahead of their turn, never the whole list
// twice (pages, then their concatenation), which at 50,000 devices was tens of MB per source.
func listConcurrent[T any](ctx context.Context, c *Client, spec listSpec, first []T, pages int, prog *progress) ([]T, error) {
	asm := &assembler[T]{pending: make([][]T, pages), arrived: make([]bool, pages), pageSize: spec.pageSize,
		all: make([]T, 0, min(pages*spec.pageSize, maxPreallocItems))}
	asm.add(0, first)
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
			asm.add(i, items)
			prog.page(len(items), -1)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, c.contextError(ctx, nil, err, request{path: spec.path, source: spec.source})
	}
	if asm.repeated {
		return nil, errRepeatedPage(c, spec)
	}
	return asm.all, nil
}

// maxPreallocItems bounds what a list reserves from the total JumpCloud announced: a bogus total
// must not allocate gigabytes before a page has arrived.
const maxPreallocItems = 1 << 20

// assembler puts pages that arrive in any order into one list, in order, as soon as it can.
type assembler[T any] struct {
	mu       sync.Mutex
	all      []T
	pending  [][]T // pages arrived ahead of their turn
	arrived  []bool
	next     int // the next page to append
	prev     []T // the last page appended, to refuse a repeat
	pageSize int
	done     bool // a short page was appended: the pages after it are not part of the list
	repeated bool
}

func (a *assembler[T]) add(i int, items []T) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.pending[i], a.arrived[i] = items, true
	for !a.done && a.next < len(a.arrived) && a.arrived[a.next] {
		p := a.pending[a.next]
		a.pending[a.next] = nil
		// A server that ignores skip while announcing a total would otherwise have every item
		// counted once per page (250 devices read as 300, each one three times): a confident
		// wrong answer.
		if a.next > 0 && len(p) == a.pageSize && len(a.prev) == a.pageSize && reflect.DeepEqual(p, a.prev) {
			a.repeated = true
		}
		a.all = append(a.all, p...)
		a.prev = a.all[len(a.all)-len(p):]
		a.done = len(p) < a.pageSize
		a.next++
	}
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
