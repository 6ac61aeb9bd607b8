package jumpcloud

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// A user whose mfa.exclusionUntil is "" (an unset date, as JumpCloud and the sandbox send it)
// is read in the one pass, and every user of a page decodes as SystemUser.UnmarshalJSON (the
// lenient decode, field by field) decodes it alone, whatever its mfa holds.
func TestUsersDecodeInOnePassAsTheLenientDecodeDoes(t *testing.T) {
	mfas := []string{
		`"mfa":{"configured":true,"exclusion":false,"exclusionUntil":""}`,
		`"mfa":{"configured":false,"exclusionUntil":null}`,
		`"mfa":{"exclusion":true,"exclusionUntil":"2026-12-09T10:00:00Z"}`,
		`"mfa":{}`, `"mfa":null`, `"email":"no-mfa@example.com"`,
		`"MFA":{"Configured":true,"ExclusionUntil":""}`,
		`"mfa":{"exclusionUntil":"2026-12-09T10:00:00.123+02:00","exclusionDays":14}`,
	}
	odd := []string{
		`"mfa":{"exclusionUntil":"soon"}`, `"mfa":{"exclusionUntil":17}`, `"mfa":"yes"`,
		`"mfa":{"configured":"yes","exclusionUntil":""}`,
	}
	page := func(members []string) []byte {
		var recs []string
		for i, m := range members {
			recs = append(recs, fmt.Sprintf(`{"_id":"u%02d","username":"user%d",%s,"created":"2025-01-10T09:00:00.000Z"}`, i, i, m))
		}
		return []byte(`{"totalCount":` + fmt.Sprint(len(recs)) + `,"results":[` + strings.Join(recs, ",") + `]}`)
	}
	if _, _, ok := wholePage(page(mfas), userFromWire); !ok {
		t.Fatal("a page of users with unset (\"\") exclusion dates did not decode in one pass")
	}
	for _, members := range [][]string{mfas, append(append([]string(nil), mfas...), odd...)} {
		body := page(members)
		got, _, err := decodeItems[SystemUser](whole(body))
		if err != nil {
			t.Fatal(err)
		}
		var raws struct{ Results []json.RawMessage }
		if err := json.Unmarshal(body, &raws); err != nil {
			t.Fatal(err)
		}
		if len(got) != len(raws.Results) {
			t.Fatalf("%d users decoded of %d", len(got), len(raws.Results))
		}
		for i, raw := range raws.Results {
			var want SystemUser
			if err := json.Unmarshal(raw, &want); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got[i], want) {
				t.Errorf("%s\ndecoded %+v (mfa %+v)\nlenient %+v (mfa %+v)", raw, got[i], got[i].MFA, want, want.MFA)
			}
		}
	}
}
