package evidence

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"

	"golang.org/x/sync/errgroup"

	"jcconnect/jumpcloud"
)

// policies lists the policies, then every policy's latest status per device. Statuses are read
// per policy (requests grow with policies × pages, not with devices), all policies at once within
// the client's bound on requests in flight, in the background (foregroundDone, then
// jumpcloud.Background): what the first screen needs goes first.
func (c *collector) policies(ctx context.Context, foregroundDone func()) {
	src := string(jumpcloud.SourcePolicies)
	results := string(jumpcloud.SourcePolicyResults)
	pols, err := c.client.Policies(ctx, c.list(src))
	c.snap.Policies = pols
	c.finish(src, len(pols), err, false)
	if err != nil && !errors.Is(err, jumpcloud.ErrIncomplete) {
		c.mu.Lock()
		if c.fatal == nil && ctx.Err() == nil {
			c.snap.Sources = append(c.snap.Sources, SourceStatus{Source: results,
				State:  c.snap.Status(src).State,
				Reason: "the policies could not be listed, so neither could their statuses"},
				SourceStatus{Source: SourcePolicySettings, State: c.snap.Status(src).State,
					Reason: "the policies could not be listed, so neither could their settings"})
		}
		c.mu.Unlock()
		return
	}

	every := pols     // pols may be narrowed below, while policySettings still reads every policy
	foreground := ctx // ctx turns Background below; the settings are not
	c.run(func() { c.policySettings(foreground, every) })

	if c.opt.StatusesForChecksOnly {
		var needed []jumpcloud.Policy
		for _, p := range pols {
			if NeedsPolicyStatuses(p.Template) {
				needed = append(needed, p)
			}
		}
		pols = needed
	}
	pols = slices.Clone(pols) // c.snap.Policies is sorted for an early snapshot meanwhile
	c.mu.Lock()
	c.statusPolicies = len(pols)
	c.background[results] = true
	c.mu.Unlock()
	foregroundDone()
	c.waitEarlyOver(ctx)
	ctx = jumpcloud.Background(ctx)

	limit := c.opt.PolicyConcurrency
	if limit <= 0 {
		limit = 16
	}
	statuses := make([]policyStatuses, len(pols))
	errs := make([]error, len(pols))
	parts := make([]*spoolPart, len(pols)) // each policy's statuses spooled, for an export
	c.mu.Lock()
	c.policyProgress = map[string]jumpcloud.Progress{}
	c.mu.Unlock()
	// Not errgroup.WithContext: one policy's error (a 404 for a policy deleted meanwhile) must
	// not stop the others; each records its own, judged below.
	var g errgroup.Group
	g.SetLimit(limit)
	systemIDs := jumpcloud.NewStringPool() // a device's id once, however many policies list it
	for i, p := range pols {
		if err := ctx.Err(); err != nil {
			errs[i] = err
			continue
		}
		g.Go(func() error {
			opt := jumpcloud.ListOptions{Source: results, OnPage: func(pr jumpcloud.Progress) {
				c.policyPage(p.ID, pr)
			}, SystemIDs: systemIDs}
			// A collection for the checks keeps of each status what they read, as its page
			// comes in (statusRefs). So does an export that spools: the records are on disk
			// for raw/policy_statuses.json (at 50,000 devices, 155,000 records and about 30 MB
			// that need not be held). Only an export made from memory keeps the records.
			var kept []jumpcloud.PolicyResult
			var listed []listedStatus
			part, err := c.spoolPart(results)
			refsOnly := c.opt.StatusesForChecksOnly || part != nil
			switch {
			case err == nil && refsOnly && part == nil:
				// Nothing keeps the records: only their outcomes are decoded.
				err = c.client.PolicyOutcomesPages(ctx, p.ID, opt, func(pg jumpcloud.Page[jumpcloud.PolicyOutcome]) error {
					if listed == nil && pg.Total > len(pg.Items) {
						listed = make([]listedStatus, 0, jumpcloud.PreallocFor(pg.Total)) // the policy's statuses
					}
					listed = appendStatusRefs(listed, pg.Items, pooled)
					return nil
				})
			case err == nil:
				err = c.client.PolicyStatusesPages(ctx, p.ID, opt, func(pg jumpcloud.Page[jumpcloud.PolicyResult]) error {
					if err := spoolPage(c, part, pg, func(r *jumpcloud.PolicyResult) (string, string, string) {
						return r.PolicyID, r.SystemID, r.ID
					}); err != nil {
						return err
					}
					if refsOnly {
						listed = appendStatusRefs(listed, outcomesOf(pg.Items), uniqueString)
					} else {
						kept = jumpcloud.AppendPage(kept, pg)
					}
					return nil
				})
			}
			statuses[i] = policyStatuses{policyID: p.ID, records: keptItems(kept, err), refs: keptItems(sortedStatusRefs(listed), err)}
			errs[i], parts[i] = err, part
			return nil
		})
	}
	_ = g.Wait() // every function returns nil: the errors are in errs

	// One list of every status, sized once; each policy's own list is let go as it is copied
	// (at 50,000 devices they are 155,000 records, 25 MB, and growing the list by appending
	// left as much again behind).
	total := 0
	for i := range pols {
		total += len(statuses[i].records)
	}
	var all []jumpcloud.PolicyResult // nil when there are none, as before
	if total > 0 {
		all = make([]jumpcloud.PolicyResult, 0, total)
	}
	var refs []policyStatuses // a collection for the checks: what they read of each policy's
	items := func() int {     // how many statuses are kept
		n := len(all)
		for _, r := range refs {
			n += len(r.refs)
		}
		return n
	}
	var firstErr error
	failed := 0
	var keptParts []*spoolPart // the spooled statuses kept, in the order of all
	keepSpooled := func() {
		if f, ok := c.spool.kept(results); ok {
			f.setKept(keptParts...)
		}
	}
	for i := range pols {
		err := errs[i]
		kept := statuses[i]
		statuses[i] = policyStatuses{}
		keep := func() {
			all = append(all, kept.records...)
			if len(kept.refs) > 0 {
				refs = append(refs, policyStatuses{policyID: kept.policyID, refs: kept.refs})
			}
		}
		switch {
		case err == nil:
			keep()
			keptParts = append(keptParts, parts[i])
		case jumpcloud.KindOf(err) == jumpcloud.KindNotFound:
			// Deleted between the listing and this call: it has no statuses to report.
		default:
			// A 401/403/cancel on any policy decides for the whole source.
			switch jumpcloud.KindOf(err) {
			case jumpcloud.KindInvalidKey, jumpcloud.KindForbidden, jumpcloud.KindOrgRequired, jumpcloud.KindCanceled:
				c.setPolicyStatuses(all, refs)
				keepSpooled()
				c.finish(results, items(), err, false)
				return
			}
			if ctx.Err() != nil {
				return
			}
			if errors.Is(err, jumpcloud.ErrIncomplete) {
				keep() // kept; the source is still marked
				keptParts = append(keptParts, parts[i])
			}
			failed++
			if firstErr == nil {
				firstErr = err
			}
		}
	}
	c.setPolicyStatuses(all, refs)
	keepSpooled()
	if failed > 0 {
		// Keep what was read: the checks mark devices whose policies are missing as unknown.
		c.mu.Lock()
		pages := c.policyPagesLocked()
		c.snap.Sources = append(c.snap.Sources, SourceStatus{Source: results, State: StateFailed,
			Items: items(), Pages: pages,
			Reason: fmt.Sprintf("the statuses of %d of %d policies could not be read (%v); the other %d were kept",
				failed, len(pols), firstErr, len(pols)-failed)})
		c.mu.Unlock()
		c.report(ProgressEvent{Source: results, Done: true, State: StateFailed, Items: items(), Pages: pages})
		return
	}
	c.finish(results, items(), nil, false)
}

