package jumpcloud_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
)

// headerRecorder keeps the headers of every request it forwards.
type headerRecorder struct {
	mu   sync.Mutex
	seen []http.Header
	next http.RoundTripper
}

func (h *headerRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	h.mu.Lock()
	h.seen = append(h.seen, r.Header.Clone())
	h.mu.Unlock()
	return h.next.RoundTrip(r)
}

// Ping proves the host answers without sending the key: the sandbox, like JumpCloud, answers 401
// to a request without one, and that answer is a success for Ping.
func TestPingSendsNoKeyAndAcceptsAnyAnswer(t *testing.T) {
	s := sandbox(t, jctest.Options{Devices: 5, Seed: 31})
	rec := &headerRecorder{next: http.DefaultTransport}
	c := newClient(t, s, s.Keys.ReadOnly, func(cfg *jumpcloud.Config) { cfg.Transport = rec; cfg.OrgID = "5f0050f50000000000000001" })
	status, err := c.Ping(context.Background())
	if err != nil || status != http.StatusUnauthorized {
		t.Fatalf("Ping = %d, %v; want 401 and no error", status, err)
	}
	if len(rec.seen) != 1 {
		t.Fatalf("%d requests; want exactly one (no retry)", len(rec.seen))
	}
	h := rec.seen[0]
	if h.Get("x-api-key") != "" || h.Get("x-org-id") != "" {
		t.Errorf("Ping sent a credential: %v", h)
	}
	if !strings.HasPrefix(h.Get("User-Agent"), "jcconnect") {
		t.Errorf("User-Agent %q", h.Get("User-Agent"))
	}
}

// No answer at all is an error with a kind, so the doctor can say what to fix.
func TestPingUnreachableIsANetworkError(t *testing.T) {
	s := sandbox(t, jctest.Options{Devices: 5, Seed: 31})
	c := newClient(t, s, s.Keys.ReadOnly)
	s.Close()
	_, err := c.Ping(context.Background())
	if k := jumpcloud.KindOf(err); k != jumpcloud.KindNetwork {
		t.Fatalf("Ping on a closed server: %v (kind %s); want a network error", err, k)
	}
}
