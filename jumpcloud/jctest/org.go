package jctest

import "time"

// Org is a generated organisation. Counts are what the API serves for it.
type Org struct {
	ID, Name                                         string
	Devices, Users, Policies, Applications, Statuses int

	Admins        int            // GET /api/users totalCount (grows with AddKey)
	AuthnPolicies int            // GET /api/v2/authn/policies
	InsightRows   map[string]int // rows per System Insights table
	RootMounts    int            // mounts rows with path "/" (what filter=path:eq:/ returns)
	// Device facts as served, for comparing evidence with the truth.
	ByFamily                          map[string]int // darwin, windows, linux
	FDEActive, FDEInactive, FDEAbsent int            // JcSystem.fde active / inactive / absent
	Stale                             int            // lastContact more than 30 days before Now
	InsightsEnabled                   int            // systemInsights.state == "enabled"
	// User facts as served.
	MFAConfigured, MFAAbsent, Suspended, Locked, PasswordExpired int
	// Policy results by outcome.
	Success, Failed, Pending int
}

// Org returns the generated main organisation, for tests that compare collected evidence with
// what was served.
func (s *Server) Org() *Org { return s.summary(s.orgs[0]) }

// Orgs returns every organisation: the main one, the two more Keys.MultiTenant sees (the last of
// them has a null displayName and System Insights turned off), and Keys.OtherOrg's.
func (s *Server) Orgs() []*Org {
	var out []*Org
	for _, o := range s.orgs {
		out = append(out, s.summary(o))
	}
	return out
}

func (s *Server) summary(o *orgData) *Org {
	s.mu.RLock()
	admins := len(o.admins)
	s.mu.RUnlock()
	g := &Org{
		ID: o.id, Name: o.name,
		Devices: len(o.devices), Users: len(o.users), Policies: len(o.policies),
		Applications: len(o.apps), Statuses: o.results, Admins: admins, AuthnPolicies: len(o.authn),
		InsightRows: map[string]int{}, ByFamily: map[string]int{},
	}
	for t, refs := range o.insights {
		g.InsightRows[t] = len(refs)
	}
	staleBefore := s.now.Add(-30 * 24 * time.Hour)
	for i := range o.devices {
		d := &o.devices[i]
		g.ByFamily[familyNames[d.family]]++
		switch d.fde {
		case fdeActive:
			g.FDEActive++
		case fdeInactive:
			g.FDEInactive++
		default:
			g.FDEAbsent++
		}
		if d.lastContact.Before(staleBefore) {
			g.Stale++
		}
		if d.si == siEnabled {
			g.InsightsEnabled++
			if d.family == famDarwin || d.family == famLinux {
				g.RootMounts++
			}
		}
	}
	for i := range o.users {
		u := &o.users[i]
		switch u.mfa {
		case mfaConfigured:
			g.MFAConfigured++
		case mfaAbsent:
			g.MFAAbsent++
		}
		if u.state == userSuspended {
			g.Suspended++
		}
		if u.locked {
			g.Locked++
		}
		if u.passwordExpired {
			g.PasswordExpired++
		}
	}
	for _, p := range o.policies {
		for _, out := range p.outcomes {
			switch out {
			case outSuccess:
				g.Success++
			case outFailed:
				g.Failed++
			default:
				g.Pending++
			}
		}
	}
	return g
}
