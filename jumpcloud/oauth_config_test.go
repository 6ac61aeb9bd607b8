package jumpcloud_test

import (
	"errors"
	"strings"
	"testing"

	"jcconnect/jumpcloud"
)

const (
	testClientID = "3f1c2b4a-5d6e-4f70-8192-a3b4c5d6e7f8"
	testSecret   = "Sekr3tSekr3tSekr3tSekr3tSekr3tSekr3tSekr3tSekr3t"
)

// The token host is fixed per region (IN needs --token-url, and says why), or a --token-url
// held to --base-url's rules. No error echoes the secret.
func TestServiceAccountConfig(t *testing.T) {
	sa := func(f func(*jumpcloud.Config)) jumpcloud.Config {
		cfg := jumpcloud.Config{ClientID: testClientID, ClientSecret: testSecret}
		f(&cfg)
		return cfg
	}
	good := map[string]struct {
		cfg  jumpcloud.Config
		want string
	}{
		"US by default": {sa(func(*jumpcloud.Config) {}), "https://admin-oauth.id.jumpcloud.com/oauth2/token"},
		"EU":            {sa(func(c *jumpcloud.Config) { c.Region = jumpcloud.RegionEU }), "https://admin-oauth.id.eu.jumpcloud.com/oauth2/token"},
		"IN with --token-url": {sa(func(c *jumpcloud.Config) {
			c.Region, c.TokenURL = jumpcloud.RegionIN, "https://admin-oauth.id.in.jumpcloud.com/oauth2/token/"
		}), "https://admin-oauth.id.in.jumpcloud.com/oauth2/token"},
		"loopback sandbox": {sa(func(c *jumpcloud.Config) {
			c.BaseURL, c.TokenURL = "http://127.0.0.1:8080", "http://127.0.0.1:8080/oauth2/token"
		}), "http://127.0.0.1:8080/oauth2/token"},
	}
	for name, tc := range good {
		c, err := jumpcloud.New(tc.cfg)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if c.TokenURL() != tc.want || c.CredentialKind() != jumpcloud.CredentialServiceAccount {
			t.Errorf("%s: token URL %q, kind %s", name, c.TokenURL(), c.CredentialKind())
		}
	}
	bad := map[string]struct {
		cfg  jumpcloud.Config
		says string
	}{
		"IN without --token-url": {sa(func(c *jumpcloud.Config) { c.Region = jumpcloud.RegionIN }), "pass --token-url"},
		"base URL without token URL": {sa(func(c *jumpcloud.Config) { c.BaseURL = "http://127.0.0.1:8080" }),
			"also needs --token-url"},
		"plain http token URL": {sa(func(c *jumpcloud.Config) { c.TokenURL = "http://admin-oauth.id.jumpcloud.com/oauth2/token" }),
			"would send the client secret unencrypted"},
		"token URL with a password": {sa(func(c *jumpcloud.Config) { c.TokenURL = "https://u:" + testSecret + "@example.com/t" }),
			"must not contain a user name or password"},
		"token URL with a query": {sa(func(c *jumpcloud.Config) { c.TokenURL = "https://example.com/t?secret=" + testSecret }),
			"must not have a query"},
		"no secret":            {jumpcloud.Config{ClientID: testClientID}, "no client secret given"},
		"no client id":         {jumpcloud.Config{ClientSecret: testSecret}, "no client id given"},
		"secret with a space":  {sa(func(c *jumpcloud.Config) { c.ClientSecret = "Sekr3t " + testSecret }), "position 7"},
		"client id with colon": {sa(func(c *jumpcloud.Config) { c.ClientID = "a:b" }), "colon"},
		"both kinds":           {sa(func(c *jumpcloud.Config) { c.APIKey = "jca_" + testSecret[:36] }), "use one of them"},
	}
	for name, tc := range bad {
		_, err := jumpcloud.New(tc.cfg)
		if !errors.Is(err, jumpcloud.ErrInvalidConfig) {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%s: %q does not say %q", name, err, tc.says)
		}
		if strings.Contains(err.Error(), testSecret[6:20]) {
			t.Errorf("%s: the error echoes the secret: %q", name, err)
		}
	}
}

func TestRegionTokenURLs(t *testing.T) {
	if jumpcloud.RegionUS.TokenURL() == "" || jumpcloud.RegionEU.TokenURL() == "" {
		t.Fatal("US and EU token hosts are documented")
	}
	if jumpcloud.RegionIN.TokenURL() != "" {
		t.Fatal("the IN token host is unconfirmed: no default may be sent a secret")
	}
}

func TestServiceAccountErrorKindsHaveNamesAndFixes(t *testing.T) {
	for kind, name := range map[jumpcloud.Kind]string{jumpcloud.KindInvalidClient: "invalid_client",
		jumpcloud.KindSecretExpired: "secret_expired", jumpcloud.KindTokenUnreachable: "token_host_unreachable",
		jumpcloud.KindTokenRefused: "token_refused"} {
		if kind.String() != name || kind.Fix() == "" || (&jumpcloud.Error{Kind: kind}).Summary() == "" {
			t.Errorf("%d: name %q, fix %q", kind, kind.String(), kind.Fix())
		}
	}
}
