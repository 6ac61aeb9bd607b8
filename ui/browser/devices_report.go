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
// An early snapshot's report is kept whole instead (sharedReport): the collection goroutine
// keeps it whole anyway until the collection ends (EvaluateAfterEarly starts from it), so
// packing a copy would add to the heap, not take from it, and would make the first table later.
// Neither side changes it. The whole snapshot's report, packed, replaces it when the collection
// ends. The zero keptReport is no report (before the first collection ends).
type keptReport struct {
	// rep is the report; when packed, all of it but the devices (rep.Devices is nil), which are
	// in devices.
	rep     *evidence.Report
	packed  bool
	devices evidence.PackedDevices
}

// keepReport packs rep's devices into a report of the browser's own. rep is not changed, and
// whoever made it drops it.
func keepReport(rep *evidence.Report) keptReport {
	rest := *rep
	rest.Devices = nil
	return keptReport{rep: &rest, packed: true, devices: evidence.PackDevices(rep.Devices)}
}

// sharedReport keeps rep as it is, devices and all, read only: an early snapshot's, which the
// collection goroutine shares.
func sharedReport(rep *evidence.Report) keptReport { return keptReport{rep: rep} }

// device is the report of device i (the table rows' index).
func (k keptReport) device(i int) evidence.DeviceReport {
	if !k.packed {
		return k.rep.Devices[i]
	}
	return k.devices.Device(i)
}

// whole is the report with every device: a new one, unpacked, when they are packed (tens of
// milliseconds at 50,000 devices).
func (k keptReport) whole() *evidence.Report {
	if !k.packed {
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
