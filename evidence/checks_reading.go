package evidence

import (
	"slices"

	"jcconnect/jumpcloud"
)

// EvaluateAfterEarly is Evaluate(s, t) for the whole snapshot s of a collection whose early
// snapshot (CollectOptions.Early) was evaluated as early, with the same thresholds t: of each
// device, the checks no source read after the table can change are early's, and only those the
// policies' statuses decide (firewall, screen lock, policies applied: readingVerdicts) are
// evaluated again, with the owner (the users). A face that drew
// the early table does not evaluate every device twice. When early is nil or not of these
// devices it is Evaluate.
func EvaluateAfterEarly(s *Snapshot, t Thresholds, early *Report) *Report {
	if early == nil || len(early.Devices) != len(s.Devices) || !s.Integrations.Endpoint {
		return Evaluate(s, t)
	}
	for i := range s.Devices {
		if early.Devices[i].ID != s.Devices[i].ID {
			return Evaluate(s, t)
		}
	}
	return evaluate(s, t, func(ix *index, i int) DeviceReport { return deviceReportAfter(s, ix, i, &early.Devices[i]) })
}

// deviceReportAfter is deviceReport for a device whose early report is prev: prev's results but
// the statuses' checks, which are evaluated again; then settleVerdicts, as evaluateDevice does
// (early's results went through it already, and it changes nothing there twice: it only turns
// passes and failures unknown). The OS version prev quotes is deviceVersion's: the System
// Insights it reads were all in the early snapshot.
func deviceReportAfter(s *Snapshot, ix *index, i int, prev *DeviceReport) DeviceReport {
	d := &s.Devices[i]
	r := *prev
	r.Owner, r.OwnerReading = deviceOwner(ix, d)
	r.Results = slices.Clone(prev.Results)
	for k := range r.Results {
		// The evidence arrays of the results kept are early's, which its readers (the browser's
		// table) go on reading while this runs: capped, an append (distrustUnparsed) copies
		// rather than writing into them, whatever room early's arrays had.
		r.Results[k].Evidence = slices.Clip(r.Results[k].Evidence)
	}
	statuses := ix.statuses.of(i)
	e := newDeviceEvidence()
	defer e.done()
	for k := range r.Results {
		switch r.Results[k].Check {
		case "firewall":
			r.Results[k] = e.result(checkFirewall(s, ix, d, r.OSVersion, statuses, e))
		case "screen_lock":
			r.Results[k] = e.result(checkScreenLock(s, ix, d, statuses, e))
		case "policies_applied":
			r.Results[k] = e.result(checkPoliciesApplied(s, ix, d, statuses, e))
		}
	}
	e.keep(r.Results) // the three checks' evidence in one array; the others' stay early's
	settleVerdicts(s, ix, d, &r)
	return r
}

// readingVerdicts marks Reading the device checks whose verdict waits for a source an early
// snapshot is still reading (the policies' statuses): a cell that says "reading" rather than a
// pass the statuses could still turn into a failure, or an "unknown" that is only not yet
// known (screen lock, policies applied, and the firewall where a firewall policy decides it). What
// the statuses cannot change stands: not applicable (no screen, a server), a screen
// lock that already fails on another setting (a failing setting anywhere wins), and, when only
// the checks' statuses are read, policies the device's own counters already report failed.
func readingVerdicts(s *Snapshot, ix *index, d *jumpcloud.Device, results []Result) {
	if ix.statusesReading == "" {
		return
	}
	for i := range results {
		r := &results[i]
		switch r.Check {
		case "screen_lock":
			if r.Status == Fail || r.Status == NotApplicable {
				continue
			}
			if _, unknown := serverMark(s, d); unknown {
				continue // which devices are servers is unknown: the statuses do not change that
			}
		case "policies_applied":
			if r.Status == Fail && s.PolicyStatusesForChecksOnly {
				continue // the counters' failure: a status read later can only add to it
			}
		case "firewall":
			// Linux has only the firewall policy's status for evidence; macOS 15's "off", which
			// osquery reports whatever the setting, waits for it too. The rest is System Insights'.
			switch d.Family() {
			case jumpcloud.FamilyLinux:
				if r.Status == NotApplicable {
					continue
				}
			case jumpcloud.FamilyDarwin:
				if r.Status != Unknown || !evidenceIs(r, "alf.global_state", "0") {
					continue
				}
			default:
				continue
			}
		default:
			continue
		}
		r.Status, r.Reason = Reading, ix.statusesReading
	}
}

func evidenceIs(r *Result, name, value string) bool {
	for _, e := range r.Evidence {
		if e.Name == name && e.Value == value {
			return true
		}
	}
	return false
}
