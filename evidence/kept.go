package evidence

import (
	"iter"
	"reflect"
)

// Kept is a collection as the screens keep it once it is shown: the snapshot's shell
// (Snapshot.Shell) and its report, the device and user reports packed (PackedDevices,
// PackedUsers). It is made once, off the event loop, where the collection ends (Keep), and then
// shared, read only, by whatever shows it: the browser, the home screen (which opens a browser
// on it again without evaluating anything), the wizard's preview and the Env's recent
// collection. None of them keeps the snapshot's records, which a garbage collection would
// otherwise mark while the user browses.
//
// A snapshot that read every policy status (not PolicyStatusesForChecksOnly) is kept whole, its
// records and all: its export is made from memory, from those very records and this report
// (Whole), and re-collecting would write another collection than the one shown. No screen of
// the program shows one (each collects for the checks only, and an export re-collects); tests
// and tools that hand the browser a full snapshot get the bundle of what they handed.
type Kept struct {
	snap    *Snapshot
	rest    *Report // the report but its devices and users (Devices and Users nil)
	devices PackedDevices
	users   PackedUsers
}

// Keep keeps snap and its report rep (evaluated from snap): the shell of a checks-only snap,
// every device and user report packed. Neither snap nor rep is changed; whoever made them drops
// them.
func Keep(snap *Snapshot, rep *Report) *Kept {
	rest := *rep
	rest.Devices, rest.Users = nil, nil
	k := &Kept{snap: snap, rest: &rest, devices: PackDevices(rep.Devices), users: PackUsers(rep.Users)}
	if snap.PolicyStatusesForChecksOnly {
		k.snap = snap.Shell()
	}
	return k
}

// Snapshot is what is kept of the snapshot: its shell, or the whole snapshot when it read every
// policy status (Keep).
func (k *Kept) Snapshot() *Snapshot { return k.snap }

// Report is the report without its device and user reports (Devices and Users are nil: see
// Devices, Device, Users, User, Whole): thresholds, administrators, the
// organisation's checks, the summary. It is shared: read it, never change it.
func (k *Kept) Report() *Report { return k.rest }

// Devices is the number of device reports.
func (k *Kept) Devices() int { return k.devices.Len() }

// Device is the report of device i, unpacked (a few microseconds).
func (k *Kept) Device(i int) DeviceReport { return k.devices.Device(i) }

// DeviceHeads gives every device report's strings in order, nothing else (PackedDevices.Heads).
func (k *Kept) DeviceHeads() iter.Seq2[int, *DeviceReport] { return k.devices.Heads() }

// DeviceStatuses gives every device report in order without its results' reasons and evidence
// (PackedDevices.Statuses): what a table row reads.
func (k *Kept) DeviceStatuses() iter.Seq2[int, *DeviceReport] { return k.devices.Statuses() }

// Users is the number of user reports.
func (k *Kept) Users() int { return k.users.Len() }

// User is the report of user i, unpacked.
func (k *Kept) User(i int) UserReport { return k.users.User(i) }

// UserStatuses gives every user report in order without its results' reasons and evidence
// (PackedUsers.Statuses): what a table row reads.
func (k *Kept) UserStatuses() iter.Seq2[int, *UserReport] { return k.users.Statuses() }

// Whole is the report with every device and user report, unpacked anew (tens of milliseconds
// at 50,000 devices): for an export from memory.
func (k *Kept) Whole() *Report {
	r := *k.rest
	r.Devices, r.Users = k.devices.Unpack(), k.users.Unpack()
	return &r
}

// EvaluatedWith reports whether the report kept was evaluated with thresholds t (the defaults
// filled in as Evaluate fills them): whether it is what evaluating with t would show.
func (k *Kept) EvaluatedWith(t Thresholds) bool {
	return reflect.DeepEqual(k.rest.Thresholds, t.withDefaults())
}
