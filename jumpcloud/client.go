package jumpcloud

import (
	"context"
	"net/http"
	"net/url"
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

// Config configures a Client. Required: one credential (APIKey, or ClientID and ClientSecret of
// a service account) and one of Region/BaseURL.
type Config struct {
	Region  Region
	BaseURL string // overrides Region; http:// is accepted only for loopback hosts
	APIKey  string
	OrgID   string // sent as x-org-id, except to the routes that refuse it

	// A service account instead of APIKey (oauth.go): the client id and secret are exchanged at
	// the token host for a bearer token. TokenURL overrides the region's token host (required for
	// IN and with BaseURL; https unless loopback). SecretExpires, when known, lets an
	// invalid_client after it read as an expired secret. Clock is what token lifetimes are
	// measured on (default time.Now; tests inject a fake).
	ClientID      string
	ClientSecret  string
	TokenURL      string
	SecretExpires time.Time
	Clock         func() time.Time

	Timeout        time.Duration // per request; default 30s
	MaxRetries     int           // retries on 429/500/502/503/504; default 4; negative: none
	RetryBaseDelay time.Duration // first backoff step; default 500ms
	MaxRetryDelay  time.Duration // cap on one wait; a longer Retry-After fails at once; default 2m
	MaxInFlight    int           // requests in flight across all goroutines; default 8
	MaxBodyBytes   int64         // response size cap; default 64 MiB
	UserAgent      string        // default "jcconnect/<version>"
	Transport      http.RoundTripper
	// OnWait is told when a wait of NoticeWait or more begins before a retry, so a command can
	// show it (a countdown, a line on stderr) instead of going silent. Called from any goroutine;
	// a 429 pause shared by many requests is told once. May be nil.
	OnWait func(Wait)
}

// NoticeWait is the shortest wait OnWait hears about: shorter ones pass unnoticed.
const NoticeWait = time.Second

// Wait is a pause before a retry: until when, and why.
type Wait struct {
	Until  time.Time
	Reason string // "JumpCloud asked to slow down (429)", "JumpCloud answered 503"
	Source string // the evidence source of the request that caused it, when any
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
	// Columns, for a System Insights list, keeps only these columns of each row (besides
	// system_id and collection_time), dropped as each page is decoded; nil keeps them all.
	Columns []string
	// InsightKeys, for a System Insights list, is where its rows' system ids and collection times
	// are numbered: one for all the tables of a collection shares them. nil: the list's own.
	InsightKeys *InsightKeys
	// SystemIDs, for PolicyOutcomesPages, is where the outcomes' device ids are kept, one copy of
	// each: one for all the policies of a collection shares them. nil: each outcome its own.
	SystemIDs *StringPool
}

// Stats counts what a Client did, for benchmarks and notes.
type Stats struct {
	Requests     int64 // HTTP requests sent to the API, retries included
	Retries      int64
	TokenFetches int64 // token requests sent to the token host (service accounts)
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
	base string        // scheme://host[/prefix] without a trailing slash
	auth Authenticator // the credential; only ever sent to base and the token host
	sh   *shared
}

// New checks the config (one credential without control characters; a known region or a base
// URL that is https, or http on a loopback host; for a service account, a token URL held to the
// same rule) and returns a client. It sends nothing: a service account's first token is fetched
// by the first request (or Authenticate).
func New(cfg Config) (*Client, error) {
	if (strings.TrimSpace(cfg.ClientID) == "" && strings.TrimSpace(cfg.ClientSecret) == "") ||
		strings.TrimSpace(cfg.APIKey) != "" {
		if _, err := checkAPIKey(cfg.APIKey); err != nil {
			return nil, err
		}
	}
	base, err := resolveBaseURL(cfg.Region, cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	if err := checkOrgID(cfg.OrgID); err != nil {
		return nil, err
	}
	cfg = withDefaults(cfg)
	sh := newShared(cfg)
	auth, err := newAuthenticator(cfg, sh.http)
	if err != nil {
		return nil, err
	}
	// The credential lives in the authenticator only.
	cfg.APIKey, cfg.ClientSecret = "", ""
	return &Client{cfg: cfg, base: base, auth: auth, sh: sh}, nil
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

// WithNotice returns a client that tells fn about long waits (see Config.OnWait) and otherwise
// shares everything with this one.
func (c *Client) WithNotice(fn func(Wait)) *Client {
	cp := *c
	cp.cfg.OnWait = fn
	return &cp
}

// Stats returns the counters so far (shared with WithOrg clients).
func (c *Client) Stats() Stats {
	st := Stats{Requests: c.sh.requests.Load(), Retries: c.sh.retries.Load()}
	if cc, ok := c.auth.(*clientCredentials); ok {
		st.TokenFetches = cc.fetches.Load()
	}
	return st
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

// Ping checks that the API host answers at all, without sending the key: one GET of
// /api/organizations?limit=1 with no credential, through the client's own transport, redirect
// refusal, User-Agent, size bound and timeout, and no retry. Any HTTP answer proves DNS, proxy,
// TLS and routing work, so it returns the status (a 401 is the expected one) and an error only
// when no answer came: a *Error whose Kind says why (network, timeout, ...).
func (c *Client) Ping(ctx context.Context) (int, error) {
	res, err := c.attempt(ctx, request{path: "/api/organizations", query: url.Values{"limit": {"1"}},
		source: "reachability", anonymous: true})
	if err != nil {
		return 0, err
	}
	return res.status, nil
}
