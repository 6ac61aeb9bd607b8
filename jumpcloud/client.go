// Package jumpcloud is a read-only client for JumpCloud's v1 and v2 REST APIs: regions, auth
// headers, typed errors, paging, retries with backoff, a bound on requests in flight.
// It has no method that writes. See ../shared/jumpcloud-api.md for the API it speaks.
package jumpcloud

import (
	"context"
	"net/http"
	"time"
)

// Region is where an organisation lives; a key belongs to exactly one region.
type Region string

const (
	RegionUS Region = "us"
	RegionEU Region = "eu"
	RegionIN Region = "in"
)

// Regions lists the real regions in the order the wizard offers them.
var Regions = []Region{RegionUS, RegionEU, RegionIN}

// Config configures a Client. Only APIKey and one of Region/BaseURL are required.
type Config struct {
	Region  Region
	BaseURL string // overrides Region; http:// is accepted only for loopback hosts
	APIKey  string
	OrgID   string // sent as x-org-id, except to the routes that refuse it

	Timeout        time.Duration // per request; default 30s
	MaxRetries     int           // retries on 429/500/502/503/504; default 4; negative: none
	RetryBaseDelay time.Duration // first backoff step; default 500ms
	MaxRetryDelay  time.Duration // cap on one wait (also on Retry-After); default 30s
	MaxInFlight    int           // requests in flight across all goroutines; default 8
	MaxBodyBytes   int64         // response size cap; default 64 MiB
	UserAgent      string        // default "jcconnect/<version>"
	Transport      http.RoundTripper
}

// Progress reports paging of one source, for progress bars.
type Progress struct {
	Source string
	Pages  int
	Items  int
	Total  int // -1 when the API does not say
}

// ListOptions tunes a list call.
type ListOptions struct {
	// Source names the evidence source in errors and progress ("devices", "users", ...).
	Source string
	// OnPage is called after each page arrives (from any goroutine, never concurrently for one
	// call).
	OnPage func(Progress)
}

// Stats counts what a Client did, for benchmarks and notes.
type Stats struct {
	Requests int64 // HTTP requests sent, retries included
	Retries  int64
}

// Evidence sources a key may or may not be able to read.
type Source string

const (
	SourceDevices       Source = "devices"
	SourceUsers         Source = "users"
	SourcePolicies      Source = "policies"
	SourcePolicyResults Source = "policy results"
	SourceInsights      Source = "system insights"
	SourceApplications  Source = "sso applications"
	SourceAdmins        Source = "administrators"
	SourceAuthnPolicies Source = "conditional access"
)

// Sources lists every source in display order.
var Sources = []Source{SourceDevices, SourceUsers, SourcePolicies, SourcePolicyResults,
	SourceInsights, SourceApplications, SourceAdmins, SourceAuthnPolicies}

// Client is safe for concurrent use.
type Client struct {
	cfg Config
}

// CONTRACT STUBS: the bodies below are placeholders being replaced by the real implementation;
// the signatures are the contract other packages build against.

// New checks the config (non-empty key without control characters; a known region or a base URL
// that is https, or http on a loopback host) and returns a client.
func New(cfg Config) (*Client, error) { panic("not implemented") }

// BaseURL is the scheme://host the client talks to.
func (c *Client) BaseURL() string { panic("not implemented") }

// OrgID is the organisation sent as x-org-id ("" for none).
func (c *Client) OrgID() string { panic("not implemented") }

// WithOrg returns a client for another organisation that shares this one's transport, in-flight
// bound and rate-limit backoff.
func (c *Client) WithOrg(orgID string) *Client { panic("not implemented") }

// Stats returns the counters so far (shared with WithOrg clients).
func (c *Client) Stats() Stats { panic("not implemented") }

// Organizations lists the organisations the key can see (never sends x-org-id). More than one
// means a multi-tenant key: the caller must pick one and use WithOrg.
func (c *Client) Organizations(ctx context.Context) ([]Organization, error) { panic("not implemented") }

// Organization reads one organisation with its settings.
func (c *Client) Organization(ctx context.Context, id string) (OrganizationDetail, error) {
	panic("not implemented")
}

// Self is GET /api/users/getSelf (undocumented; never sends x-org-id).
func (c *Client) Self(ctx context.Context) (Admin, error) { panic("not implemented") }

// Settings is GET /api/settings (undocumented).
func (c *Client) Settings(ctx context.Context) (Settings, error) { panic("not implemented") }

// KeyOwner finds who owns the key and their role: getSelf, falling back to settings for the
// role. A 401 is returned as an error; when neither endpoint tells the role (404/403/garbage) it
// returns a KeyOwner with an empty Role and no error, so the caller can warn and continue.
func (c *Client) KeyOwner(ctx context.Context) (KeyOwner, error) { panic("not implemented") }

// Systems lists every device (GET /api/systems, limit=100, sort=_id).
func (c *Client) Systems(ctx context.Context, opt ListOptions) ([]System, error) {
	panic("not implemented")
}

// SystemUsers lists every user (GET /api/systemusers, limit=100, sort=_id).
func (c *Client) SystemUsers(ctx context.Context, opt ListOptions) ([]SystemUser, error) {
	panic("not implemented")
}

// Administrators lists the org's admins (GET /api/users; a 403 is normal for some roles).
func (c *Client) Administrators(ctx context.Context, opt ListOptions) ([]Admin, error) {
	panic("not implemented")
}

// Policies lists policies (GET /api/v2/policies).
func (c *Client) Policies(ctx context.Context, opt ListOptions) ([]Policy, error) {
	panic("not implemented")
}

// PolicyStatuses lists the latest result per system of one policy.
func (c *Client) PolicyStatuses(ctx context.Context, policyID string, opt ListOptions) ([]PolicyResult, error) {
	panic("not implemented")
}

// Insights lists every row of one System Insights table (limit up to 10000 per page).
func (c *Client) Insights(ctx context.Context, table string, opt ListOptions) ([]InsightRow, error) {
	panic("not implemented")
}

// Applications lists SSO applications (GET /api/applications).
func (c *Client) Applications(ctx context.Context, opt ListOptions) ([]Application, error) {
	panic("not implemented")
}

// AuthnPolicies lists conditional access policies (GET /api/v2/authn/policies; optional).
func (c *Client) AuthnPolicies(ctx context.Context, opt ListOptions) ([]AuthnPolicy, error) {
	panic("not implemented")
}

// CanRead checks with one smallest possible request (limit=1) whether the key can read a source.
// nil means readable; a *Error of KindForbidden means "not permitted for this role"; KindNotFound
// on System Insights or SSO means "not enabled for this org".
func (c *Client) CanRead(ctx context.Context, src Source) error { panic("not implemented") }
