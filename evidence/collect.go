package evidence

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"jcconnect/jumpcloud"
)

// ProgressEvent reports one source's paging, for progress bars. Events of one collection are
// delivered one at a time (never concurrently), from the collection's goroutines.
type ProgressEvent struct {
	Source string
	Pages  int
	Items  int
	Total  int    // -1 when the API does not say
	Done   bool   // the source finished; State says how
	State  string // set when Done
}

// CollectOptions say what to collect and what to record about it.
type CollectOptions struct {
	Integrations Integrations
	// OrgID is the organisation to read. "" means the client's x-org-id, else the only
	// organisation the key can see.
	OrgID string
	// Recorded in the Snapshot as they are: where the data came from and which key read it.
	// Pass the key's fingerprint, never the key.
	Region, BaseURL, KeyFingerprint string
	// Role and OwnerEmail of the key owner when the caller already knows them (from verification);
	// when Role is empty, Collect asks the API.
	Role, OwnerEmail string
	// Now stamps CollectedAt (default time.Now). Tests and exports pin it.
	Now func() time.Time
	// OnProgress receives progress events; may be nil.
	OnProgress func(ProgressEvent)
	// StatusesForChecksOnly lists per-policy statuses only for the policies a check reads them
	// for (the screen-lock ones, NeedsPolicyStatuses), and leaves "all bound policies applied" to
	// each device's own policyStats counters. At 10k devices that is 88% fewer requests, so the
	// preview, the browser and `devices` draw sooner. An export leaves it false: every status is
	// evidence. Such a collection also keeps only the System Insights columns the checks read
	// (checkColumns); Bundle refuses it.
	StatusesForChecksOnly bool
	// PolicyConcurrency bounds how many policies' statuses are listed at once (default 16). The
	// client bounds requests in flight; this only bounds goroutines.
	PolicyConcurrency int
	// Servers mark devices as servers (servers.go): their screen lock is not applicable. Named
	// device groups are read with the devices.
	Servers ServerRules
	// Early, when set, is handed a first snapshot as soon as what the device table shows is in
	// (the devices, System Insights, the organisation, the policies and their settings), while
	// the rest goes on being read after it with the request slots nothing else wants
	// (jumpcloud.Background): the policies' statuses (hundreds of pages), and the users,
	// administrators, SSO applications and conditional access (runAfterTable). A face draws its
	// table at once and fills it in when Collect returns. It is a Snapshot of its own, never the
	// one Collect returns: the sources still being read are marked StateReading (so it is never
	// Complete and an export refuses it), and the checks and owners that wait for them say
	// Reading. Called at most once, from a collection goroutine, and Collect returns only after
	// it has returned; not called when the collection stops (a refused key, a cancel) or nothing
	// is left to read by then.
	Early func(*Snapshot)
	// EarlyUsers: the table drawn first is the users' (devices --users), so the early snapshot
	// waits for the users and the rest of the SSO side too; only the statuses come after it.
	EarlyUsers bool
}

// KeyRefusedError stops a collection: the key was refused (401) while reading Source, so it has
// been revoked or has expired since it was verified. errors.Is(err, jumpcloud.ErrInvalidKey) holds.
type KeyRefusedError struct {
	Source string
	Err    error
}

func (e *KeyRefusedError) Error() string {
	return e.Fact() + " Generate a new key as the Read Only admin (My API Key in the JumpCloud console) and run `jcconnect rotate`"
}

// Fact is what happened without the next step, for a caller that knows rotation is not the fix
// (a key from JUMPCLOUD_API_KEY is not the stored one `jcconnect rotate` replaces).
func (e *KeyRefusedError) Fact() string {
	return fmt.Sprintf("collection stopped: the API key was refused while reading %s, so it has been revoked or has expired.", e.Source)
}

func (e *KeyRefusedError) Unwrap() error { return e.Err }

// OrgChoiceError stops a collection with a multi-tenant key and no organisation chosen.
// errors.Is(err, jumpcloud.ErrOrgRequired) holds.
type OrgChoiceError struct{ Count int }

func (e *OrgChoiceError) Error() string {
	return fmt.Sprintf("this key can see %d organisations: choose one with --org-id (or JUMPCLOUD_ORG_ID)", e.Count)
}

func (e *OrgChoiceError) Unwrap() error { return jumpcloud.ErrOrgRequired }

