package evidence

import (
	"context"
	"fmt"
	"testing"

	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
)

// BenchmarkPackDevices measures packing the device reports of collected organisations of 10,000
// and 50,000 devices (the browser packs off its event loop, once per collection), unpacking one
// device (the detail pane, on the event loop) and unpacking all (an export):
//
//	go test ./evidence -run '^$' -bench PackDevices -benchmem
func BenchmarkPackDevices(b *testing.B) {
	for _, size := range []int{10000, 50000} {
		rep := sandboxReport(b, size)
		b.Run(fmt.Sprintf("pack%dk", size/1000), func(b *testing.B) {
			cpu := cpuTime()
			for b.Loop() {
				PackDevices(rep.Devices)
			}
			// CPU beside wall time: the machine is shared, and packing shares it with the rows.
			b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/1000/float64(b.N), "cpu-ms/op")
		})
		p := PackDevices(rep.Devices)
		b.Run(fmt.Sprintf("device%dk", size/1000), func(b *testing.B) {
			i := 0
			for b.Loop() {
				p.Device(i % size)
				i += 7919 // devices all over the words
			}
		})
		b.Run(fmt.Sprintf("unpack%dk", size/1000), func(b *testing.B) {
			for b.Loop() {
				p.Unpack()
			}
		})
	}
}

// sandboxReport is the report of a collected sandbox organisation of devices devices.
func sandboxReport(b *testing.B, devices int) *Report {
	srv := jctest.NewServer(jctest.Options{Devices: devices, Users: devices / 10, Policies: 12, Seed: 50, Now: jcNow})
	defer srv.Close()
	c, err := jumpcloud.New(jumpcloud.Config{BaseURL: srv.URL, APIKey: srv.Keys.Admin, MaxInFlight: 16})
	if err != nil {
		b.Fatal(err)
	}
	snap, err := Collect(context.Background(), c, CollectOptions{Integrations: Integrations{Endpoint: true, SSO: true}})
	if err != nil {
		b.Fatal(err)
	}
	if len(snap.Devices) != devices {
		b.Fatalf("collected %d devices", len(snap.Devices))
	}
	return Evaluate(snap, DefaultThresholds())
}
