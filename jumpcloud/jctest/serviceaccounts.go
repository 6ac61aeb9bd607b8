package jctest

import (
	"fmt"
	"strings"
	"time"
)

// Service accounts: non-human identities with a role, a client id and two client-secret slots
// (JumpCloud: "Each Service Account has 2 Client Secrets for rotation", secret lifetimes 30, 60,
// 90 or 365 days; DOC-SA and TheJumpCloud/jc-cli internal/serviceaccount). The secret is
// exchanged at the token endpoint (token.go) for a bearer token, which the API then accepts in
// place of x-api-key.

// ServiceAccountCredentials are what the console shows once when a secret is generated.
type ServiceAccountCredentials struct {
	ClientID     string
	ClientSecret string
}

// ServiceAccounts are the server's service accounts, each demonstrating one case.
type ServiceAccounts struct {
	ReadOnly    ServiceAccountCredentials // Read Only role: the recommended setup
	Admin       ServiceAccountCredentials // Administrator role: works, more privilege than needed
	Expired     ServiceAccountCredentials // its only secret is past its lifetime
	Revoked     ServiceAccountCredentials // the secret was deleted in the console
	MultiTenant ServiceAccountCredentials // Read Only, sees three organisations, needs x-org-id
}

// TokenPath is where the token endpoint is served: Server.TokenURL is Server.URL + TokenPath.
// The real one is a host of its own (admin-oauth.id.jumpcloud.com/oauth2/token); jctest serves it
// on the same listener under the same path.
const TokenPath = "/oauth2/token"

// defaultSecretLifetime: the console offers 30/60/90/365 days; jctest's secrets get 90.
const defaultSecretLifetime = 90 * 24 * time.Hour

// defaultTokenTTL is the documented token lifetime (about an hour).
const defaultTokenTTL = time.Hour

type serviceAccount struct {
	id       string // objectId
	name     string
	clientID string
	slots    [2]*clientSecret // nil: free slot
	key      *apiKey          // what the API checks for its tokens: role, organisations, denials
	created  time.Time
}

type clientSecret struct {
	id      string // the auth config's objectId
	value   string
	created time.Time
	expires time.Time
}

// bearer is an issued access token.
type bearer struct {
	sa      *serviceAccount
	expires time.Time
	revoked bool
}

const secretAlphabet = keyAlphabet

// newSecretLocked is a client secret: 48 alphanumerics. JumpCloud's format is UNCONFIRMED;
// nothing in jcconnect may depend on it.
func (s *Server) newSecretLocked(n int) string {
	var b strings.Builder
	for range n {
		b.WriteByte(secretAlphabet[s.saRand.IntN(len(secretAlphabet))])
	}
	return b.String()
}

// newClientIDLocked is a client id shaped like a UUID (UNCONFIRMED format).
func (s *Server) newClientIDLocked() string {
	const hex = "0123456789abcdef"
	var b strings.Builder
	for i := range 32 {
		if i == 8 || i == 12 || i == 16 || i == 20 {
			b.WriteByte('-')
		}
		b.WriteByte(hex[s.saRand.IntN(16)])
	}
	return b.String()
}

// addServiceAccountLocked creates a service account with one fresh secret in slot 0.
func (s *Server) addServiceAccountLocked(name, role string, orgs []int) *serviceAccount {
	s.saSeq++
	created := s.clock().Truncate(time.Millisecond)
	if !s.started {
		created = s.now.Add(-time.Duration(s.saSeq) * time.Hour)
	}
	orgIdx := orgs[0]
	if len(orgs) > 1 {
		orgIdx = -1
	}
	// The account's role is carried by an admin record that no admin list shows: roleDenies and
	// the per-key denials then apply to its tokens exactly as to a key of that role.
	a := &admin{id: objectID(kindServiceAccount, 0xff, s.orgs[0].salt, s.saSeq), first: name, role: role, orgIdx: orgIdx}
	sa := &serviceAccount{
		id: a.id, name: name, clientID: s.newClientIDLocked(), created: created,
		// getSelf is an admin endpoint: jctest answers 404 to a service account's token
		// (UNCONFIRMED, see NOTES.md), so its role must come from /api/v2/service-accounts.
		key: &apiKey{label: "sa-" + slug(name), admin: a, orgs: orgs, multiTenant: len(orgs) > 1, selfHidden: true},
	}
	sa.slots[0] = s.newClientSecretLocked(sa, created)
	s.serviceAccounts[sa.clientID] = sa
	return sa
}

func (s *Server) newClientSecretLocked(sa *serviceAccount, created time.Time) *clientSecret {
	s.secretSeq++
	cs := &clientSecret{id: objectID(kindServiceAccount, 0xfe, s.orgs[0].salt, s.secretSeq),
		value: s.newSecretLocked(48), created: created, expires: created.Add(defaultSecretLifetime)}
	s.secretLabels[cs.value] = sa.key.label // kept after deletion, so Seen can still hide it
	return cs
}

func slug(name string) string {
	return strings.ToLower(strings.ReplaceAll(strings.TrimSpace(name), " ", "-"))
}

