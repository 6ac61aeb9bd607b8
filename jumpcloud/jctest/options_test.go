package jctest

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestNoTotalCountDropsTheHeader(t *testing.T) {
	s := NewServer(Options{Devices: 10, NoTotalCount: true})
	defer s.Close()
	for _, p := range []string{"/api/v2/policies", "/api/v2/policyresults", "/api/v2/authn/policies"} {
		if h := get(t, s, s.Keys.ReadOnly, "", p).header.Get("x-total-count"); h != "" {
			t.Errorf("%s: x-total-count %q with NoTotalCount", p, h)
		}
	}
}

func TestInsightsHaveNoTotalCount(t *testing.T) {
	s := NewServer(Options{Devices: 10})
	defer s.Close()
	if h := get(t, s, s.Keys.ReadOnly, "", "/api/v2/systeminsights/os_version").header.Get("x-total-count"); h != "" {
		t.Errorf("System Insights sent x-total-count %q (its presence is UNCONFIRMED: clients must page to a short page)", h)
	}
}

func TestFieldsKeepsIDsAndTheRequestedFields(t *testing.T) {
	s := NewServer(Options{Devices: 10})
	defer s.Close()
	_, res := get(t, s, s.Keys.ReadOnly, "", "/api/systems?limit=3&fields=hostname%20os").v1Page(t)
	for _, d := range res {
		if len(d) != 4 || d["_id"] == nil || d["id"] == nil || d["hostname"] == nil || d["os"] == nil {
			t.Errorf("fields=hostname os gave %v", d)
		}
	}
	var self map[string]any
	get(t, s, s.Keys.ReadOnly, "", "/api/users/getSelf?fields=provider").decode(t, &self)
	if _, ok := self["email"]; ok {
		t.Errorf("getSelf?fields=provider returned email: %v", self)
	}
}

func TestInsightsFilterOnTheTablesOwnField(t *testing.T) {
	s := NewServer(Options{Devices: 300, Seed: 8})
	defer s.Close()
	all := get(t, s, s.Keys.ReadOnly, "", "/api/v2/systeminsights/alf?limit=10000").v2Page(t)
	off := get(t, s, s.Keys.ReadOnly, "", "/api/v2/systeminsights/alf?limit=10000&filter=global_state:eq:0").v2Page(t)
	onOrBlock := get(t, s, s.Keys.ReadOnly, "", "/api/v2/systeminsights/alf?limit=10000&filter=global_state:in:1|2").v2Page(t)
	if len(off) == 0 || len(onOrBlock) == 0 || len(off)+len(onOrBlock) != len(all) {
		t.Errorf("global_state filters: %d off + %d on != %d", len(off), len(onOrBlock), len(all))
	}
	for _, r := range off {
		if r["global_state"] != 0.0 {
			t.Errorf("filter global_state:eq:0 returned %v", r)
		}
	}
}

func TestLatencyDelaysEveryAnswer(t *testing.T) {
	s := NewServer(Options{Devices: 10, Latency: time.Hour})
	defer s.Close()
	if _, err := rawGet(s, s.Keys.ReadOnly, "/api/organizations", 100*time.Millisecond); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("with an hour of latency the request ended with %v", err)
	}
	s.SetLatency(0)
	if _, err := rawGet(s, s.Keys.ReadOnly, "/api/organizations", 10*time.Second); err != nil {
		t.Errorf("latency off: %v", err)
	}
}

func TestUnknownOrgInAddKeyPanics(t *testing.T) {
	s := NewServer(Options{Devices: 10})
	defer s.Close()
	defer func() {
		if recover() == nil {
			t.Errorf("AddKey with an unknown org did not panic")
		}
	}()
	s.AddKey("Read Only", "000000000000000000000000")
}
