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
			return nil, c.newError(KindUnknown, 0, request{path: spec.path, source: spec.source}, nil,
				"the server sent the same page again for a later skip, so the list cannot be read completely")
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
func listConcurrent[T any](ctx context.Context, c *Client, spec listSpec, first []T, pages int, prog *progress) ([]T, error) {
	results := make([][]T, pages)
	results[0] = first
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
			results[i] = items
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
	if err := repeatedPage(c, spec, results); err != nil {
		return nil, err
	}
	keep, n := len(results), 0
	for i, p := range results {
		n += len(p)
		if len(p) < spec.pageSize {
			keep = i + 1
			break
		}
	}
	all := make([]T, 0, n)
	for _, p := range results[:keep] {
		all = append(all, p...)
	}
	return all, nil
}

// repeatedPage refuses pages fetched concurrently that repeat the page before them: a server that
// ignores skip while announcing a total would otherwise have every item counted once per page
// (250 devices read as 300, each one three times), a confident wrong answer.
func repeatedPage[T any](c *Client, spec listSpec, pages [][]T) error {
	for i := 1; i < len(pages); i++ {
		if len(pages[i]) == spec.pageSize && reflect.DeepEqual(pages[i], pages[i-1]) {
			return c.newError(KindUnknown, 0, request{path: spec.path, source: spec.source}, nil,
				"the server sent the same page again for a later skip, so the list cannot be read completely")
		}
	}
	return nil
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
