package home

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/connect"
	"jcconnect/internal/uitest"
	"jcconnect/store"
	"jcconnect/ui/browser"
	"jcconnect/ui/common"
	"jcconnect/ui/rotate"
	"jcconnect/ui/wizard"
)

// The home screen's model with a valid, an expiring and a revoked key, its commands run for
// real against jctest; then the actions: rotation pushed and the screen refreshed after it,
// the wizard pushed for a new profile, disconnect confirmed, profiles switched.

// openHome shows the home screen inside an App (so pushes and pops really happen) and runs its
// first load and, for a working key, the collection of the pass rates.
func openHome(t testing.TB, f *day2Fixture) (*uitest.Driver, *HomeModel) {
	t.Helper()
	c := common.NewCommon(f.Env)
	c.SetSize(100, 50)
	home := NewHomeModel(f.Ctx, c)
	app := common.NewApp(c, home)
	d := &uitest.Driver{T: t, Screen: app, Stack: true, Collect: isRotationDone}
	d.Run(app.Init())
	d.Send(tea.WindowSizeMsg{Width: 100, Height: 50})
	return d, home
}

// indexOf is where s starts in v (-1 when absent), for "shown before" assertions.
func indexOf(t *testing.T, v, s string) int {
	t.Helper()
	i := strings.Index(v, s)
	if i < 0 {
		t.Fatalf("view lacks %q:\n%s", s, v)
	}
	return i
}

func TestHomeValidKey(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	d, home := openHome(t, f)

	v := d.View()
	wantIn(t, v, "jcconnect — "+f.Srv.Org().Name, "profile default", "Connection",
		store.Mask(f.Srv.Keys.ReadOnly), "evidence.reader@", "Role Read Only", "✓ the key works",
		"Evidence", "Actions", "d Browse devices", "u Browse users and MFA", "e Export evidence",
		"r Rotate the key", "a Add another organisation", "x Disconnect")
	wantNotIn(t, v, "refuses", "expires in", "not Read Only")
	// Evidence first when nothing is wrong with the key.
	if indexOf(t, v, "Browse devices") > indexOf(t, v, "Rotate the key") {
		t.Error("rotation is listed before the evidence although the key is fine")
	}
	// The pass rates of a fresh collection, and when it happened is recorded.
	if home.summary == nil {
		t.Fatalf("no collection ran:\n%s", v)
	}
	wantIn(t, v, "%", "of", "devices")
	p, _ := f.St.Profile("default")
	if p.LastCollectedAt == nil || p.VerifiedAt == nil || !p.VerifiedAt.Equal(*p.LastCollectedAt) {
		t.Errorf("collection not recorded: collected %v verified %v", p.LastCollectedAt, p.VerifiedAt)
	}
	if p.Fingerprint != store.Fingerprint(f.Srv.Keys.ReadOnly) {
		t.Error("recording the collection changed the key's fingerprint")
	}
}

func TestHomeExpiringKeyShowsRotationFirst(t *testing.T) {
	f := newDay2Fixture(t)
	p := f.Save("default", f.Srv.Keys.ReadOnly)
	f.Now = p.KeyExpires.Add(-5*24*time.Hour - time.Hour)
	d, home := openHome(t, f)

	v := d.View()
	wantIn(t, v, "The key expires in 5 days", "press r to rotate")
	if indexOf(t, v, "The key expires in 5 days") > indexOf(t, v, "Connection") {
		t.Error("the expiry warning is not the first thing shown")
	}
	if indexOf(t, v, "> r Rotate the key") > indexOf(t, v, "Browse devices") {
		t.Error("rotation is not first and under the cursor")
	}
	// Still valid: the evidence is collected as usual.
	if home.summary == nil {
		t.Error("an expiring (still working) key should still collect")
	}

	d.Keys("r")
	app := d.Screen.(*common.App)
	if app.Depth() != 2 {
		t.Fatalf("r did not push the rotation (depth %d)", app.Depth())
	}
	if _, ok := app.Top().(*rotate.RotateModel); !ok {
		t.Fatalf("top screen is %T", app.Top())
	}
	wantIn(t, d.View(), "Rotate the API key — profile default")
}

func TestHomeRevokedKeyShowsRecoveryFirst(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	f.Srv.RevokeKey(f.Srv.Keys.ReadOnly)
	d, home := openHome(t, f)

	v := d.View()
	wantIn(t, v, "JumpCloud refuses the stored key", "press r to rotate", "✗ refused: revoked or expired",
		"Pass rates need a working key")
	if indexOf(t, v, "refuses the stored key") > indexOf(t, v, "Connection") {
		t.Error("the refused key is not the first thing shown")
	}
	if home.summary != nil || home.collecting {
		t.Error("a refused key must not start a collection")
	}
	d.Keys("enter") // the cursor is on rotation
	app := d.Screen.(*common.App)
	if _, ok := app.Top().(*rotate.RotateModel); !ok {
		t.Fatalf("enter on the first action pushed %T", app.Top())
	}
}

func TestHomeRefreshesAfterRotation(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	f.Srv.RevokeKey(f.Srv.Keys.ReadOnly)
	d, _ := openHome(t, f)
	newKey := f.Secret(f.Srv.AddKey("Read Only"))

	d.Keys("r", "enter") // push rotation, read the intro
	d.Send(uitest.PasteMsg(newKey))
	d.Keys("enter", "enter") // verify, continue
	wantIn(t, d.View(), "different admin or role")
	d.Keys("y") // a different owner: confirmed
	wantIn(t, d.View(), "is stored")
	d.Keys("enter") // leave the rotation: home reloads

	app := d.Screen.(*common.App)
	if app.Depth() != 1 {
		t.Fatalf("rotation did not pop (depth %d)", app.Depth())
	}
	v := d.View()
	wantIn(t, v, store.Mask(newKey), "✓ the key works")
	wantNotIn(t, v, "refuses the stored key")
}

