package jumpcloud

import "testing"

// Two devices that report the same OS details, counters and states point at one copy of each,
// with the values as sent.
func TestDecodedDevicesShareRepeatedValues(t *testing.T) {
	page := []byte(devicePage(2, false))
	got, _, err := decodeItems[System](chunked(page, 1000))
	if err != nil || len(got) != 2 {
		t.Fatalf("%d devices: %v", len(got), err)
	}
	a, b := got[0], got[1]
	if a.OSVersionDetail != b.OSVersionDetail || a.PolicyStats != b.PolicyStats || a.FDE != b.FDE ||
		a.SystemInsights != b.SystemInsights || a.IsPolicyBound != b.IsPolicyBound {
		t.Error("repeated sub-records are not shared")
	}
	if a.OSVersionDetail.ReleaseName != "Sonoma" || a.PolicyStats.Failed != 1 || !a.FDE.KeyPresent ||
		a.SystemInsights.State != "enabled" || !*a.IsPolicyBound || a.OS != "Mac OS X" {
		t.Errorf("shared values changed: %+v", a)
	}
	if a.ID == b.ID || a.Hostname == b.Hostname {
		t.Error("the devices' own values were merged")
	}
}
