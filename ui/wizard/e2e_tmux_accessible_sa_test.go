package wizard

import (
	"strings"
	"testing"
)

// `setup --accessible` on the service-account way in a real terminal: the built binary in tmux,
// the Client ID typed in clear, the client secret typed at the hidden prompt, stored in the real
// Secret Service. The secret (or any tail of it) never appears in capture-pane, before or after
// enter.
func TestE2ETmuxAccessibleServiceAccountHidesTheSecret(t *testing.T) {
	e := startSATerminal(t, "jcaccsa", 120, 60, "--accessible --region us")
	tt, sa := e.tt, e.srv.ServiceAccounts.ReadOnly
	tt.WaitFor("How should jcconnect connect?")
	tt.TypeText("1")
	tt.Send("Enter")
	tt.WaitFor("Which integrations")
	tt.Send("Enter")
	tt.WaitFor("copied the Client ID and the Client Secret")
	tt.Send("Enter")
	tt.WaitFor("Paste the service account's Client ID")
	tt.TypeText(sa.ClientID)
	tt.Send("Enter")
	tt.WaitFor("Paste the client secret and press enter (it is not shown)")
	tt.TypeText(sa.ClientSecret)
	if screen := tt.Capture(); strings.Contains(screen, sa.ClientSecret[len(sa.ClientSecret)-8:]) {
		t.Fatalf("the typed secret is echoed:\n%s", screen)
	}
	tt.Send("Enter")
	tt.WaitFor("Press enter to save")
	tt.Send("Enter")
	final := tt.WaitFor("EXIT=")
	t.Logf("after exit:\n%s", strings.TrimRight(final, "\n "))
	if !strings.Contains(final, "EXIT=0") || !strings.Contains(final, "Service account accepted") ||
		!strings.Contains(final, "service account "+sa.ClientID) {
		t.Fatalf("setup --accessible did not store the service account:\n%s", final)
	}
	for _, s := range []string{sa.ClientSecret, sa.ClientSecret[:12], sa.ClientSecret[len(sa.ClientSecret)-12:]} {
		if strings.Contains(final, s) {
			t.Fatalf("the client secret (or part of it) is on the screen:\n%s", final)
		}
	}
}
