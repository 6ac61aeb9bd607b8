package jctest

import (
	"context"
	"fmt"
	"io"
	"net"
	"strings"
)

// checkLoopback refuses any address that is not loopback: the sandbox serves well-known keys and
// fake data and must never be reachable from the network.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("sandbox address %q is not host:port (try 127.0.0.1:8080): %v", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("refusing to listen on %q: the sandbox serves fake data with published keys, so it only listens on loopback (use 127.0.0.1:PORT or [::1]:PORT)", addr)
	}
	return nil
}

// maxSandboxDevices bounds the command-line sandbox (the generator is tested up to here; tests
// calling NewServer directly may go further at their own cost).
const maxSandboxDevices = 100000

// maxSandboxUsers and maxSandboxPolicies bound the other sizes the same way.
const (
	maxSandboxUsers    = 200000
	maxSandboxPolicies = 500
)

func runSandbox(ctx context.Context, w io.Writer, addr string, opt Options) error {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	if opt.Devices > maxSandboxDevices {
		return fmt.Errorf("--devices %d is more than the sandbox generates (at most %d)", opt.Devices, maxSandboxDevices)
	}
	if opt.Users > maxSandboxUsers {
		return fmt.Errorf("--users %d is more than the sandbox generates (at most %d)", opt.Users, maxSandboxUsers)
	}
	if opt.Policies > maxSandboxPolicies {
		return fmt.Errorf("--policies %d is more than the sandbox generates (at most %d)", opt.Policies, maxSandboxPolicies)
	}
	if opt.RateLimitEvery < 0 {
		return fmt.Errorf("--rate-limit %d is negative (use 0 for none, or N to answer 429 to every Nth request)", opt.RateLimitEvery)
	}
	if opt.Latency < 0 {
		return fmt.Errorf("--latency %v is negative (use 0 for none, or e.g. 20ms)", opt.Latency)
	}
	s, err := Listen(addr, opt)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.printBanner(w); err != nil {
		return err
	}
	<-ctx.Done()
	// The figures a benchmark run needs, once more on the way out (also at GET /__stats).
	fmt.Fprintln(w, s.Stats())
	fmt.Fprintln(w, "sandbox stopped")
	return nil
}

func (s *Server) printBanner(w io.Writer) error {
	o := s.Org()
	orgs := s.Orgs()
	var b strings.Builder
	fmt.Fprintf(&b, "jcconnect sandbox: a fake JumpCloud API on %s (loopback only, seed %d)\n\n", s.URL, s.opt.Seed)
	fmt.Fprintf(&b, "Organisation %q (%s): %d devices, %d users, %d policies (%d results), %d SSO applications\n\n",
		o.Name, o.ID, o.Devices, o.Users, o.Policies, o.Statuses, o.Applications)
	fmt.Fprintf(&b, "Use it with:  --base-url %s   and one of these keys (sandbox keys, not secrets):\n\n", s.URL)
	rows := [][3]string{
		{"read-only", s.Keys.ReadOnly, "Read Only admin: the recommended setup; /api/users (admin list) answers 403"},
		{"admin", s.Keys.Admin, "Administrator: works, but is more privilege than evidence collection needs"},
		{"revoked", s.Keys.Revoked, "rotated away: every call answers 401"},
		{"expired", s.Keys.Expired, "past its expiry date: every call answers 401"},
		{"multi-tenant", s.Keys.MultiTenant, fmt.Sprintf("sees 3 organisations, needs --org-id (e.g. %s); 401 without it", orgs[0].ID)},
		{"other-org", s.Keys.OtherOrg, fmt.Sprintf("Read Only admin of another organisation (%q)", orgs[3].Name)},
	}
	for _, r := range rows {
		fmt.Fprintf(&b, "  %-13s %s\n                %s\n", r[0], r[1], r[2])
	}
	sa := s.ServiceAccounts
	fmt.Fprintf(&b, "\nService accounts (OAuth client credentials), used with:  --base-url %s --token-url %s\n\n", s.URL, s.TokenURL)
	for _, r := range []struct {
		c    ServiceAccountCredentials
		what string
	}{
		{sa.ReadOnly, "Read Only service account"},
		{sa.Admin, "Administrator service account: works, more privilege than evidence collection needs"},
		{sa.Expired, "its secret is past its lifetime: the token endpoint answers invalid_client (expired)"},
		{sa.Revoked, "its secret was deleted in the console: the token endpoint answers invalid_client"},
		{sa.MultiTenant, fmt.Sprintf("Read Only, sees 3 organisations, needs --org-id (e.g. %s)", orgs[0].ID)},
	} {
		fmt.Fprintf(&b, "  service-account  client_id=%s client_secret=%s  %s\n", r.c.ClientID, r.c.ClientSecret, r.what)
	}
	fmt.Fprintf(&b, "\nExamples:  JUMPCLOUD_API_KEY=%s jcconnect status --base-url %s\n", s.Keys.ReadOnly, s.URL)
	fmt.Fprintf(&b, "           JUMPCLOUD_CLIENT_ID=%s JUMPCLOUD_CLIENT_SECRET=%s jcconnect devices --base-url %s --token-url %s\n",
		sa.ReadOnly.ClientID, sa.ReadOnly.ClientSecret, s.URL, s.TokenURL)
	fmt.Fprintf(&b, "           echo SECRET | jcconnect setup --service-account --client-id %s --with-secret --base-url %s --token-url %s\n",
		sa.ReadOnly.ClientID, s.URL, s.TokenURL)
	limit := "no rate limit"
	if n := s.opt.RateLimitEvery; n > 0 {
		limit = fmt.Sprintf("429 to every %d. request (Retry-After %q)", n, s.opt.RetryAfter)
	}
	fmt.Fprintf(&b, "Latency %v per request, %s. Request counts: curl %s%s (printed again on exit).\n", s.latency(), limit, s.URL, StatsPath)
	b.WriteString("Press Ctrl+C to stop.\n")
	_, err := io.WriteString(w, b.String())
	return err
}
