package evidence

import (
	"context"
	"fmt"
	"path"
	"sort"
	"strings"

	"jcconnect/jumpcloud"
)

// Servers: devices the admin marks as servers (a bastion, a database, a build host) have no one
// at a screen, so the screen-lock check does not apply to them. They are marked by JumpCloud
// device group, by hostname pattern or by OS family (--servers group:NAME,host:PATTERN,os:linux,
// or the profile's setting). Only the screen lock changes: a server still needs its disk
// encrypted, its OS supported and so on.
//
// A device group that could not be read (or does not exist) is a gap of its own source, "device
// group NAME", and its would-be members are not decided: their screen lock is unknown with the
// reason. Absent data is not evidence, so an unread group never means "not a server".

// ServerRules say which devices are servers. Saved with a profile; recorded in the snapshot so a
// bundle shows which rules were applied.
type ServerRules struct {
	Groups []string `json:"groups,omitempty"` // JumpCloud device group names
	Hosts  []string `json:"hosts,omitempty"`  // glob patterns (path.Match) on hostname or display name, case-insensitive
	OS     []string `json:"os,omitempty"`     // OS families: linux, windows, darwin
}

// ParseServerRules reads "group:NAME", "host:PATTERN" and "os:FAMILY" items.
func ParseServerRules(items []string) (ServerRules, error) {
	var r ServerRules
	for _, it := range items {
		it = strings.TrimSpace(it)
		if it == "" {
			continue
		}
		kind, val, ok := strings.Cut(it, ":")
		val = strings.TrimSpace(val)
		if !ok || val == "" {
			return r, fmt.Errorf("%q: write group:NAME, host:PATTERN or os:FAMILY (e.g. os:linux)", it)
		}
		switch strings.ToLower(strings.TrimSpace(kind)) {
		case "group":
			r.Groups = append(r.Groups, val)
		case "host":
			if _, err := path.Match(strings.ToLower(val), ""); err != nil {
				return r, fmt.Errorf("%q: the host pattern is not valid (use * and ?, e.g. host:db-*)", it)
			}
			r.Hosts = append(r.Hosts, val)
		case "os":
			fam := strings.ToLower(val)
			switch fam {
			case jumpcloud.FamilyLinux, jumpcloud.FamilyWindows, jumpcloud.FamilyDarwin:
			default:
				return r, fmt.Errorf("%q: the OS family must be linux, windows or darwin", it)
			}
			r.OS = append(r.OS, fam)
		default:
			return r, fmt.Errorf("%q: unknown kind %q: write group:NAME, host:PATTERN or os:FAMILY", it, kind)
		}
	}
	return r, nil
}

// Empty reports whether no device is marked as a server.
func (r ServerRules) Empty() bool { return len(r.Groups)+len(r.Hosts)+len(r.OS) == 0 }

// Items are the rules as ParseServerRules reads them (for the profile and for messages).
func (r ServerRules) Items() []string {
	var out []string
	for _, g := range r.Groups {
		out = append(out, "group:"+g)
	}
	for _, h := range r.Hosts {
		out = append(out, "host:"+h)
	}
	for _, o := range r.OS {
		out = append(out, "os:"+o)
	}
	return out
}

// DeviceGroupSource is the source name of one device group in a snapshot's sources.
func DeviceGroupSource(name string) string { return string(jumpcloud.SourceDeviceGroups) + ": " + name }

// serverGroups reads the members of every device group the rules name: the group list once,
// then each named group's membership. Each named group is its own source; a missing group is a
// failed source too (a misspelt name must not mark nothing quietly).
func (c *collector) serverGroups(ctx context.Context) {
	names := c.opt.Servers.Groups
	// The group list itself reports no progress: it is not a source of its own (each named group
	// is), and a progress event without its Done would hold a bar below 100%.
	groups, err := c.client.SystemGroups(ctx, jumpcloud.ListOptions{Source: string(jumpcloud.SourceDeviceGroups)})
	if err != nil {
		for _, n := range names {
			c.finish(DeviceGroupSource(n), 0, err, false)
		}
		return
	}
	for _, n := range names {
		src := DeviceGroupSource(n)
		id := ""
		for _, g := range groups {
			if g.Name == n || (id == "" && strings.EqualFold(g.Name, n)) {
				id = g.ID
			}
		}
		if id == "" {
			c.mu.Lock()
			c.snap.Sources = append(c.snap.Sources, SourceStatus{Source: src, State: StateFailed,
				Reason: fmt.Sprintf("JumpCloud has no device group named %q (%d groups read)", n, len(groups))})
			c.mu.Unlock()
			continue
		}
		members, err := c.client.SystemGroupMembership(ctx, id, c.list(src))
		if err == nil {
			ids := make([]string, 0, len(members))
			for _, m := range members {
				ids = append(ids, m.ID)
			}
			sort.Strings(ids)
			c.mu.Lock()
			if c.snap.ServerGroups == nil {
				c.snap.ServerGroups = map[string][]string{}
			}
			c.snap.ServerGroups[n] = ids
			c.mu.Unlock()
		}
		c.finish(src, len(members), err, false)
	}
}

// serverMark says whether a device is a server by the snapshot's rules: the reason when it is;
// unknown with the reason when a group it may belong to could not be read and no other rule
// marks it; "" when it is not a server.
func serverMark(s *Snapshot, d *jumpcloud.Device) (reason string, unknown bool) {
	if s.ServerRules == nil || s.ServerRules.Empty() {
		return "", false
	}
	r := *s.ServerRules
	fam := d.Family()
	for _, o := range r.OS {
		if fam == o {
			return "marked as a server (os:" + o + "): no one works at its screen", false
		}
	}
	for _, h := range r.Hosts {
		pat := strings.ToLower(h)
		for _, name := range []string{d.Hostname, d.DisplayName} {
			if ok, _ := path.Match(pat, strings.ToLower(name)); ok && name != "" {
				return "marked as a server (host:" + h + "): no one works at its screen", false
			}
		}
	}
	var unread []string
	for _, g := range r.Groups {
		if st := s.Status(DeviceGroupSource(g)); st.State != StateOK {
			unread = append(unread, DeviceGroupSource(g)+" "+st.Describe())
			continue
		}
		for _, id := range s.ServerGroups[g] {
			if id == d.ID {
				return "marked as a server (member of device group " + g + "): no one works at its screen", false
			}
		}
	}
	if len(unread) > 0 {
		return "whether this is a server is unknown: " + strings.Join(unread, "; "), true
	}
	return "", false
}
