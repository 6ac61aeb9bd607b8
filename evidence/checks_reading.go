package evidence

import "jcconnect/jumpcloud"

// readingVerdicts marks Reading the device checks whose verdict waits for a source an early
// snapshot is still reading (the policies' statuses): a cell that says "reading" rather than a
// pass the statuses could still turn into a failure, or an "unknown" that is only not yet
// known (screen lock, policies applied, and the firewall where a firewall policy decides it). What
// the statuses cannot change stands: not applicable (no screen, a server), a screen
// lock that already fails on another setting (a failing setting anywhere wins), and, when only
// the checks' statuses are read, policies the device's own counters already report failed.
func readingVerdicts(s *Snapshot, d *jumpcloud.Device, results []Result) {
	st := s.Status(string(jumpcloud.SourcePolicyResults))
	if st.State != StateReading {
		return
	}
	why := string(jumpcloud.SourcePolicyResults) + " " + st.Describe()
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
		r.Status, r.Reason = Reading, why+": the verdict comes when they are in"
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
