package jumpcloud_test

import (
	"errors"
	"strings"
	"testing"

	"jcconnect/jumpcloud"
)

const testKey = "jca_TestKey0123456789abcdefghijklmnopqrst"

func TestNewPicksTheRegionHost(t *testing.T) {
	cases := map[jumpcloud.Region]string{
		"":                     "https://console.jumpcloud.com",
		jumpcloud.RegionUS:     "https://console.jumpcloud.com",
		jumpcloud.RegionEU:     "https://console.eu.jumpcloud.com",
		jumpcloud.RegionIN:     "https://console.in.jumpcloud.com",
		jumpcloud.Region("EU"): "https://console.eu.jumpcloud.com",
	}
	for region, want := range cases {
		c, err := jumpcloud.New(jumpcloud.Config{Region: region, APIKey: testKey})
		if err != nil {
			t.Fatalf("region %q: %v", region, err)
		}
		if c.BaseURL() != want {
			t.Errorf("region %q: BaseURL %q, want %q", region, c.BaseURL(), want)
		}
	}
	_, err := jumpcloud.New(jumpcloud.Config{Region: "mars", APIKey: testKey})
	if !errors.Is(err, jumpcloud.ErrInvalidConfig) || !strings.Contains(err.Error(), "use us, eu or in") {
		t.Fatalf("unknown region: %v", err)
	}
}

func TestNewBaseURLOverride(t *testing.T) {
	ok := map[string]string{
		"https://jc.example.com/":         "https://jc.example.com",
		"http://127.0.0.1:8080":           "http://127.0.0.1:8080",
		"http://127.9.9.9:1/":             "http://127.9.9.9:1",
		"http://[::1]:9000":               "http://[::1]:9000",
		"http://localhost:9000/base/":     "http://localhost:9000/base",
		" HTTPS://console.jumpcloud.com ": "https://console.jumpcloud.com",
	}
	for in, want := range ok {
		c, err := jumpcloud.New(jumpcloud.Config{BaseURL: in, Region: jumpcloud.RegionEU, APIKey: testKey})
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		if c.BaseURL() != want {
			t.Errorf("%q: BaseURL %q, want %q", in, c.BaseURL(), want)
		}
	}
	refused := map[string]string{
		"http://console.jumpcloud.com": "plain http would send the API key unencrypted",
		"http://10.0.0.1:8080":         "accepted only for 127.0.0.1, ::1 or localhost",
		"http://127.0.0.1.evil.com":    "plain http",
		"ftp://127.0.0.1":              "not supported",
		"console.jumpcloud.com":        "is not a URL",
		"https://user:secret@host":     "must not contain a user name or password",
		"https://host/?x=1":            "must not have a query",
	}
	for in, want := range refused {
		_, err := jumpcloud.New(jumpcloud.Config{BaseURL: in, APIKey: testKey})
		if !errors.Is(err, jumpcloud.ErrInvalidConfig) || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want an ErrInvalidConfig saying %q", in, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("%q: the password leaked into %q", in, err)
		}
	}
}

func TestNewRefusesBadKeysWithoutEchoingThem(t *testing.T) {
	cases := map[string]string{
		"":                       "no API key given",
		"   \n":                  "no API key given",
		"jca_abc def":            "position 8",
		"jca_abc\x1b[2Jdef":      "position 8",
		"jca_abc\u200bdef":       "position 8",
		"jca_abc\tdef":           "position 8",
		"jca_secretpart\r\nmore": "position 15",
	}
	for key, want := range cases {
		_, err := jumpcloud.New(jumpcloud.Config{APIKey: key})
		if !errors.Is(err, jumpcloud.ErrInvalidConfig) || !strings.Contains(err.Error(), want) {
			t.Errorf("key %q: got %v, want an ErrInvalidConfig saying %q", key, err, want)
			continue
		}
		for _, part := range []string{"abc", "def", "secretpart", "more"} {
			if strings.Contains(key, part) && strings.Contains(err.Error(), part) {
				t.Errorf("key %q: error %q contains part of the key", key, err)
			}
		}
	}
	// Surrounding whitespace from a paste is trimmed, not refused.
	if _, err := jumpcloud.New(jumpcloud.Config{APIKey: "  " + testKey + "\n"}); err != nil {
		t.Fatalf("trailing newline refused: %v", err)
	}
}

func TestNewRefusesAnOrgIDThatCannotBeAHeader(t *testing.T) {
	_, err := jumpcloud.New(jumpcloud.Config{APIKey: testKey, OrgID: "5f00 0000"})
	if !errors.Is(err, jumpcloud.ErrInvalidConfig) || !strings.Contains(err.Error(), "organisation id") {
		t.Fatalf("got %v", err)
	}
}

func TestWithOrgKeepsTheBaseAndChangesTheOrg(t *testing.T) {
	c, err := jumpcloud.New(jumpcloud.Config{APIKey: testKey, OrgID: "a"})
	if err != nil {
		t.Fatal(err)
	}
	d := c.WithOrg("b")
	if c.OrgID() != "a" || d.OrgID() != "b" || d.BaseURL() != c.BaseURL() {
		t.Fatalf("WithOrg: %q/%q %q/%q", c.OrgID(), d.OrgID(), c.BaseURL(), d.BaseURL())
	}
}

func TestErrorIsMatchesTheKindSentinel(t *testing.T) {
	err := error(&jumpcloud.Error{Kind: jumpcloud.KindForbidden, Status: 403, Path: "/api/users", Source: "administrators"})
	if !errors.Is(err, jumpcloud.ErrForbidden) || errors.Is(err, jumpcloud.ErrInvalidKey) {
		t.Fatal("errors.Is does not follow Kind")
	}
	if jumpcloud.KindOf(err) != jumpcloud.KindForbidden || jumpcloud.KindOf(errors.New("x")) != jumpcloud.KindUnknown {
		t.Fatal("KindOf")
	}
	if got := err.Error(); !strings.HasPrefix(got, "administrators (/api/users): not permitted for this key's role (403).") {
		t.Fatalf("message: %q", got)
	}
	canceled := (&jumpcloud.Error{Kind: jumpcloud.KindCanceled, Path: "/api/systems"}).Error()
	if canceled != "/api/systems: canceled" {
		t.Fatalf("canceled message: %q", canceled)
	}
}

func TestAKeyPastedIntoTheWrongSettingIsNotEchoed(t *testing.T) {
	for name, cfg := range map[string]jumpcloud.Config{
		"base URL":            {APIKey: "x", BaseURL: testKey},
		"region":              {APIKey: "x", Region: jumpcloud.Region(testKey)},
		"org id with a space": {APIKey: "x", OrgID: "a " + testKey},
	} {
		_, err := jumpcloud.New(cfg)
		if !errors.Is(err, jumpcloud.ErrInvalidConfig) {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if strings.Contains(err.Error(), testKey[:8]) {
			t.Errorf("%s: the error echoes the value: %q", name, err)
		}
	}
}
