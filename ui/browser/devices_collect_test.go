package browser

import (
	"context"
	"reflect"
	"testing"

	"jcconnect/store"
	"jcconnect/ui/common"
)

// A refresh is connect.Collect's: evaluated with the thresholds the flags set (the same rule as
// `devices` and the home screen) and recorded as the profile's LastCollectedAt.
func TestBrowserRefreshEvaluatesThroughConnectCollect(t *testing.T) {
	srv := evServer(t, 20)
	env, _, _ := evEnv(t, srv, srv.Keys.ReadOnly)
	env.Thresholds.StaleDays = 3 // --stale-days 3
	if err := env.Store.Save(context.Background(), store.Profile{Name: "default", OrgID: srv.Org().ID}, store.MustSecret(srv.Keys.ReadOnly, false)); err != nil {
		t.Fatal(err)
	}
	conn, code := evidenceConnection(context.Background(), env, "devices")
	if code != 0 {
		t.Fatal(code)
	}
	b := NewBrowser(common.NewCommon(env), BrowserOptions{Collect: CollectorFor(env, conn), OutDir: t.TempDir()})
	b.Update(teaSize(100, 30))
	devRun(t, b, b.Init())
	if b.snap == nil || b.kept.report() == nil {
		t.Fatalf("no collection: %v", b.collectErr)
	}
	if got, want := b.kept.report().Thresholds, env.CheckThresholds(); !reflect.DeepEqual(got, want) || got.StaleDays != 3 {
		t.Errorf("evaluated with %+v, want the flags' %+v", got, want)
	}
	p, err := env.Store.Profile("default")
	if err != nil || p.LastCollectedAt == nil || !p.LastCollectedAt.Equal(b.snap.CollectedAt) {
		t.Errorf("LastCollectedAt not recorded: %v (%v)", p.LastCollectedAt, err)
	}
}
