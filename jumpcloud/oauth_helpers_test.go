package jumpcloud_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
)

// fakeClock is the clock token lifetimes are measured on in tests: it moves only when told, so
// the refresh path is exercised without sleeping on wall time.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// wire records every request the client puts on the wire, unscrubbed, so tests can check where
// the secret and the tokens went.
type wire struct {
	mu   sync.Mutex
	reqs []wireRequest
}

type wireRequest struct {
	Method, Host, Path, RawQuery string
	Header                       http.Header
	Body                         string
}

func (w *wire) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	w.mu.Lock()
	w.reqs = append(w.reqs, wireRequest{Method: req.Method, Host: req.URL.Host, Path: req.URL.Path,
		RawQuery: req.URL.RawQuery, Header: req.Header.Clone(), Body: string(body)})
	w.mu.Unlock()
	return http.DefaultTransport.RoundTrip(req)
}

func (w *wire) requests() []wireRequest {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]wireRequest(nil), w.reqs...)
}

// tokens are the bearer tokens the client sent.
func (w *wire) tokens() []string {
	var out []string
	for _, r := range w.requests() {
		if t, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			out = append(out, t)
		}
	}
	return out
}

// saClient is a service-account client of s with a fake clock and a recorded wire, tuned like
// newClient (fast retries, a 2 s per-request timeout).
func saClient(t testing.TB, s *jctest.Server, cr jctest.ServiceAccountCredentials, clock *fakeClock,
	tune ...func(*jumpcloud.Config)) (*jumpcloud.Client, *wire) {
	t.Helper()
	w := &wire{}
	cfg := jumpcloud.Config{
		BaseURL: s.URL, TokenURL: s.TokenURL, ClientID: cr.ClientID, ClientSecret: cr.ClientSecret,
		Clock: clock.Now, Transport: w, Timeout: 2 * time.Second,
		RetryBaseDelay: 2 * time.Millisecond, MaxRetryDelay: 50 * time.Millisecond,
	}
	for _, f := range tune {
		f(&cfg)
	}
	c, err := jumpcloud.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c, w
}

// allSecrets are every client secret of s's service accounts.
func allSecrets(s *jctest.Server) []string {
	sa := s.ServiceAccounts
	return []string{sa.ReadOnly.ClientSecret, sa.Admin.ClientSecret, sa.Expired.ClientSecret,
		sa.Revoked.ClientSecret, sa.MultiTenant.ClientSecret}
}

// noSecretIn fails when any of secrets appears in err, any error it wraps, or their %+v/%#v.
func noSecretIn(t testing.TB, err error, secrets ...string) {
	t.Helper()
	for e := err; e != nil; e = errors.Unwrap(e) {
		for _, text := range []string{e.Error(), fmt.Sprintf("%+v", e), fmt.Sprintf("%#v", e)} {
			for _, sec := range secrets {
				if sec != "" && strings.Contains(text, sec) {
					t.Fatalf("a secret or token appears in the error text %q", text)
				}
			}
		}
	}
}

// wantKind asserts err is a *jumpcloud.Error of kind, matched by errors.Is on its sentinel.
func wantKind(t testing.TB, err error, kind jumpcloud.Kind, sentinel error, phrases ...string) *jumpcloud.Error {
	t.Helper()
	var e *jumpcloud.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %T %v is not a *jumpcloud.Error (want %s)", err, err, kind)
	}
	if e.Kind != kind || !errors.Is(err, sentinel) {
		t.Fatalf("kind %s (%v); want %s", e.Kind, err, kind)
	}
	for _, p := range phrases {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("message %q does not say %q", err, p)
		}
	}
	if e.Kind.Fix() == "" || e.Summary() == "" {
		t.Errorf("%s has no summary or fix", kind)
	}
	return e
}

// concurrently runs f(0..n-1) in n goroutines released at once and returns the first error.
func concurrently(n int, f func(i int) error) error {
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs <- f(i)
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
