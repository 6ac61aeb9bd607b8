package rotate

import (
	"strings"
	"testing"

	"jcconnect/jumpcloud/jctest"
)

// A service account's rotation end to end, in both interactive faces: the built binary in tmux,
// the client secret in the real Secret Service, the second secret generated in jctest's
// "console" (AddClientSecret) while the stored one keeps working. No secret, nor its tail,
// ever reaches the screen.

// newRotateSAE2E sets up a service account with its first secret, headless.
func newRotateSAE2E(t *testing.T, socket string) (*rotateE2E, jctest.ServiceAccountCredentials) {
	t.Helper()
	e := newRotateWorld(t, socket)
	sa := e.srv.ServiceAccounts.ReadOnly
	e.oldKey = sa.ClientSecret
	if out, code := e.run(sa.ClientSecret+"\n", "setup", "--service-account", "--client-id", sa.ClientID,
		"--with-secret", "--base-url", e.srv.URL, "--token-url", e.srv.TokenURL); code != 0 {
		t.Fatalf("setup --service-account: exit %d\n%s", code, out)
	}
	return e, sa
}

// noSecretOnScreen fails when any secret, or the first 12 characters of one, is on screen.
func noSecretOnScreen(t *testing.T, screen string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if strings.Contains(screen, s) || strings.Contains(screen, s[:12]) {
			t.Fatalf("a client secret is on the screen:\n%s", screen)
		}
	}
}

func TestE2ETmuxRotateServiceAccountSecret(t *testing.T) {
	e, sa := newRotateSAE2E(t, "jcrotsa")
	tt := e.start(t, "jcrotsa")
	var screens []string
	shot := func(what, screen string) string {
		t.Logf("%s:\n%s", what, strings.TrimRight(screen, "\n "))
		screens = append(screens, screen)
		return screen
	}

	intro := shot("the stored client secret, checked live, and the two-slot order explained", tt.WaitFor("How this works"))
	for _, want := range []string{"Rotate the service account's client secret", "Client ID", sa.ClientID, "two client secrets"} {
		if !strings.Contains(intro, want) {
			t.Errorf("intro lacks %q", want)
		}
	}
	tt.Send("Enter")
	shot("asking for the second secret", tt.WaitFor("Paste the new client secret"))
	second := e.srv.AddClientSecret(sa.ClientID)
	tt.TypeText(second)
	shot("the secret typed, masked", tt.WaitFor("Client secret: "))
	tt.Send("Enter")
	shot("verified live", tt.WaitFor("Press enter to continue"))
	tt.Send("Enter")
	shot("stored; the old secret still works until deleted", tt.WaitFor("still works, as expected until it is deleted"))
	tt.Send("Enter")
	final := shot("after exit", tt.WaitFor("EXIT="))
	if !strings.Contains(final, "EXIT=0") || !strings.Contains(final, "now uses client secret") {
		t.Fatalf("rotate did not finish:\n%s", final)
	}
	for _, s := range screens {
		noSecretOnScreen(t, s, second, sa.ClientSecret)
		if strings.Contains(s, "Rotate the API key") || strings.Contains(s, "API key:") {
			t.Errorf("a service account's rotation asks for an API key:\n%s", s)
		}
	}
	if out, code := e.run("", "status", "--json"); code != 0 || !strings.Contains(out, `"service_account"`) {
		t.Fatalf("status after the rotation: exit %d\n%s", code, out)
	}
}

func TestE2ETmuxRotateServiceAccountAccessibleHidesTheSecret(t *testing.T) {
	e, sa := newRotateSAE2E(t, "jcrotsaa")
	tt := e.start(t, "jcrotsaa", "--accessible")
	if prompt := tt.WaitFor("Paste the new client secret"); !strings.Contains(prompt, "two client secrets") {
		t.Errorf("the accessible prompt does not explain the two-slot order:\n%s", prompt)
	}
	second := e.srv.AddClientSecret(sa.ClientID)
	tt.TypeText(second)
	noSecretOnScreen(t, tt.Capture(), second, sa.ClientSecret)
	tt.Send("Enter")
	final := tt.WaitFor("EXIT=")
	t.Logf("after exit:\n%s", strings.TrimRight(final, "\n "))
	if !strings.Contains(final, "EXIT=0") {
		t.Fatalf("rotate --accessible did not exit 0:\n%s", final)
	}
	noSecretOnScreen(t, final, second, sa.ClientSecret)
	for _, want := range []string{"Verifying the new client secret", "still works, as expected until it is deleted"} {
		if !strings.Contains(final, want) {
			t.Errorf("the accessible rotation lacks %q:\n%s", want, final)
		}
	}
}
