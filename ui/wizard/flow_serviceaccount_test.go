package wizard

import (
	"fmt"
	"strings"
	"testing"

	"jcconnect/store"
)

// The wizard's service-account way in a real bubbletea program against jctest over HTTP: step 1
// offers both ways, then the console checklist, the Client ID, the Client Secret (masked), the
// same live verification, save and preview as for a key.

// toServiceAccountSecret chooses the service-account way on step 1, inserts the n-th demo
// service account's client id (1-based) and moves to the secret field.
func (f *wizFlow) toServiceAccountSecret(n int) {
	f.t.Helper()
	f.waitFor("Service account (recommended for integrations: not tied to a person)")
	for range len(welcomeOptions) {
		f.press("up")
	}
	f.press("enter") // enter on a way chooses it and goes on
	f.waitFor("Step 2 of 7: Create a service account")
	f.waitFor("Role: choose Read Only")
	f.press("enter")
	f.waitFor("Step 3 of 7: Paste the Client ID")
	for i := 0; i < n; i++ {
		f.press("tab")
	}
	f.waitFor(f.env.Demo.ServiceAccounts[n-1].ClientID)
	f.press("enter")
	f.waitFor("Step 4 of 7: Paste the Client Secret")
}

// quitWithNothingStored leaves the wizard with ctrl+c and fails with why when a credential was
// stored anyway.
func (f *wizFlow) quitWithNothingStored(why string) {
	f.t.Helper()
	f.press("ctrl+c")
	if _, ok := f.storedCredential(); ok {
		f.t.Fatal(why)
	}
}

func (f *wizFlow) storedCredential() (store.Credential, bool) {
	cred, err := f.env.Store.Key(wizCtx, "")
	return cred, err == nil
}

func TestFlowStepOneOffersBothWays(t *testing.T) {
	f := startFlow(t, nil)
	f.waitFor("Connect with")
	f.waitFor("Service account (recommended for integrations: not tied to a person)")
	f.waitFor("Read Only administrator's API key (works everywhere)")
	f.press("ctrl+c")
}

func TestFlowReadOnlyServiceAccountAllTheWayToSaved(t *testing.T) {
	f := startFlow(t, nil)
	f.toServiceAccountSecret(1)
	sa := f.srv.ServiceAccounts.ReadOnly
	f.press("tab", "enter")
	f.waitFor("Step 5 of 7")
	f.waitFor("Service account accepted") // the first row names the credential, not "Key accepted"
	f.waitFor("service account Evidence Collector, role Read Only")
	f.waitFor("The service account works")
	f.press("enter")
	f.waitFor("Press enter to save")
	f.press("enter")
	f.waitFor("Saved.")
	f.press("enter") // the preview collects through the service account's token
	f.waitFor("Connected: " + f.srv.Org().Name)
	f.press("enter") // done
	w := f.wizard()
	if !w.Saved() {
		t.Fatal("not saved")
	}
	cred, ok := f.storedCredential()
	if !ok || cred.Key.Reveal() != sa.ClientSecret || cred.ClientID != sa.ClientID || !cred.IsServiceAccount() {
		t.Fatalf("stored %v kind %q id %q", ok, cred.Kind, cred.ClientID)
	}
	if p, err := f.env.Store.Profile(""); err != nil || p.Kind != store.KindServiceAccount || p.SecretExpires == nil {
		t.Fatalf("profile %+v: %v", p, err)
	}
	if strings.Contains(string(f.seen), sa.ClientSecret) {
		t.Fatal("the client secret was drawn")
	}
}

// An expired secret is refused (esc goes back to the secret); an Administrator service account
// gets the least-privilege box in a service account's words (b goes back to its console
// checklist). Neither is stored.
func TestFlowServiceAccountRefusedOrPrivilegedGoesBack(t *testing.T) {
	for _, c := range []struct {
		demo        int
		says        []string
		key, backTo string
	}{
		{3, []string{"the client secret has expired"}, "esc", "Step 4 of 7"},
		{2, []string{"This service account is not Read Only: its role is Administrator", "create a Read Only service account"},
			"b", "Step 2 of 7: Create a service account"},
	} {
		f := startFlow(t, nil)
		f.toServiceAccountSecret(c.demo)
		f.press("tab", "enter")
		for _, say := range c.says {
			f.waitFor(say)
		}
		f.press(c.key)
		f.waitFor(c.backTo)
		f.quitWithNothingStored(fmt.Sprintf("demo service account %d was stored", c.demo))
	}
}

func TestFlowServiceAccountWrongSecret(t *testing.T) {
	f := startFlow(t, nil)
	f.toServiceAccountSecret(1)
	f.tm.Send(wizPaste(strings.Repeat("w", 48)))
	f.press("enter")
	f.waitFor("the client id or secret is wrong")
	f.quitWithNothingStored("a wrong secret was stored")
}

func TestFlowServiceAccountMultiTenantPick(t *testing.T) {
	f := startFlow(t, nil)
	f.toServiceAccountSecret(4)
	f.press("tab", "enter")
	f.waitFor("Which organisation is this integration for?")
	f.press("down", "enter")
	f.waitFor("chosen from 3")
	f.waitFor("The service account works")
	f.press("enter")
	f.waitFor("Press enter to save")
	f.press("enter")
	f.waitFor("Saved.")
	f.press("ctrl+c")
	w := f.wizard()
	p, err := f.env.Store.Profile("")
	if err != nil || p.OrgID == "" || p.OrgID != w.Verified().Org.ID || p.Kind != store.KindServiceAccount {
		t.Fatalf("profile %+v (%v), picked %q", p, err, w.Verified().Org.ID)
	}
}
