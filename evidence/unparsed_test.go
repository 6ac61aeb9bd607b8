package evidence

import (
	"encoding/json"
	"strings"
	"testing"

	"jcconnect/jumpcloud"
)

// A check that rests on a field JumpCloud sent in an unreadable shape is unknown, not decided on
// the zero value the field was left at.
func TestUnparsedFieldsMakeTheirChecksUnknown(t *testing.T) {
	var u jumpcloud.SystemUser
	if err := json.Unmarshal([]byte(`{"_id":"u1","username":"jane","state":"ACTIVATED","suspended":"yes",
		"account_locked":false,"password_expired":false,"totp_enabled":true}`), &u); err != nil {
		t.Fatal(err)
	}
	if len(u.Unparsed) != 1 || u.Unparsed[0].Path != "suspended" {
		t.Fatalf("unparsed %+v", u.Unparsed)
	}
	snap := &Snapshot{Integrations: Integrations{SSO: true}, Users: []jumpcloud.SystemUser{u},
		Sources: []SourceStatus{{Source: string(jumpcloud.SourceUsers), State: StateOK}}}
	rep := Evaluate(snap, DefaultThresholds())
	var got *Result
	for i, r := range rep.Users[0].Results {
		if r.Check == "suspended_not_locked" {
			got = &rep.Users[0].Results[i]
		}
	}
	if got == nil || got.Status != Unknown || !strings.Contains(got.Reason, `JumpCloud sent suspended as "yes"`) {
		t.Fatalf("suspended_not_locked %+v: a user whose suspended could not be read must not be judged not suspended", got)
	}
	if rep.Users[0].Overall == Pass {
		t.Errorf("overall %s with an undecidable check", rep.Users[0].Overall)
	}

	// The same user with a readable suspended is decided as before.
	u2 := u
	u2.Unparsed = nil
	rep = Evaluate(&Snapshot{Integrations: Integrations{SSO: true}, Users: []jumpcloud.SystemUser{u2}}, DefaultThresholds())
	for _, r := range rep.Users[0].Results {
		if r.Check == "suspended_not_locked" && r.Status != NotApplicable {
			t.Errorf("without unparsed fields: %+v", r)
		}
	}
}
