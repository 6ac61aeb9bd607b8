package evidence

import (
	"context"
	"strings"
	"testing"

	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
)

func TestParseServerRules(t *testing.T) {
	r, err := ParseServerRules([]string{"group:Bastions", "host:db-*", "os:Linux"})
	if err != nil || strings.Join(r.Items(), ",") != "group:Bastions,host:db-*,os:linux" {
		t.Fatalf("%v %v", r.Items(), err)
	}
	for _, bad := range []string{"os:beos", "db-*", "host:[", "group:", "rack:1"} {
		if _, err := ParseServerRules([]string{bad}); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// Devices marked as servers (by OS family, hostname or device group) have screen lock "not
// applicable" with the reason; the other checks still apply. A device group that cannot be read
// is a gap, and the devices it might hold are unknown, never "not a server".
func TestServersScreenLockIsNotApplicable(t *testing.T) {
	srv := newServer(t, jctest.Options{Devices: 200, Seed: 5})
	ctx := context.Background()
	plain, err := Collect(ctx, newClient(t, srv, srv.Keys.ReadOnly, nil), both())
	if err != nil {
		t.Fatal(err)
	}
	var windows, other []jumpcloud.Device
	for _, d := range plain.Devices {
		if server, ok := d.IsServer(); ok && server || d.IsMobile() {
			continue // already not applicable: it reports no desktop
		}
		switch d.Family() {
		case jumpcloud.FamilyWindows:
			windows = append(windows, d)
		case jumpcloud.FamilyDarwin:
			other = append(other, d)
		}
	}
	if len(windows) == 0 || len(other) < 3 {
		t.Fatalf("the sandbox has %d Windows and %d macOS desktops", len(windows), len(other))
	}
	byHost, inGroup, outside := other[0], other[1], other[2]
	srv.AddSystemGroup("Databases", inGroup.ID)

	opt := both()
	opt.Servers, _ = ParseServerRules([]string{"os:windows", "host:" + byHost.Hostname, "group:Databases"})
	snap, err := Collect(ctx, newClient(t, srv, srv.Keys.ReadOnly, nil), opt)
	if err != nil {
		t.Fatal(err)
	}
	if !snap.Complete() {
		t.Fatalf("gaps: %v", snap.GapNames())
	}
	rep := Evaluate(snap, DefaultThresholds())
	lock := func(id string) Result {
		for _, d := range rep.Devices {
			if d.ID == id {
				return d.Result("screen_lock")
			}
		}
		t.Fatalf("no device %s", id)
		return Result{}
	}
	for _, tc := range []struct {
		d    jumpcloud.Device
		want string
	}{{windows[0], "(os:windows)"}, {byHost, "(host:"}, {inGroup, "device group Databases"}} {
		if r := lock(tc.d.ID); r.Status != NotApplicable || !strings.Contains(r.Reason, tc.want) {
			t.Errorf("%s: screen lock %s %q, want not applicable %q", tc.d.Hostname, r.Status, r.Reason, tc.want)
		}
	}
	if r := lock(outside.ID); r.Status == NotApplicable && strings.Contains(r.Reason, "server") {
		t.Errorf("%s is not a server: %q", outside.Hostname, r.Reason)
	}
	// The CSV and the summary carry it too.
	var csv strings.Builder
	if err := WriteCSV(&csv, CheckColumns, CheckRows(rep)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(csv.String(), "screen_lock,not_applicable,marked as a server (member of device group Databases)") {
		t.Errorf("checks.csv lacks the server reason")
	}
	if sum := Summary(snap, rep); !strings.Contains(sum, "| Servers | group:Databases") {
		t.Errorf("the summary does not say which devices are servers:\n%s", sum)
	}

	// A group that cannot be read: a gap, and unknown for the devices no other rule marks.
	remove := srv.Inject(jctest.Fault{PathPrefix: "/api/v2/systemgroups", Kind: jctest.FaultStatus, Status: 500})
	opt.Servers, _ = ParseServerRules([]string{"group:Databases", "os:windows"})
	snap, err = Collect(ctx, newClient(t, srv, srv.Keys.ReadOnly, nil), opt)
	if err != nil {
		t.Fatal(err)
	}
	if snap.Complete() || !strings.Contains(strings.Join(snap.GapNames(), " "), "device groups: Databases") {
		t.Fatalf("an unread group is not a gap: %v", snap.GapNames())
	}
	rep = Evaluate(snap, DefaultThresholds())
	if r := lock(inGroup.ID); r.Status != Unknown || !strings.Contains(r.Reason, "whether this is a server is unknown") {
		t.Errorf("a device of an unread group: %s %q", r.Status, r.Reason)
	}
	if r := lock(windows[0].ID); r.Status != NotApplicable {
		t.Errorf("os:windows still marks Windows: %s %q", r.Status, r.Reason)
	}

	// A group that does not exist is a gap too: a misspelt name must not mark nothing quietly.
	remove()
	opt.Servers, _ = ParseServerRules([]string{"group:Databsaes"})
	snap, _ = Collect(ctx, newClient(t, srv, srv.Keys.ReadOnly, nil), opt)
	if snap.Complete() || !strings.Contains(snap.Status(DeviceGroupSource("Databsaes")).Reason, "no device group named") {
		t.Errorf("a missing group: %v", snap.GapNames())
	}
}