// setupServiceAccounts creates ServiceAccounts, in a fixed order from their own random stream, so
// the keys of a seed stay what they were before service accounts existed.
func (s *Server) setupServiceAccounts() {
	s.lockState()
	defer s.mu.Unlock()
	creds := func(sa *serviceAccount) ServiceAccountCredentials {
		return ServiceAccountCredentials{ClientID: sa.clientID, ClientSecret: sa.slots[0].value}
	}
	s.ServiceAccounts.ReadOnly = creds(s.addServiceAccountLocked("Evidence Collector", "Read Only", []int{0}))
	s.ServiceAccounts.Admin = creds(s.addServiceAccountLocked("Provisioning Bot", "Administrator", []int{0}))
	old := s.addServiceAccountLocked("Lapsed Collector", "Read Only", []int{0})
	old.slots[0].created = s.now.Add(-91 * 24 * time.Hour).Truncate(time.Millisecond)
	old.slots[0].expires = s.now.Add(-24 * time.Hour).Truncate(time.Millisecond)
	s.ServiceAccounts.Expired = creds(old)
	gone := s.addServiceAccountLocked("Former Collector", "Read Only", []int{0})
	s.ServiceAccounts.Revoked = creds(gone)
	gone.slots[0] = nil // deleted in the console: the secret answers invalid_client
	s.ServiceAccounts.MultiTenant = creds(s.addServiceAccountLocked("Partner Collector", "Read Only", []int{0, 1, 2}))
}

// AddServiceAccount creates a service account with the given role (a built-in role such as
// "Manager" or any custom role name) and returns its credentials. With no orgIDs it belongs to
// the main organisation; with more than one it needs x-org-id. It panics on an unknown
// organisation id (a test bug).
func (s *Server) AddServiceAccount(role string, orgIDs ...string) ServiceAccountCredentials {
	s.lockState()
	defer s.mu.Unlock()
	orgs := s.orgIndexes("AddServiceAccount", orgIDs)
	sa := s.addServiceAccountLocked(fmt.Sprintf("Added Service Account %d", s.saSeq+1), role, orgs)
	return ServiceAccountCredentials{ClientID: sa.clientID, ClientSecret: sa.slots[0].value}
}

// AddClientSecret does what "generate a second secret" does in the console: it fills the free
// slot of the service account and returns the new secret, while the other secret keeps working.
// It returns "" when the client id is unknown or both slots hold a secret (delete one first).
func (s *Server) AddClientSecret(clientID string) string {
	s.lockState()
	defer s.mu.Unlock()
	sa, ok := s.serviceAccounts[clientID]
	if !ok {
		return ""
	}
	for i, slot := range sa.slots {
		if slot == nil {
			sa.slots[i] = s.newClientSecretLocked(sa, s.clock().Truncate(time.Millisecond))
			return sa.slots[i].value
		}
	}
	return ""
}

// DeleteClientSecret removes a secret from its slot, as the console's delete does: it answers
// invalid_client from then on. Tokens already issued with it stay valid until they expire
// (UNCONFIRMED; JumpCloud's tokens are not documented as revocable).
func (s *Server) DeleteClientSecret(clientID, secret string) {
	s.lockState()
	defer s.mu.Unlock()
	if sa, ok := s.serviceAccounts[clientID]; ok {
		for i, slot := range sa.slots {
			if slot != nil && slot.value == secret {
				sa.slots[i] = nil
			}
		}
	}
}

// ExpireClientSecret sets a secret's expiry to the server's current time: it answers as expired
// from then on.
func (s *Server) ExpireClientSecret(clientID, secret string) {
	s.lockState()
	defer s.mu.Unlock()
	if sa, ok := s.serviceAccounts[clientID]; ok {
		for _, slot := range sa.slots {
			if slot != nil && slot.value == secret {
				slot.expires = s.clock().Add(-time.Millisecond)
			}
		}
	}
}

// RevokeTokens makes every token issued to the service account answer 401 from now on (as when
// the account is deleted), while its secrets still get new tokens.
func (s *Server) RevokeTokens(clientID string) {
	s.lockState()
	defer s.mu.Unlock()
	for _, b := range s.tokens {
		if b.sa.clientID == clientID {
			b.revoked = true
		}
	}
}

// DenyServiceAccount makes every request with a token of the service account whose path starts
// with pathPrefix answer 403, as Deny does for a key (e.g. "/api/v2/service-accounts", to test a
// role that cannot read the service-account list).
func (s *Server) DenyServiceAccount(clientID, pathPrefix string) {
	s.lockState()
	defer s.mu.Unlock()
	if sa, ok := s.serviceAccounts[clientID]; ok {
		sa.key.deny = append(sa.key.deny, pathPrefix)
	}
}

// SetTokenTTL sets the lifetime of tokens issued from now on (default one hour); tests of the
// refresh path use seconds.
func (s *Server) SetTokenTTL(d time.Duration) {
	s.lockState()
	defer s.mu.Unlock()
	s.tokenTTL = d
}

// OmitExpiresIn makes the token endpoint leave expires_in out of its answers, so a client's
// default lifetime is exercised.
func (s *Server) OmitExpiresIn(omit bool) {
	s.lockState()
	defer s.mu.Unlock()
	s.omitExpiresIn = omit
}

// Advance moves the server's clock forward by d: tokens, secrets and keys expire by it. Tests use
// it with a fake client clock instead of sleeping.
func (s *Server) Advance(d time.Duration) {
	s.pages.invalidate()
	s.offset.Add(int64(d))
}

// TokensIssued counts the tokens the endpoint has issued since start.
func (s *Server) TokensIssued() int { return int(s.tokensIssued.Load()) }
