package connect

import (
	"strings"

	"jcconnect/store"
)

// VerifyFor is what a verification is of, besides the global flags in Env: the credential, and
// either the stored profile it is for (a rotation) or the wizard's answers (a setup).
type VerifyFor struct {
	Key      store.Secret // the API key, or the service account's client secret
	ClientID string       // a service account's client id ("" for an API key)

	// Profile is the stored profile a rotation replaces the credential of; nil for a setup.
	Profile *store.Profile
	// Region is the region chosen in the wizard ("us", "eu", "in" or RegionDemo); "" when no one
	// chose (headless, rotation).
	Region string
	// Demo is the demo organisation in use: --demo's, or one the wizard started; nil for none.
	Demo         *Demo
	Integrations store.Integrations
}

// NewVerifyRequest is the one place that decides which endpoint, organisation and token host a
// verification talks to. Every face (the wizard's verify step, the --accessible prompts, setup
// --with-key/--with-secret, rotation) builds its request here. Most specific first:
//
//	setting       1st                2nd          3rd                       4th                     last
//	endpoint      the demo in use    --base-url   the wizard's region,      the profile's base URL  US
//	                                              else --region             or region
//	organisation  the profile's      --org-id     -                         -                       asked (or refused
//	              (a rotation stays                                                                 headless)
//	              in its org)
//	token host    the demo's         --token-url  the profile's             -                       the region's
//	client id     given              -            the profile's             -                       (an API key)
//	integrations  the profile's      given        -                         -                       -
//
// JUMPCLOUD_API_KEY and JUMPCLOUD_ORG_ID do not take part: a verification is of the credential
// that was typed or piped in, never of the environment's.
func NewVerifyRequest(env *Env, f VerifyFor) VerifyRequest {
	demo := f.Demo
	if demo == nil {
		demo = env.Demo
	}
	req := VerifyRequest{Key: f.Key, ClientID: f.ClientID, OrgID: env.OrgID, Integrations: f.Integrations,
		NewClient: env.NewClient, Now: env.Now, Known: HistoryOf(env.Store, f.Key), RegionHosts: env.RegionHosts}
	p := f.Profile
	if p != nil {
		req.OrgID, req.Integrations = p.OrgID, p.Integrations
		if p.IsServiceAccount() && req.ClientID == "" {
			req.ClientID = p.ClientID
		}
	}
	req.Region, req.BaseURL = requestEndpoint(env, f.Region, p, demo)
	if req.IsServiceAccount() {
		req.TokenURL = env.TokenURL
		switch {
		case demo != nil && req.Region == RegionDemo:
			req.TokenURL = demo.TokenURL
		case req.TokenURL == "" && p != nil && p.IsServiceAccount():
			req.TokenURL = p.TokenURL
		}
	}
	return req
}

// requestEndpoint is the endpoint row of NewVerifyRequest's table: the region (RegionDemo for
// the demo, "custom" for a stored base URL) and the base URL, "" for an official region.
func requestEndpoint(env *Env, chosen string, p *store.Profile, demo *Demo) (region, baseURL string) {
	chosen = strings.ToLower(chosen)
	switch {
	case demo != nil && (chosen == RegionDemo || chosen == "" && env.Demo != nil):
		return RegionDemo, demo.BaseURL
	case env.BaseURL != "":
		if chosen == "" {
			chosen = strings.ToLower(env.Region)
		}
		return orCustom(chosen), env.BaseURL
	case chosen != "":
		return chosen, ""
	case env.Region != "":
		return strings.ToLower(env.Region), ""
	case p != nil && p.BaseURL != "":
		return "custom", p.BaseURL
	case p != nil && p.Region != "" && p.Region != "custom":
		return strings.ToLower(p.Region), ""
	}
	return "us", ""
}

// orCustom is the region a base URL is labelled with: the one chosen or given, else "custom".
func orCustom(region string) string {
	if region == "" || region == RegionDemo {
		return "custom"
	}
	return region
}
