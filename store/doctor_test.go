package store

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestDoctorWithMemoryKeyring(t *testing.T) {
	mem := newMemory()
	mem.Set(Service, "work", testKeyOld)
	checks := Diagnose(context.Background(), mem)
	if len(checks) != 2 || checks[0].Name != "keyring" || checks[1].Name != "round trip" {
		t.Fatalf("checks = %+v", checks)
	}
	for _, c := range checks {
		if !c.OK || c.Err != nil || c.Fix != "" || c.Detail == "" {
			t.Errorf("check %+v", c)
		}
	}
	if mem.Has(ProbeService, probeUser) {
		t.Error("the probe item was left behind")
	}
	if got, _ := mem.Peek(Service, "work"); got != testKeyOld {
		t.Error("the probe touched a real key")
	}
}

func TestDoctorRoundTripFailures(t *testing.T) {
	cases := []struct {
		name   string
		inject func(mem *Memory)
		want   error
	}{
		{"set", func(mem *Memory) { mem.FailNth(OpSet, 1, ErrKeyringLocked) }, ErrKeyringLocked},
		{"get", func(mem *Memory) { mem.FailNth(OpGet, 1, ErrKeyringTimeout) }, ErrKeyringTimeout},
		{"altered", func(mem *Memory) { mem.Mangle(func(s string) string { return s + "x" }) }, ErrReadBackMismatch},
		{"delete", func(mem *Memory) { mem.FailNth(OpDelete, 1, errors.New("something odd")) }, ErrKeyringFailed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mem := newMemory()
			c.inject(mem)
			checks := Diagnose(context.Background(), WithDeadlines(mem, DefaultDeadlines()))
			rt := checks[len(checks)-1]
			if rt.Name != "round trip" || rt.OK {
				t.Fatalf("round trip = %+v", rt)
			}
			assertKind(t, rt.Err, c.want)
			if rt.Fix != Fix(c.want) || !strings.Contains(rt.Err.Error(), ProbeService) && !strings.Contains(rt.Err.Error(), probeUser) {
				t.Errorf("round trip = %+v", rt)
			}
		})
	}
}
