package sandboxtest

import (
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
)

// Gate is an http.RoundTripper that holds the requests whose path contains Hold until Open is
// called (or the request is canceled), and lets every other request through: a test can look at
// a collection while one source is still being read, with no timing involved. Requests still go
// over real HTTP to the sandbox.
type Gate struct {
	Hold string
	Next http.RoundTripper // default http.DefaultTransport

	once      sync.Once
	open      chan struct{}
	idle      atomic.Bool // NewIdleGate: requests pass until Arm
	mu        sync.Mutex
	held      int
	firstHeld chan struct{} // closed when the first request is held
}

// NewGate holds the requests whose path contains hold.
func NewGate(hold string) *Gate {
	return &Gate{Hold: hold, open: make(chan struct{}), firstHeld: make(chan struct{})}
}

// NewIdleGate is NewGate letting every request through until Arm: the collection a test starts
// from is not held, a later one (an export's) is.
func NewIdleGate(hold string) *Gate {
	g := NewGate(hold)
	g.idle.Store(true)
	return g
}

// Arm starts holding (NewIdleGate).
func (g *Gate) Arm() { g.idle.Store(false) }

// Holding is closed once a request has been held (the source is being read).
func (g *Gate) Holding() <-chan struct{} { return g.firstHeld }

// Open lets the held requests, and every later one, through.
func (g *Gate) Open() { g.once.Do(func() { close(g.open) }) }

// Held is how many requests have been held so far.
func (g *Gate) Held() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.held
}

func (g *Gate) RoundTrip(req *http.Request) (*http.Response, error) {
	if strings.Contains(req.URL.Path, g.Hold) && !g.idle.Load() {
		g.mu.Lock()
		g.held++
		if g.held == 1 {
			close(g.firstHeld)
		}
		g.mu.Unlock()
		select {
		case <-g.open:
		case <-req.Context().Done():
			return nil, req.Context().Err()
		}
	}
	next := g.Next
	if next == nil {
		next = http.DefaultTransport
	}
	return next.RoundTrip(req)
}
