package connect

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"time"

	"jcconnect/evidence"
	"jcconnect/store"
)

// Collecting evidence, the use case every face shares: the browser, `devices`, the home
// screen's pass rates, the wizard's preview and the export all collect through a Collector
// built here, and tell the person how far it got through a ProgressFunc.

// ProgressFunc receives a collection's progress events, one at a time, from the collection's
// goroutines. A face feeds them to a WorkMeter to draw a bar; it must not block for long.
type ProgressFunc = func(evidence.ProgressEvent)

// Collector collects one snapshot; onProgress may be nil. A Collector made here hands an early
// snapshot to the function WithEarly put in ctx.
type Collector func(ctx context.Context, onProgress ProgressFunc) (*evidence.Snapshot, error)

// WithEarly returns a context that asks the Collectors made here for an early snapshot: early
// receives it as soon as what the device table shows is in (evidence.CollectOptions.Early: the
// devices, System Insights, the policies), while the collection goes on with the policies'
// statuses and the SSO side (users, administrators, applications, conditional access); the
// sources still being read are marked, the checks and owners waiting for them say Reading. The
// Collector then returns the whole snapshot as before. Like net/http/httptrace's hooks it rides
// on the context, so a face that draws early asks for it and every other caller of a Collector
// is unchanged.
func WithEarly(ctx context.Context, early func(*evidence.Snapshot)) context.Context {
	return context.WithValue(ctx, earlyKey{}, earlyHook{early: early})
}

// WithEarlyUsers is WithEarly for a face whose first table is the users' (devices --users): its
// early snapshot waits for the users too (evidence.CollectOptions.EarlyUsers).
func WithEarlyUsers(ctx context.Context, early func(*evidence.Snapshot)) context.Context {
	return context.WithValue(ctx, earlyKey{}, earlyHook{early: early, users: true})
}

// WithCollected returns a context that tells collected each snapshot the Collectors made here
// return, as they return it: what a face then keeps of it can be watched (the tests that no
// screen keeps a collection's records watch them through it). Like WithEarly it rides on the
// context.
func WithCollected(ctx context.Context, collected func(*evidence.Snapshot)) context.Context {
	return context.WithValue(ctx, collectedKey{}, collected)
}

type collectedKey struct{}

// tellCollected calls ctx's WithCollected function, if any, with a snapshot collected.
func tellCollected(ctx context.Context, snap *evidence.Snapshot) {
	if f, ok := ctx.Value(collectedKey{}).(func(*evidence.Snapshot)); ok && snap != nil {
		f(snap)
	}
}

type earlyKey struct{}

type earlyHook struct {
	early func(*evidence.Snapshot)
	users bool
}

// withEarlyFrom sets opt's early snapshot hook from ctx (WithEarly, WithEarlyUsers).
func withEarlyFrom(ctx context.Context, opt *evidence.CollectOptions) {
	h, _ := ctx.Value(earlyKey{}).(earlyHook)
	opt.Early, opt.EarlyUsers = h.early, h.users
}

// CollectorFor is the Collector of a connection: the profile's integrations (both when there
// is no profile), its organisation, and the key's fingerprint recorded in the snapshot.
// checksOnly reads per-policy statuses only for the policies a check needs, so a drawn table
// comes sooner; an export's snapshot must read every status (checksOnly false).
//
// A screen that shows what it collects keeps it with Shown, which remembers it in env.Recent.
func CollectorFor(env *Env, conn Connection, checksOnly bool) Collector {
	integ := IntegrationsOf(conn)
	return func(ctx context.Context, onProgress ProgressFunc) (*evidence.Snapshot, error) {
		opt := evidence.CollectOptions{
			StatusesForChecksOnly: checksOnly,
			Integrations:          integ,
			OrgID:                 conn.OrgID,
			Region:                conn.Region,
			BaseURL:               conn.BaseURL,
			KeyFingerprint:        conn.Fingerprint,
			OnProgress:            onProgress,
		}
		withEarlyFrom(ctx, &opt)
		if conn.HasProfile {
			opt.Role, opt.OwnerEmail = conn.Profile.Role, conn.Profile.OwnerEmail
		}
		opt.Servers = ServerRulesFor(env, conn.Profile)
		if env != nil && env.Now != nil {
			opt.Now = env.Now
		}
		snap, err := evidence.Collect(ctx, conn.Client, opt)
		tellCollected(ctx, snap)
		return snap, err
	}
}

