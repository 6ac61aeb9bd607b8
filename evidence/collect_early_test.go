package evidence

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"jcconnect/internal/sandboxtest"
	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
)

// earlyRun is a collection with an early snapshot whose background sources are held (a
// sandboxtest.Gate in the client's transport, one per route) until the test opens the gates:
// the policies' statuses and the users, both read after the device table.
type earlyRun struct {
	statuses, users *sandboxtest.Gate
	early           chan *Snapshot
	done            chan earlyResult
}

type earlyResult struct {
	snap *Snapshot
	err  error
}

func startEarly(t *testing.T, ctx context.Context, srv *jctest.Server, key string, checksOnly bool) *earlyRun {
	t.Helper()
	return startEarlyWith(t, ctx, srv, key, func(o *CollectOptions) { o.StatusesForChecksOnly = checksOnly })
}

func startEarlyWith(t *testing.T, ctx context.Context, srv *jctest.Server, key string, tweak func(*CollectOptions)) *earlyRun {
	t.Helper()
	r := &earlyRun{statuses: sandboxtest.NewGate("/policystatuses"), users: sandboxtest.NewGate("/api/systemusers"),
		early: make(chan *Snapshot, 1), done: make(chan earlyResult, 1)}
	r.users.Next = r.statuses
	t.Cleanup(r.open)
	// A long timeout: the held requests wait for the test, not for the network. Slots for every
	// policy's first page held at once and the rest: the held requests keep their slots.
	client := newClient(t, srv, key, func(c *jumpcloud.Config) {
		c.Transport, c.Timeout, c.MaxInFlight = r.users, time.Minute, 32
	})
	opt := both()
	tweak(&opt)
	opt.Early = func(s *Snapshot) { r.early <- s }
	go func() {
		s, err := Collect(ctx, client, opt)
		r.done <- earlyResult{s, err}
	}()
	return r
}

// open lets the held requests through.
func (r *earlyRun) open() {
	r.users.Open()
	r.statuses.Open()
}

// waitEarly is the early snapshot, once the statuses and the users are being read (and held);
// the collection must not have ended first.
func (r *earlyRun) waitEarly(t *testing.T) *Snapshot {
	t.Helper()
	select {
	case e := <-r.early:
		// The statuses and the users are asked for once the early snapshot is handed over;
		// they are held.
		for _, g := range []*sandboxtest.Gate{r.statuses, r.users} {
			select {
			case <-g.Holding():
			case res := <-r.done:
				t.Fatalf("the collection ended (%v) without reading %s after the early snapshot", res.err, g.Hold)
			}
		}
		return e
	case res := <-r.done:
		t.Fatalf("the collection ended (%v) without an early snapshot", res.err)
	}
	return nil
}

