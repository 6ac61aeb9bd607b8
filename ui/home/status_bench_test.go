package home

import (
	"fmt"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/connect"
)

// How long a live check takes and how many requests it costs, with jctest answering after 20 ms
// (a plausible round trip to JumpCloud): status and the home screen run it once per profile.
func BenchmarkCheckKey(b *testing.B) {
	f := newDay2Fixture(b)
	f.Save("default", f.Srv.Keys.ReadOnly)
	conn, err := connect.ClientFromEnv(f.Ctx, f.Env)
	if err != nil {
		b.Fatal(err)
	}
	f.Srv.SetLatency(20 * time.Millisecond)
	f.Srv.ResetCounts()
	b.ResetTimer()
	for b.Loop() {
		if c := connect.CheckKey(f.Ctx, conn.Client, connect.EvidenceSourceFor(conn.Profile)); !c.Valid() {
			b.Fatal(c.Err)
		}
	}
	b.ReportMetric(float64(f.Srv.Requests(""))/float64(b.N), "requests/op")
}

// The whole status report for three profiles at 20 ms per request.
func BenchmarkStatusThreeProfiles(b *testing.B) {
	f := newDay2Fixture(b)
	f.Save("default", f.Srv.Keys.ReadOnly)
	f.Save("backup", f.Secret(f.Srv.AddKey("Read Only")))
	f.Save("admin", f.Srv.Keys.Admin)
	f.Srv.SetLatency(20 * time.Millisecond)
	b.ResetTimer()
	for b.Loop() {
		if r := connect.CollectStatus(f.Ctx, f.Env); r.ExitCode != connect.ExitOK {
			b.Fatalf("exit %d", r.ExitCode)
		}
	}
}

// Drawing the home screen (it re-lays itself out to fit the window on every frame).
func BenchmarkHomeView(b *testing.B) {
	f := newDay2Fixture(b)
	f.Save("default", f.Srv.Keys.ReadOnly)
	d, home := openHome(b, f)
	if home.summary == nil {
		b.Fatal("no collection")
	}
	for _, size := range []struct{ w, h int }{{100, 40}, {80, 24}} {
		d.Send(tea.WindowSizeMsg{Width: size.w, Height: size.h})
		b.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(b *testing.B) {
			for b.Loop() {
				_ = d.Screen.View()
			}
		})
	}
}
