package jumpcloud

import (
	"net/http"
	"strings"
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

// Version names this program in the default User-Agent ("jcconnect/<Version>"). main sets it
// from its build version.
var Version = "dev"

// Page sizes: JumpCloud documents 100 as the most a v1 or v2 list returns per page, and 10000 for
// System Insights. Sending more is undocumented (clamp or 400 is unconfirmed), so never do.
const (
	MaxPageSize         = 100
	MaxInsightsPageSize = 10000
)

// Client is safe for concurrent use. Clients made by WithOrg share one *shared: the connection
// pool, the bound on requests in flight, the rate-limit pause and the counters.
type Client struct {
	cfg  Config
	base string // scheme://host[/prefix] without a trailing slash
	key  string // the API key, trimmed; only ever put in the x-api-key header
	sh   *shared
}

// New checks the config (non-empty key without control characters; a known region or a base URL
// that is https, or http on a loopback host) and returns a client.
func New(cfg Config) (*Client, error) {
	key, err := checkAPIKey(cfg.APIKey)
	if err != nil {
		return nil, err
	}
	base, err := resolveBaseURL(cfg.Region, cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	if err := checkOrgID(cfg.OrgID); err != nil {
		return nil, err
	}
	cfg = withDefaults(cfg)
	cfg.APIKey = key
	return &Client{cfg: cfg, base: base, key: key, sh: newShared(cfg)}, nil
}

// BaseURL is the scheme://host the client talks to.
func (c *Client) BaseURL() string { return c.base }

// OrgID is the organisation sent as x-org-id ("" for none).
func (c *Client) OrgID() string { return c.cfg.OrgID }

// WithOrg returns a client for another organisation that shares this one's transport, in-flight
// bound and rate-limit backoff.
func (c *Client) WithOrg(orgID string) *Client {
	cp := *c
	cp.cfg.OrgID = strings.TrimSpace(orgID)
	return &cp
}

// Stats returns the counters so far (shared with WithOrg clients).
func (c *Client) Stats() Stats {
	return Stats{Requests: c.sh.requests.Load(), Retries: c.sh.retries.Load()}
}

// RateLimitedUntil is when the current rate-limit pause ends (zero when none is in force): after
// a 429 every client sharing this one's state holds new requests until then. A progress screen
// can show it ("JumpCloud asked us to slow down; resuming in 3s").
func (c *Client) RateLimitedUntil() time.Time {
	c.sh.mu.Lock()
	defer c.sh.mu.Unlock()
	if time.Now().Before(c.sh.pauseUntil) {
		return c.sh.pauseUntil
	}
	return time.Time{}
}
