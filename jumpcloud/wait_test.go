package jumpcloud_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
)

// A long but acceptable Retry-After is honoured in full and told to OnWait once, so a command
// can show it instead of going silent; short waits are not told.
func TestALongWaitIsToldToOnWait(t *testing.T) {
	s := sandbox(t, jctest.Options{Devices: 10, Seed: 81})
	s.Inject(jctest.Fault{PathPrefix: "/api/systems", Kind: jctest.FaultRateLimit, RetryAfter: "1", Times: 1})
	s.Inject(jctest.Fault{PathPrefix: "/api/systemusers", Kind: jctest.FaultRateLimit, RetryAfter: "0", Times: 1})
	var mu sync.Mutex
	var waits []jumpcloud.Wait
	c := newClient(t, s, s.Keys.ReadOnly, func(cfg *jumpcloud.Config) { cfg.MaxRetryDelay = 2 * time.Second }).
		WithNotice(func(w jumpcloud.Wait) { mu.Lock(); waits = append(waits, w); mu.Unlock() })
	start := time.Now()
	if _, err := c.Systems(context.Background(), jumpcloud.ListOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.SystemUsers(context.Background(), jumpcloud.ListOptions{}); err != nil {
		t.Fatal(err)
	}
	if time.Since(start) < time.Second {
		t.Fatal("the Retry-After of 1s was not waited out")
	}
	if len(waits) != 1 || waits[0].Source != "devices" || waits[0].Reason != "JumpCloud asked to slow down (429)" ||
		waits[0].Until.Before(start.Add(time.Second)) {
		t.Fatalf("waits told: %+v; want one, for devices, ending a second after the start", waits)
	}
}