// The early snapshot has every device, says plainly that the statuses are still being read
// (never complete, a gap by name), and no check it hands out says anything the statuses could
// still change: every verdict that is not Reading is the one the whole snapshot gives. The
// whole snapshot is then the same as a collection without an early one, and the early
// snapshot is not changed by what came after.
func TestCollectEarlySnapshotThenTheWhole(t *testing.T) {
	for _, checksOnly := range []bool{true, false} {
		name := "every status"
		if checksOnly {
			name = "checks' statuses"
		}
		t.Run(name, func(t *testing.T) {
			srv := newServer(t, jctest.Options{Devices: 150, Users: 30, Policies: 12, Seed: 5})
			r := startEarly(t, context.Background(), srv, srv.Keys.Admin, checksOnly)
			e := r.waitEarly(t)

			// What the device table does not show comes after it: the statuses and the SSO side.
			afterTable := []jumpcloud.Source{jumpcloud.SourcePolicyResults, jumpcloud.SourceUsers, jumpcloud.SourceAdmins,
				jumpcloud.SourceApplications, jumpcloud.SourceAuthnPolicies}
			for _, src := range afterTable {
				if got := stateOf(e, string(src)); got != StateReading {
					t.Fatalf("%s %q in the early snapshot, want %q", src, got, StateReading)
				}
				if !strings.Contains(strings.Join(e.GapNames(), "; "), string(src)+" (still being read)") {
					t.Errorf("the early snapshot must name %s as a gap: gaps %v", src, e.GapNames())
				}
			}
			if e.Complete() {
				t.Error("the early snapshot says it is complete")
			}
			if len(e.Devices) != srv.Org().Devices || len(e.PolicyStatuses) != 0 || len(e.Users) != 0 {
				t.Errorf("early: %d devices (want %d), %d statuses, %d users (want none yet)", len(e.Devices), srv.Org().Devices, len(e.PolicyStatuses), len(e.Users))
			}
			earlyJSON, _ := json.Marshal(e)
			r.open()
			earlyRep := Evaluate(e, Thresholds{}) // while the statuses come in: e is not touched
			res := <-r.done
			if res.err != nil {
				t.Fatal(res.err)
			}
			final := res.snap
			if !final.Readable(string(jumpcloud.SourcePolicyResults)) || len(final.Reading()) > 0 {
				t.Fatalf("the whole snapshot: policy results %+v, still reading %v", final.Status(string(jumpcloud.SourcePolicyResults)), final.Reading())
			}
			rep := Evaluate(final, Thresholds{})
			// Evaluated from the early report, the statuses' checks and the owners again, it is
			// the same report.
			if after := EvaluateAfterEarly(final, Thresholds{}, earlyRep); !reflect.DeepEqual(after, rep) {
				a, _ := json.Marshal(after)
				b, _ := json.Marshal(rep)
				t.Errorf("EvaluateAfterEarly differs from Evaluate of the whole snapshot:\n%.2000s\n%.2000s", a, b)
			}
			assertAfterEarlyWithUnparsed(t, e, final)

			reading, ownersReading := 0, 0
			for i, d := range earlyRep.Devices {
				fd := rep.Devices[i]
				if d.ID != fd.ID {
					t.Fatalf("device %d: early %s, whole %s", i, d.ID, fd.ID)
				}
				for k, er := range d.Results {
					fr := fd.Results[k]
					if fr.Status == Reading {
						t.Fatalf("%s %s: Reading in the whole snapshot", d.ID, fr.Check)
					}
					if er.Status == Reading {
						reading++
						if !strings.Contains(er.Reason, "policy results still being read") {
							t.Errorf("%s %s: reading, but the reason does not say what for: %q", d.ID, er.Check, er.Reason)
						}
						continue
					}
					if er.Status != fr.Status {
						t.Errorf("%s %s: %s early (%s), %s once the statuses are in (%s): a confident wrong answer",
							d.ID, er.Check, er.Status, er.Reason, fr.Status, fr.Reason)
					}
				}
				if d.Overall != Reading && d.Overall != fd.Overall {
					t.Errorf("%s overall %s early, %s whole", d.ID, d.Overall, fd.Overall)
				}
				// An owner whose name is still being read says so, and is never another name.
				switch {
				case fd.OwnerReading:
					t.Errorf("%s: owner still reading in the whole snapshot", d.ID)
				case d.OwnerReading:
					ownersReading++
				case d.Owner != fd.Owner:
					t.Errorf("%s owner %q early, %q whole: a confident wrong answer", d.ID, d.Owner, fd.Owner)
				}
			}
			if reading == 0 || ownersReading == 0 {
				t.Fatalf("%d checks waited for the statuses, %d owners for the users: the test shows nothing", reading, ownersReading)
			}
			// The organisation's checks: conditional access waits for its policies; the rest
			// (the organisation's settings) is decided early, as it will be.
			for i, o := range earlyRep.Org {
				fo := rep.Org[i]
				switch {
				case o.Check == "mfa_required":
					if o.Status != Reading {
						t.Errorf("mfa_required %s early (%s), want reading: conditional access is still being read", o.Status, o.Reason)
					}
				case o.Status != fo.Status || o.Reason != fo.Reason:
					t.Errorf("%s %s early (%s), %s whole (%s)", o.Check, o.Status, o.Reason, fo.Status, fo.Reason)
				}
			}
			if len(earlyRep.Users) != 0 || len(rep.Users) != srv.Org().Users {
				t.Errorf("%d users early (want none: still being read), %d whole (want %d)", len(earlyRep.Users), len(rep.Users), srv.Org().Users)
			}

			// The same organisation collected at once, with no early snapshot, is the same.
			plain, err := Collect(context.Background(), newClient(t, srv, srv.Keys.Admin, nil), func() CollectOptions {
				o := both()
				o.StatusesForChecksOnly = checksOnly
				return o
			}())
			if err != nil {
				t.Fatal(err)
			}
			a, _ := json.Marshal(final)
			b, _ := json.Marshal(plain)
			if string(a) != string(b) {
				t.Error("the whole snapshot after an early one differs from a collection without one")
			}
			if again, _ := json.Marshal(e); string(again) != string(earlyJSON) {
				t.Error("the early snapshot changed after it was handed over")
			}
		})
	}
}