// policyPage folds one policy's paging into the "policy results" source's progress.
func (c *collector) policyPage(policyID string, p jumpcloud.Progress) {
	c.mu.Lock()
	c.policyProgress[policyID] = p
	ev := ProgressEvent{Source: string(jumpcloud.SourcePolicyResults), Total: 0}
	ids := make([]string, 0, len(c.policyProgress))
	for id := range c.policyProgress {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		pp := c.policyProgress[id]
		ev.Pages += pp.Pages
		ev.Items += pp.Items
		if pp.Total < 0 || ev.Total < 0 {
			ev.Total = -1
		} else {
			ev.Total += pp.Total
		}
	}
	listed := c.statusPolicies
	c.mu.Unlock()
	// Until every policy has reported a total, the sum is not a total.
	if len(ids) < listed {
		ev.Total = -1
	}
	c.report(ev)
}

func (c *collector) policyPagesLocked() int {
	n := 0
	for _, p := range c.policyProgress {
		n += p.Pages
	}
	return n
}

// policySettings reads the details (configured values) of the screen-lock policies, and only of
// those: the allow-list says which templates' fields jcconnect understands. Sensitive values are
// dropped by the client while decoding. A policy deleted since the listing (404) is skipped.
// The details are asked for all at once (one round trip, not one per policy queued behind every
// other source's pages) and judged in the listing's order, as one after the other would be.
func (c *collector) policySettings(ctx context.Context, pols []jumpcloud.Policy) {
	var lock []jumpcloud.Policy
	for _, p := range pols {
		if IsScreenLockTemplate(p.Template) {
			lock = append(lock, p)
		}
	}
	dets := make([]jumpcloud.PolicyDetail, len(lock))
	errs := make([]error, len(lock))
	var g errgroup.Group
	for i, p := range lock {
		g.Go(func() error {
			dets[i], errs[i] = c.client.PolicyDetail(ctx, p.ID)
			return nil
		})
	}
	_ = g.Wait() // every function returns nil: the errors are in errs
	var out []jumpcloud.PolicyDetail
	for i := range lock {
		switch err := errs[i]; {
		case err == nil:
			out = append(out, dets[i])
		case jumpcloud.KindOf(err) == jumpcloud.KindNotFound:
		default:
			c.finish(SourcePolicySettings, len(out), err, false)
			return
		}
	}
	c.snap.PolicyDetails = out
	c.finish(SourcePolicySettings, len(out), nil, false)
}
