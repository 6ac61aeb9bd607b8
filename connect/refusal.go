package connect

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"jcconnect/jumpcloud"
	"jcconnect/store"
)

// RefusedKeyFix is the way out of a refused key. JumpCloud shows a key only once, so a key
// generated since cannot be copied again: the admin generates a new one. Every face (wizard,
// rotate, setup --with-key) shows this one sentence.
const RefusedKeyFix = "Sign in to the JumpCloud console as that admin and generate a new key " +
	"(My API Key ▸ Generate New API Key): JumpCloud shows a key only once, so an earlier one cannot be copied again."

// KeyHistory is what is known of a key before it is checked: whether a stored profile holds it
// (its fingerprint matches, so it once passed verification) and the expiry recorded then.
type KeyHistory struct {
	Verified bool
	Expires  *time.Time
	// Region is the region the key was verified in: a key that worked there belongs there, so
	// the other regions are not asked about it.
	Region string
}

// HistoryOf looks key up among the stored profiles by fingerprint.
func HistoryOf(st *store.Store, key store.Secret) KeyHistory {
	if st == nil || key.IsZero() {
		return KeyHistory{}
	}
	profiles, _, err := st.Profiles()
	if err != nil {
		return KeyHistory{}
	}
	fp := key.Fingerprint()
	for _, p := range profiles {
		if p.Fingerprint == fp {
			return KeyHistory{Verified: true, Expires: p.KeyExpires, Region: p.Region}
		}
	}
	return KeyHistory{}
}

// regionProbeTimeout bounds asking the other regions about a refused key: a hint, never a wait.
const regionProbeTimeout = 10 * time.Second

// explainRefusal turns a 401 into what is known: the server said the key expired, the expiry
// stored with it has passed, another official region accepts it, or it once worked here (so it
// was revoked), before falling back to "not valid here".
func explainRefusal(ctx context.Context, req VerifyRequest, err error, r CheckResult) CheckResult {
	now := req.Clock()
	var je *jumpcloud.Error
	switch {
	case errors.As(err, &je) && strings.Contains(strings.ToLower(je.ServerMessage), "expired"):
		r.Detail = "refused: the key has expired (JumpCloud says so)"
		r.Fix = RefusedKeyFix + " Pick a longer expiry, and rotate before it runs out (`jcconnect status` shows the date)."
		return r
	case req.Known.Expires != nil && !now.Before(*req.Known.Expires):
		r.Detail = "refused: the key expired on " + req.Known.Expires.Format("2 Jan 2006")
		r.Fix = RefusedKeyFix + " Pick a longer expiry, and rotate before it runs out."
		return r
	}
	if other, ok := regionAccepting(ctx, req); ok {
		r.Detail = fmt.Sprintf("refused by %s: this key belongs to the %s region", RegionLabel(req.Region), RegionLabel(other))
		r.Fix = fmt.Sprintf("Run with --region %s.", other)
		return r
	}
	if req.Known.Verified {
		r.Detail = "refused: this key worked before, so it has been revoked (a new key was generated for its admin, or the admin lost API access)"
		r.Fix = RefusedKeyFix
		return r
	}
	r.Detail = "refused: JumpCloud does not know this key (mistyped or cut short, revoked, or expired)"
	switch {
	case req.officialRegion():
		r.Detail += "; no other region accepts it either"
	case req.Region != RegionDemo:
		// A custom base URL is never asked about other hosts: say it may be the wrong one.
		r.Detail = "refused by " + req.Where() + ": it does not know this key (mistyped or cut short, revoked, expired, or issued by another region or server)"
	}
	r.Fix = "Paste the key again, whole. If it still fails: " + RefusedKeyFix
	return r
}

// officialRegion reports whether the request goes to one of JumpCloud's regions (not the demo,
// not a custom base URL): only then may the other regions be asked about the key.
func (r VerifyRequest) officialRegion() bool {
	if r.BaseURL != "" {
		return false
	}
	_, err := jumpcloud.ParseRegion(r.Region)
	return err == nil
}

// regionAccepting asks the OTHER official regions, never a custom base URL, whether they
// accept the key, and returns the first that does.
func regionAccepting(ctx context.Context, req VerifyRequest) (string, bool) {
	// A service account's secret goes to its token host only; a refused one is told by CheckToken.
	if !req.officialRegion() || req.IsServiceAccount() {
		return "", false
	}
	if req.Known.Verified && strings.EqualFold(req.Known.Region, req.Region) {
		return "", false // it worked in this very region: it belongs here
	}
	ctx, cancel := context.WithTimeout(ctx, regionProbeTimeout)
	defer cancel()
	for _, region := range jumpcloud.Regions {
		if strings.EqualFold(string(region), req.Region) {
			continue
		}
		other := req
		other.Region = string(region)
		c, err := other.Client()
		if err != nil {
			continue
		}
		if _, err := c.Organizations(ctx); err == nil {
			return string(region), true
		}
	}
	return "", false
}

// ExplainRefused names the one cause of a 401 to the key a command used (status, devices,
// export), instead of the client's summary that lists every possible cause at once: the same
// reading as the wizard's (explainRefusal), with what the profile knows of the key. ok is false
// when err is not a refused API key (a service account's refusals are told by the token checks).
func ExplainRefused(ctx context.Context, env *Env, conn Connection, key store.Secret, err error) (cause, fix string, ok bool) {
	if jumpcloud.KindOf(err) != jumpcloud.KindInvalidKey || key.IsZero() ||
		(conn.Client != nil && conn.Client.CredentialKind() == jumpcloud.CredentialServiceAccount) {
		return "", "", false
	}
	req := VerifyRequest{Key: key, Region: conn.Region, BaseURL: conn.BaseURL, OrgID: conn.OrgID,
		NewClient: env.NewClient, Now: env.Now, RegionHosts: env.RegionHosts}
	if conn.HasProfile && conn.Profile.Fingerprint == key.Fingerprint() {
		// This very key passed verification when it was stored: a refusal now is an expiry or a
		// revocation, never a typo.
		req.Known = KeyHistory{Verified: true, Expires: conn.Profile.KeyExpires, Region: conn.Profile.Region}
	} else {
		req.Known = HistoryOf(env.Store, key)
	}
	if env.Demo != nil && conn.BaseURL == env.Demo.BaseURL {
		req.Region = RegionDemo
	}
	r := explainRefusal(ctx, req, err, CheckResult{})
	return strings.TrimPrefix(r.Detail, "refused: "), r.Fix, true
}