// A failure of what was read in the background reaches the whole snapshot's marks (a gap by
// name, checks unknown), and a collection stopped meanwhile (a revoked key, a cancel) ends with
// its error, as one with no early snapshot would.
func TestCollectEarlyThenTheBackgroundFails(t *testing.T) {
	t.Run("statuses answer 500", func(t *testing.T) {
		srv := newServer(t, jctest.Options{Devices: 80, Policies: 10, Seed: 7})
		r := startEarly(t, context.Background(), srv, srv.Keys.ReadOnly, true)
		e := r.waitEarly(t)
		for _, p := range e.Policies {
			if NeedsPolicyStatuses(p.Template) {
				srv.Inject(jctest.Fault{PathPrefix: "/api/v2/policies/" + p.ID + "/policystatuses", Kind: jctest.FaultStatus, Status: 500})
			}
		}
		r.open()
		res := <-r.done
		if res.err != nil {
			t.Fatal(res.err)
		}
		st := res.snap.Status(string(jumpcloud.SourcePolicyResults))
		if st.State != StateFailed || res.snap.Complete() {
			t.Fatalf("policy results %+v after every status request failed; complete %v", st, res.snap.Complete())
		}
		unknown := 0
		for _, d := range Evaluate(res.snap, Thresholds{}).Devices {
			for _, r := range d.Results {
				if r.Status == Reading {
					t.Fatalf("%s %s: reading, in a snapshot whose collection has ended", d.ID, r.Check)
				}
			}
			if lock := d.Result("screen_lock"); lock.Status == Unknown && strings.Contains(lock.Reason, "policy results") {
				unknown++
			}
		}
		if unknown == 0 {
			t.Error("no screen lock says the statuses could not be read")
		}
	})
	t.Run("users answer 500", func(t *testing.T) {
		srv := newServer(t, jctest.Options{Devices: 80, Policies: 10, Seed: 7})
		r := startEarly(t, context.Background(), srv, srv.Keys.ReadOnly, true)
		r.waitEarly(t)
		srv.Inject(jctest.Fault{PathPrefix: "/api/systemusers", Kind: jctest.FaultStatus, Status: 500})
		r.open()
		res := <-r.done
		if res.err != nil {
			t.Fatal(res.err)
		}
		users := res.snap.Status(string(jumpcloud.SourceUsers))
		if users.State != StateFailed || res.snap.Complete() || len(res.snap.Reading()) > 0 ||
			!strings.Contains(strings.Join(res.snap.GapNames(), "; "), "users (failed)") {
			t.Fatalf("users %+v, complete %v, still reading %v, gaps %v: a failed background source must be a gap by name",
				users, res.snap.Complete(), res.snap.Reading(), res.snap.GapNames())
		}
		if !res.snap.Readable(string(jumpcloud.SourcePolicyResults)) {
			t.Errorf("policy results %+v: the users' failure must not stop the statuses", res.snap.Status(string(jumpcloud.SourcePolicyResults)))
		}
		owners := 0
		for _, d := range Evaluate(res.snap, Thresholds{}).Devices {
			if d.OwnerReading {
				t.Fatalf("%s: owner still reading in a snapshot whose collection has ended", d.ID)
			}
			if d.Owner != "" {
				owners++
			}
		}
		if owners == 0 {
			t.Error("no device has an owner: the test shows nothing")
		}
	})
	t.Run("key revoked", func(t *testing.T) {
		srv := newServer(t, jctest.Options{Devices: 80, Policies: 10, Seed: 7})
		key := srv.AddKey("Read Only")
		r := startEarly(t, context.Background(), srv, key, true)
		r.waitEarly(t)
		srv.RevokeKey(key)
		r.open()
		res := <-r.done
		var refused *KeyRefusedError
		if !errors.As(res.err, &refused) || res.snap != nil {
			t.Fatalf("got %v, %v; want a *KeyRefusedError and no snapshot", res.snap, res.err)
		}
	})
	t.Run("canceled", func(t *testing.T) {
		srv := newServer(t, jctest.Options{Devices: 80, Policies: 10, Seed: 7})
		ctx, cancel := context.WithCancel(context.Background())
		r := startEarly(t, ctx, srv, srv.Keys.ReadOnly, true)
		r.waitEarly(t)
		cancel() // the held requests give up with their context: the gate stays shut
		res := <-r.done
		if !errors.Is(res.err, context.Canceled) || res.snap != nil {
			t.Fatalf("got %v, %v; want context.Canceled and no snapshot", res.snap, res.err)
		}
	})
}

