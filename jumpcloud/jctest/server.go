// Package jctest is a JumpCloud-compatible API server for tests, benchmarks and the built-in
// demo, like net/http/httptest: in-process, real HTTP on loopback, seeded synthetic
// organisations, keys with roles, fault injection and request counters.
package jctest

import (
	"context"
	"io"
	"time"
)

// CONTRACT STUBS: replaced by the real implementation; the signatures are the contract.

// Options sizes the generated organisation.
type Options struct {
	Devices      int   // default 50
	Users        int   // default Devices/5+10
	Policies     int   // default 8
	Applications int   // default 6
	Seed         int64 // same seed, same organisation
	Latency      time.Duration
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
}

// NewServer starts a server on 127.0.0.1 with a random port. Close it when done.
func NewServer(opt Options) *Server { panic("not implemented") }

// Listen starts a server on addr, which must be a loopback address.
func Listen(addr string, opt Options) (*Server, error) { panic("not implemented") }

func (s *Server) Close() { panic("not implemented") }

// RunSandbox is `jcconnect sandbox`: serve until ctx ends, after printing the base URL and the
// keys (which key has which role) to w.
func RunSandbox(ctx context.Context, w io.Writer, addr string, opt Options) error {
	panic("not implemented")
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
}

// Inject adds a fault; the returned func removes it.
func (s *Server) Inject(f Fault) (remove func()) { panic("not implemented") }

// SetLatency delays every response by d (benchmarks use 20ms).
func (s *Server) SetLatency(d time.Duration) { panic("not implemented") }

// SetRateLimit answers 429 (with Retry-After when retryAfter != "") past perSecond requests per
// second; 0 turns it off.
func (s *Server) SetRateLimit(perSecond float64, retryAfter string) { panic("not implemented") }

// Requests counts requests whose path starts with prefix ("" = all) since the last ResetCounts.
func (s *Server) Requests(prefix string) int { panic("not implemented") }

// MaxInFlight is the most requests the server saw in flight at once since the last ResetCounts.
func (s *Server) MaxInFlight() int { panic("not implemented") }

func (s *Server) ResetCounts() { panic("not implemented") }

// Seen returns the requests received (method, path, query, headers with x-api-key replaced by
// the key's label), for tests that assert on headers and parameters.
func (s *Server) Seen() []SeenRequest { panic("not implemented") }

// SeenRequest is one request the server received.
type SeenRequest struct {
	Method   string
	Path     string
	Query    map[string][]string
	KeyLabel string // which of Keys was used ("read-only", "admin", ...), "" for none/unknown
	OrgID    string // the x-org-id header, "" when absent
	Header   map[string][]string
}

// RotateKey does what "Generate New API Key" does in the console: issues a new key for the same
// admin and revokes oldKey at once.
func (s *Server) RotateKey(oldKey string) (newKey string) { panic("not implemented") }

// RevokeKey makes a key answer 401 from now on.
func (s *Server) RevokeKey(key string) { panic("not implemented") }

// Org returns the generated main organisation, for tests that compare collected evidence with
// what was served.
func (s *Server) Org() *Org { panic("not implemented") }

// Org is a generated organisation. Counts are what the API serves for it.
type Org struct {
	ID, Name                                         string
	Devices, Users, Policies, Applications, Statuses int
}
