package browser

import (
	"time"

	"jcconnect/evidence"
)

// keptReport is a report as the browser keeps it while it is open: its device reports packed
// (evidence.PackedDevices), the rest as it was. Unpacked, the 50,000 devices' reports were over
// half of what each garbage collection marked, and a key press that arrives while a collection
// marks waits behind it (issue 13); packed, they are a few objects the collector does not look
// inside. The detail pane unpacks the one device it shows; Report unpacks them all.
type keptReport struct {
	rep     *evidence.Report // all but the devices: rep.Devices is nil
	devices evidence.PackedDevices
}

// keepReport packs rep's devices into a report of the browser's own. rep is not changed: the
// collection goroutine reads its early report on (evidence.EvaluateAfterEarly), so the browser
// never gets that one, and whoever made rep drops it.
func keepReport(rep *evidence.Report) keptReport {
	rest := *rep
	rest.Devices = nil
	return keptReport{rep: &rest, devices: evidence.PackDevices(rep.Devices)}
}

// keptOf is a collection message's report as kept: packed in the collection goroutine
// (devices), or here when the message came with the report whole (devices nil).
func keptOf(rep *evidence.Report, devices *evidence.PackedDevices) keptReport {
	if devices == nil {
		return keepReport(rep)
	}
	return keptReport{rep: rep, devices: *devices}
}

// whole is the report with every device unpacked (a new one each time: an export's).
func (k keptReport) whole() *evidence.Report {
	if k.rep == nil {
		return nil
	}
	r := *k.rep
	r.Devices = k.devices.Unpack()
	return &r
}

// handOver is what the browser is handed of a report, made off the event loop: the tables'
// rows, and the report kept. Packing takes about as long as the rows, so it runs beside them on
// another goroutine (another core, when there is one) rather than after them: the table is not
// drawn later for it.
func handOver(rep *evidence.Report, prev [2]tabState, now time.Time) ([2]tabState, keptReport) {
	kept := make(chan keptReport, 1)
	go func() { kept <- keepReport(rep) }()
	tabs := buildTabs(rep, prev, now)
	return tabs, <-kept
}
