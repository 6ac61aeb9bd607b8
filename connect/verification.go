package connect

import (
	"context"
	"errors"
	"fmt"
	"jcconnect/glossary"
	"strings"
	"sync"
	"time"

	"jcconnect/jumpcloud"
	"jcconnect/store"
)

// The plain steps of verifying a key live, shared by the wizard's verify screen (VerifyModel),
// the --accessible prompts, `setup --with-key` and rotation. Each step is a function that makes
// its calls and returns a result value; none of them prints, and no result ever holds the key.

// CheckState is the outcome of one verification step.
type CheckState int

const (
	CheckPending CheckState = iota
	CheckRunning
	CheckPassed
	CheckWarning // usable, but the user should know (not read-only, role unknown, source not permitted)
	CheckFailed  // the key cannot be used as it is (refused, no organisation chosen)
	CheckSkipped // not applicable (source not needed for the chosen integrations)
)

// CheckResult is one line of the verification: what was checked, what was found, what to do.
type CheckResult struct {
	Name   string
	State  CheckState
	Detail string // what was found, already cleaned for the terminal
	Fix    string // what to do next when the state is a warning or failure
	Err    error  // the underlying error, when any (never contains the key)
	// Retryable is set when the failure was the network or JumpCloud being busy (timeout, 5xx,
	// 429, a proxy page): retry, do not start over.
	Retryable bool
}

// OK reports whether the step let verification go on (passed, warned or skipped).
func (r CheckResult) OK() bool {
	return r.State != CheckFailed && r.State != CheckPending && r.State != CheckRunning
}

// Glyph is the result's mark for plain output ("ok", "warn", ...), readable without colour.
func (r CheckResult) Glyph() string {
	switch r.State {
	case CheckPassed:
		return "ok"
	case CheckWarning:
		return "warning"
	case CheckFailed:
		return "failed"
	case CheckSkipped:
		return "skipped"
	case CheckRunning:
		return "checking"
	}
	return "waiting"
}

// Names of the steps, as shown on every surface.
const (
	CheckNameKey       = "Key accepted"
	CheckNameSA        = "Service account accepted"
	CheckNameOrg       = "Organisation"
	CheckNameOwner     = "Owner and role"
	CheckNameReadOnly  = "Read Only"
	CheckNameExpiry    = "Key expiry"
	CheckNameSourceFmt = "Can read %s"
)

// AcceptedCheckName is the name of the first check, which names the credential: "Key accepted"
// or "Service account accepted".
func AcceptedCheckName(serviceAccount bool) string {
	if serviceAccount {
		return CheckNameSA
	}
	return CheckNameKey
}

// SourceCheckName is the name of the check that src can be read, in the glossary's words.
func SourceCheckName(src jumpcloud.Source) string {
	return fmt.Sprintf(CheckNameSourceFmt, glossary.Source(string(src)))
}

// RetryableKind reports whether a failure is transient trouble worth a retry.
func RetryableKind(k jumpcloud.Kind) bool {
	switch k {
	case jumpcloud.KindTimeout, jumpcloud.KindNetwork, jumpcloud.KindServer,
		jumpcloud.KindRateLimited, jumpcloud.KindNotJSON, jumpcloud.KindTokenUnreachable:
		return true
	}
	return false
}

// checkFailure turns an API error into a failed CheckResult with its summary and fix.
func checkFailure(name string, err error) CheckResult {
	r := CheckResult{Name: name, State: CheckFailed, Err: err}
	var je *jumpcloud.Error
	if errors.As(err, &je) {
		r.Detail = Clean(je.Summary())
		r.Fix = je.Kind.Fix()
		// Whether to say "press r" or "run it again" is the caller's to decide: the TUI offers
		// retry on its own line, the plain runners exit or ask.
		r.Retryable = RetryableKind(je.Kind)
		return r
	}
	if errors.Is(err, context.Canceled) {
		r.Detail = "canceled"
		return r
	}
	r.Detail = Clean(err.Error())
	r.Fix = "Try again; if it persists, run `jcconnect doctor`."
	r.Retryable = true
	return r
}

// RegionLabel names a region for people: "US", "EU", "IN", or "the demo organisation".
func RegionLabel(region string) string {
	switch strings.ToLower(region) {
	case "us", "":
		return "US"
	case "eu":
		return "EU"
	case "in":
		return "IN"
	case RegionDemo:
		return "the demo organisation"
	}
	return region
}

// Where names what a request talks to: the region, the demo, or a custom base URL.
func (r VerifyRequest) Where() string {
	if r.BaseURL != "" && r.Region != RegionDemo {
		return Clean(RedactURL(r.BaseURL))
	}
	return RegionLabel(r.Region)
}

// RegionDemo is the wizard's pseudo-region for the built-in demo organisation.
const RegionDemo = "demo"

