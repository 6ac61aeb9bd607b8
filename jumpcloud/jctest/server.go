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
