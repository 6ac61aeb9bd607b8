// Package jctest is a JumpCloud-compatible API server for tests, benchmarks and the built-in
// demo, like net/http/httptest: in-process, real HTTP on loopback, seeded synthetic
// organisations, keys with roles, service accounts with their OAuth token endpoint
// (serviceaccounts.go, token.go), fault injection and request counters.
//
// What it serves follows ../shared/jumpcloud-api.md (the "reference"): the same paths, list
// shapes, page limits, headers and error bodies. Where the reference says UNCONFIRMED, jctest
// picks one behaviour and says so in a comment (grep UNCONFIRMED).
package jctest

import (
	"context"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// Options sizes the generated organisation.
type Options struct {
	Devices      int   // default 50
	Users        int   // default Devices/5+10
	Policies     int   // default 8
	Applications int   // default 6
	Seed         int64 // same seed, same organisation
	Latency      time.Duration
	// RateLimitEvery answers 429 to every RateLimitEvery-th request from the start (a storm
	// without end, SetRateLimitStorm), with Retry-After: RetryAfter when it is not "". 0: none.
	RateLimitEvery int
	RetryAfter     string

	// Now is the moment the organisation is generated around (lastContact, key expiry, ...);
	// default time.Now() at start. Fix it for byte-identical output across runs.
	Now time.Time
	// HostileNames puts terminal escape sequences into a few device and user names, to test
	// that they are stripped before drawing.
	HostileNames bool
	// NoTotalCount leaves out the x-total-count header on v2 lists (its presence on /policies* is
	// UNCONFIRMED), so clients can be tested paging until a short page.
	NoTotalCount bool
	// Scenario reshapes the main organisation's devices for one case (ScenarioFileVaultOff,
	// ScenarioAllEncrypted); "" is the ordinary mixed fleet.
	Scenario string
}

// Keys are the server's API keys, each demonstrating one case.
type Keys struct {
	ReadOnly    string // Read Only admin of the main org
	Admin       string // full Administrator of the main org
	Revoked     string // was valid, has been rotated away (401)
	Expired     string // past its expiry (401)
	MultiTenant string // sees three organisations and needs x-org-id
	OtherOrg    string // Read Only admin of a different organisation
}

// Server is a running sandbox.
type Server struct {
	URL  string
	Keys Keys

	// TokenURL is the service accounts' token endpoint (URL + TokenPath).
	TokenURL        string
	ServiceAccounts ServiceAccounts

	opt        Options
	now        time.Time    // Options.Now
	startedAt  time.Time    // wall clock at start: the server's clock is now + time since start
	offset     atomic.Int64 // Advance: added to the server's clock
	orgs       []*orgData
	providerID string
	totalCount bool

	ln      net.Listener
	httpSrv *http.Server
	done    chan struct{}
	closing sync.Once

	mu        sync.RWMutex // keys, admins
	keys      map[string]*apiKey
	keyRand   *rand.Rand
	adminSeq  int
	addedKeys int
	rotations int
	started   bool

	serviceAccounts map[string]*serviceAccount // by client id
	tokens          map[string]*bearer
	secretLabels    map[string]string // every client secret ever issued -> its account's label
	saRand          *rand.Rand
	saSeq           int
	secretSeq       int
	tokenTTL        time.Duration
	omitExpiresIn   bool
	tokensIssued    atomic.Int64

	faultMu    sync.Mutex
	faults     []*activeFault
	faultSeq   int
	limiter    *rate.Limiter
	retryAfter string
	storm      atomic.Pointer[storm] // SetRateLimitStorm
	latencyNS  atomic.Int64

	pages pageCache // static routes' answers, rendered once (pagecache.go)

	countMu     sync.Mutex
	counts      map[string]int
	seen        []SeenRequest
	inFlight    atomic.Int64
	maxInFlight atomic.Int64
	sent429     atomic.Int64 // 429s answered since ResetCounts
	busyNS      atomic.Int64 // the requests' time in the server added up: in flight × time
	lastDoneNS  atomic.Int64 // when the last request ended (Unix ns)
}

// Sizes of the organisations other than the main one: the two more a multi-tenant key sees, and
// the unrelated org of Keys.OtherOrg.
var sideOrgSizes = []orgSize{
	{devices: 12, users: 9, policies: 4, apps: 3},
	{devices: 25, users: 14, policies: 6, apps: 2},
	{devices: 15, users: 11, policies: 4, apps: 3},
}

func (opt Options) withDefaults() Options {
	if opt.Devices <= 0 {
		opt.Devices = 50
	}
	if opt.Users <= 0 {
		opt.Users = opt.Devices/5 + 10
	}
	if opt.Policies <= 0 {
		opt.Policies = 8
	}
	if opt.Applications <= 0 {
		opt.Applications = 6
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	opt.Now = opt.Now.UTC().Truncate(time.Millisecond)
	return opt
}

// newServer generates the organisations and keys without listening.
func newServer(opt Options) *Server {
	opt = opt.withDefaults()
	s := &Server{
		opt:        opt,
		now:        opt.Now,
		startedAt:  time.Now(),
		totalCount: !opt.NoTotalCount,
		done:       make(chan struct{}),
		keys:       map[string]*apiKey{},
		keyRand:    rng(opt.Seed, 0xff, 9),
		saRand:     rng(opt.Seed, 0xff, 10),

		serviceAccounts: map[string]*serviceAccount{},
		tokens:          map[string]*bearer{},
		secretLabels:    map[string]string{},
		counts:          map[string]int{},
	}
	main := orgSize{opt.Devices, opt.Users, opt.Policies, opt.Applications}
	s.orgs = append(s.orgs, generateOrg(0, orgNames[0], orgDomains[0], opt.Seed, s.now, main, opt.HostileNames))
	if opt.Scenario != "" {
		s.orgs[0].applyScenario(opt.Scenario)
		s.orgs[0].indexInsights(opt.Seed) // the scenario may have turned System Insights on
	}
	for i, sz := range sideOrgSizes {
		s.orgs = append(s.orgs, generateOrg(i+1, orgNames[i+1], orgDomains[i+1], opt.Seed, s.now, sz, false))
	}
	// The multi-tenant admin's provider manages orgs 0-2; org 2 has System Insights turned off
	// (its System Insights routes answer 404, the devices report no data).
	s.providerID = objectID(kindProvider, 0, s.orgs[0].salt, 1)
	for _, o := range s.orgs[:3] {
		o.provider = s.providerID
	}
	s.orgs[2].systemInsights = false
	for k := range s.orgs[2].insights {
		s.orgs[2].insights[k] = nil
	}
	s.setupKeys()
	s.setupServiceAccounts()
	s.lockState()
	s.started = true
	s.mu.Unlock()
	s.latencyNS.Store(int64(opt.Latency))
	if opt.RateLimitEvery > 0 {
		s.SetRateLimitStorm(opt.RateLimitEvery, math.MaxInt, opt.RetryAfter)
	}
	return s
}

// clock is the server's current time: Options.Now plus the time since start.
func (s *Server) clock() time.Time {
	return s.now.Add(time.Since(s.startedAt) + time.Duration(s.offset.Load()))
}

// NewServer starts a server on 127.0.0.1 with a random port. Close it when done. It panics if
// it cannot listen, like httptest.NewServer.
func NewServer(opt Options) *Server {
	s, err := Listen("127.0.0.1:0", opt)
	if err != nil {
		panic("jctest: " + err.Error())
	}
	return s
}

// Listen starts a server on addr, which must be a loopback address.
func Listen(addr string, opt Options) (*Server, error) {
	if err := checkLoopback(addr); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := newServer(opt)
	s.ln = ln
	s.URL = "http://" + ln.Addr().String()
	s.TokenURL = s.URL + TokenPath
	s.httpSrv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	// Serve returns http.ErrServerClosed at Close; any other failure shows as requests failing.
	go func() { _ = s.httpSrv.Serve(ln) }()
	return s, nil
}

// Close stops the server, cutting any stalled or slow responses.
func (s *Server) Close() {
	s.closing.Do(func() {
		close(s.done)
		if s.httpSrv != nil {
			_ = s.httpSrv.Close() // like httptest.Server.Close: nothing to report to

		}
	})
}

// RunSandbox is `jcconnect sandbox`: serve until ctx ends, after printing the base URL and the
// keys (which key has which role) to w.
func RunSandbox(ctx context.Context, w io.Writer, addr string, opt Options) error {
	return runSandbox(ctx, w, addr, opt)
}

// FaultKind is what an injected fault does to a matching request.
type FaultKind int

const (
	FaultStatus    FaultKind = iota // answer Status with a JSON error body
	FaultRateLimit                  // 429, with Retry-After when RetryAfter != ""
	FaultReset                      // close the connection without answering
	FaultStall                      // send headers, then nothing until the client gives up
	FaultTruncated                  // a 200 whose JSON body is cut in the middle
	FaultHTML                       // a 200 (or Status) with an HTML page (captive portal, Cloudflare)
	FaultGarbage                    // a 200 with a non-JSON body
	FaultRedirect                   // 302 to another host
	FaultOversize                   // a 200 with a body larger than any sane cap
	FaultLatency                    // wait Delay, then answer normally
)

// Fault is injected with Server.Inject.
type Fault struct {
	PathPrefix string // "/api/systems"; "" matches every path
	Kind       FaultKind
	Status     int           // for FaultStatus and FaultHTML
	RetryAfter string        // header value for FaultRateLimit, e.g. "1"
	Delay      time.Duration // for FaultLatency
	Times      int           // 0: every matching request; n: only the next n
	Bytes      int64         // body size for FaultOversize; 0: 96 MiB
	Items      int           // for FaultPageCap (items per page) and FaultTotalInflated (extra)
}

// SeenRequest is one request the server received.
type SeenRequest struct {
	Method   string
	Path     string
	Query    map[string][]string
	KeyLabel string // which key or service account was used ("read-only", "sa-evidence-collector", ...), "" for none/unknown
	OrgID    string // the x-org-id header, "" when absent
	Header   map[string][]string
	// Form is the form body of a token request (TokenPath), nil otherwise. Like every other
	// field it never holds a secret: credentials anywhere are replaced by labels.
	Form map[string][]string
}