// Verified is the outcome of a successful verification: everything the save step and rotation
// need. Key is the verified key: pass it to the store, never print it (use Masked).
type Verified struct {
	Key          store.Secret // the API key, or the service account's client secret
	ClientID     string       // a service account's client id ("" for an API key)
	TokenURL     string       // a service account's --token-url, when not its region's
	Account      string       // a service account's name, when the list told it
	Region       string       // "us", "eu", "in" or RegionDemo
	BaseURL      string       // set for the demo and custom base URLs
	Org          jumpcloud.Organization
	OrgCount     int
	Owner        jumpcloud.KeyOwner
	Sources      []SourceCheck
	Created      *time.Time
	Expires      *time.Time
	Checks       []CheckResult // every step's result in display order
	VerifiedAt   time.Time
	Integrations store.Integrations
	// AcceptedPrivileged is set when the key is not Read Only and the user chose to continue.
	AcceptedPrivileged bool
}

// Masked is the key as it may be shown ("jca_…9f2c").
func (v Verified) Masked() string { return v.Key.Mask() }

// ReadOnly reports whether the role is known to be Read Only.
func (v Verified) ReadOnly() bool { return jumpcloud.IsReadOnlyRole(v.Owner.Role) }

// Profile builds the metadata to store beside the key (never the key itself).
func (v Verified) Profile(name string) store.Profile {
	region := v.Region
	// A base URL overrides the region in the client, so the profile must not claim one.
	if region == RegionDemo || v.BaseURL != "" {
		region = "custom"
	}
	at := v.VerifiedAt
	p := store.Profile{
		Name: name, Region: region, BaseURL: v.BaseURL,
		OrgID: v.Org.ID, OrgName: Clean(v.Org.Name()), Integrations: v.Integrations,
		OwnerEmail: Clean(v.Owner.Admin.Email), Role: Clean(v.Owner.Role),
		KeyLast4: v.Key.Last4(), Fingerprint: v.Key.Fingerprint(),
		KeyCreated: v.Created, KeyExpires: v.Expires, VerifiedAt: &at,
	}
	if p.OrgID == "" {
		p.OrgID = v.Owner.OrgID
	}
	if v.IsServiceAccount() {
		p.Kind, p.ClientID, p.TokenURL = store.KindServiceAccount, v.ClientID, v.TokenURL
		p.OwnerEmail = Clean(v.Account) // the service account's name: it has no e-mail
		p.SecretExpires, p.KeyCreated, p.KeyExpires = v.Expires, nil, nil
	}
	return p
}

// VerifyRequest is what a verification needs. NewClient defaults to jumpcloud.New.
type VerifyRequest struct {
	Key          store.Secret // the API key, or the service account's client secret
	ClientID     string       // a service account's client id: Key is then its secret
	TokenURL     string       // a service account's --token-url ("" = the region's token host)
	Region       string       // "us", "eu", "in" or RegionDemo
	BaseURL      string       // the demo's or --base-url
	OrgID        string       // preferred organisation (--org-id, the stored profile), "" to ask
	Integrations store.Integrations
	NewClient    func(jumpcloud.Config) (*jumpcloud.Client, error)
	Now          func() time.Time
	// Known is what the stored profiles say of this key (HistoryOf): it tells a revoked or
	// expired key from one JumpCloud never knew.
	Known KeyHistory
	// RegionHosts replaces the official hosts of the regions (tests point them at loopback
	// sandboxes); nil in the program.
	RegionHosts map[string]string
}

// Client builds the API client for the request.
func (r VerifyRequest) Client() (*jumpcloud.Client, error) {
	cfg := jumpcloud.Config{APIKey: r.Key.Reveal(), BaseURL: r.BaseURL}
	if r.IsServiceAccount() {
		cfg = jumpcloud.Config{ClientID: r.ClientID, ClientSecret: r.Key.Reveal(), TokenURL: r.TokenURL, BaseURL: r.BaseURL}
	}
	if r.BaseURL == "" {
		cfg.Region = jumpcloud.Region(strings.ToLower(r.Region))
		if cfg.Region == "" {
			cfg.Region = jumpcloud.RegionUS
		}
		cfg.BaseURL = r.RegionHosts[string(cfg.Region)]
	}
	nc := r.NewClient
	if nc == nil {
		nc = jumpcloud.New
	}
	return nc(cfg)
}

func (r VerifyRequest) Clock() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// ErrVerifyFailed is returned by VerifyKey when a step failed; the failing CheckResult says why.
var ErrVerifyFailed = errors.New("verification failed")

// OrgPicker chooses one of a multi-tenant key's organisations (plain prompts, flags).
type OrgPicker func(orgs []jumpcloud.Organization) (jumpcloud.Organization, error)

