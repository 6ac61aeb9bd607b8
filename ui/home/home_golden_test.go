package home

import (
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/internal/uitest"
)

// Golden screens of the home screen (and what it pushes) at 60×16, 80×24 and 120×40, each also
// checked for width, height, orphan words and the key hints (testdata/TestHomeGolden).
// Regenerate with: go test ./ui/... -update
func TestHomeGolden(t *testing.T) {
	screens := []struct {
		name  string
		setup func(f *day2Fixture)
		keys  []string
		hint  string
	}{
		{"valid", func(f *day2Fixture) { f.Save("default", f.Srv.Keys.ReadOnly) }, nil, "q quit"},
		{"expiring", func(f *day2Fixture) {
			p := f.Save("default", f.Srv.Keys.ReadOnly)
			f.Now = p.KeyExpires.Add(-3 * 24 * time.Hour)
		}, nil, "q quit"},
		{"revoked", func(f *day2Fixture) {
			f.Save("default", f.Srv.Keys.ReadOnly)
			f.Srv.RevokeKey(f.Srv.Keys.ReadOnly)
		}, nil, "q quit"},
		{"full-admin", func(f *day2Fixture) { f.Save("default", f.Srv.Keys.Admin) }, nil, "q quit"},
		{"disconnect", func(f *day2Fixture) { f.Save("default", f.Srv.Keys.ReadOnly) }, []string{"x"}, "n keep it"},
		{"rotate", func(f *day2Fixture) { f.Save("default", f.Srv.Keys.ReadOnly) }, []string{"r"}, "ctrl+c quit"},
		{"help", func(f *day2Fixture) { f.Save("default", f.Srv.Keys.ReadOnly) }, []string{"?"}, "close this help"},
	}
	for _, sc := range screens {
		for _, sz := range uitest.Sizes {
			t.Run(sc.name+"/"+uitest.SizeName(sz.W, sz.H), func(t *testing.T) {
				f := newDay2Fixture(t)
				sc.setup(f)
				d, _ := openHome(t, f)
				d.Send(tea.WindowSizeMsg{Width: sz.W, Height: sz.H})
				d.Keys(sc.keys...)
				view := uitest.Stable(d.Screen.View())
				uitest.CheckLayout(t, view, sz.W, sz.H, sc.hint)
				uitest.Golden(t, view)
			})
		}
	}
}