// Collect reads every source of the chosen integrations into one Snapshot. Sources run
// concurrently; the client bounds requests in flight and shares one rate-limit backoff, so a 429
// slows the whole collection down instead of failing it.
//
// A 403 marks that source "not permitted for this role" and the rest goes on; a 404 on an
// optional feature marks it "not enabled"; any other failure is recorded by name with what was
// read. A 401 anywhere stops everything with a *KeyRefusedError. A multi-tenant key without an
// organisation stops with the client's error (which says to pass --org-id).
func Collect(ctx context.Context, client *jumpcloud.Client, opt CollectOptions) (*Snapshot, error) {
	if client == nil {
		return nil, errors.New("evidence: no client")
	}
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	c := &collector{client: client, opt: opt, cancel: cancel, progress: map[string]*ProgressEvent{},
		insightKeys: jumpcloud.NewInsightKeys(), background: map[string]bool{}, earlyOver: make(chan struct{})}
	if dir := spoolDirFrom(ctx); dir != "" && !opt.StatusesForChecksOnly {
		sp, err := newRawSpool(dir)
		if err != nil {
			return nil, err
		}
		c.spool = sp
	}
	kept := false
	defer func() {
		if !kept {
			_ = c.spool.close() // the spool goes with a collection that failed
		}
	}()
	c.snap = &Snapshot{
		CollectedAt:    now().UTC().Truncate(time.Second),
		OrgID:          opt.OrgID,
		Region:         opt.Region,
		BaseURL:        opt.BaseURL,
		KeyFingerprint: opt.KeyFingerprint,
		Role:           opt.Role,
		OwnerEmail:     opt.OwnerEmail,
		Integrations:   opt.Integrations,
		Insights:       map[string][]jumpcloud.InsightRow{},

		PolicyStatusesForChecksOnly: opt.StatusesForChecksOnly,
	}
	if !opt.Servers.Empty() {
		rules := opt.Servers
		c.snap.ServerRules = &rules
	}
	if c.snap.OrgID == "" {
		c.snap.OrgID = client.OrgID()
	}

	c.run(func() { c.organization(ctx) })
	if opt.Role == "" {
		c.run(func() { c.keyOwner(ctx) })
	}
	c.runAfterTable(ctx, jumpcloud.SourceAdmins, func(ctx context.Context) {
		listSource(ctx, c, jumpcloud.SourceAdmins, true, client.AdministratorsPages, &c.snap.Admins,
			func(a *jumpcloud.Admin) string { return a.ID })
	})
	if opt.Integrations.Endpoint {
		c.run(func() {
			listSourceAs(ctx, c, jumpcloud.SourceDevices, false, client.SystemsPages, &c.snap.Devices,
				func(d *jumpcloud.System) string { return d.ID }, compactDevices)
		})
		c.runStaged(func(foregroundDone func()) { c.policies(ctx, foregroundDone) })
		for _, table := range jumpcloud.InsightTables {
			c.run(func() { c.insights(ctx, table) })
		}
		c.run(func() { c.rootMounts(ctx) })
		if len(opt.Servers.Groups) > 0 {
			c.run(func() { c.serverGroups(ctx) })
		}
	} else {
		c.skip(string(jumpcloud.SourceDevices), string(jumpcloud.SourcePolicies),
			string(jumpcloud.SourcePolicyResults), SourcePolicySettings)
		for _, table := range insightTablesRead() {
			c.skip(InsightSource(table))
		}
	}
	if opt.Integrations.SSO {
		c.runAfterTable(ctx, jumpcloud.SourceUsers, func(ctx context.Context) {
			listSource(ctx, c, jumpcloud.SourceUsers, false, client.SystemUsersPages, &c.snap.Users,
				func(u *jumpcloud.SystemUser) string { return u.ID })
		})
		c.runAfterTable(ctx, jumpcloud.SourceApplications, func(ctx context.Context) {
			listSource(ctx, c, jumpcloud.SourceApplications, true, client.ApplicationsPages, &c.snap.Applications,
				func(a *jumpcloud.Application) string { return a.ID })
		})
		c.runAfterTable(ctx, jumpcloud.SourceAuthnPolicies, func(ctx context.Context) {
			listSource(ctx, c, jumpcloud.SourceAuthnPolicies, true, client.AuthnPoliciesPages, &c.snap.AuthnPolicies,
				func(a *jumpcloud.AuthnPolicy) string { return a.ID })
		})
	} else {
		c.skip(string(jumpcloud.SourceUsers), string(jumpcloud.SourceApplications),
			string(jumpcloud.SourceAuthnPolicies))
	}
	handedEarly := c.handEarly(ctx)
	c.wg.Wait()
	early := handedEarly()

	if c.fatal != nil {
		return nil, c.fatal
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c.insightKeys.Seal()
	c.snap.raw = c.spool
	if early {
		c.snap.finishBackground() // the rest was sorted and compacted for the early snapshot
	} else {
		c.snap.normalize()
		compact(c.snap)
	}
	kept = true
	c.snap.rawOnlySpooled = c.spool != nil
	return c.snap, nil
}

// collector is one collection in progress. Each source writes only its own Snapshot fields;
// the shared parts (Sources, Insights, progress, fatal) are guarded by mu.
type collector struct {
	client *jumpcloud.Client
	opt    CollectOptions
	cancel context.CancelFunc
	wg     sync.WaitGroup
	snap   *Snapshot

	mu       sync.Mutex
	fatal    error
	progress map[string]*ProgressEvent
	// policyPages/policyProgress sum the per-policy status listings into one source.
	policyProgress map[string]jumpcloud.Progress
	statusPolicies int        // how many policies' statuses are listed
	emitMu         sync.Mutex // serialises OnProgress calls
	// spool, when the collection is an export's (SpoolRawSources), receives every raw source's
	// records as their pages arrive; nil otherwise.
	spool *rawSpool
	// insightKeys numbers the system ids and collection times of every System Insights table.
	insightKeys *jumpcloud.InsightKeys

	// early counts the sources an early snapshot waits for (CollectOptions.Early): all but
	// those read in the background, which are in background until they finish (guarded by mu).
	early      sync.WaitGroup
	background map[string]bool
	earlyOver  chan struct{} // closed once the early snapshot is handed over, or will not be
}

// run reads a source that the early snapshot waits for.
func (c *collector) run(f func()) {
	c.early.Add(1)
	c.wg.Go(func() {
		defer c.early.Done()
		f()
	})
}

// runStaged is run for a source that reads its last part in the background: f calls
// foregroundDone when what is left no longer holds up the early snapshot.
func (c *collector) runStaged(f func(foregroundDone func())) {
	c.early.Add(1)
	done := sync.OnceFunc(c.early.Done)
	c.wg.Go(func() {
		defer done()
		f(done)
	})
}

func (c *collector) skip(sources ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range sources {
		c.snap.Sources = append(c.snap.Sources, SourceStatus{Source: s, State: StateSkipped})
	}
}

// list builds the ListOptions for a source, wired to the progress events.
func (c *collector) list(source string) jumpcloud.ListOptions {
	return jumpcloud.ListOptions{Source: source, OnPage: func(p jumpcloud.Progress) {
		c.report(ProgressEvent{Source: source, Pages: p.Pages, Items: p.Items, Total: p.Total})
	}}
}

// insightList is list for a System Insights table: a collection for the checks only keeps the
// columns they read (checkColumns).
func (c *collector) insightList(table string) jumpcloud.ListOptions {
	opt := c.list(InsightSource(table))
	opt.InsightKeys = c.insightKeys
	if c.opt.StatusesForChecksOnly {
		opt.Columns = checkColumns[table]
	}
	return opt
}

func (c *collector) report(ev ProgressEvent) {
	c.mu.Lock()
	last := c.progress[ev.Source]
	if last == nil {
		last = &ProgressEvent{Source: ev.Source}
		c.progress[ev.Source] = last
	}
	if !ev.Done {
		last.Pages, last.Items, last.Total = ev.Pages, ev.Items, ev.Total
	} else {
		ev.Total = last.Total // Done events carry the final pages and items from finish
	}
	c.mu.Unlock()
	if c.opt.OnProgress != nil {
		c.emitMu.Lock()
		c.opt.OnProgress(ev)
		c.emitMu.Unlock()
	}
}

// finish records how a source ended. items is what was collected; for a failed source the last
// progress event tells how far it got. optional sources follow jumpcloud.NotAvailable: a 403,
// 404 or 405 there is "not available to this key", not a failure.
func (c *collector) finish(source string, items int, err error, optional bool) {
	st := SourceStatus{Source: source, State: StateOK, Items: items}
	c.mu.Lock()
	if p := c.progress[source]; p != nil {
		st.Pages = p.Pages
		if err != nil {
			st.Items = p.Items
		}
	}
	c.mu.Unlock()
	if err != nil {
		var inc *jumpcloud.IncompleteError
		switch kind := jumpcloud.KindOf(err); {
		case kind == jumpcloud.KindInvalidKey:
			c.stop(&KeyRefusedError{Source: source, Err: err})
			return
		case kind == jumpcloud.KindOrgRequired:
			c.stop(err)
			return
		case kind == jumpcloud.KindCanceled || errors.Is(err, context.Canceled):
			// Either the caller canceled (Collect returns ctx.Err()) or another source stopped
			// the collection (Collect returns that error): nothing to record.
			return
		case errors.As(err, &inc):
			// What was read is kept (and exported), marked: the checks see these, the marks say
			// they are not all.
			st.State, st.Items, st.Total = StateIncomplete, items, inc.Total
			st.Reason = err.Error()
		case optional && notAvailable(err):
			st.State, st.Reason = StateNotEnabled, availabilityReason(err)
			if kind == jumpcloud.KindForbidden {
				st.State = StateNotPermitted
			}
		case kind == jumpcloud.KindForbidden:
			st.State, st.Reason = StateNotPermitted, "JumpCloud answered 403 Forbidden"
		default:
			st.State, st.Reason = StateFailed, err.Error()
			if st.Items > 0 {
				st.Reason += fmt.Sprintf(" (%d items had been read; none are kept)", st.Items)
			}
		}
	}
	c.mu.Lock()
	c.snap.Sources = append(c.snap.Sources, st)
	c.mu.Unlock()
	c.report(ProgressEvent{Source: source, Done: true, State: st.State, Items: st.Items, Pages: st.Pages})
}

func notAvailable(err error) bool {
	_, ok := jumpcloud.NotAvailable(err)
	return ok
}

func availabilityReason(err error) string {
	why, _ := jumpcloud.NotAvailable(err)
	return why
}

// stop ends the whole collection with err (the first one wins).
func (c *collector) stop(err error) {
	c.mu.Lock()
	if c.fatal == nil {
		c.fatal = err
	}
	c.mu.Unlock()
	c.cancel()
}

func (c *collector) organization(ctx context.Context) {
	src := SourceOrganization
	id := c.snap.OrgID
	var name string
	if id == "" {
		orgs, err := c.client.Organizations(ctx)
		if err != nil {
			c.finish(src, 0, err, false)
			return
		}
		switch len(orgs) {
		case 0:
			c.finish(src, 0, errors.New("the key sees no organisation"), false)
			return
		case 1:
			id, name = orgs[0].ID, orgs[0].Name()
		default:
			c.stop(&OrgChoiceError{Count: len(orgs)})
			return
		}
	}
	det, err := c.client.Organization(ctx, id)
	c.mu.Lock()
	c.snap.OrgID = id
	if err == nil {
		c.snap.OrgName = det.Name()
		settings := det.Settings
		c.snap.Settings = &settings
	} else if name != "" {
		c.snap.OrgName = name
	}
	c.mu.Unlock()
	c.finish(src, boolCount(err == nil), err, false)
}

func boolCount(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (c *collector) keyOwner(ctx context.Context) {
	owner, err := c.client.KeyOwner(ctx)
	if err != nil {
		if jumpcloud.KindOf(err) == jumpcloud.KindInvalidKey {
			c.stop(&KeyRefusedError{Source: "the key owner", Err: err})
		}
		return // the role stays unknown; the summary says so
	}
	c.mu.Lock()
	c.snap.Role, c.snap.RoleNote = owner.Role, owner.RoleNote
	if c.snap.OwnerEmail == "" {
		c.snap.OwnerEmail = owner.Admin.Email
	}
	c.mu.Unlock()
}

// listSource reads one plain list source into its place in the snapshot, page by page (each page
// handed over in order as it comes in). optional sources (the admin list, SSO applications,
// conditional access) may be refused without failing the run.
// id is the record's sort key (normalize sorts these sources by id).
func listSource[T any](ctx context.Context, c *collector, src jumpcloud.Source, optional bool,
	pages jumpcloud.PageLister[T], into *[]T, id func(*T) string) {
	listSourceAs(ctx, c, src, optional, pages, into, id, func(page []T) []T { return page })
}

// listSourceAs is listSource keeping each page as keep makes it (devices: compactDevices); the
// spool, when there is one, has the records as they came.
func listSourceAs[T, K any](ctx context.Context, c *collector, src jumpcloud.Source, optional bool,
	pages jumpcloud.PageLister[T], into *[]K, id func(*T) string, keep func([]T) []K) {
	var v []K
	part, err := c.spoolPart(string(src))
	if err == nil {
		err = pages(ctx, c.list(string(src)), func(p jumpcloud.Page[T]) error {
			if err := spoolPage(c, part, p, func(r *T) (string, string, string) { return id(r), "", "" }); err != nil {
				return err
			}
			v = jumpcloud.AppendPage(v, jumpcloud.Page[K]{Items: keep(p.Items), Offset: p.Offset, Total: p.Total})
			return nil
		})
	}
	*into = keptItems(v, err)
	if *into != nil {
		part.keep()
	} else {
		part.keepNone()
	}
	c.finish(string(src), len(*into), err, optional)
}

// spoolPart starts one listing's part of source's spool; nil when the collection does not spool.
func (c *collector) spoolPart(source string) (*spoolPart, error) {
	if c.spool == nil {
		return nil, nil
	}
	f, err := c.spool.file(source)
	if err != nil {
		c.stop(err)
		return nil, err
	}
	return &spoolPart{file: f}, nil
}

// keptItems is what a paged listing keeps of the items it was handed: all of them when it ended
// well or incomplete (marked by the error), none when it failed.
func keptItems[T any](items []T, err error) []T {
	if err == nil || errors.Is(err, jumpcloud.ErrIncomplete) && len(items) > 0 {
		return items
	}
	return nil
}

// compactDevices keeps a page of devices as jumpcloud.Devices, about a quarter of the memory of
// the Systems they were decoded as: only one page of Systems is held at a time.
func compactDevices(page []jumpcloud.System) []jumpcloud.Device {
	return jumpcloud.CompactDevices(page...)
}

func (c *collector) insights(ctx context.Context, table string) {
	src := InsightSource(table)
	v, part, err := c.insightPages(ctx, table, func(ctx context.Context, opt jumpcloud.ListOptions, each jumpcloud.PageFunc[jumpcloud.InsightRow]) error {
		return c.client.InsightsPages(ctx, table, opt, each)
	}, c.insightList(table))
	if err == nil || errors.Is(err, jumpcloud.ErrIncomplete) {
		c.mu.Lock()
		c.snap.Insights[table] = v
		c.mu.Unlock()
		part.keep()
	}
	c.finish(src, len(v), err, true)
}

// insightPages lists a System Insights table page by page, each page's full rows spooled (for an
// export) before the rows are kept. The caller keeps the spooled part (part.keep) when it keeps
// the rows, so the raw file holds what the snapshot would.
func (c *collector) insightPages(ctx context.Context, table string, pages jumpcloud.PageLister[jumpcloud.InsightRow],
	opt jumpcloud.ListOptions) ([]jumpcloud.InsightRow, *spoolPart, error) {
	part, err := c.spoolPart(InsightSource(table))
	if err != nil {
		return nil, nil, err
	}
	var v []jumpcloud.InsightRow
	err = pages(ctx, opt, func(p jumpcloud.Page[jumpcloud.InsightRow]) error {
		if err := spoolPage(c, part, p, func(r *jumpcloud.InsightRow) (string, string, string) {
			return r.SystemID(), r.CollectionTime(), ""
		}); err != nil {
			return err
		}
		if part != nil {
			// The full rows are on disk for the bundle: the snapshot keeps the checks' columns,
			// as a collection for the checks does (renumbered apart from the page, whose values go with
			// it: KeepColumns). Copies: the pager still compares the page.
			p.Items = slices.Clone(p.Items)
			for i := range p.Items {
				p.Items[i].KeepColumns(checkColumns[table])
			}
		}
		v = jumpcloud.AppendPage(v, p)
		return nil
	})
	if part != nil {
		part.file.byContent = true // several rows per device and time: normalize orders them by content
	}
	return keptItems(v, err), part, err
}

// rootMounts reads which device each host mounts at / (Linux disk encryption decides on it).
func (c *collector) rootMounts(ctx context.Context) {
	src := InsightSource(jumpcloud.TableMounts)
	v, part, err := c.insightPages(ctx, jumpcloud.TableMounts, c.client.RootMountsPages, c.insightList(jumpcloud.TableMounts))
	if err == nil {
		c.mu.Lock()
		c.snap.Insights[jumpcloud.TableMounts] = v
		c.mu.Unlock()
		part.keep()
	}
	c.finish(src, len(v), err, true)
}