// VerifyKey runs every step in order without a TUI, calling report with each result as it is
// known. It stops at the first failed step and returns ErrVerifyFailed wrapped with that step's
// detail; warnings do not stop it. Used by --with-key, --accessible and rotation's plain mode.
func VerifyKey(ctx context.Context, req VerifyRequest, pick OrgPicker, report func(CheckResult)) (Verified, error) {
	if report == nil {
		report = func(CheckResult) {}
	}
	v := Verified{Key: req.Key, ClientID: req.ClientID, TokenURL: req.TokenURL, Region: req.Region, BaseURL: req.BaseURL,
		Integrations: req.Integrations}
	fail := func(r CheckResult) (Verified, error) {
		return v, fmt.Errorf("%w: %s: %s", ErrVerifyFailed, r.Name, r.Detail)
	}
	add := func(r CheckResult) { v.Checks = append(v.Checks, r); report(r) }

	base, err := req.Client()
	if err != nil {
		r := CheckResult{Name: AcceptedCheckName(req.IsServiceAccount()), State: CheckFailed, Detail: Clean(err.Error()), Err: err,
			Fix: "Check the key, the region and --base-url."}
		add(r)
		return fail(r)
	}
	if req.IsServiceAccount() {
		// A wrong or expired secret and an unreachable token host are told apart here.
		tr := CheckToken(ctx, base)
		add(tr)
		if !tr.OK() {
			return fail(tr)
		}
	}
	ka := CheckKeyAccepted(ctx, base, req)
	add(ka.Result)
	if !ka.Result.OK() {
		return fail(ka.Result)
	}
	org, needPick, or := ChooseOrg(ka.Orgs, req.OrgID)
	if needPick {
		if pick == nil {
			or.State = CheckFailed
			// No one is here to pick from a list: say how to choose instead of "choose one below".
			or.Detail = fmt.Sprintf("this key sees %d organisations: choose one with --org-id", len(ka.Orgs))
			or.Fix = "Choose one with --org-id; the key's organisations are: " + OrgList(ka.Orgs)
			add(or)
			return fail(or)
		}
		org, err = pick(ka.Orgs)
		if err != nil {
			or = CheckResult{Name: CheckNameOrg, State: CheckFailed, Detail: Clean(err.Error()), Err: err,
				Fix: "Choose one of: " + OrgList(ka.Orgs)}
			add(or)
			// The picker's own error stays matchable (input ended, canceled).
			return v, fmt.Errorf("%w: %s: %w", ErrVerifyFailed, or.Name, err)
		}
		or = OrgResult(org, len(ka.Orgs))
	}
	add(or)
	if !or.OK() {
		return fail(or)
	}
	v.Org, v.OrgCount = org, len(ka.Orgs)
	c := ClientForOrg(base, org, len(ka.Orgs), req.OrgID)

	oc, checks := checkOwnerAndSources(ctx, c, req.Integrations)
	add(oc.Result)
	if !oc.Result.OK() {
		return fail(oc.Result)
	}
	v.Owner = oc.Owner
	if oc.Identity != nil && oc.Identity.Found {
		v.Account = oc.Identity.Account.Name
	}
	add(oc.ReadOnlyCheck())
	var failed *CheckResult
	for _, sc := range checks {
		v.Sources = append(v.Sources, sc)
		add(sc.Result)
		if !sc.Result.OK() && failed == nil {
			r := sc.Result
			failed = &r
		}
	}
	if failed != nil {
		return fail(*failed)
	}
	ec := oc.ExpiryCheck(req.Clock())
	v.Created, v.Expires = ec.Created, ec.Expires
	add(ec.Result)
	v.VerifiedAt = req.Clock()
	return v, nil
}

// checkOwnerAndSources asks about the key's owner and every evidence source at once (they are
// independent; the client bounds requests in flight), and returns them in display order.
func checkOwnerAndSources(ctx context.Context, c *jumpcloud.Client, integ store.Integrations) (OwnerCheck, []SourceCheck) {
	sources, optional := SourcesFor(integ)
	checks := make([]SourceCheck, len(sources))
	var oc OwnerCheck
	var wg sync.WaitGroup
	wg.Go(func() { oc = CheckOwner(ctx, c) })
	for i, s := range sources {
		wg.Go(func() { checks[i] = CheckSource(ctx, c, s, optional[s]) })
	}
	wg.Wait()
	return oc, checks
}

// OrgLabel is "Name (id)", or the id alone when the organisation has no display name.
func OrgLabel(o jumpcloud.Organization) string {
	if o.Name() == o.ID {
		return Clean(o.ID)
	}
	return fmt.Sprintf("%s (%s)", Clean(o.Name()), Clean(o.ID))
}

// OrgList is "Name (id), Name (id)" for messages.
func OrgList(orgs []jumpcloud.Organization) string {
	parts := make([]string, len(orgs))
	for i, o := range orgs {
		parts[i] = OrgLabel(o)
	}
	return strings.Join(parts, ", ")
}

// ExitCodeForChecks maps the failing check to the documented exit codes.
func ExitCodeForChecks(checks []CheckResult) int {
	for _, r := range checks {
		if r.State != CheckFailed {
			continue
		}
		switch k := jumpcloud.KindOf(r.Err); {
		case errors.Is(r.Err, jumpcloud.ErrInvalidConfig):
			return ExitUsage // a key, --base-url or --org-id the client refuses: bad input
		case StateOf(r.Err) == StateInvalidKey || k == jumpcloud.KindForbidden:
			return ExitInvalidKey
		case RetryableKind(k):
			return ExitNetwork
		case r.Name == CheckNameOrg:
			return ExitUsage
		}
		return ExitFailure
	}
	return ExitFailure
}
