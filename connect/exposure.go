package connect

import (
	"jcconnect/store"
)

// ExposureChecks are the doctor's lines for the profile files' permissions.
func ExposureChecks(s *store.Store) []DoctorCheck {
	var checks []DoctorCheck
	for _, e := range s.Exposures() {
		checks = append(checks, DoctorCheck{Name: "private files", Status: DoctorWarn, Detail: e.String(),
			Fix:     "Only you should be able to read jcconnect's profiles (they name your organisation and key owner).",
			Command: e.Command()})
	}
	return checks
}
