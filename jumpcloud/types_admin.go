package jumpcloud

import (
	"strings"
	"time"
)

// APIKeyInfo is the key metadata on an admin record (never the key itself).
type APIKeyInfo struct {
	Prefix    string     `json:"prefix"`
	CreatedAt *time.Time `json:"createdAt"`
	ExpireAt  *time.Time `json:"expireAt"`
}

// Admin is an administrator record: GET /api/users/getSelf (the key owner) and GET /api/users.
type Admin struct {
	ID                string      `json:"id"`
	Email             string      `json:"email"`
	Firstname         string      `json:"firstname"`
	Lastname          string      `json:"lastname"`
	Organization      string      `json:"organization"`
	Provider          string      `json:"provider"`
	RoleName          string      `json:"roleName"`
	EnableMultiFactor *bool       `json:"enableMultiFactor"`
	TOTPEnrolled      *bool       `json:"totpEnrolled"`
	Suspended         bool        `json:"suspended"`
	APIKeyAllowed     *bool       `json:"apiKeyAllowed"`
	APIKeySet         *bool       `json:"apiKeySet"`
	APIKeyUpdatedAt   *time.Time  `json:"apiKeyUpdatedAt"`
	APIKeyHash        *APIKeyInfo `json:"apiKeyHash"`
	Created           *time.Time  `json:"created"`
	LastLogin         *time.Time  `json:"lastLogin"`

	Unparsed []UnparsedField `json:"unparsed,omitempty"`
}

func (a *Admin) UnmarshalJSON(b []byte) error {
	type plain Admin
	aux := struct {
		*plain
		UnderscoreID string `json:"_id"`
	}{plain: (*plain)(a)}
	return decodeRecord(b, &aux, &a.ID, &aux.UnderscoreID, &a.Unparsed)
}

// Built-in administrator roles (../shared/jumpcloud-api.md §3.3). Compare with RoleIs, never ==:
// the API and the docs disagree on case ("With"/"with").
const (
	RoleAdminWithBilling         = "Administrator With Billing"
	RoleAdministrator            = "Administrator"
	RoleManager                  = "Manager"
	RoleCommandRunnerWithBilling = "Command Runner With Billing"
	RoleCommandRunner            = "Command Runner"
	RoleHelpDesk                 = "Help Desk"
	RoleBillingOnly              = "Billing Only"
	RoleReadOnly                 = "Read Only"
)

// BuiltInRoles lists JumpCloud's built-in roles, most privileged first.
var BuiltInRoles = []string{RoleAdminWithBilling, RoleAdministrator, RoleManager,
	RoleCommandRunnerWithBilling, RoleCommandRunner, RoleHelpDesk, RoleBillingOnly, RoleReadOnly}

// RoleIs reports whether a role name from the API is the given role, ignoring case and
// surrounding space.
func RoleIs(got, want string) bool {
	return strings.EqualFold(strings.TrimSpace(got), strings.TrimSpace(want))
}

// IsReadOnlyRole reports whether the role is JumpCloud's built-in Read Only role.
func IsReadOnlyRole(role string) bool { return RoleIs(role, RoleReadOnly) }

// IsBuiltInRole reports whether the role is one of the built-in roles (else it is custom).
func IsBuiltInRole(role string) bool {
	for _, r := range BuiltInRoles {
		if RoleIs(role, r) {
			return true
		}
	}
	return false
}

// KeyOwner is who a key belongs to, as far as the API tells. RoleSource says where the role came
// from ("getSelf", "settings") or is empty when it could not be determined (both endpoints are
// undocumented; the caller must then warn, not block).
type KeyOwner struct {
	Admin      Admin
	Role       string
	RoleSource string
	// OrgID is the organisation the key belongs to when the API told (getSelf organization or
	// settings ORG_ID).
	OrgID string
	// RoleNote says why the role is unknown when it is: what getSelf and settings answered.
	RoleNote string
}

// RoleKnown reports whether the owner's role could be determined.
func (k KeyOwner) RoleKnown() bool { return strings.TrimSpace(k.Role) != "" }
