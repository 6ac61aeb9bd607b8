package home

import (
	"strings"
	"testing"

	"jcconnect/connect"
)

// `profile servers` saves the setting with the profile, refuses what it cannot read, and clears.
func TestProfileServersIsSavedWithTheProfile(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	if code := RunProfileServers(f.Env, []string{"group:Bastions,host:db-*", "os:linux"}); code != connect.ExitOK {
		t.Fatalf("exit %d\n%s", code, f.Output())
	}
	p, _ := f.St.Profile("default")
	if strings.Join(p.Servers, " ") != "group:Bastions host:db-* os:linux" {
		t.Fatalf("saved %v", p.Servers)
	}
	if code := RunProfileServers(f.Env, []string{"os:beos"}); code != connect.ExitUsage {
		t.Fatalf("a bad item: exit %d", code)
	}
	if p, _ := f.St.Profile("default"); len(p.Servers) != 3 {
		t.Fatal("a refused setting changed the saved one")
	}
	f.Reset()
	RunProfileServers(f.Env, nil)
	wantIn(t, f.Output(), "group:Bastions, host:db-*, os:linux")
	RunProfileServers(f.Env, []string{"none"})
	if p, _ := f.St.Profile("default"); len(p.Servers) != 0 {
		t.Fatalf("not cleared: %v", p.Servers)
	}
}
