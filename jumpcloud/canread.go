package jumpcloud

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
)

// canReadPaths is the cheapest list of each source; a limit=1 GET on it tells whether the key's
// role may read the source. Policy results are special (see CanRead).
var canReadPaths = map[Source]string{
	SourceDevices:       "/api/systems",
	SourceUsers:         "/api/systemusers",
	SourcePolicies:      "/api/v2/policies",
	SourceInsights:      "/api/v2/systeminsights/" + TableOSVersion,
	SourceApplications:  "/api/applications",
	SourceAdmins:        "/api/users",
	SourceAuthnPolicies: "/api/v2/authn/policies",
}

// CanRead checks with one smallest possible request (limit=1) whether the key can read a source.
// nil means readable; a *Error of KindForbidden means "not permitted for this role"; KindNotFound
// on System Insights or SSO means "not enabled for this org".
func (c *Client) CanRead(ctx context.Context, src Source) error {
	if src == SourcePolicyResults {
		return c.canReadPolicyResults(ctx)
	}
	path, ok := canReadPaths[src]
	if !ok {
		return fmt.Errorf("jumpcloud: unknown evidence source %q", sanitizeText(string(src), 40))
	}
	return c.probe(ctx, path, string(src))
}

// canReadPolicyResults reads the statuses of the first policy, which is what the collector will
// read; with no policy (or no right to list them) it asks the org-wide results list instead.
// That is two requests at most.
func (c *Client) canReadPolicyResults(ctx context.Context) error {
	src := string(SourcePolicyResults)
	rq := request{path: "/api/v2/policies", query: url.Values{"limit": {"1"}, "skip": {"0"}}, source: src}
	resp, err := c.get(ctx, rq)
	var policies []Policy
	if err == nil {
		policies, _, err = decodeList[Policy](c, resp, rq)
	}
	switch {
	case err == nil && len(policies) > 0 && policies[0].ID != "":
		return c.probe(ctx, "/api/v2/policies/"+url.PathEscape(policies[0].ID)+"/policystatuses", src)
	case err == nil, KindOf(err) == KindForbidden, KindOf(err) == KindNotFound:
		return c.probe(ctx, "/api/v2/policyresults", src)
	}
	return err
}

// probe GETs path?limit=1&skip=0 and checks that the answer is a JSON list.
func (c *Client) probe(ctx context.Context, path, src string) error {
	rq := request{path: path, query: url.Values{"limit": {"1"}, "skip": {"0"}}, source: src}
	resp, err := c.get(ctx, rq)
	if err != nil {
		return err
	}
	_, _, err = decodeList[json.RawMessage](c, resp, rq)
	return err
}
