package jctest

import (
	"fmt"
	"strings"
	"time"
)

// apiKey is one API key the server accepts. The raw key is only ever a map key in Server.keys;
// everything recorded about a request uses label.
type apiKey struct {
	label       string
	admin       *admin
	orgs        []int // organisations the key can see, by index; more than one = multi-tenant
	multiTenant bool
	revoked     bool
	expires     time.Time // zero: never

	selfHidden     bool     // getSelf answers 404 (role must come from /api/settings)
	settingsHidden bool     // /api/settings answers 404
	deny           []string // path prefixes answered 403 for this key (beyond its role)
}

const keyAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// defaultKeyTTL is JumpCloud's default key lifetime (reference §2.3).
const defaultKeyTTL = 90 * 24 * time.Hour

// newKeyLocked returns a fresh key: "jca_" + 36 alphanumerics, the only public sample's format
// (reference §2.3). Keys come from their own seeded stream, so the same seed gives the same keys.
func (s *Server) newKeyLocked() string {
	var b strings.Builder
	b.WriteString("jca_")
	for range 36 {
		b.WriteByte(keyAlphabet[s.keyRand.IntN(len(keyAlphabet))])
	}
	return b.String()
}

// issueLocked creates a key for a (new or existing) admin and registers it.
func (s *Server) issueLocked(label string, a *admin, orgs []int) string {
	key := s.newKeyLocked()
	a.apiKeyAllowed = true
	a.keyPrefix = key[:8]
	// Keys issued at start-up were created a few hours before Now; later ones (AddKey,
	// RotateKey) at the server's current time.
	a.keyCreated = s.now.Add(-time.Duration(len(s.keys)+1) * time.Hour)
	if s.started {
		a.keyCreated = s.clock().Truncate(time.Millisecond)
	}
	a.keyExpires = a.keyCreated.Add(defaultKeyTTL)
	s.keys[key] = &apiKey{label: label, admin: a, orgs: orgs, multiTenant: len(orgs) > 1,
		expires: a.keyExpires}
	return key
}

// newAdminLocked adds an administrator to org (or to the provider when orgIdx is -1).
func (s *Server) newAdminLocked(first, last, role string, orgIdx int) *admin {
	s.adminSeq++
	domain := s.orgs[0].domain
	if orgIdx >= 0 {
		domain = s.orgs[orgIdx].domain
	}
	a := &admin{
		id:        objectID(kindAdmin, 0xff, s.orgs[0].salt, s.adminSeq),
		email:     strings.ToLower(first+"."+last) + "@" + domain,
		first:     first,
		last:      last,
		role:      role,
		orgIdx:    orgIdx,
		mfa:       true,
		totp:      true,
		created:   s.now.Add(-time.Duration(30+s.adminSeq) * 24 * time.Hour).Truncate(time.Millisecond),
		lastLogin: s.now.Add(-time.Duration(s.adminSeq) * time.Hour).Truncate(time.Millisecond),
	}
	if orgIdx >= 0 {
		s.orgs[orgIdx].admins = append(s.orgs[orgIdx].admins, a)
	} else {
		for _, o := range s.orgs[:3] {
			o.admins = append(o.admins, a)
		}
	}
	return a
}

// setupKeys creates the keys of Keys, in a fixed order so a seed always gives the same keys.
func (s *Server) setupKeys() {
	s.lockState()
	defer s.mu.Unlock()
	ro := s.newAdminLocked("Evidence", "Reader", "Read Only", 0)
	s.Keys.ReadOnly = s.issueLocked("read-only", ro, []int{0})
	ad := s.newAdminLocked("Ops", "Admin", "Administrator", 0)
	s.Keys.Admin = s.issueLocked("admin", ad, []int{0})
	former := s.newAdminLocked("Former", "Auditor", "Read Only", 0)
	s.Keys.Revoked = s.issueLocked("revoked", former, []int{0})
	s.keys[s.Keys.Revoked].revoked = true
	old := s.newAdminLocked("Lapsed", "Reader", "Read Only", 0)
	s.Keys.Expired = s.issueLocked("expired", old, []int{0})
	k := s.keys[s.Keys.Expired]
	old.keyCreated = s.now.Add(-91 * 24 * time.Hour).Truncate(time.Millisecond)
	old.keyExpires = s.now.Add(-24 * time.Hour).Truncate(time.Millisecond)
	k.expires = old.keyExpires
	msp := s.newAdminLocked("Partner", "Auditor", "Read Only", -1)
	s.Keys.MultiTenant = s.issueLocked("multi-tenant", msp, []int{0, 1, 2})
	other := s.newAdminLocked("Fabrikam", "Reader", "Read Only", 3)
	s.Keys.OtherOrg = s.issueLocked("other-org", other, []int{3})
}

