package jumpcloud

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
)

// The list endpoints. Paths, page sizes and shapes follow ../shared/jumpcloud-api.md §4–§10.

// Organizations lists the organisations the key can see (never sends x-org-id). More than one
// means a multi-tenant key: the caller must pick one and use WithOrg.
func (c *Client) Organizations(ctx context.Context) ([]Organization, error) {
	return listAll[Organization](ctx, c, listSpec{path: "/api/organizations", source: "organizations",
		pageSize: MaxPageSize, sortByID: true}, ListOptions{})
}

// Organization reads one organisation with its settings.
func (c *Client) Organization(ctx context.Context, id string) (OrganizationDetail, error) {
	var org OrganizationDetail
	rq := request{path: "/api/organizations/" + url.PathEscape(id), source: "organization"}
	resp, err := c.get(ctx, rq)
	if err != nil {
		return org, err
	}
	return org, c.decodeOne(resp, rq, &org)
}

// Systems lists every device (GET /api/systems, limit=100, sort=_id).
func (c *Client) Systems(ctx context.Context, opt ListOptions) ([]System, error) {
	return listAll[System](ctx, c, listSpec{path: "/api/systems", source: string(SourceDevices),
		pageSize: MaxPageSize, sortByID: true}, opt)
}

// SystemUsers lists every user (GET /api/systemusers, limit=100, sort=_id).
func (c *Client) SystemUsers(ctx context.Context, opt ListOptions) ([]SystemUser, error) {
	return listAll[SystemUser](ctx, c, listSpec{path: "/api/systemusers", source: string(SourceUsers),
		pageSize: MaxPageSize, sortByID: true}, opt)
}

// Administrators lists the org's admins (GET /api/users; a 403 is normal for some roles).
func (c *Client) Administrators(ctx context.Context, opt ListOptions) ([]Admin, error) {
	return listAll[Admin](ctx, c, listSpec{path: "/api/users", source: string(SourceAdmins),
		pageSize: MaxPageSize, sortByID: true}, opt)
}

// Policies lists policies (GET /api/v2/policies). v2 objects have only "id", and whether v2
// accepts sort=_id is unconfirmed, so no sort is sent.
func (c *Client) Policies(ctx context.Context, opt ListOptions) ([]Policy, error) {
	return listAll[Policy](ctx, c, listSpec{path: "/api/v2/policies", source: string(SourcePolicies),
		pageSize: MaxPageSize}, opt)
}

// PolicyStatuses lists the latest result per system of one policy.
func (c *Client) PolicyStatuses(ctx context.Context, policyID string, opt ListOptions) ([]PolicyResult, error) {
	return listAll[PolicyResult](ctx, c, listSpec{
		path:   "/api/v2/policies/" + url.PathEscape(policyID) + "/policystatuses",
		source: string(SourcePolicyResults), pageSize: MaxPageSize}, opt)
}

// insightTableName is what a System Insights table is called: osquery names, lower snake case.
// Checked so a table name can never change the path.
var insightTableName = regexp.MustCompile(`^[a-z0-9_]{1,64}$`)

// Insights lists every row of one System Insights table (limit up to 10000 per page).
func (c *Client) Insights(ctx context.Context, table string, opt ListOptions) ([]InsightRow, error) {
	if !insightTableName.MatchString(table) {
		return nil, fmt.Errorf("jumpcloud: %q is not a System Insights table name (lower case letters, digits, _)",
			sanitizeText(table, 64))
	}
	return listAll[InsightRow](ctx, c, listSpec{path: "/api/v2/systeminsights/" + table,
		source: string(SourceInsights) + " " + table, pageSize: MaxInsightsPageSize}, opt)
}

// TableMounts is System Insights' mounts table, read for the root file system only
// (RootMounts); it is not in InsightTables, which are read whole.
const TableMounts = "mounts"

// RootMounts lists the System Insights mounts rows of the root file system only
// (filter=path:eq:/, a filter the v2 spec allows on mounts): which device each Linux host boots
// from, so disk encryption can be judged on that device and not on a secondary volume.
func (c *Client) RootMounts(ctx context.Context, opt ListOptions) ([]InsightRow, error) {
	return listAll[InsightRow](ctx, c, listSpec{path: "/api/v2/systeminsights/" + TableMounts,
		source: string(SourceInsights) + " " + TableMounts, pageSize: MaxInsightsPageSize,
		filter: "path:eq:/"}, opt)
}

// Applications lists SSO applications (GET /api/applications).
func (c *Client) Applications(ctx context.Context, opt ListOptions) ([]Application, error) {
	return listAll[Application](ctx, c, listSpec{path: "/api/applications", source: string(SourceApplications),
		pageSize: MaxPageSize, sortByID: true}, opt)
}

// AuthnPolicies lists conditional access policies (GET /api/v2/authn/policies; optional).
func (c *Client) AuthnPolicies(ctx context.Context, opt ListOptions) ([]AuthnPolicy, error) {
	return listAll[AuthnPolicy](ctx, c, listSpec{path: "/api/v2/authn/policies", source: string(SourceAuthnPolicies),
		pageSize: MaxPageSize}, opt)
}