func TestHomeDisconnectAsksThenLeaves(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	d, home := openHome(t, f)

	d.Keys("x")
	wantIn(t, d.View(), `Disconnect profile "default"?`, "does NOT revoke the key in JumpCloud", "My API Key")
	d.Keys("n")
	if d.Quit || home.Action != HomeQuit {
		t.Fatal("n disconnected")
	}
	d.Keys("x", "y")
	if !d.Quit || home.Action != HomeDisconnect {
		t.Fatalf("y: quit %v action %q", d.Quit, home.Action)
	}
	if f.StoredKey("default") == "" {
		t.Error("the screen itself must not delete: runHome does, after the TUI ends")
	}
}

func TestHomeAddOrganisationPushesWizardForANewProfile(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	d, _ := openHome(t, f)
	d.Keys("a")
	app := d.Screen.(*common.App)
	w, ok := app.Top().(*wizardFromHome)
	if !ok {
		t.Fatalf("a pushed %T", app.Top())
	}
	if w.Env.Profile != "org-2" {
		t.Errorf("the wizard saves to profile %q, want a new one (org-2)", w.Env.Profile)
	}
	// Finishing the wizard pops it and home reloads.
	d.Send(wizard.WizardDoneMsg{})
	if d.Screen.(*common.App).Depth() != 1 {
		t.Error("the wizard did not pop")
	}
}

func TestHomeSwitchesProfiles(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	f.Save("org-2", f.Srv.Keys.Admin)
	d, home := openHome(t, f)
	wantIn(t, d.View(), "2 stored")
	d.Keys("p")
	if home.ProfileName() == "default" {
		t.Fatal("p did not switch")
	}
	wantIn(t, d.View(), "profile org-2", "Administrator (not Read Only)")
}

func TestHomeBrowseLeavesForTheBrowserWhenNoScreenIsWired(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	d, home := openHome(t, f)
	home.Screens.Browser = nil
	d.Keys("u")
	if !d.Quit || home.Action != HomeUsers {
		t.Fatalf("quit %v action %q", d.Quit, home.Action)
	}
}

func TestHomeTooSmall(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	d, _ := openHome(t, f)
	d.Send(tea.WindowSizeMsg{Width: 50, Height: 12})
	wantIn(t, d.View(), "Make the window larger")
}

func TestRunHomeWithoutTerminalPrintsStatus(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	if code := RunHome(f.Ctx, f.Env); code != connect.ExitOK {
		t.Fatalf("exit %d\n%s", code, f.Output())
	}
	wantIn(t, f.Output(), "Profile default", "✓ valid", "Commands: jcconnect devices")
}

func TestHomeFitsAnEightyByTwentyFourTerminal(t *testing.T) {
	f := newDay2Fixture(t)
	p := f.Save("default", f.Srv.Keys.ReadOnly)
	f.Now = p.KeyExpires.Add(-3 * 24 * time.Hour) // with the banner: the tallest layout
	d, _ := openHome(t, f)
	d.Send(tea.WindowSizeMsg{Width: 80, Height: 24})
	raw := d.Screen.View()
	if n := strings.Count(raw, "\n") + 1; n > 24 {
		t.Errorf("%d lines on a 24-line terminal", n)
	}
	// The actions are never the part that is cut off.
	wantIn(t, d.View(), "r rotate the key", "x disconnect this profile", "q quit")
	wantNotIn(t, d.View(), "make the window taller")
}

func TestHomeWarnsAboutAKeyThatIsNotReadOnly(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.Admin)
	d, home := openHome(t, f)
	v := d.View()
	wantIn(t, v, "This key is not Read Only: its admin's role is Administrator", "Press r to rotate")
	if home.summary == nil {
		t.Error("a working (if privileged) key should still collect")
	}
}

func TestHomeBrowsePushesTheBrowserWithTheCollectedSnapshot(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	d, home := openHome(t, f)
	if home.shown == nil {
		t.Fatal("no collection to hand over")
	}
	d.Keys("d")
	app := d.Screen.(*common.App)
	b, ok := app.Top().(*browser.Browser)
	if !ok {
		t.Fatalf("d pushed %T", app.Top())
	}
	if b.Snapshot() != home.shown.Snapshot() {
		t.Error("the browser collected again instead of showing home's collection")
	}
}

func TestHomeBrowseWithAnUnusableKeyringSaysWhy(t *testing.T) {
	f := newDay2Fixture(t)
	f.Save("default", f.Srv.Keys.ReadOnly)
	d, _ := openHome(t, f)
	f.Ring.Inject(func(store.Call) error { return store.ErrKeyringLocked })
	d.Keys("u")
	if d.Screen.(*common.App).Depth() != 1 {
		t.Fatal("a browser was pushed without a key")
	}
	wantIn(t, d.View(), "Could not open the browser")
}

func TestHomeNamesTheDemoOrganisation(t *testing.T) {
	f := newDay2Fixture(t)
	f.Env.Demo = &connect.Demo{BaseURL: f.Srv.URL}
	f.Save("default", f.Srv.Keys.ReadOnly)
	d, _ := openHome(t, f)
	wantIn(t, d.View(), "Region the demo organisation (built in)")
	wantNotIn(t, d.View(), "Region "+f.Srv.URL)
}

// isRotationDone picks the rotation's "finished" message for the driver to keep.
func isRotationDone(msg tea.Msg) bool { _, ok := msg.(rotate.RotationDoneMsg); return ok }
