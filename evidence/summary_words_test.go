package evidence

import (
	"context"
	"strings"
	"testing"

	"jcconnect/jumpcloud/jctest"
)

// The summary is read by people (auditors), so it speaks the glossary's words: "unknown", never
// "undecided"; "SSO applications", never the identifier "sso applications"; "not applicable",
// never "not_applicable". The CSV and JSON keep their identifiers (see rows.go).
func TestSummaryUsesTheGlossaryWords(t *testing.T) {
	srv := newServer(t, jctest.Options{Devices: 5, Seed: 3})
	srv.Inject(jctest.Fault{PathPrefix: "/api/applications", Kind: jctest.FaultStatus, Status: 403})
	snap, err := Collect(context.Background(), newClient(t, srv, srv.Keys.ReadOnly, nil), both())
	if err != nil {
		t.Fatal(err)
	}
	rep := Evaluate(snap, DefaultThresholds())
	rep.Org = append(rep.Org, Result{Check: "example", Status: NotApplicable, Reason: "r"})
	sum := Summary(snap, rep)
	for _, bad := range []string{"undecided", "sso applications", "**not_applicable**"} {
		if strings.Contains(sum, bad) {
			t.Errorf("the summary says %q:\n%s", bad, sum)
		}
	}
	for _, want := range []string{"| SSO applications |", "- **SSO applications**:", " unknown (some evidence missing)", "**not applicable**"} {
		if !strings.Contains(sum, want) {
			t.Errorf("the summary lacks %q:\n%s", want, sum)
		}
	}
	// The machine-readable files keep their identifiers: auditors' tooling reads them.
	if cols := DeviceColumns(); cols[0] != "id" || cols[len(cols)-1] != "failing" {
		t.Errorf("device columns changed: %v", cols)
	}
}
