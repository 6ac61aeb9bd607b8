package jctest

import (
	"fmt"
	"net/http"
)

// Device groups ("system groups" in the v2 API). The generated organisations have none; a test
// adds them with AddSystemGroup. Served as the v2 spec describes them:
//   - GET /api/v2/systemgroups: a bare array of {id, name, type}, x-total-count;
//   - GET /api/v2/systemgroups/{id}/membership: the member devices as GraphObjectWithPaths
//     {id, type: "system", paths}, x-total-count; 404 for an unknown group.

// systemGroup is one device group of an organisation; members are device indexes.
type systemGroup struct {
	id, name string
	members  []int
}

// AddSystemGroup adds a device group named name to the main organisation, with the devices of
// the given ids as members, and returns the group's id. It panics on an unknown device id.
func (s *Server) AddSystemGroup(name string, systemIDs ...string) string {
	s.lockState()
	defer s.mu.Unlock()
	o := s.orgs[0]
	g := systemGroup{id: objectID(kindSystemGroup, o.idx, o.salt, len(o.systemGroups)+1), name: name}
	for _, id := range systemIDs {
		found := false
		for i := range o.devices {
			if o.systemID(i) == id {
				g.members, found = append(g.members, i), true
			}
		}
		if !found {
			panic(fmt.Sprintf("jctest: AddSystemGroup: unknown device id %q", id))
		}
	}
	o.systemGroups = append(o.systemGroups, g)
	return g.id
}

func (s *Server) handleSystemGroups(w http.ResponseWriter, r *http.Request, c caller, _ []string) {
	p, ok := parsePage(w, r.URL.Query(), maxLimit)
	if !ok || !noFilter(w, r) {
		return
	}
	s.mu.RLock()
	groups := append([]systemGroup(nil), c.org.systemGroups...)
	s.mu.RUnlock()
	writeV2(w, len(groups), p.render(len(groups), func(i int) any {
		return map[string]any{"id": groups[i].id, "name": groups[i].name, "type": "system_group"}
	}), s.totalCount)
}

func (s *Server) handleSystemGroupMembership(w http.ResponseWriter, r *http.Request, c caller, args []string) {
	s.mu.RLock()
	var g *systemGroup
	for i := range c.org.systemGroups {
		if c.org.systemGroups[i].id == args[0] {
			g = &c.org.systemGroups[i]
		}
	}
	var members []int
	if g != nil {
		members = append(members, g.members...)
	}
	s.mu.RUnlock()
	if g == nil {
		writeError(w, http.StatusNotFound, "Not Found: system group not found", errNotFound)
		return
	}
	p, ok := parsePage(w, r.URL.Query(), maxLimit)
	if !ok || !noFilter(w, r) {
		return
	}
	writeV2(w, len(members), p.render(len(members), func(i int) any {
		id := c.org.systemID(members[i])
		return map[string]any{"id": id, "type": "system",
			"paths": [][]map[string]any{{{"to": map[string]any{"id": id, "type": "system"}}}}}
	}), s.totalCount)
}
