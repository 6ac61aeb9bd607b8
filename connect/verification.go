package connect

import (
	"context"
	"errors"
	"fmt"
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
	CheckNameOrg       = "Organisation"
	CheckNameOwner     = "Owner and role"
	CheckNameReadOnly  = "Read Only"
	CheckNameExpiry    = "Key expiry"
	CheckNameSourceFmt = "Can read %s"
)

// RetryableKind reports whether a failure is transient trouble worth a retry.
func RetryableKind(k jumpcloud.Kind) bool {
	switch k {
	case jumpcloud.KindTimeout, jumpcloud.KindNetwork, jumpcloud.KindServer,
		jumpcloud.KindRateLimited, jumpcloud.KindNotJSON:
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

// KeyAcceptance is the first step: does JumpCloud accept the key, and which organisations does
// it see (more than one: a multi-tenant key).
type KeyAcceptance struct {
	Orgs   []jumpcloud.Organization
	Result CheckResult
}

// CheckKeyAccepted lists the organisations the key can see. A 401 is explained with the region
// the user chose, since a key used against the wrong region is refused the same way.
func CheckKeyAccepted(ctx context.Context, c *jumpcloud.Client, region string) KeyAcceptance {
	orgs, err := c.Organizations(ctx)
	if err != nil {
		r := checkFailure(CheckNameKey, err)
		if errors.Is(err, jumpcloud.ErrInvalidKey) {
			r.Detail = "refused: the key is invalid, revoked or expired"
			if region != RegionDemo {
				r.Detail += fmt.Sprintf(", or belongs to another region than %s", RegionLabel(region))
			}
			r.Fix = "Check the key and the region, then try again. If a key was generated again since, this one is revoked: copy the newest key from My API Key."
		}
		return KeyAcceptance{Result: r}
	}
	r := CheckResult{Name: CheckNameKey, State: CheckPassed, Detail: "JumpCloud accepted the key"}
	if len(orgs) > 1 {
		r.Detail = fmt.Sprintf("JumpCloud accepted the key: a multi-tenant key that sees %d organisations", len(orgs))
	}
	return KeyAcceptance{Orgs: orgs, Result: r}
}

// ChooseOrg settles the organisation: the only one, or the one whose id is want (from --org-id,
// a stored profile or a pick). needPick means the user must choose from orgs.
func ChooseOrg(orgs []jumpcloud.Organization, want string) (org jumpcloud.Organization, needPick bool, r CheckResult) {
	r.Name = CheckNameOrg
	want = strings.TrimSpace(want)
	if want != "" {
		for _, o := range orgs {
			if o.ID == want {
				return o, false, OrgResult(o, len(orgs))
			}
		}
		if len(orgs) > 0 {
			r.State = CheckFailed
			r.Detail = fmt.Sprintf("the key cannot see organisation %s", Clean(want))
			r.Fix = "Pick one of the key's organisations, or check --org-id / JUMPCLOUD_ORG_ID."
			return jumpcloud.Organization{}, len(orgs) > 1, r
		}
	}
	switch len(orgs) {
	case 0:
		// The key was accepted but listed nothing: carry on without a name rather than block.
		r.State = CheckWarning
		r.Detail = "JumpCloud listed no organisation for this key; continuing without its name"
		return jumpcloud.Organization{ID: want}, false, r
	case 1:
		return orgs[0], false, OrgResult(orgs[0], 1)
	}
	r.State = CheckPending
	r.Detail = fmt.Sprintf("this key sees %d organisations: choose one below", len(orgs))
	return jumpcloud.Organization{}, true, r
}

func OrgResult(o jumpcloud.Organization, of int) CheckResult {
	d := OrgLabel(o)
	if of > 1 {
		d += fmt.Sprintf(", chosen from %d", of)
	}
	return CheckResult{Name: CheckNameOrg, State: CheckPassed, Detail: d}
}

// ClientForOrg returns the client to use for the chosen organisation: multi-tenant keys (and an
// explicit --org-id) need the x-org-id header; single-tenant keys do not.
func ClientForOrg(c *jumpcloud.Client, org jumpcloud.Organization, orgCount int, explicit string) *jumpcloud.Client {
	if org.ID != "" && (orgCount > 1 || strings.TrimSpace(explicit) != "") {
		return c.WithOrg(org.ID)
	}
	return c
}

// OwnerCheck is who owns the key and with which role.
type OwnerCheck struct {
	Owner  jumpcloud.KeyOwner
	Result CheckResult
}

// CheckOwner asks who owns the key. The endpoints are undocumented: when the role cannot be
// determined the result is a warning and verification goes on.
func CheckOwner(ctx context.Context, c *jumpcloud.Client) OwnerCheck {
	owner, err := c.KeyOwner(ctx)
	if err != nil {
		return OwnerCheck{Result: checkFailure(CheckNameOwner, err)}
	}
	who := Clean(strings.TrimSpace(owner.Admin.Email))
	if who == "" {
		who = "an administrator (the API did not give the e-mail)"
	}
	if !owner.RoleKnown() {
		return OwnerCheck{Owner: owner, Result: CheckResult{Name: CheckNameOwner, State: CheckWarning,
			Detail: who + "; the role could not be determined (JumpCloud does not document where it is)",
			Fix:    "Check in the console (Settings ▸ Administrators) that this admin's role is Read Only."}}
	}
	return OwnerCheck{Owner: owner, Result: CheckResult{Name: CheckNameOwner, State: CheckPassed,
		Detail: fmt.Sprintf("%s, role %s", who, Clean(owner.Role))}}
}

// CheckReadOnly judges the owner's role. A role other than Read Only is a warning that explains
// least privilege (the UI then offers to go back or continue knowingly); an unknown role is a
// warning too, never a block.
func CheckReadOnly(owner jumpcloud.KeyOwner) CheckResult {
	r := CheckResult{Name: CheckNameReadOnly}
	switch {
	case !owner.RoleKnown():
		r.State = CheckWarning
		r.Detail = "unknown: the role could not be determined"
		r.Fix = "Make sure the key's admin has the Read Only role; jcconnect only reads, but the key can do whatever its admin can."
	case jumpcloud.IsReadOnlyRole(owner.Role):
		r.State = CheckPassed
		r.Detail = "yes: the key can read but cannot change anything"
	default:
		r.State = CheckWarning
		r.Detail = fmt.Sprintf("no: the role is %s", Clean(owner.Role))
		r.Fix = LeastPrivilegeWarning
	}
	return r
}

// LeastPrivilegeWarning explains why a key that is not Read Only is a risk.
const LeastPrivilegeWarning = "An API key has exactly the permissions of the admin who generated it. " +
	"jcconnect only reads, but anyone who obtains this key could change or delete users and devices. " +
	"Least privilege: create a Read Only administrator with API access and use that admin's key."

// IsPrivileged reports whether the owner's role is known and is not Read Only.
func IsPrivileged(owner jumpcloud.KeyOwner) bool {
	return owner.RoleKnown() && !jumpcloud.IsReadOnlyRole(owner.Role)
}

// SourcesFor lists the evidence sources to check for the chosen integrations, in display order,
// and which of them are optional (their absence loses a detail, not the integration).
func SourcesFor(in store.Integrations) (sources []jumpcloud.Source, optional map[jumpcloud.Source]bool) {
	optional = map[jumpcloud.Source]bool{jumpcloud.SourceAdmins: true, jumpcloud.SourceAuthnPolicies: true}
	want := map[jumpcloud.Source]bool{jumpcloud.SourceAdmins: true}
	if in.EndpointManagement {
		want[jumpcloud.SourceDevices] = true
		want[jumpcloud.SourcePolicies] = true
		want[jumpcloud.SourcePolicyResults] = true
		want[jumpcloud.SourceInsights] = true
	}
	if in.SSO {
		want[jumpcloud.SourceUsers] = true
		want[jumpcloud.SourceApplications] = true
		want[jumpcloud.SourceAuthnPolicies] = true
	}
	for _, s := range jumpcloud.Sources {
		if want[s] {
			sources = append(sources, s)
		}
	}
	return sources, optional
}

// SourceCheck is whether the key can read one evidence source.
type SourceCheck struct {
	Source   jumpcloud.Source
	Optional bool
	Result   CheckResult
}

// Readable reports whether the source can be collected.
func (s SourceCheck) Readable() bool { return s.Result.State == CheckPassed }

// CheckSource asks with the smallest request whether the key can read src. "Not permitted" and
// "not enabled for this org" are warnings: the rest of the evidence is still collected.
func CheckSource(ctx context.Context, c *jumpcloud.Client, src jumpcloud.Source, optional bool) SourceCheck {
	name := fmt.Sprintf(CheckNameSourceFmt, src)
	sc := SourceCheck{Source: src, Optional: optional}
	err := c.CanRead(ctx, src)
	switch {
	case err == nil:
		sc.Result = CheckResult{Name: name, State: CheckPassed, Detail: "readable"}
	case errors.Is(err, jumpcloud.ErrForbidden):
		sc.Result = CheckResult{Name: name, State: CheckWarning, Err: err,
			Detail: "not permitted for this key's role",
			Fix:    "This evidence will be missing. A Read Only admin can read it; check the admin's role."}
		if optional {
			sc.Result.Fix = "Optional: the rest of the evidence does not need it."
		}
	case optionalFeature(src) && httpStatusOf(err) == 404:
		// A 404 on a feature's route is "not enabled for this org". The message names the
		// organisation, so the client may classify it as an unknown organisation; by now the
		// organisation has been accepted by the other checks, so the feature reading wins.
		sc.Result = CheckResult{Name: name, State: CheckWarning, Err: err,
			Detail: "not enabled for this organisation",
			Fix:    "Enable it in the JumpCloud console if you need this evidence; everything else is collected."}
	default:
		sc.Result = checkFailure(name, err)
	}
	return sc
}

// optionalFeature reports whether a source is a feature an organisation may not have enabled.
func optionalFeature(src jumpcloud.Source) bool {
	return src == jumpcloud.SourceInsights || src == jumpcloud.SourceApplications || src == jumpcloud.SourceAuthnPolicies
}

// httpStatusOf is the HTTP status of an API error, 0 when there was none.
func httpStatusOf(err error) int {
	var je *jumpcloud.Error
	if errors.As(err, &je) {
		return je.Status
	}
	return 0
}

// ExpiryCheck is when the key expires, when the API tells.
type ExpiryCheck struct {
	Created, Expires *time.Time
	Result           CheckResult
}

// expirySoon is when an expiry date becomes a warning.
const expirySoon = 14 * 24 * time.Hour

// CheckExpiry reads the key's dates from the owner record (apiKeyHash).
func CheckExpiry(owner jumpcloud.KeyOwner, now time.Time) ExpiryCheck {
	var created, expires *time.Time
	if h := owner.Admin.APIKeyHash; h != nil {
		created, expires = h.CreatedAt, h.ExpireAt
	}
	ec := ExpiryCheck{Created: created, Expires: expires}
	switch {
	case expires == nil:
		ec.Result = CheckResult{Name: CheckNameExpiry, State: CheckPassed,
			Detail: "JumpCloud did not give an expiry date"}
	case expires.Sub(now) < 0:
		ec.Result = CheckResult{Name: CheckNameExpiry, State: CheckWarning,
			Detail: "the key's expiry date has passed (" + expires.Format("2 Jan 2006") + ")",
			Fix:    "Generate a new key as the Read Only admin and paste it instead."}
	case expires.Sub(now) < expirySoon:
		days := int(expires.Sub(now).Hours() / 24)
		ec.Result = CheckResult{Name: CheckNameExpiry, State: CheckWarning,
			Detail: fmt.Sprintf("expires %s, in %d days", expires.Format("2 Jan 2006"), days),
			Fix:    "Plan a rotation soon: `jcconnect rotate`."}
	default:
		ec.Result = CheckResult{Name: CheckNameExpiry, State: CheckPassed,
			Detail: "expires " + expires.Format("2 Jan 2006")}
	}
	return ec
}

// Verified is the outcome of a successful verification: everything the save step and rotation
// need. Key is the verified key: pass it to the store, never print it (use Masked).
type Verified struct {
	Key          string
	Region       string // "us", "eu", "in" or RegionDemo
	BaseURL      string // set for the demo and custom base URLs
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
func (v Verified) Masked() string { return store.Mask(v.Key) }

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
		KeyLast4: store.Last4(v.Key), Fingerprint: store.Fingerprint(v.Key),
		KeyCreated: v.Created, KeyExpires: v.Expires, VerifiedAt: &at,
	}
	if p.OrgID == "" {
		p.OrgID = v.Owner.OrgID
	}
	return p
}

// VerifyRequest is what a verification needs. NewClient defaults to jumpcloud.New.
type VerifyRequest struct {
	Key          string
	Region       string // "us", "eu", "in" or RegionDemo
	BaseURL      string // the demo's or --base-url
	OrgID        string // preferred organisation (--org-id, the stored profile), "" to ask
	Integrations store.Integrations
	NewClient    func(jumpcloud.Config) (*jumpcloud.Client, error)
	Now          func() time.Time
}

// Client builds the API client for the request.
func (r VerifyRequest) Client() (*jumpcloud.Client, error) {
	cfg := jumpcloud.Config{APIKey: r.Key, BaseURL: r.BaseURL}
	if r.BaseURL == "" {
		cfg.Region = jumpcloud.Region(strings.ToLower(r.Region))
		if cfg.Region == "" {
			cfg.Region = jumpcloud.RegionUS
		}
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
	v := Verified{Key: req.Key, Region: req.Region, BaseURL: req.BaseURL, Integrations: req.Integrations}
	fail := func(r CheckResult) (Verified, error) {
		return v, fmt.Errorf("%w: %s: %s", ErrVerifyFailed, r.Name, r.Detail)
	}
	add := func(r CheckResult) { v.Checks = append(v.Checks, r); report(r) }

	base, err := req.Client()
	if err != nil {
		r := CheckResult{Name: CheckNameKey, State: CheckFailed, Detail: Clean(err.Error()), Err: err,
			Fix: "Check the key, the region and --base-url."}
		add(r)
		return fail(r)
	}
	ka := CheckKeyAccepted(ctx, base, req.Region)
	add(ka.Result)
	if !ka.Result.OK() {
		return fail(ka.Result)
	}
	org, needPick, or := ChooseOrg(ka.Orgs, req.OrgID)
	if needPick {
		if pick == nil {
			or.State = CheckFailed
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

	// The owner and the sources are independent: ask about all of them at once (the client
	// bounds requests in flight) and report them in display order.
	sources, optional := SourcesFor(req.Integrations)
	checks := make([]SourceCheck, len(sources))
	var oc OwnerCheck
	var wg sync.WaitGroup
	wg.Go(func() { oc = CheckOwner(ctx, c) })
	for i, s := range sources {
		wg.Go(func() { checks[i] = CheckSource(ctx, c, s, optional[s]) })
	}
	wg.Wait()
	add(oc.Result)
	if !oc.Result.OK() {
		return fail(oc.Result)
	}
	v.Owner = oc.Owner
	add(CheckReadOnly(oc.Owner))
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
	ec := CheckExpiry(oc.Owner, req.Clock())
	v.Created, v.Expires = ec.Created, ec.Expires
	add(ec.Result)
	v.VerifiedAt = req.Clock()
	return v, nil
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
		case k == jumpcloud.KindInvalidKey || k == jumpcloud.KindForbidden:
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