// With nothing to read in the background (no device integration: no policies), there is no
// early snapshot: the whole one comes at once.
func TestCollectEarlyNotHandedWhenNothingIsLeft(t *testing.T) {
	srv := newServer(t, jctest.Options{Devices: 10, Seed: 2})
	opt := both()
	opt.Integrations.Endpoint = false
	called := false
	opt.Early = func(*Snapshot) { called = true }
	if _, err := Collect(context.Background(), newClient(t, srv, srv.Keys.ReadOnly, nil), opt); err != nil {
		t.Fatal(err)
	}
	if called {
		t.Error("an early snapshot was handed over with nothing left to read")
	}
}

// A face whose first table is the users' (EarlyUsers: devices --users) has them in its early
// snapshot; only the statuses come after it.
func TestCollectEarlyUsersWaitsForTheUsers(t *testing.T) {
	srv := newServer(t, jctest.Options{Devices: 40, Users: 25, Policies: 10, Seed: 3})
	r := startEarlyWith(t, context.Background(), srv, srv.Keys.ReadOnly, func(o *CollectOptions) {
		o.StatusesForChecksOnly, o.EarlyUsers = true, true
	})
	r.users.Open() // read before the early snapshot: holding them would hold it
	e := r.waitEarly(t)
	if got := e.Reading(); len(got) != 1 || got[0] != string(jumpcloud.SourcePolicyResults) {
		t.Errorf("still reading %v in the early snapshot, want only the policy results", got)
	}
	if !e.Readable(string(jumpcloud.SourceUsers)) || len(e.Users) != srv.Org().Users {
		t.Errorf("users %+v, %d of %d in the early snapshot", e.Status(string(jumpcloud.SourceUsers)), len(e.Users), srv.Org().Users)
	}
	r.open()
	if res := <-r.done; res.err != nil || len(res.snap.Reading()) > 0 {
		t.Fatalf("%v, still reading %v", res.err, res.snap.Reading())
	}
}

// assertAfterEarlyWithUnparsed: a device with fields that could not be read (distrustUnparsed),
// one a check taken from the early report rests on (fde: disk encryption unknown for it) and one
// a statuses' check evaluated again does (policyStats: no counters, unknown), in both the early
// and the whole snapshot: EvaluateAfterEarly still gives Evaluate's report.
func assertAfterEarlyWithUnparsed(t *testing.T, early, whole *Snapshot) {
	t.Helper()
	raw, err := json.Marshal(&whole.Devices[0])
	if err != nil {
		t.Fatal(err)
	}
	var fields map[string]any
	if err := json.Unmarshal(raw, &fields); err != nil {
		t.Fatal(err)
	}
	fields["fde"] = map[string]any{"active": "yes"}
	fields["policyStats"] = map[string]any{"total": "3"}
	raw, _ = json.Marshal(fields)
	var sys jumpcloud.System
	if err := json.Unmarshal(raw, &sys); err != nil {
		t.Fatal(err)
	}
	odd := jumpcloud.CompactDevice(sys)
	if len(odd.Unparsed()) < 2 {
		t.Fatalf("unparsed %+v: the test does not test them", odd.Unparsed())
	}
	withOdd := func(s *Snapshot) *Snapshot {
		c := *s
		c.Devices = slices.Clone(s.Devices)
		c.Devices[0] = odd
		return &c
	}
	e, w := withOdd(early), withOdd(whole)
	want := Evaluate(w, Thresholds{})
	if got := EvaluateAfterEarly(w, Thresholds{}, Evaluate(e, Thresholds{})); !reflect.DeepEqual(got, want) {
		t.Errorf("with unparsed fields, EvaluateAfterEarly gives %+v\nEvaluate %+v", got.Devices[0], want.Devices[0])
	}
	unknown := 0
	for _, r := range want.Devices[0].Results {
		if r.Status == Unknown && strings.Contains(r.Reason, "cannot read") {
			unknown++
		}
	}
	if unknown == 0 {
		t.Errorf("no check says a field could not be read: %+v", want.Devices[0].Results)
	}
}
