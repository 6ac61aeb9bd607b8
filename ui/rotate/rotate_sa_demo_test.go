package rotate

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"jcconnect/demo"
	"jcconnect/internal/uitest"
	"jcconnect/store"
)

// A service account's rotation on the screen: the same steps as a key's, in the words of a
// client secret, through the second secret slot; the old secret still works until deleted.
func TestRotateScreenServiceAccountSecondSecret(t *testing.T) {
	f := newDay2Fixture(t)
	sa := f.Srv.ServiceAccounts.ReadOnly
	f.SaveServiceAccount("default", sa)
	d, m := startRotation(t, f)
	var screens []string
	view := func() string { v := d.View(); screens = append(screens, v); return v }

	if m.Phase() != rotateIntro {
		t.Fatalf("phase %v\n%s", m.Phase(), d.View())
	}
	wantIn(t, view(), "Rotate the service account's client secret — profile default", "Client secret",
		store.Mask(sa.ClientSecret), "Client ID", sa.ClientID, "✓ works", "two client secrets",
		"does not revoke the stored secret", "I have the second client secret")
	d.Keys("enter")
	wantIn(t, view(), "Paste the new client secret", "Settings ▸ Service Accounts")

	// The stored secret again is refused in the secret's words, before any request.
	d.Send(uitest.PasteMsg(sa.ClientSecret))
	d.Keys("enter")
	if m.Phase() != rotatePaste {
		t.Fatalf("the stored secret again: phase %v", m.Phase())
	}
	wantIn(t, view(), "This is the client secret already stored", "Generate the second client secret")

	second := f.Secret(f.Srv.AddClientSecret(sa.ClientID))
	d.Send(tea.KeyMsg{Type: tea.KeyCtrlU})
	d.Send(uitest.PasteMsg(second))
	if m.input.Value() != second {
		t.Fatalf("field holds %d characters, want the second secret", len(m.input.Value()))
	}
	d.Keys("enter")
	if m.Phase() != rotateVerify {
		t.Fatalf("phase %v, want verify\n%s", m.Phase(), d.View())
	}
	wantIn(t, view(), "Verifying the new client secret")
	if m.Unsaved() == "" || !strings.Contains(m.Unsaved(), "client secret") {
		t.Errorf("a verified, unsaved secret: Unsaved %q", m.Unsaved())
	}
	d.Keys("enter")
	if m.Phase() != rotateDone {
		t.Fatalf("phase %v, want done\n%s", m.Phase(), d.View())
	}
	if f.StoredKey("default") != second {
		t.Fatal("the second secret is not stored")
	}
	wantIn(t, view(), "The new client secret "+store.Mask(second)+" is stored",
		"still works, as expected until it is deleted", "delete the old client secret", sa.ClientID)
	for _, v := range screens {
		// "Unlike an API key" in the explanation is the only mention: no title, field or prompt says it.
		wantNotIn(t, strings.ReplaceAll(v, "Unlike an API key", ""), "API key", second, sa.ClientSecret)
	}
}

// The demo rotation lists a fresh key of the same admin first (generated as the console does,
// which revokes the stored key), so its happy path ends with "Old key revoked: confirmed"; at
// 80×24 no line of the list is cut and the screen fits.
func TestRotateScreenInTheDemoOffersAFreshKeyFirstAndFitsAt80x24(t *testing.T) {
	f := newDay2Fixture(t)
	f.Env.Demo = demo.FromServer(f.Srv)
	f.Save("default", f.Srv.Keys.ReadOnly)
	d, m := startRotation(t, f)
	d.Send(tea.WindowSizeMsg{Width: 80, Height: 24})
	d.Keys("enter")

	keys := m.demoKeys()
	if len(keys) < 2 || !strings.Contains(keys[0].Label, "New key of the same admin") {
		t.Fatalf("demo keys: %+v", keys)
	}
	fresh := f.Secret(keys[0].Key)
	if f.KeyWorks(f.Srv.Keys.ReadOnly) {
		t.Error("generating the demo's new key did not revoke the stored one, as the console does")
	}
	v := d.View()
	wantIn(t, v, "just generated for the same admin", fresh, "Full Administrator (see the least-privilege warning)")
	if strings.Index(v, fresh) > strings.Index(v, f.Srv.Keys.Admin) {
		t.Error("the fresh key is not listed first")
	}
	for _, dk := range keys {
		wantIn(t, v, dk.Key, dk.Label)
	}
	raw := m.View()
	t.Logf("the demo paste screen at 80×24:\n%s", raw)
	for i, line := range strings.Split(raw, "\n") {
		if w := lipgloss.Width(line); w > 80 {
			t.Errorf("line %d is %d columns wide: %q", i, w, line)
		}
	}
	if h := lipgloss.Height(raw); h > 24 {
		t.Errorf("the paste screen is %d lines high at 80×24:\n%s", h, v)
	}

	d.Send(tea.KeyMsg{Type: tea.KeyTab})
	if m.input.Value() != fresh {
		t.Fatal("tab did not insert the fresh key first")
	}
	d.Keys("enter", "enter")
	if m.Phase() != rotateDone || f.StoredKey("default") != fresh {
		t.Fatalf("phase %v\n%s", m.Phase(), d.View())
	}
	wantIn(t, d.View(), "Old key revoked: confirmed")
}

// The demo rotation of a service account offers its second secret, the stored one still working.
func TestRotateScreenInTheDemoOffersTheServiceAccountsSecondSecret(t *testing.T) {
	f := newDay2Fixture(t)
	f.Env.Demo = demo.FromServer(f.Srv)
	sa := f.Srv.ServiceAccounts.ReadOnly
	f.SaveServiceAccount("default", sa)
	d, m := startRotation(t, f)
	d.Keys("enter")
	keys := m.demoKeys()
	if len(keys) != 1 || !strings.Contains(keys[0].Label, "Second client secret") {
		t.Fatalf("demo keys: %+v", keys)
	}
	f.Secret(keys[0].Key)
	wantIn(t, d.View(), "second slot", "the stored secret still works")
	d.Send(tea.KeyMsg{Type: tea.KeyTab})
	d.Keys("enter", "enter")
	if m.Phase() != rotateDone || f.StoredKey("default") != keys[0].Key {
		t.Fatalf("phase %v\n%s", m.Phase(), d.View())
	}
	wantIn(t, d.View(), "still works, as expected until it is deleted")
}
