package evidence

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"jcconnect/internal/sandboxtest"
	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
)

// earlyRun is a collection with an early snapshot whose policies' statuses are held (a
// sandboxtest.Gate in the client's transport) until the test opens the gate.
type earlyRun struct {
	gate  *sandboxtest.Gate
	early chan *Snapshot
	done  chan earlyResult
}

type earlyResult struct {
	snap *Snapshot
	err  error
}

func startEarly(t *testing.T, ctx context.Context, srv *jctest.Server, key string, checksOnly bool) *earlyRun {
	t.Helper()
	r := &earlyRun{gate: sandboxtest.NewGate("/policystatuses"), early: make(chan *Snapshot, 1), done: make(chan earlyResult, 1)}
	t.Cleanup(r.gate.Open)
	// A long timeout: the held requests wait for the test, not for the network. Slots for every
	// policy's first page held at once and the rest: the held requests keep their slots.
	client := newClient(t, srv, key, func(c *jumpcloud.Config) {
		c.Transport, c.Timeout, c.MaxInFlight = r.gate, time.Minute, 32
	})
	opt := both()
	opt.StatusesForChecksOnly = checksOnly
	opt.Early = func(s *Snapshot) { r.early <- s }
	go func() {
		s, err := Collect(ctx, client, opt)
		r.done <- earlyResult{s, err}
	}()
	return r
}

// waitEarly is the early snapshot, once the statuses are being read (and held); the collection
// must not have ended first.
func (r *earlyRun) waitEarly(t *testing.T) *Snapshot {
	t.Helper()
	select {
	case e := <-r.early:
		// The statuses are asked for once the early snapshot is handed over; they are held.
		select {
		case <-r.gate.Holding():
		case res := <-r.done:
			t.Fatalf("the collection ended (%v) without reading the statuses after the early snapshot", res.err)
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

			if got := stateOf(e, string(jumpcloud.SourcePolicyResults)); got != StateReading {
				t.Fatalf("policy results %q in the early snapshot, want %q", got, StateReading)
			}
			if e.Complete() || !strings.Contains(strings.Join(e.GapNames(), "; "), "policy results (still being read)") {
				t.Errorf("the early snapshot must be a gap by name: complete %v, gaps %v", e.Complete(), e.GapNames())
			}
			if len(e.Devices) != srv.Org().Devices || len(e.PolicyStatuses) != 0 {
				t.Errorf("early: %d devices (want %d), %d statuses (want none yet)", len(e.Devices), srv.Org().Devices, len(e.PolicyStatuses))
			}
			earlyJSON, _ := json.Marshal(e)
			r.gate.Open()
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

			reading := 0
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
			}
			if reading == 0 {
				t.Fatal("no check waited for the statuses: the test shows nothing")
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
		r.gate.Open()
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
	t.Run("key revoked", func(t *testing.T) {
		srv := newServer(t, jctest.Options{Devices: 80, Policies: 10, Seed: 7})
		key := srv.AddKey("Read Only")
		r := startEarly(t, context.Background(), srv, key, true)
		r.waitEarly(t)
		srv.RevokeKey(key)
		r.gate.Open()
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
