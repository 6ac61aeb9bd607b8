package browser

import (
	"iter"
	"time"

	"jcconnect/evidence"
)

// keptReport is the report the browser shows. Once a collection has ended it is the collection
// as every screen keeps it (evidence.Kept, made off the event loop: connect.Shown): the
// snapshot's shell and its report, the device and user reports packed. Unpacked, the 50,000
// devices' reports were over half of what each garbage collection marked, and the snapshot's
// records nearly all the rest, then the 5,000 users' reports four fifths of what was left; a
// key press that arrives while a collection marks waits behind it (issue 13). Packed and
// without records, they are a few objects the collector does not look inside. The detail pane
// unpacks the one device or user it shows; whole unpacks them all.
//
// An early snapshot's report is shared whole instead: the collection goroutine keeps it whole
// anyway until the collection ends (EvaluateAfterEarly starts from it), so packing a copy would
// add to the heap, not take from it, and would make the first table later. Neither side changes
// it. The whole snapshot's, kept, replaces it when the collection ends. The zero keptReport is
// no report (before the first collection ends).
type keptReport struct {
	shared     *evidence.Report // an early snapshot's report, whole, read only
	collection *evidence.Kept   // else the collection, as the screens keep it
}

// sharedReport keeps rep as it is, devices and all, read only: an early snapshot's, which the
// collection goroutine shares.
func sharedReport(rep *evidence.Report) keptReport { return keptReport{shared: rep} }

// report is the report without, when they are packed, its devices and users: thresholds,
// summary.
func (k keptReport) report() *evidence.Report {
	if k.collection != nil {
		return k.collection.Report()
	}
	return k.shared
}

// devices is the number of device reports.
func (k keptReport) devices() int {
	if k.collection != nil {
		return k.collection.Devices()
	}
	return len(k.shared.Devices)
}

// eachOf gives every element of a shared report's slice in order, by pointer: as the packed
// reports' passes give theirs, without copying it.
func eachOf[T any](s []T) iter.Seq2[int, *T] {
	return func(yield func(int, *T) bool) {
		for i := range s {
			if !yield(i, &s[i]) {
				return
			}
		}
	}
}

// deviceHeads gives every device report's strings in order (each valid for its step only).
func (k keptReport) deviceHeads() iter.Seq2[int, *evidence.DeviceReport] {
	if k.collection != nil {
		return k.collection.DeviceHeads()
	}
	return eachOf(k.shared.Devices)
}

// deviceStatuses gives every device report in order with what a table row reads of it: its
// results' reasons and evidence may be left out (each valid for its step only).
func (k keptReport) deviceStatuses() iter.Seq2[int, *evidence.DeviceReport] {
	if k.collection != nil {
		return k.collection.DeviceStatuses()
	}
	return eachOf(k.shared.Devices)
}

// users is the number of user reports.
func (k keptReport) users() int {
	if k.collection != nil {
		return k.collection.Users()
	}
	return len(k.shared.Users)
}

// userStatuses gives every user report in order with what a table row reads of it: its
// results' reasons and evidence may be left out (each valid for its step only).
func (k keptReport) userStatuses() iter.Seq2[int, *evidence.UserReport] {
	if k.collection != nil {
		return k.collection.UserStatuses()
	}
	return eachOf(k.shared.Users)
}

// user is the report of user i (the table rows' index).
func (k keptReport) user(i int) evidence.UserReport {
	if k.collection != nil {
		return k.collection.User(i)
	}
	return k.shared.Users[i]
}

// device is the report of device i (the table rows' index).
func (k keptReport) device(i int) evidence.DeviceReport {
	if k.collection != nil {
		return k.collection.Device(i)
	}
	return k.shared.Devices[i]
}

// whole is the report with every device and user: a new one, unpacked, when they are packed
// (tens of milliseconds at 50,000 devices).
func (k keptReport) whole() *evidence.Report {
	if k.collection != nil {
		return k.collection.Whole()
	}
	return k.shared
}

// handOver is what the browser is handed of a collection's report rep, made off the event loop:
// the tables' rows, and the collection kept (keep: connect.Shown or evidence.Keep of rep and its
// snapshot). Packing the reports takes about as long as the rows, so keep runs beside them on
// another goroutine (another core, when there is one) rather than after them.
func handOver(rep *evidence.Report, keep func() *evidence.Kept, prev [2]tabState, now time.Time) ([2]tabState, keptReport) {
	kept := make(chan *evidence.Kept, 1)
	go func() { kept <- keep() }()
	tabs := buildTabs(sharedReport(rep), prev, now)
	return tabs, keptReport{collection: <-kept}
}
