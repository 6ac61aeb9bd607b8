package jctest

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestListenRefusesNonLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:8080", "example.com:80", "nonsense"} {
		if s, err := Listen(addr, Options{}); err == nil {
			s.Close()
			t.Errorf("Listen(%q) accepted", addr)
		} else if !strings.Contains(err.Error(), "127.0.0.1") {
			t.Errorf("Listen(%q): %v (should say what to use instead)", addr, err)
		}
	}
	s, err := Listen("[::1]:0", Options{Devices: 10})
	if err == nil { // IPv6 loopback may be unavailable in some sandboxes
		s.Close()
	}
}

// syncBuffer is a bytes.Buffer safe to read while RunSandbox writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func TestRunSandboxPrintsURLAndKeysAndStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	errc := make(chan error, 1)
	go func() { errc <- RunSandbox(ctx, &out, "127.0.0.1:0", Options{Devices: 20, Seed: 3}) }()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "Ctrl+C") && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	banner := out.String()
	ref := newServer(Options{Devices: 20, Seed: 3})
	for _, want := range []string{"http://127.0.0.1:", "read-only", "multi-tenant", "expired", "revoked", "other-org",
		ref.Keys.ReadOnly, ref.Keys.MultiTenant, "--base-url", "/oauth2/token",
		"service-account  client_id=" + ref.ServiceAccounts.ReadOnly.ClientID + " client_secret=" +
			ref.ServiceAccounts.ReadOnly.ClientSecret + "  Read Only service account"} {
		if !strings.Contains(banner, want) {
			t.Errorf("banner lacks %q:\n%s", want, banner)
		}
	}
	cancel()
	if err := <-errc; err != nil {
		t.Fatalf("RunSandbox: %v", err)
	}
	if err := RunSandbox(context.Background(), &out, "0.0.0.0:8080", Options{}); err == nil {
		t.Errorf("RunSandbox on 0.0.0.0 accepted")
	}
	if err := RunSandbox(context.Background(), &out, "127.0.0.1:0", Options{Devices: 100001}); err == nil || !strings.Contains(err.Error(), "100000") {
		t.Errorf("RunSandbox with 100001 devices: %v", err)
	}
}
