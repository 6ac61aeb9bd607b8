package glossary

import "testing"

func TestNames(t *testing.T) {
	for got, want := range map[string]string{
		OS("darwin"): "macOS", OS("Mac OS X"): "macOS", OS("linux"): "Linux", OS(""): "unknown",
		Status("not_applicable"): "not applicable", Status("pass"): "pass", Status(""): "unknown",
		Source("sso applications"): "SSO applications", Source("devices"): "devices",
		Count(1, "character"): "1 character", Count(2, "character"): "2 characters",
		Count(0, "policy", "policies"): "0 policies",
	} {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}
