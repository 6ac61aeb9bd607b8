package evidence

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"jcconnect/jumpcloud"
)

// raw/devices.json written from Devices is byte for byte what the Systems gave: none, one odd
// one (a time in another zone, a field that could not be read), several.
func TestDevicesFileIsTheSystemsFile(t *testing.T) {
	var odd jumpcloud.System
	if err := json.Unmarshal([]byte(`{"_id":"d2","hostname":"<b>&","lastContact":"2026-07-31T09:58:00.5+05:30","fde":{"active":"yes"},"primarySystemUser":{}}`), &odd); err != nil {
		t.Fatal(err)
	}
	last := time.Date(2026, 7, 30, 0, 0, 0, 0, time.UTC)
	plain := jumpcloud.System{ID: "d1", DisplayName: "a\u2028b", OS: "Windows", LastContact: &last,
		PolicyStats: &jumpcloud.PolicyStats{Total: 2, Success: 2}}
	for _, systems := range [][]jumpcloud.System{nil, {}, {odd}, {plain, odd}} {
		var want, got bytes.Buffer
		if err := jsonArrayFile(systems)(&want); err != nil {
			t.Fatal(err)
		}
		var devices []jumpcloud.Device
		if systems != nil {
			devices = jumpcloud.CompactDevices(systems...)
		}
		if err := devicesFile(devices)(&got); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("from devices:\n%s\nfrom systems:\n%s", got.Bytes(), want.Bytes())
		}
	}
}
