//go:build linux

package browser

import (
	"context"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/internal/optime"
	"jcconnect/internal/ptytest"
	"jcconnect/ui/common"
)

// The Program key benchmarks time a key press through bubbletea itself, where the Paced ones
// (devices_paced_bench_test.go) stand in for its event loop with a channel. A real tea.Program
// runs the 50k browser as `jcconnect devices` does (common.App around it, RunDevices' options
// less the signal handler, the standard renderer flushing at 60 fps), reading its input from a
// pseudo-terminal: a real terminal device, its slave handed over as a shell hands stdin, the
// keys typed on its master, read by bubbletea's own reader (raw mode, and cancelreader's Linux
// reader waiting in epoll_wait, a blocking system call that keeps its processor).
//
// ...ProgramFloor50k is the same program, with the same 50k browser held in memory and the same
// collections, but with a screen on top that does nothing with a key except draw one of two
// fixed screens the browser drew (so the renderer repaints every time, as for the browser): the
// time bubbletea, the terminal, the collector and the machine take to deliver a key, which no
// screen can go under. Run side by side with the browser's in one command, it separates the
// browser's share of a slow key from the path's.
//
// The reader reads the bytes, parses them and sends the KeyMsg to the event loop, which runs
// App's Update and View and hands the screen to the renderer. The screen goes to /dev/null (a
// plain blocking write, as to a terminal). The keys are the bytes a terminal sends for them,
// written one every pacedKeyInterval with a collection asked for exactly as in the Paced runs
// (sendPaced). A key is timed from the moment before its bytes are
// written to the return of the View after the Update that handled it (optime.Timer.End, in a
// model around App that counts the keys): the reader's wake, its parsing, the hand-over to the
// event loop and any wait for a processor count. Wall time and GC figures only (the key crosses
// two goroutines). A run fails when a key was lost, merged or read as another, or when no key
// met a collection.
//
// Reading the terminal through Go's poller instead (a new non-blocking description of it, so
// that the reader parks without holding a processor) was built and measured against this reader
// in issue 13's sixth session: once the mark phases were short it made no difference (p99
// 1.7–1.8 against 1.3–2.2 ms, worst 5.3–8.1 against 4.2–8.5 ms, alternating runs), so the program
// kept bubbletea's reader.

func BenchmarkBrowserKeyMoveProgram50k(b *testing.B) {
	br := benchBrowser(b)
	eachKeyProgram(b, br, br, moveKey)
}

func BenchmarkBrowserKeyPageProgram50k(b *testing.B) {
	br := benchBrowser(b)
	eachKeyProgram(b, br, br, pageKey)
}

func BenchmarkBrowserKeyMoveProgramFloor50k(b *testing.B) {
	br := benchBrowser(b)
	eachKeyProgram(b, br, newFixedScreens(br), moveKey)
}

func BenchmarkBrowserKeyPageProgramFloor50k(b *testing.B) {
	br := benchBrowser(b)
	eachKeyProgram(b, br, newFixedScreens(br), pageKey)
}

// fixedScreens is the Floor benchmarks' top screen: it takes every key and draws, alternately,
// two screens the browser drew (the cursor on its first row and on its second), so that the
// renderer repaints after every key as it does for the browser; it allocates nothing.
type fixedScreens struct {
	views [2]string
	keys  int
}

func newFixedScreens(br *Browser) *fixedScreens {
	s := &fixedScreens{}
	s.views[0] = strings.Clone(br.View())
	br.Update(tea.KeyMsg{Type: tea.KeyDown})
	s.views[1] = strings.Clone(br.View())
	br.Update(tea.KeyMsg{Type: tea.KeyUp})
	if s.views[0] == s.views[1] {
		panic("the browser drew the same screen with the cursor on two rows")
	}
	return s
}

func (s *fixedScreens) Init() tea.Cmd { return nil }

func (s *fixedScreens) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(tea.KeyMsg); ok {
		s.keys++
	}
	return s, nil
}

func (s *fixedScreens) View() string { return s.views[s.keys%2] }

// terminalBytes are what a terminal (xterm, normal cursor mode) sends for the keys of moveKey
// and pageKey.
var terminalBytes = map[tea.KeyType]string{
	tea.KeyDown: "\x1b[B", tea.KeyUp: "\x1b[A", tea.KeyPgDown: "\x1b[6~", tea.KeyPgUp: "\x1b[5~"}

// programSize is the window the program is told it has (benchBrowser's).
var programSize = tea.WindowSizeMsg{Width: 160, Height: 50}

