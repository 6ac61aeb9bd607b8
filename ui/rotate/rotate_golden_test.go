package rotate

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/connect"
	"jcconnect/internal/uitest"
	"jcconnect/store"
)

// Golden screens of every rotation phase at 60×16, 80×24 and 120×40, each also checked for
// width, height, orphan words and the key hints (testdata/TestRotateGolden).
// Regenerate with: go test ./ui/... -update
func TestRotateGolden(t *testing.T) {
	screens := []struct {
		name    string
		revoked bool
		steps   func(d *uitest.Driver, f *day2Fixture)
	}{
		{"intro", false, func(d *uitest.Driver, f *day2Fixture) {}},
		{"intro-recovery", true, func(d *uitest.Driver, f *day2Fixture) {}},
		{"paste", false, func(d *uitest.Driver, f *day2Fixture) { d.Keys("enter") }},
		{"paste-demo", false, func(d *uitest.Driver, f *day2Fixture) { d.Keys("enter") }},
		{"verify-full-admin", false, func(d *uitest.Driver, f *day2Fixture) {
			d.Keys("enter")
			d.Send(uitest.PasteMsg(f.Srv.Keys.Admin))
			d.Keys("enter")
		}},
		{"refused-other-org", false, func(d *uitest.Driver, f *day2Fixture) {
			d.Keys("enter")
			d.Send(uitest.PasteMsg(f.Srv.Keys.OtherOrg))
			d.Keys("enter")
		}},
		{"confirm-other-admin", false, func(d *uitest.Driver, f *day2Fixture) {
			d.Keys("enter")
			d.Send(uitest.PasteMsg(f.Srv.Keys.Admin))
			d.Keys("enter", "c")
		}},
		{"save-failed-locked", false, func(d *uitest.Driver, f *day2Fixture) {
			f.Ring.Inject(func(c store.Call) error {
				if c.Op == store.OpSet {
					return store.ErrKeyringLocked
				}
				return nil
			})
			d.Keys("enter")
			d.Send(uitest.PasteMsg(f.Srv.Keys.Admin))
			d.Keys("enter", "c", "y")
		}},
		{"done-old-key-still-works", false, func(d *uitest.Driver, f *day2Fixture) {
			d.Keys("enter")
			d.Send(uitest.PasteMsg(f.Srv.Keys.Admin))
			d.Keys("enter", "c", "y")
		}},
	}
	for _, sc := range screens {
		for _, sz := range uitest.Sizes {
			t.Run(sc.name+"/"+uitest.SizeName(sz.W, sz.H), func(t *testing.T) {
				f := newDay2Fixture(t)
				if sc.name == "paste-demo" { // the demo's keys, listed to paste, as --demo offers them
					f.Env.Demo = &connect.Demo{BaseURL: f.Srv.URL, Keys: []connect.DemoKey{
						{Label: "Read Only admin (the right key)", Key: f.Srv.Keys.ReadOnly},
						{Label: "Full Administrator (see the least-privilege warning)", Key: f.Srv.Keys.Admin},
						{Label: "Revoked key", Key: f.Srv.Keys.Revoked},
						{Label: "Multi-tenant key (3 organisations)", Key: f.Srv.Keys.MultiTenant},
					}}
				}
				f.Save("default", f.Srv.Keys.ReadOnly)
				if sc.revoked {
					f.Srv.RevokeKey(f.Srv.Keys.ReadOnly)
				}
				d, _ := startRotation(t, f)
				d.Send(tea.WindowSizeMsg{Width: sz.W, Height: sz.H})
				sc.steps(d, f)
				view := uitest.Stable(d.Screen.View())
				uitest.CheckLayout(t, view, sz.W, sz.H, "ctrl+c quit")
				uitest.Golden(t, view)
			})
		}
	}
}
