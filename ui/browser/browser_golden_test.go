package browser

import (
	"context"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/connect"
	"jcconnect/internal/uitest"
	"jcconnect/ui/common"
)

// Golden screens of the browser (devices, users, the detail pane, ? with its legend, a sorted
// check column) at 60×16, 80×24 and 120×40, collected from jctest over HTTP, each also checked
// for width, height, orphan words and the key hints (testdata/TestBrowserGolden).
// Regenerate with: go test ./ui/... -update
func TestBrowserGolden(t *testing.T) {
	screens := []struct {
		name string
		keys []string
		hint string
	}{
		{"devices", nil, "? all keys"},
		{"devices-sorted-by-fw", []string{"s", "s", "s", "s", "s"}, "? all keys"},
		{"devices-help-legend", []string{"?"}, "closes this help"},
		{"devices-detail", []string{"enter"}, "esc/enter back"},
		{"users", []string{"tab"}, "? all keys"},
		{"users-help-legend", []string{"tab", "?"}, "closes this help"},
	}
	for _, sc := range screens {
		for _, sz := range uitest.Sizes {
			t.Run(sc.name+"/"+uitest.SizeName(sz.W, sz.H), func(t *testing.T) {
				srv := evServer(t, 30)
				env, _, _ := evEnv(t, srv, srv.Keys.ReadOnly)
				conn, code := evidenceConnection(context.Background(), env, "devices")
				if code != connect.ExitOK {
					t.Fatal(code)
				}
				b := NewBrowser(common.NewCommon(env), BrowserOptions{Collect: CollectorFor(env, conn), OutDir: t.TempDir()})
				b.Update(tea.WindowSizeMsg{Width: sz.W, Height: sz.H})
				devRun(t, b, b.Init())
				press(t, b, sc.keys...)
				view := uitest.Stable(b.View())
				uitest.CheckLayout(t, view, sz.W, sz.H, sc.hint)
				uitest.Golden(t, view)
			})
		}
	}
}
