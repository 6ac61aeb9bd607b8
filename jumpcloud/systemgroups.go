package jumpcloud

import (
	"context"
	"net/url"
)

// Device groups (v2 "system groups"), read to tell which devices an admin marked as servers.
// Paths and shapes from the v2 spec (../shared/jumpcloud-openapi/v2.json):
//   - GET /api/v2/systemgroups (SystemGroup_List): bare array of SystemGroup{id, name, ...};
//     filter, limit, skip, sort.
//   - GET /api/v2/systemgroups/{group_id}/membership (SystemGroupMembership_Get): "all Systems
//     that are a member of this System Group", a bare array of GraphObjectWithPaths{id, type,
//     paths}. /members lists direct associations only (GraphConnection), so membership is used.

// SystemGroup is a device group.
type SystemGroup struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// GraphObject is one member of a graph traversal (a device, for a device group's membership).
type GraphObject struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

// SourceDeviceGroups names the device groups in errors and progress.
const SourceDeviceGroups Source = "device groups"

// SystemGroups lists the organisation's device groups.
func (c *Client) SystemGroups(ctx context.Context, opt ListOptions) ([]SystemGroup, error) {
	return listAll[SystemGroup](ctx, c, listSpec{path: "/api/v2/systemgroups", source: string(SourceDeviceGroups),
		pageSize: MaxPageSize}, opt)
}

// SystemGroupMembership lists the devices that are members of one device group.
func (c *Client) SystemGroupMembership(ctx context.Context, groupID string, opt ListOptions) ([]GraphObject, error) {
	return listAll[GraphObject](ctx, c, listSpec{path: "/api/v2/systemgroups/" + url.PathEscape(groupID) + "/membership",
		source: string(SourceDeviceGroups), pageSize: MaxPageSize}, opt)
}
