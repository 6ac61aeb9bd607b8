package evidence

import (
	"errors"
	"slices"

	"jcconnect/jumpcloud"
)

// A screen that shows a collection keeps only a little of its snapshot once the report is made:
// the organisation, when and with which key it was read, what each source gave (for the gaps,
// the exit code and what is still reading), and the detail pane's unparsed fields. The records
// themselves (devices, users, administrators, policies, statuses, System Insights...) are what
// every garbage collection marks while the user browses: at 50,000 devices 22 MB and 296k
// objects, nearly all the heap a collection scans, and a key press that arrives while it marks
// waits behind it (issue 13). Shell is what such a screen keeps instead.

// ErrRecordsDropped is what reading records from a snapshot's shell gives (Export, Bundle,
// WriteRows): its records were dropped once its report was made (Snapshot.Shell), and absent
// records are no evidence: nothing is made from them, not an empty bundle or list.
var ErrRecordsDropped = errors.New("evidence: this snapshot is a shell: its records were dropped once its report was made (Snapshot.Shell); collect again to read them")

// Shell is the snapshot without its records: its metadata (organisation, region, key
// fingerprint, role, when it was read), the integrations and the server rules it was read with,
// every source's status, and the unparsed fields of the few devices and users that have any
// (DeviceUnparsed, UserUnparsed), by id. s is not changed. The shell of a shell is itself.
//
// A shell says so (RecordsDropped) and refuses what would read its records: Evaluate,
// EvaluateAfterEarly, PolicyOutcomes and StatusPolicies panic, Export, Bundle and WriteRows
// return ErrRecordsDropped. Its record fields are nil; code that reads them directly must not
// be handed a shell (what it needs is counted before: the wizard's preview counts its policies).
func (s *Snapshot) Shell() *Snapshot {
	if s.recordsDropped {
		return s
	}
	sh := &Snapshot{CollectedAt: s.CollectedAt, OrgID: s.OrgID, OrgName: s.OrgName, Region: s.Region,
		BaseURL: s.BaseURL, KeyFingerprint: s.KeyFingerprint, Role: s.Role, RoleNote: s.RoleNote,
		OwnerEmail: s.OwnerEmail, Integrations: s.Integrations, Sources: slices.Clone(s.Sources),
		PolicyStatusesForChecksOnly: s.PolicyStatusesForChecksOnly, recordsDropped: true}
	if s.ServerRules != nil {
		rules := *s.ServerRules
		sh.ServerRules = &rules
	}
	for i := range s.Devices {
		if un := s.Devices[i].Unparsed(); len(un) > 0 {
			sh.unparsed.add(&sh.unparsed.devices, s.Devices[i].ID, un)
		}
	}
	for i := range s.Users {
		if un := s.Users[i].Unparsed; len(un) > 0 {
			sh.unparsed.add(&sh.unparsed.users, s.Users[i].ID, un)
		}
	}
	return sh
}

// RecordsDropped reports whether s is a shell (Shell): its records are gone.
func (s *Snapshot) RecordsDropped() bool { return s != nil && s.recordsDropped }

// unparsedByID is a shell's unparsed fields, by device and user id: the records that have any
// are few (a field JumpCloud sent in a shape the client cannot read), so the maps are small or nil.
type unparsedByID struct {
	devices, users map[string][]jumpcloud.UnparsedField
}

func (u *unparsedByID) add(m *map[string][]jumpcloud.UnparsedField, id string, fields []jumpcloud.UnparsedField) {
	if *m == nil {
		*m = map[string][]jumpcloud.UnparsedField{}
	}
	(*m)[id] = slices.Clone(fields)
}

// mustHaveRecords panics when s is a shell: what calls it reads the records, and a shell's are
// gone. An empty answer from them would be a confident wrong one (no devices, every check
// unknown), so the mistake stops the program where it was made.
func (s *Snapshot) mustHaveRecords(what string) {
	if s.recordsDropped {
		panic("evidence: " + what + " of a snapshot shell: its records were dropped once its report was made (Snapshot.Shell); keep the report (Kept), or collect again")
	}
}