// CollectorForVerified is the Collector of a key just verified (the wizard's preview, before
// or without a stored profile): its organisation, integrations and owner as verification found
// them, and the key's fingerprint (never the key) recorded in the snapshot.
func CollectorForVerified(env *Env, v Verified, checksOnly bool) Collector {
	return func(ctx context.Context, onProgress ProgressFunc) (*evidence.Snapshot, error) {
		req := VerifyRequest{Key: v.Key, ClientID: v.ClientID, TokenURL: v.TokenURL, Region: v.Region, BaseURL: v.BaseURL}
		if env != nil {
			req.NewClient = env.NewClient
		}
		base, err := req.Client()
		if err != nil {
			return nil, err
		}
		region := v.Region
		if region == RegionDemo {
			region = "custom"
		}
		opt := evidence.CollectOptions{
			Integrations: evidence.Integrations{Endpoint: v.Integrations.EndpointManagement, SSO: v.Integrations.SSO},
			OrgID:        v.Org.ID, Region: region, BaseURL: v.BaseURL,
			KeyFingerprint: v.Key.Fingerprint(), Role: v.Owner.Role, OwnerEmail: v.Owner.Admin.Email,
			OnProgress:            onProgress,
			StatusesForChecksOnly: checksOnly,
			Servers:               ServerRulesFor(env, store.Profile{}), // --servers; no profile yet
		}
		withEarlyFrom(ctx, &opt)
		if env != nil && env.Now != nil {
			opt.Now = env.Now
		}
		snap, err := evidence.Collect(ctx, ClientForOrg(base, v.Org, v.OrgCount, ""), opt)
		tellCollected(ctx, snap)
		return snap, err
	}
}

// Shown is what a screen keeps of a collection it shows, snap and its report rep (evaluated
// with env's thresholds): evidence.Keep, made where the collection ends, off the event loop,
// and remembered in env.Recent so that the screen opened next shows it without collecting or
// evaluating again (home after the wizard's preview or `devices`). Neither snap nor rep is
// kept: the caller drops them.
//
// Only a checks-only snapshot is remembered: an export's (every policy status) is never shown
// once its bundle is written, and at 50,000 devices its statuses alone are ~45 MB and 750k
// objects that every garbage collection would mark for the rest of the session.
func Shown(env *Env, snap *evidence.Snapshot, rep *evidence.Report) *evidence.Kept {
	k := evidence.Keep(snap, rep)
	if env != nil && snap.PolicyStatusesForChecksOnly {
		env.Recent.Remember(k)
	}
	return k
}

// IntegrationsOf is what a connection collects: the profile's choice, else everything.
func IntegrationsOf(conn Connection) evidence.Integrations {
	p := conn.Profile.Integrations
	if !conn.HasProfile || (!p.EndpointManagement && !p.SSO) {
		return evidence.Integrations{Endpoint: true, SSO: true}
	}
	return evidence.Integrations{Endpoint: p.EndpointManagement, SSO: p.SSO}
}

// EvidenceConnection is the connection an evidence command uses: ClientFromEnv, and with
// --demo and nothing stored, the demo's Read Only key, so `jcconnect devices --demo` works
// with no setup.
func EvidenceConnection(ctx context.Context, env *Env) (Connection, error) {
	conn, err := ClientFromEnv(ctx, env)
	if demo, ok := demoCredential(env); ok && errors.Is(err, store.ErrNoProfile) {
		return ConnectWithKey(env, store.Profile{}, false, demo)
	}
	return conn, err
}