// eachKeyProgram runs top (br itself, or a screen over it) in a tea.Program as RunDevices runs
// br, reading a pseudo-terminal, types b.N keys' bytes (key(i)) on it at pacedKeyInterval and
// times each to its drawn View. br stays in memory throughout.
func eachKeyProgram(b *testing.B, br *Browser, top tea.Model, key func(i int) tea.KeyMsg) {
	b.ReportAllocs()
	seq := make([][]byte, b.N)
	for i := range seq {
		s, ok := terminalBytes[key(i).Type]
		if !ok {
			b.Fatalf("no terminal bytes for %v", key(i))
		}
		seq[i] = []byte(s)
	}
	keysIn, tty := ptytest.Open(b)
	screen, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer screen.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	m := &timedKeys{app: common.NewApp(br.Common, top), key: key, stamps: make([]optime.Stamp, b.N),
		sized: make(chan struct{}), allDrawn: make(chan struct{})}
	// RunDevices' options, less the signal handler (a benchmark must not take the test binary's
	// SIGINT); the output is not a terminal, so no SIGWINCH (the size is sent by Init).
	p := tea.NewProgram(m, tea.WithAltScreen(), tea.WithContext(ctx), tea.WithInput(tty), tea.WithOutput(screen),
		tea.WithoutSignalHandler())
	ran := make(chan error, 1)
	go func() {
		_, err := p.Run()
		ran <- err
	}()
	select { // the window size, as bubbletea sends it on a terminal when it starts
	case <-m.sized:
	case err := <-ran:
		b.Fatalf("the program ended before it was sized: %v", err)
	}

	runtime.GC() // the setup's garbage is not the run's
	m.tm = optime.NewWallOnly(b.N)
	gcCPU0 := gcCPU()
	var writeErr error // the sender's; read after sender.wait
	b.ResetTimer()
	sender := sendPaced(b.N, func(i int, s optime.Stamp) {
		m.stamps[i] = s
		m.sent.Store(int64(i + 1)) // publishes the stamp (and m.tm) to the event loop
		if _, err := keysIn.Write(seq[i]); err != nil && writeErr == nil {
			writeErr = err
		}
	})
	forced := sender.wait()
	select {
	case <-m.allDrawn:
	case <-time.After(10 * time.Second):
	}
	b.StopTimer()
	gcCPU1 := gcCPU()
	p.Quit()
	err = <-ran
	if err != nil {
		b.Fatalf("the program: %v", err)
	}
	if writeErr != nil {
		b.Fatalf("writing the keys: %v", writeErr)
	}
	// Every key sent reached the model as itself, one message each, and was drawn; App handed
	// them to the browser (it was on top, the window large enough, no question showing).
	if m.keys != b.N || m.wrong != 0 || m.drawn != b.N {
		b.Fatalf("%d keys written, %d key messages reached the model (%d not the key written), %d drawn", b.N, m.keys, m.wrong, m.drawn)
	}
	if a := m.app.(*common.App); a.Top() != top || a.TooSmall() || a.Confirming() {
		b.Fatalf("the keys did not reach the browser: top %T, too small %v, confirming %v", a.Top(), a.TooSmall(), a.Confirming())
	}
	runtime.KeepAlive(br)
	sum := m.tm.Stop()
	reportPaced(b, sum, forced, gcCPU1-gcCPU0)
	if sum.Ops != b.N {
		b.Fatalf("%d keys timed of %d written", sum.Ops, b.N)
	}
}

// timedKeys is the program's model: common.App, as RunDevices gives bubbletea, with the key
// messages counted and each key's time ended when the View after the Update that handled it
// returns. Its hot path does not allocate.
type timedKeys struct {
	app    tea.Model
	key    func(i int) tea.KeyMsg // the key written i-th
	stamps []optime.Stamp         // the i-th key's, before its bytes were written
	sent   atomic.Int64           // the keys stamped so far
	tm     *optime.Timer          // set before the first key is sent

	keys, wrong, drawn int // key messages seen, those not the key written, keys timed to their View
	sized, allDrawn    chan struct{}
	sizedOnce          sync.Once // sized is closed at the first size message: others may follow
}

func (m *timedKeys) Init() tea.Cmd {
	return tea.Batch(m.app.Init(), func() tea.Msg { return programSize })
}

func (m *timedKeys) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		if m.keys >= int(m.sent.Load()) || msg.Type != m.key(m.keys).Type || msg.Alt || msg.Paste || len(msg.Runes) > 0 {
			m.wrong++
		}
		m.keys++
	case tea.WindowSizeMsg:
		defer m.sizedOnce.Do(func() { close(m.sized) })
	}
	var cmd tea.Cmd
	m.app, cmd = m.app.Update(msg)
	return m, cmd
}

func (m *timedKeys) View() string {
	v := m.app.View()
	if m.drawn < m.keys && m.keys <= len(m.stamps) {
		m.tm.End(m.stamps[m.keys-1])
		m.drawn = m.keys
		if m.drawn == len(m.stamps) {
			close(m.allDrawn)
		}
	}
	return v
}
