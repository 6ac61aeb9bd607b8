package jumpcloud

import "sync"

// A fleet repeats the same few values in every record: OS names and versions, agent versions,
// policy ids and states. encoding/json allocates a fresh copy for each record; records are made
// to point at one shared copy as they are decoded (share, unique.Make), which at 50,000 devices
// saves megabytes that would otherwise be live until the snapshot is dropped. Values are
// unchanged.

// shareRepeated shares the device fields a fleet repeats.
func (s *System) shareRepeated() {
	for _, f := range []*string{&s.OS, &s.OSFamily, &s.Version, &s.Arch, &s.AgentVersion, &s.DisplayManager} {
		*f = share(*f)
	}
	if s.OSVersionDetail != nil {
		s.OSVersionDetail = osDetails.get(*s.OSVersionDetail)
	}
	if s.SystemInsights != nil {
		s.SystemInsights = insightStates.get(*s.SystemInsights)
	}
	if s.PolicyStats != nil {
		s.PolicyStats = policyStats.get(*s.PolicyStats)
	}
	if s.FDE != nil {
		s.FDE = fdeStates.get(*s.FDE)
	}
	s.IsPolicyBound, s.DesktopCapable = sharedBool(s.IsPolicyBound), sharedBool(s.DesktopCapable)
}

var yes, no = true, false

// sharedBool is one of two shared pointers (nil stays nil: unknown).
func sharedBool(b *bool) *bool {
	switch {
	case b == nil:
		return nil
	case *b:
		return &yes
	}
	return &no
}

// shareRepeated shares a policy status's policy id and outcome words.
func (r *PolicyResult) shareRepeated() {
	r.PolicyID, r.State, r.Status = share(r.PolicyID), share(r.State), share(r.Status)
}

// maxSharedRecords bounds the tables of shared sub-records: a fleet has a few hundred OS
// versions; past that (a hostile or broken answer) records keep their own copies.
const maxSharedRecords = 4096

var (
	osDetails     sharedTable[OSVersionDetail]
	insightStates sharedTable[SystemInsightsState]
	policyStats   sharedTable[PolicyStats]
	fdeStates     sharedTable[FDE]
)

// sharedTable hands out one pointer per distinct value. Shared records are never written to:
// the snapshot is read-only once collected.
type sharedTable[T comparable] struct {
	mu sync.Mutex
	m  map[T]*T
}

func (t *sharedTable[T]) get(v T) *T {
	t.mu.Lock()
	defer t.mu.Unlock()
	if p, ok := t.m[v]; ok {
		return p
	}
	p := new(T) // not &v: v would then be moved to the heap on every call, found or not
	*p = v
	if len(t.m) < maxSharedRecords {
		if t.m == nil {
			t.m = map[T]*T{}
		}
		t.m[v] = p
	}
	return p
}
