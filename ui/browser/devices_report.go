package browser

import (
	"time"

	"jcconnect/evidence"
)

// keptReport is a report as the browser keeps it while it is open: its device reports packed
// (evidence.PackedDevices), the rest as it was. Unpacked, the 50,000 devices' reports were over
// half of what each garbage collection marked, and a key press that arrives while a collection
// marks waits behind it (issue 13); packed, they are a few objects the collector does not look
// inside. The detail pane unpacks the one device it shows; whole unpacks them all.
//
// An early snapshot's report is kept whole instead (rep.Devices set, devices empty): the
// collection goroutine keeps it whole anyway until the collection ends (EvaluateAfterEarly
// starts from it), so packing a copy would add to the heap, not take from it, and would make
// the first table later. Neither side changes it. The whole snapshot's report, packed, replaces
// it when the collection ends.
type keptReport struct {
	rep     *evidence.Report // packed: all but the devices (rep.Devices is nil)
	devices evidence.PackedDevices
}

// keepReport packs rep's devices into a report of the browser's own. rep is not changed, and
// whoever made it drops it.
func keepReport(rep *evidence.Report) keptReport {
	rest := *rep
	rest.Devices = nil
	return keptReport{rep: &rest, devices: evidence.PackDevices(rep.Devices)}
}

// keptOf is a collection message's report as kept: packed in the collection goroutine
// (devices), or as it came (devices nil: an early snapshot's).
func keptOf(rep *evidence.Report, devices *evidence.PackedDevices) keptReport {
	if devices == nil {
		return keptReport{rep: rep}
	}
	return keptReport{rep: rep, devices: *devices}
}

// device is the report of device i (the table rows' index).
func (k keptReport) device(i int) evidence.DeviceReport {
	if k.rep.Devices != nil {
		return k.rep.Devices[i]
	}
	return k.devices.Device(i)
}

// whole is the report with every device: a new one, unpacked, when they are packed (an
// export's: tens of milliseconds at 50,000 devices).
func (k keptReport) whole() *evidence.Report {
	if k.rep == nil || k.rep.Devices != nil {
		return k.rep
	}
	r := *k.rep
	r.Devices = k.devices.Unpack()
	return &r
}

// handOver is what the browser is handed of a report, made off the event loop: the tables'
// rows, and the report kept. Packing takes about as long as the rows, so it runs beside them on
// another goroutine (another core, when there is one) rather than after them.
func handOver(rep *evidence.Report, prev [2]tabState, now time.Time) ([2]tabState, keptReport) {
	kept := make(chan keptReport, 1)
	go func() { kept <- keepReport(rep) }()
	tabs := buildTabs(rep, prev, now)
	return tabs, <-kept
}
