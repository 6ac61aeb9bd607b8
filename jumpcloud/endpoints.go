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

// Each list call below has a twin named ...Pages that hands the same pages over one at a time,
// in order, as they come in (PageFunc), for a caller that keeps less than the whole list.

var (
	systemsSpec = listSpec{path: "/api/systems", source: string(SourceDevices), pageSize: MaxPageSize, sortByID: true}
	usersSpec   = listSpec{path: "/api/systemusers", source: string(SourceUsers), pageSize: MaxPageSize, sortByID: true}
	adminsSpec  = listSpec{path: "/api/users", source: string(SourceAdmins), pageSize: MaxPageSize, sortByID: true}
	// v2 objects have only "id", and whether v2 accepts sort=_id is unconfirmed, so no sort is sent.
	policiesSpec     = listSpec{path: "/api/v2/policies", source: string(SourcePolicies), pageSize: MaxPageSize}
	applicationsSpec = listSpec{path: "/api/applications", source: string(SourceApplications), pageSize: MaxPageSize, sortByID: true}
	authnSpec        = listSpec{path: "/api/v2/authn/policies", source: string(SourceAuthnPolicies), pageSize: MaxPageSize}
)

// Systems lists every device (GET /api/systems, limit=100, sort=_id).
func (c *Client) Systems(ctx context.Context, opt ListOptions) ([]System, error) {
	return listAll[System](ctx, c, systemsSpec, opt)
}

// SystemsPages is Systems, page by page.
func (c *Client) SystemsPages(ctx context.Context, opt ListOptions, each PageFunc[System]) error {
	return listPages(ctx, c, systemsSpec, opt, each)
}

// SystemUsers lists every user (GET /api/systemusers, limit=100, sort=_id).
func (c *Client) SystemUsers(ctx context.Context, opt ListOptions) ([]SystemUser, error) {
	return listAll[SystemUser](ctx, c, usersSpec, opt)
}

// SystemUsersPages is SystemUsers, page by page.
func (c *Client) SystemUsersPages(ctx context.Context, opt ListOptions, each PageFunc[SystemUser]) error {
	return listPages(ctx, c, usersSpec, opt, each)
}

// Administrators lists the org's admins (GET /api/users; a 403 is normal for some roles).
func (c *Client) Administrators(ctx context.Context, opt ListOptions) ([]Admin, error) {
	return listAll[Admin](ctx, c, adminsSpec, opt)
}

// AdministratorsPages is Administrators, page by page.
func (c *Client) AdministratorsPages(ctx context.Context, opt ListOptions, each PageFunc[Admin]) error {
	return listPages(ctx, c, adminsSpec, opt, each)
}

// Policies lists policies (GET /api/v2/policies).
func (c *Client) Policies(ctx context.Context, opt ListOptions) ([]Policy, error) {
	return listAll[Policy](ctx, c, policiesSpec, opt)
}

// PoliciesPages is Policies, page by page.
func (c *Client) PoliciesPages(ctx context.Context, opt ListOptions, each PageFunc[Policy]) error {
	return listPages(ctx, c, policiesSpec, opt, each)
}

func policyStatusesSpec(policyID string) listSpec {
	return listSpec{path: "/api/v2/policies/" + url.PathEscape(policyID) + "/policystatuses",
		source: string(SourcePolicyResults), pageSize: MaxPageSize}
}

// PolicyStatuses lists the latest result per system of one policy.
func (c *Client) PolicyStatuses(ctx context.Context, policyID string, opt ListOptions) ([]PolicyResult, error) {
	return listAll[PolicyResult](ctx, c, policyStatusesSpec(policyID), opt)
}

// PolicyStatusesPages is PolicyStatuses, page by page.
func (c *Client) PolicyStatusesPages(ctx context.Context, policyID string, opt ListOptions, each PageFunc[PolicyResult]) error {
	return listPages(ctx, c, policyStatusesSpec(policyID), opt, each)
}

// PolicyOutcomesPages is PolicyStatusesPages for a caller that keeps of each status only what
// the checks read (PolicyOutcome): the same requests, and the same answer or error for every page
// (a status that would not decode fails it as it does there), with less decoding.
func (c *Client) PolicyOutcomesPages(ctx context.Context, policyID string, opt ListOptions, each PageFunc[PolicyOutcome]) error {
	return listPages(ctx, c, policyStatusesSpec(policyID), opt, each)
}

// insightTableName is what a System Insights table is called: osquery names, lower snake case.
// Checked so a table name can never change the path.
var insightTableName = regexp.MustCompile(`^[a-z0-9_]{1,64}$`)

// Insights lists every row of one System Insights table (limit up to 10000 per page).
func (c *Client) Insights(ctx context.Context, table string, opt ListOptions) ([]InsightRow, error) {
	spec, err := insightsSpec(table)
	if err != nil {
		return nil, err
	}
	return listInsights(ctx, c, spec, opt)
}

// InsightsPages is Insights, page by page.
func (c *Client) InsightsPages(ctx context.Context, table string, opt ListOptions, each PageFunc[InsightRow]) error {
	spec, err := insightsSpec(table)
	if err != nil {
		return err
	}
	return listInsightPages(ctx, c, spec, opt, each)
}

func insightsSpec(table string) (listSpec, error) {
	if !insightTableName.MatchString(table) {
		return listSpec{}, fmt.Errorf("jumpcloud: %q is not a System Insights table name (lower case letters, digits, _)",
			sanitizeText(table, 64))
	}
	return listSpec{path: "/api/v2/systeminsights/" + table,
		source: string(SourceInsights) + " " + table, pageSize: MaxInsightsPageSize}, nil
}

// TableMounts is System Insights' mounts table, read for the root file system only
// (RootMounts); it is not in InsightTables, which are read whole.
const TableMounts = "mounts"

// RootMounts lists the System Insights mounts rows of the root file system only
// (filter=path:eq:/, a filter the v2 spec allows on mounts): which device each Linux host boots
// from, so disk encryption can be judged on that device and not on a secondary volume.
func (c *Client) RootMounts(ctx context.Context, opt ListOptions) ([]InsightRow, error) {
	return listInsights(ctx, c, rootMountsSpec, opt)
}

// RootMountsPages is RootMounts, page by page.
func (c *Client) RootMountsPages(ctx context.Context, opt ListOptions, each PageFunc[InsightRow]) error {
	return listInsightPages(ctx, c, rootMountsSpec, opt, each)
}

var rootMountsSpec = listSpec{path: "/api/v2/systeminsights/" + TableMounts,
	source: string(SourceInsights) + " " + TableMounts, pageSize: MaxInsightsPageSize, filter: "path:eq:/"}

// Applications lists SSO applications (GET /api/applications).
func (c *Client) Applications(ctx context.Context, opt ListOptions) ([]Application, error) {
	return listAll[Application](ctx, c, applicationsSpec, opt)
}

// ApplicationsPages is Applications, page by page.
func (c *Client) ApplicationsPages(ctx context.Context, opt ListOptions, each PageFunc[Application]) error {
	return listPages(ctx, c, applicationsSpec, opt, each)
}

// AuthnPolicies lists conditional access policies (GET /api/v2/authn/policies; optional).
func (c *Client) AuthnPolicies(ctx context.Context, opt ListOptions) ([]AuthnPolicy, error) {
	return listAll[AuthnPolicy](ctx, c, authnSpec, opt)
}

// AuthnPoliciesPages is AuthnPolicies, page by page.
func (c *Client) AuthnPoliciesPages(ctx context.Context, opt ListOptions, each PageFunc[AuthnPolicy]) error {
	return listPages(ctx, c, authnSpec, opt, each)
}
