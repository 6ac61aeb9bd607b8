package evidence

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"jcconnect/jumpcloud"
)

// A check that rests on a field JumpCloud sent in an unreadable shape is unknown, not decided on
// the zero value the field was left at.
func TestUnparsedFieldsMakeTheirChecksUnknown(t *testing.T) {
	var u jumpcloud.SystemUser
	if err := json.Unmarshal([]byte(`{"_id":"u1","username":"jane","state":"ACTIVATED","suspended":"yes",
		"account_locked":false,"password_expired":"no","totp_enabled":true,
		"mfa":{"configured":true},"mfaEnrollment":{"overallStatus":"ENROLLED","totpStatus":"ENROLLED"}}`), &u); err != nil {
		t.Fatal(err)
	}
	if len(u.Unparsed) != 2 || u.Unparsed[0].Path != "suspended" || u.Unparsed[1].Path != "password_expired" {
		t.Fatalf("unparsed %+v", u.Unparsed)
	}
	snap := &Snapshot{Integrations: Integrations{SSO: true}, Users: []jumpcloud.SystemUser{u},
		CollectedAt: time.Date(2026, 8, 1, 10, 0, 0, 0, time.UTC),
		Sources:     []SourceStatus{{Source: string(jumpcloud.SourceUsers), State: StateOK}}}
	rep := Evaluate(snap, DefaultThresholds())
	results := map[string]Result{}
	for _, r := range rep.Users[0].Results {
		results[r.Check] = r
	}
	if r := results["suspended_not_locked"]; r.Status != Unknown || !strings.Contains(r.Reason, `JumpCloud sent suspended as "yes"`) {
		t.Errorf("suspended_not_locked %+v: a user whose suspended could not be read must not be judged not suspended", r)
	}
	if r := results["password_expired"]; r.Status != Unknown || !strings.Contains(r.Reason, `password_expired as "no"`) {
		t.Errorf("password_expired %+v: an unreadable password_expired must not read as not expired", r)
	}
	if rep.Users[0].Overall != Unknown {
		t.Errorf("overall %s with an undecidable check", rep.Users[0].Overall)
	}

	// The same user with readable fields is decided.
	u2 := u
	u2.Unparsed = nil
	snap.Users = []jumpcloud.SystemUser{u2}
	rep = Evaluate(snap, DefaultThresholds())
	for _, r := range rep.Users[0].Results {
		if r.Status == Unknown {
			t.Errorf("without unparsed fields %s is unknown: %s", r.Check, r.Reason)
		}
	}
}
