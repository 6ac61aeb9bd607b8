package naivepager

import (
	"context"
	"strings"
	"testing"

	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
)

// The naive pager reads every page of every source one request at a time, counts exactly the
// requests the server saw, and a Read Only key's refused admin list is not an error.
func TestCollectReadsEverySourceOneRequestAtATime(t *testing.T) {
	srv := jctest.NewServer(jctest.Options{Devices: 250, Users: 120, Policies: 5, Seed: 4})
	defer srv.Close()
	plan := Full()
	plan.Settings = func(jumpcloud.Policy) bool { return true }
	n, err := Collect(context.Background(), srv.URL, srv.Keys.ReadOnly, plan)
	if err != nil {
		t.Fatal(err)
	}
	st := srv.Stats()
	if n != st.Requests {
		t.Errorf("counted %d requests, the server saw %d", n, st.Requests)
	}
	// A request's slot is freed just after its answer, so the next may overlap it by a hair;
	// anything above 2 would be concurrency.
	if st.MaxInFlight > 2 {
		t.Errorf("max %d in flight: not sequential", st.MaxInFlight)
	}
	// 250 devices at 100 a page: 3 pages; 120 users: 2; 5 policies, each read and its statuses.
	for route, want := range map[string]int{"/api/systems": 3, "/api/systemusers": 2, "/api/users": 1,
		"/api/v2/policies": 1, "/api/v2/policies/{id}": 5} {
		if st.ByRoute[route] != want {
			t.Errorf("%s: %d requests, want %d (all: %v)", route, st.ByRoute[route], want, st.ByRoute)
		}
	}
	if st.ByRoute["/api/v2/policies/{id}/policystatuses"] < 5 || st.ByRoute["/api/v2/systeminsights/{table}"] < len(jumpcloud.InsightTables)+1 {
		t.Errorf("statuses or System Insights not read: %v", st.ByRoute)
	}

	// Statuses narrows which policies' statuses are read; a failing required list is an error.
	srv.ResetCounts()
	plan = Plan{Policies: true, Statuses: func(jumpcloud.Policy) bool { return false }}
	if _, err := Collect(context.Background(), srv.URL, srv.Keys.ReadOnly, plan); err != nil {
		t.Fatal(err)
	}
	if got := srv.Stats().ByRoute["/api/v2/policies/{id}/policystatuses"]; got != 0 {
		t.Errorf("%d status requests, want none", got)
	}
	if _, err := Collect(context.Background(), srv.URL, srv.Keys.Revoked, Full()); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("a revoked key: %v, want the 401", err)
	}
}