// orgIndex finds an organisation by id.
func (s *Server) orgIndex(id string) (int, bool) {
	for i, o := range s.orgs {
		if strings.EqualFold(o.id, id) {
			return i, true
		}
	}
	return 0, false
}

// orgIndexes turns organisation ids into indexes; none means the main organisation. It panics on
// an unknown id, naming the calling function (a test bug).
func (s *Server) orgIndexes(caller string, orgIDs []string) []int {
	if len(orgIDs) == 0 {
		return []int{0}
	}
	var orgs []int
	for _, id := range orgIDs {
		i, ok := s.orgIndex(id)
		if !ok {
			panic(fmt.Sprintf("jctest: %s: unknown organisation id %q (use Server.Orgs())", caller, id))
		}
		orgs = append(orgs, i)
	}
	return orgs
}

// AddKey creates a new administrator with the given role (any name: a built-in role such as
// "Manager" or a custom role) and returns its API key. With no orgIDs the admin belongs to the
// main organisation; with more than one it is a multi-tenant admin that needs x-org-id. It panics
// on an unknown organisation id (a test bug), like httptest does on setup errors.
func (s *Server) AddKey(role string, orgIDs ...string) string {
	s.lockState()
	defer s.mu.Unlock()
	orgs := s.orgIndexes("AddKey", orgIDs)
	orgIdx := orgs[0]
	if len(orgs) > 1 {
		orgIdx = -1
	}
	s.addedKeys++
	a := s.newAdminLocked("Added", fmt.Sprintf("Admin%d", s.addedKeys), role, orgIdx)
	return s.issueLocked(fmt.Sprintf("added-%d", s.addedKeys), a, orgs)
}

// RotateKey does what "Generate New API Key" does in the console: issues a new key for the same
// admin and revokes oldKey (and any other key of that admin) at once. It returns "" when oldKey
// is not a key of this server. Server.Keys keeps the original keys.
func (s *Server) RotateKey(oldKey string) (newKey string) {
	s.lockState()
	defer s.mu.Unlock()
	old, ok := s.keys[oldKey]
	if !ok {
		return ""
	}
	for _, k := range s.keys {
		if k.admin == old.admin {
			k.revoked = true
		}
	}
	s.rotations++
	label := fmt.Sprintf("%s-rotated-%d", strings.SplitN(old.label, "-rotated-", 2)[0], s.rotations)
	newKey = s.issueLocked(label, old.admin, old.orgs)
	nk := s.keys[newKey]
	nk.selfHidden, nk.settingsHidden = old.selfHidden, old.settingsHidden
	nk.deny = append([]string(nil), old.deny...)
	return newKey
}

// RevokeKey makes a key answer 401 from now on.
func (s *Server) RevokeKey(key string) {
	s.lockState()
	defer s.mu.Unlock()
	if k, ok := s.keys[key]; ok {
		k.revoked = true
	}
}

// DisableSelf makes GET /api/users/getSelf answer 404 for key, as for an admin whose record the
// undocumented endpoint does not return; the role then has to come from /api/settings.
func (s *Server) DisableSelf(key string) {
	s.withKey(key, func(k *apiKey) { k.selfHidden = true })
}

// DisableSettings makes GET /api/settings answer 404 for key. With DisableSelf too, the key's
// role cannot be determined at all.
func (s *Server) DisableSettings(key string) {
	s.withKey(key, func(k *apiKey) { k.settingsHidden = true })
}

// Deny makes every request of key whose path starts with pathPrefix answer 403, as if its role
// could not read that source ("/api/v2/systeminsights", "/api/applications", ...).
func (s *Server) Deny(key, pathPrefix string) {
	s.withKey(key, func(k *apiKey) { k.deny = append(k.deny, pathPrefix) })
}

func (s *Server) withKey(key string, f func(*apiKey)) {
	s.lockState()
	defer s.mu.Unlock()
	if k, ok := s.keys[key]; ok {
		f(k)
	}
}

// keyLabel returns the label of a key for recording ("" for no or unknown key).
func (s *Server) keyLabel(key string) string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if k, ok := s.keys[key]; ok {
		return k.label
	}
	return ""
}
