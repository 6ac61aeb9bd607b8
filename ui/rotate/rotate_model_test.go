package rotate

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/connect"
	"jcconnect/internal/uitest"
	"jcconnect/store"
	"jcconnect/ui/common"
)

// The rotation screen driven through its Update with key messages, its commands run for real
// (jctest over HTTP, the memory keyring) by screenDriver.

// startRotation opens the rotation screen on f's environment and runs its first check.
func startRotation(t *testing.T, f *day2Fixture) (*uitest.Driver, *RotateModel) {
	t.Helper()
	c := common.NewCommon(f.Env)
	c.SetSize(100, 40)
	m := NewRotateModel(f.Ctx, c)
	d := &uitest.Driver{T: t, Screen: m, Collect: isRotationDone}
	d.Run(m.Init())
	return d, m
}

func TestRotateScreenHappyPath(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	d, m := startRotation(t, f)

	if m.Phase() != rotateIntro {
		t.Fatalf("phase %v after the first check\n%s", m.Phase(), d.View())
	}
	wantIn(t, d.View(), "Rotate the API key — profile default", store.Mask(f.Srv.Keys.ReadOnly),
		"evidence.reader@", "Read Only", f.Srv.Org().Name, "✓ works", "How this works",
		"the old key stops working", "Keep this open")

	d.Keys("enter")
	if m.Phase() != rotatePaste {
		t.Fatalf("phase %v, want paste", m.Phase())
	}
	// Only now does the admin generate the new key in the console: the old one is revoked at once.
	newKey := f.Secret(f.Srv.RotateKey(f.Srv.Keys.ReadOnly))
	d.Send(uitest.PasteMsg(newKey + "\n"))
	d.Keys("enter")
	if m.Phase() != rotateVerify {
		t.Fatalf("phase %v, want verify\n%s", m.Phase(), d.View())
	}
	wantIn(t, d.View(), "Verifying the new key", "Key accepted", "Read Only", "Press enter to continue")
	if f.StoredKey("default") != f.Srv.Keys.ReadOnly {
		t.Fatal("the key was stored before the user continued")
	}

	d.Keys("enter")
	if m.Phase() != rotateDone {
		t.Fatalf("phase %v, want done\n%s", m.Phase(), d.View())
	}
	if f.StoredKey("default") != newKey {
		t.Fatal("the new key is not stored")
	}
	v := d.View()
	wantIn(t, v, "The new key "+store.Mask(newKey)+" is stored", "Old key revoked: confirmed", "Rotated")
	wantNotIn(t, v, newKey, f.Srv.Keys.ReadOnly)

	d.Keys("enter")
	if d.Popped != 1 || len(d.Done) != 1 || d.Done[0].(RotationDoneMsg).Profile.Fingerprint != store.Fingerprint(newKey) {
		t.Errorf("leaving: popped %d, done %+v", d.Popped, d.Done)
	}
}

func TestRotateScreenRecovery(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	newKey := f.Secret(f.Srv.RotateKey(f.Srv.Keys.ReadOnly)) // the stored key is revoked already
	d, m := startRotation(t, f)

	wantIn(t, d.View(), "JumpCloud refuses this key", "revoked or expired): this rotation is a recovery")
	d.Keys("enter")
	d.Send(uitest.PasteMsg(newKey))
	d.Keys("enter", "enter")
	if m.Phase() != rotateDone || f.StoredKey("default") != newKey {
		t.Fatalf("phase %v\n%s", m.Phase(), d.View())
	}
	wantIn(t, d.View(), "already refused it before the swap")
}

func TestRotateScreenRefusesAnotherOrganisation(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	d, m := startRotation(t, f)
	d.Keys("enter")
	d.Send(uitest.PasteMsg(f.Srv.Keys.OtherOrg))
	d.Keys("enter")

	v := d.View()
	wantIn(t, v, "belongs to another organisation", "A rotation keeps the same organisation",
		"nothing was changed", "jcconnect setup --profile NEW-NAME")
	wantNotIn(t, v, "--org-id") // the wizard's advice does not apply to a rotation
	if m.Phase() == rotateDone || m.Phase() == rotateSaving {
		t.Fatalf("phase %v", m.Phase())
	}
	if f.StoredKey("default") != f.Srv.Keys.ReadOnly {
		t.Fatal("the stored key changed")
	}
	d.Keys("esc")
	if m.Phase() != rotatePaste {
		t.Errorf("esc from a refused key: phase %v, want paste", m.Phase())
	}
}

func TestRotateScreenFullAdminWarnsAndNeedsConfirmation(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	d, m := startRotation(t, f)
	d.Keys("enter")
	d.Send(uitest.PasteMsg(f.Srv.Keys.Admin))
	d.Keys("enter")

	wantIn(t, d.View(), "This key is not Read Only", "Least privilege", "continue knowingly")
	if m.Unsaved() == "" {
		t.Error("quitting at the least-privilege question would lose a verified key without asking")
	}
	d.Keys("c") // continue knowingly past the least-privilege warning
	if m.Phase() != rotateConfirm {
		t.Fatalf("phase %v, want confirm\n%s", m.Phase(), d.View())
	}
	wantIn(t, d.View(), "different admin or role", "Owner: evidence.reader@", "ops.admin@",
		"Role: Read Only → Administrator", "It is not Read Only")
	if m.Unsaved() == "" {
		t.Error("a verified, unsaved key must make quitting ask first")
	}
	d.Keys("n")
	if m.Phase() != rotatePaste || f.StoredKey("default") != f.Srv.Keys.ReadOnly {
		t.Fatalf("declined: phase %v", m.Phase())
	}

	d.Keys("enter") // the same pasted key again
	d.Keys("c", "y")
	if m.Phase() != rotateDone || f.StoredKey("default") != f.Srv.Keys.Admin {
		t.Fatalf("confirmed: phase %v\n%s", m.Phase(), d.View())
	}
	// Another admin's key does not revoke the old one: reported, with what to do.
	wantIn(t, d.View(), "still works", "JumpCloud has not revoked it")
}

