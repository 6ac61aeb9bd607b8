package browser

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"jcconnect/connect"
	"jcconnect/ui/common"
)

// The browser end to end: a real bubbletea program collecting from jctest over HTTP, driven by
// keys, waiting on rendered text.
func TestDevicesFlow(t *testing.T) {
	lipgloss.SetColorProfile(termenv.Ascii)
	srv := evServer(t, 40)
	env, _, _ := evEnv(t, srv, srv.Keys.ReadOnly)
	conn, code := evidenceConnection(context.Background(), env, "devices")
	if code != connect.ExitOK {
		t.Fatal(code)
	}
	c := common.NewCommon(env)
	b := NewBrowser(c, BrowserOptions{Collect: CollectorFor(env, conn), OutDir: t.TempDir()})
	tm := teatest.NewTestModel(t, common.NewApp(c, b), teatest.WithInitialTermSize(120, 30))
	t.Cleanup(func() { tm.Quit() })

	var seen []byte
	waitFor := func(text string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(out []byte) bool {
			seen = append(seen, out...)
			return bytes.Contains(seen, []byte(text))
		}, teatest.WithDuration(15*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
		seen = nil
	}
	send := func(s string) { tm.Send(devKey(s)) }

	waitFor("40 of 40")
	send("/")
	for _, r := range "macbook" {
		send(string(r))
	}
	send("enter")
	waitFor(`filter "macbook"`)
	send("enter")
	waitFor("Disk encryption")
	send("esc")
	send("tab")
	waitFor("Users and MFA")
	send("q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
	if final, ok := tm.FinalModel(t).(*common.App); !ok || final.Depth() != 1 {
		t.Errorf("final model %T", tm.FinalModel(t))
	}
}