// Collect runs a collection and evaluates it: the snapshot and its report, with the profile's
// LastCollectedAt recorded (best effort). A snapshot with gaps is not an error: Snapshot.Gaps
// says what is missing, and ExitFor turns it into the exit code.
func Collect(ctx context.Context, env *Env, collect Collector, onProgress ProgressFunc) (*evidence.Snapshot, *evidence.Report, error) {
	snap, err := CollectSnapshot(ctx, env, collect, onProgress)
	if err != nil {
		return nil, nil, err
	}
	return snap, evidence.Evaluate(snap, env.CheckThresholds()), nil
}

// CollectSnapshot is Collect without the report, for callers that evaluate row by row as they
// write (devices --json/--csv): it collects and records LastCollectedAt unless nothing was read.
func CollectSnapshot(ctx context.Context, env *Env, collect Collector, onProgress ProgressFunc) (*evidence.Snapshot, error) {
	snap, err := collect(ctx, onProgress)
	if err != nil {
		return nil, err
	}
	if !snap.ReadNothing() {
		MarkCollected(env, snap)
	}
	return snap, nil
}

// MarkCollected records LastCollectedAt on the profile (best effort: there may be no profile
// when the key came from the environment).
func MarkCollected(env *Env, snap *evidence.Snapshot) {
	if env == nil || env.Store == nil || snap == nil {
		return
	}
	p, err := env.Store.Profile(env.Profile)
	if err != nil {
		return
	}
	t := snap.CollectedAt
	p.LastCollectedAt = &t
	_ = env.Store.UpdateProfile(p)
}

// ExitFor is the exit code of an evidence command whose snapshot is snap: ExitPartial when it
// has gaps (Snapshot.Gaps), unless --allow-partial; ExitOK otherwise.
func ExitFor(env *Env, snap *evidence.Snapshot) int {
	if snap.Complete() || (env != nil && env.AllowPartial) {
		return ExitOK
	}
	return ExitPartial
}

// RecentSnapshots remembers the last collection a screen showed (a checks-only one, never an
// export's), as the screens keep it (evidence.Kept: the snapshot's shell and its report, never
// the records), per organisation and key, so the screen shown right after a collection (home
// after the wizard's preview) shows it instead of asking JumpCloud for everything again, and
// without evaluating it again. A nil *RecentSnapshots remembers nothing.
type RecentSnapshots struct {
	mu   sync.Mutex
	last *evidence.Kept
}

// recentFor is how long a remembered collection counts as "just collected".
const recentFor = 10 * time.Minute

// Remember keeps k as the most recent collection shown.
func (r *RecentSnapshots) Remember(k *evidence.Kept) {
	if r == nil || k == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.last = k
}

// For returns the remembered collection when it is of this organisation, read with this key
// (fingerprint) for these integrations and server rules, evaluated with these thresholds, and
// no older than recentFor at now; else nil. Its report is not made again: other thresholds need
// another evaluation, which needs the records, so they collect again. A collection older than
// recentFor is forgotten.
func (r *RecentSnapshots) For(orgID, fingerprint string, integ evidence.Integrations, servers evidence.ServerRules,
	th evidence.Thresholds, now time.Time) *evidence.Kept {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.last == nil {
		return nil
	}
	s := r.last.Snapshot()
	if now.Sub(s.CollectedAt) > recentFor {
		// Too old to be handed on, now or later: let go of it (tens of MB of packed reports at
		// 50,000 devices) rather than keep it until the next collection replaces it.
		r.last = nil
		return nil
	}
	if s.OrgID != orgID || s.KeyFingerprint != fingerprint || s.Integrations != integ ||
		now.Before(s.CollectedAt.Add(-time.Minute)) {
		return nil
	}
	had := evidence.ServerRules{}
	if s.ServerRules != nil {
		had = *s.ServerRules
	}
	if !(had.Empty() && servers.Empty()) && !reflect.DeepEqual(had, servers) {
		return nil // collected with other server rules: home would show other verdicts
	}
	if !r.last.EvaluatedWith(th) {
		return nil // evaluated with other thresholds: home would show other verdicts
	}
	return r.last
}