func TestRotateScreenKeyringFailureKeepsOldKeyThenRetry(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	d, m := startRotation(t, f)
	newKey := f.Secret(f.Srv.RotateKey(f.Srv.Keys.ReadOnly))
	f.Ring.Inject(func(c store.Call) error {
		if c.Op == store.OpSet {
			return store.ErrKeyringLocked
		}
		return nil
	})
	d.Keys("enter")
	d.Send(uitest.PasteMsg(newKey))
	d.Keys("enter", "enter")

	if m.Phase() != rotateSaveFailed {
		t.Fatalf("phase %v, want saveFailed\n%s", m.Phase(), d.View())
	}
	wantIn(t, d.View(), "The new key was not stored: the old key is still stored", "press r")
	if f.StoredKey("default") != f.Srv.Keys.ReadOnly {
		t.Fatal("the old key is gone")
	}
	if m.Unsaved() == "" {
		t.Error("quitting now would lose the verified key: Unsaved must say so")
	}

	f.Ring.Inject(nil) // the user unlocks the keyring
	d.Keys("r")
	if m.Phase() != rotateDone || f.StoredKey("default") != newKey {
		t.Fatalf("after retry: phase %v\n%s", m.Phase(), d.View())
	}
}

func TestRotateScreenSameKeyAndBadPasteStayOnPaste(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	d, m := startRotation(t, f)
	d.Keys("enter")
	d.Send(uitest.PasteMsg(f.Srv.Keys.ReadOnly))
	d.Keys("enter")
	if m.Phase() != rotatePaste {
		t.Fatalf("phase %v", m.Phase())
	}
	wantIn(t, d.View(), "This is the key already stored")

	d.Send(uitest.KeyMsg("esc"))
	d.Keys("enter")
	d.Send(uitest.PasteMsg("https://console.jumpcloud.com"))
	d.Keys("enter")
	if m.Phase() != rotatePaste {
		t.Fatalf("a URL was accepted as a key: phase %v", m.Phase())
	}
}

func TestRotateScreenDropsAnswersOfAnAbandonedVerification(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	d, m := startRotation(t, f)
	d.Keys("enter")
	d.Send(uitest.PasteMsg(f.Srv.Keys.Admin))
	// Submit, but keep the verification's first command instead of running it.
	var cmd tea.Cmd
	d.Screen, cmd = d.Screen.Update(uitest.KeyMsg("enter"))
	submitted := cmd()
	d.Screen, cmd = d.Screen.Update(submitted) // KeySubmittedMsg starts the verification
	d.Keys("esc")                              // the user goes back before any answer
	d.Run(cmd)                                 // the abandoned verification answers now
	if m.Phase() != rotatePaste {
		t.Fatalf("a stale answer moved the screen: phase %v\n%s", m.Phase(), d.View())
	}
}

func TestRotateScreenNothingStored(t *testing.T) {
	f := newDay2Fixture(t)
	d, m := startRotation(t, f)
	if m.Phase() != rotatePrepFailed {
		t.Fatalf("phase %v", m.Phase())
	}
	wantIn(t, d.View(), "Nothing is set up yet, so there is no stored key to rotate", "jcconnect setup")
	d.Keys("esc")
	if d.Popped != 1 {
		t.Error("esc did not leave the screen")
	}
}

func TestRotateScreenTooSmall(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	d, _ := startRotation(t, f)
	d.Send(tea.WindowSizeMsg{Width: 40, Height: 10})
	wantIn(t, d.View(), "Make the window larger")
}

func TestRotateScreenInTheDemoOffersTheDemoKeys(t *testing.T) {
	f := newDay2Fixture(t)
	f.Env.Demo = &connect.Demo{BaseURL: f.Srv.URL, Keys: []connect.DemoKey{
		{Label: "Read Only admin (the right key)", Key: f.Srv.Keys.ReadOnly},
		{Label: "Full Administrator", Key: f.Srv.Keys.Admin},
	}}
	f.Save("default", f.Srv.Keys.ReadOnly)
	d, m := startRotation(t, f)
	d.Keys("enter")
	v := d.View()
	wantIn(t, v, "Demo: there is no console", "Full Administrator", "tab insert a demo key")
	wantNotIn(t, v, "Read Only admin (the right key)") // the stored key is not offered
	d.Send(tea.KeyMsg{Type: tea.KeyTab})
	if m.input.Value() != f.Srv.Keys.Admin {
		t.Fatal("tab did not insert the demo key")
	}
	d.Keys("enter")
	wantIn(t, d.View(), "This key is not Read Only")
}

// isRotationDone picks the rotation's "finished" message for the driver to keep.
func isRotationDone(msg tea.Msg) bool { _, ok := msg.(RotationDoneMsg); return ok }
