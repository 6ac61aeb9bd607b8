package evidence

import (
	"reflect"
	"testing"
	"time"

	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
)

// sameUsersPacked fails unless p gives back reports exactly: each User(i), Unpack, Statuses (the
// check and status of each result, nothing else), and the JSON of a report holding them (null
// and [] included).
func sameUsersPacked(t *testing.T, what string, reports []UserReport, p PackedUsers) {
	t.Helper()
	samePackedReports(t, what, "user", reports, &p, p.User,
		func(u UserReport) UserReport { u.Results = checksAndStatuses(u.Results); return u },
		func(all []UserReport) Report { return Report{Users: all} })
}

// The user reports of sandbox organisations of a few sizes, and of one with the odd users (an
// unparsed field, MFA configured, excluded for ever or until a date, enrolment statuses, TOTP
// unknown, staged, suspended and locked accounts, names empty or not ASCII), come back exactly
// as they were packed; so do none (nil) and an empty list.
func TestPackedUsersGiveBackSandboxReports(t *testing.T) {
	type sample struct {
		name    string
		reports []UserReport
	}
	var samples []sample
	for _, size := range []int{1, 40, 600} {
		_, rep := collectSandbox(t, jctest.Options{Devices: 20, Users: size, Policies: 6, Seed: int64(size)})
		samples = append(samples, sample{"sandbox", rep.Users})
	}

	odd, _ := collectSandbox(t, jctest.Options{Devices: 10, Users: 40, Policies: 6, Seed: 12})
	yes, no := true, false
	until := time.Date(2031, 5, 6, 7, 8, 9, 0, time.UTC)
	edits := []func(u *jumpcloud.SystemUser){
		func(u *jumpcloud.SystemUser) {
			u.Unparsed = []jumpcloud.UnparsedField{{Path: "mfa.configured", Raw: `"yes"`}}
			u.MFA = nil
		},
		func(u *jumpcloud.SystemUser) { u.MFA = &jumpcloud.MFA{Configured: true} },
		func(u *jumpcloud.SystemUser) { u.MFA = &jumpcloud.MFA{Exclusion: true} },
		func(u *jumpcloud.SystemUser) { u.MFA = &jumpcloud.MFA{Exclusion: true, ExclusionUntil: &until} },
		func(u *jumpcloud.SystemUser) {
			u.MFAEnrollment = &jumpcloud.MFAEnrollment{OverallStatus: "PENDING_ACTIVATION"}
		},
		func(u *jumpcloud.SystemUser) { u.TOTPEnabled, u.MFA, u.MFAEnrollment = nil, nil, nil },
		func(u *jumpcloud.SystemUser) { u.State, u.Activated = "STAGED", &no },
		func(u *jumpcloud.SystemUser) { u.Suspended, u.AccountLocked = true, false },
		func(u *jumpcloud.SystemUser) { u.AccountLocked, u.TOTPEnabled = true, &yes },
		func(u *jumpcloud.SystemUser) { u.Displayname, u.Firstname, u.Lastname, u.Email = "", "", "", "" },
		func(u *jumpcloud.SystemUser) { u.Displayname, u.Username = "Zoë Łukasiewicz — 東京", "zoë" },
	}
	for i, edit := range edits {
		edit(&odd.Users[i])
	}
	samples = append(samples, sample{"odd users", Evaluate(odd, DefaultThresholds()).Users})
	samples = append(samples, sample{"none", nil}, sample{"empty", []UserReport{}})

	var seen struct{ emptyString, nonASCII, staged, suspended, locked, until bool }
	statuses := map[Status]bool{}
	for _, s := range samples {
		sameUsersPacked(t, s.name, s.reports, PackUsers(s.reports))
		for _, u := range s.reports {
			seen.emptyString = seen.emptyString || u.Name == "" || u.Email == ""
			seen.nonASCII = seen.nonASCII || !isASCII(u.Name)
			seen.staged = seen.staged || u.State == "staged"
			seen.suspended = seen.suspended || u.State == "suspended"
			seen.locked = seen.locked || u.State == "locked"
			mfa := u.Result("mfa_enrolled")
			statuses[mfa.Status] = true
			for _, e := range mfa.Evidence {
				seen.until = seen.until || e.Name == "mfa.exclusionUntil"
			}
		}
	}
	// What the samples must hold for the test to mean something.
	if !seen.emptyString || !seen.nonASCII || !seen.staged || !seen.suspended || !seen.locked || !seen.until ||
		!statuses[Pass] || !statuses[Fail] || !statuses[Unknown] || !statuses[NotApplicable] {
		t.Errorf("the samples lack a case: %+v, MFA statuses %v", seen, statuses)
	}
	t.Logf("cases seen: %+v, MFA statuses %v", seen, statuses)
}

// A packed form of users holds nothing the garbage collector scans, as one of devices.
func TestPackedUsersHoldNoPointersToScan(t *testing.T) {
	holdsNothingToScan(t, reflect.TypeFor[PackedUsers]())
}

// Arbitrary user reports (any bytes as strings, invalid UTF-8 included; nil and empty slices)
// come back exactly.
func FuzzPackedUsers(f *testing.F) {
	f.Add([]byte("user\x00name\xffx"), uint64(1))
	f.Add([]byte{}, uint64(0))
	f.Add([]byte("active staged mfa_enrolled pass fail é 東"), uint64(1<<40+77))
	f.Fuzz(func(t *testing.T, data []byte, seed uint64) {
		g := reportGen{data: data, seed: seed}
		var reports []UserReport
		if g.next()%8 != 0 {
			reports = make([]UserReport, g.next()%6)
		}
		for i := range reports {
			d := g.device() // a device's strings and results, as a user's
			reports[i] = UserReport{ID: d.ID, Username: d.Name, Email: d.Hostname, Name: d.Owner, State: d.OS,
				Results: d.Results, Overall: d.Overall}
		}
		sameUsersPacked(t, "fuzz", reports, PackUsers(reports))
	})
}
