package ui

import (
	"fmt"

	"jcconnect/store"
)

// WarnExposures tells, on stderr before a command runs, that the profile file or folder can be
// read by other users of this computer, with the command that fixes it. It never blocks: a cron
// job keeps working, and its log says what to tighten. (The next save tightens them too.)
func WarnExposures(env *Env) {
	if env.Store == nil || env.Demo != nil {
		return
	}
	for _, e := range env.Store.Exposures() {
		fmt.Fprintf(env.Err, "warning: %s; jcconnect keeps it private.\n  fix: %s\n", e, e.Command())
	}
}

// exposureChecks are the doctor's lines for the profile files' permissions.
func exposureChecks(s *store.Store) []DoctorCheck {
	var checks []DoctorCheck
	for _, e := range s.Exposures() {
		checks = append(checks, DoctorCheck{Name: "private files", Status: DoctorWarn, Detail: e.String(),
			Fix:     "Only you should be able to read jcconnect's profiles (they name your organisation and key owner).",
			Command: e.Command()})
	}
	return checks
}
