package jumpcloud_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
)

// sandbox starts a jctest server for one test.
func sandbox(t testing.TB, opt jctest.Options) *jctest.Server {
	t.Helper()
	s := jctest.NewServer(opt)
	t.Cleanup(s.Close)
	return s
}

// newClient is a client of s with key, tuned so retries and timeouts do not slow the suite:
// backoff in milliseconds, Retry-After capped at 50ms. The per-request timeout is a generous 30s:
// no test here relies on it firing (the stall tests set their own), and at 2s a loaded CI machine
// (2 shared cores, -race) timed out healthy paging tests.
func newClient(t testing.TB, s *jctest.Server, key string, tune ...func(*jumpcloud.Config)) *jumpcloud.Client {
	t.Helper()
	cfg := jumpcloud.Config{
		BaseURL:        s.URL,
		APIKey:         key,
		Timeout:        30 * time.Second,
		RetryBaseDelay: 2 * time.Millisecond,
		MaxRetryDelay:  50 * time.Millisecond,
	}
	for _, f := range tune {
		f(&cfg)
	}
	c, err := jumpcloud.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

var sentinels = map[jumpcloud.Kind]error{
	jumpcloud.KindInvalidKey: jumpcloud.ErrInvalidKey, jumpcloud.KindForbidden: jumpcloud.ErrForbidden,
	jumpcloud.KindOrgRequired: jumpcloud.ErrOrgRequired, jumpcloud.KindOrgNotAllowed: jumpcloud.ErrOrgNotAllowed,
	jumpcloud.KindOrgNotFound: jumpcloud.ErrOrgNotFound, jumpcloud.KindNotFound: jumpcloud.ErrNotFound,
	jumpcloud.KindBadRequest: jumpcloud.ErrBadRequest, jumpcloud.KindRateLimited: jumpcloud.ErrRateLimited,
	jumpcloud.KindServer: jumpcloud.ErrServer, jumpcloud.KindTimeout: jumpcloud.ErrTimeout,
	jumpcloud.KindNetwork: jumpcloud.ErrNetwork, jumpcloud.KindNotJSON: jumpcloud.ErrNotJSON,
	jumpcloud.KindRedirect: jumpcloud.ErrRedirect, jumpcloud.KindTooLarge: jumpcloud.ErrTooLarge,
	jumpcloud.KindCanceled: jumpcloud.ErrCanceled,
}

// wantError asserts err is a *jumpcloud.Error of kind (through errors.Is and KindOf), that its
// message contains every phrase, and that no key of s appears in it or in any error it wraps.
func wantError(t testing.TB, s *jctest.Server, err error, kind jumpcloud.Kind, phrases ...string) *jumpcloud.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("no error; want %s", kind)
	}
	var e *jumpcloud.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %T %q is not a *jumpcloud.Error", err, err)
	}
	if jumpcloud.KindOf(err) != kind || !errors.Is(err, sentinels[kind]) {
		t.Fatalf("kind %s (%q); want %s", jumpcloud.KindOf(err), err, kind)
	}
	msg := err.Error()
	for _, p := range phrases {
		if !strings.Contains(msg, p) {
			t.Errorf("message %q does not say %q", msg, p)
		}
	}
	noKeyIn(t, s, err)
	return e
}

// noKeyIn fails when any key of s appears in err, any error it wraps, or its %+v form.
func noKeyIn(t testing.TB, s *jctest.Server, err error) {
	t.Helper()
	keys := []string{s.Keys.ReadOnly, s.Keys.Admin, s.Keys.Revoked, s.Keys.Expired, s.Keys.MultiTenant, s.Keys.OtherOrg}
	for e := err; e != nil; e = errors.Unwrap(e) {
		for _, text := range []string{e.Error(), fmt.Sprintf("%+v", e), fmt.Sprintf("%#v", e)} {
			for _, k := range keys {
				if k != "" && strings.Contains(text, k) {
					t.Fatalf("an API key appears in the error text %q", text)
				}
			}
		}
	}
}

// seenPaths lists the paths s saw, for failure messages.
func seenPaths(s *jctest.Server) []string {
	var out []string
	for _, r := range s.Seen() {
		out = append(out, r.Path)
	}
	return out
}
