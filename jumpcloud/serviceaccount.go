package jumpcloud

import (
	"context"
	"errors"
	"strings"
	"time"
)

// Who a service account is, and its role.
//
// What is known: GET /api/v2/service-accounts lists the organisation's service accounts wrapped
// in {results, totalCount}, ids under objectId, with name, roleName, status, expiresAt and the
// credentials in authConfigList (TheJumpCloud/jc-cli internal/serviceaccount/serviceaccount.go,
// "verified live"; internal/cmd service-accounts list). The public v2 spec has the path only as a
// stub. UNCONFIRMED: the fields of an authConfigList entry (jcconnect looks for the client id in
// clientId), and which roles may read the list.
//
// Whether GET /api/users/getSelf answers for a service account's token is UNCONFIRMED: no
// JumpCloud tool calls it with one (jc-cli validates a service account with /organizations
// "best-effort — service accounts may lack /organizations access"; JumpCloud's PowerShell module
// calls /api/settings). getSelf describes an administrator, which a service account is not, so
// jcconnect does not rely on it for service accounts. /api/settings' ROLE is not used either:
// what it holds for a service account is unknown, and a wrong role would be a confident wrong
// answer. When the list does not tell, the role is reported unknown, with where to look.

// RoleUnknownAdvice is what to tell the user when a service account's role cannot be read.
const RoleUnknownAdvice = "role unknown: check it in Settings ▸ Service Accounts"

// ServiceAccount is one item of GET /api/v2/service-accounts.
type ServiceAccount struct {
	ID          string                     `json:"objectId"`
	Name        string                     `json:"name"`
	RoleName    string                     `json:"roleName"`
	Status      string                     `json:"status"`
	ExpiresAt   *time.Time                 `json:"expiresAt"`
	AuthConfigs []ServiceAccountAuthConfig `json:"authConfigList"`

	Unparsed []UnparsedField `json:"unparsed,omitempty"` // see lenient.go
}

func (sa *ServiceAccount) UnmarshalJSON(b []byte) error {
	type plain ServiceAccount
	return decodeRecord(b, (*plain)(sa), nil, nil, &sa.Unparsed)
}

// ServiceAccountAuthConfig is one credential of a service account (an API key or a client
// secret). Field names other than the list's own are UNCONFIRMED (see above).
type ServiceAccountAuthConfig struct {
	ID        string     `json:"objectId"`
	AuthType  string     `json:"authType"` // "API_KEY" or "CLIENT_SECRET" (jc-cli's create body)
	ClientID  string     `json:"clientId"`
	CreatedAt *time.Time `json:"createdAt"`
	ExpiresAt *time.Time `json:"expiresAt"`

	Unparsed []UnparsedField `json:"unparsed,omitempty"`
}

func (ac *ServiceAccountAuthConfig) UnmarshalJSON(b []byte) error {
	type plain ServiceAccountAuthConfig
	return decodeRecord(b, (*plain)(ac), nil, nil, &ac.Unparsed)
}

// ServiceAccounts lists the organisation's service accounts.
func (c *Client) ServiceAccounts(ctx context.Context, opt ListOptions) ([]ServiceAccount, error) {
	return listAll[ServiceAccount](ctx, c, listSpec{path: "/api/v2/service-accounts", source: "service accounts",
		pageSize: MaxPageSize}, opt)
}

// ServiceAccountIdentity is what the API tells about the service account a client authenticates
// as. When the role could not be read, Role is "" and Unknown says why, for the user.
type ServiceAccountIdentity struct {
	ClientID string
	Account  ServiceAccount // zero unless Found
	Found    bool
	Role     string
	// SecretExpiries are the expiry dates of the account's client secrets. A service account
	// holds up to two and the list does not say which one this client uses: with one secret its
	// date is this secret's; with two, this secret expires on one of them.
	SecretExpiries []time.Time
	Unknown        string
}

// RoleKnown reports whether the role could be read.
func (id ServiceAccountIdentity) RoleKnown() bool { return strings.TrimSpace(id.Role) != "" }

// Owner is the identity as a KeyOwner, for the code that decides about roles (least privilege,
// which sources a role can read) the same way for both credentials.
func (id ServiceAccountIdentity) Owner() KeyOwner {
	o := KeyOwner{Role: id.Role}
	if id.RoleKnown() {
		o.RoleSource = "service-accounts"
	}
	return o
}

// SecretExpiry is the expiry of this client's secret when it is certain (the account holds one
// secret), else nil.
func (id ServiceAccountIdentity) SecretExpiry() *time.Time {
	if len(id.SecretExpiries) != 1 {
		return nil
	}
	t := id.SecretExpiries[0]
	return &t
}

// ServiceAccountIdentity finds the client's own service account in the list by its client id.
// A failure that only means "the list will not tell" (403, 404, an answer of another shape) gives
// an identity with Unknown set and no error; a refused token, the network or a cancel are errors.
func (c *Client) ServiceAccountIdentity(ctx context.Context) (ServiceAccountIdentity, error) {
	cc, ok := c.auth.(*clientCredentials)
	if !ok {
		return ServiceAccountIdentity{}, errors.New("jumpcloud: ServiceAccountIdentity needs a service-account client")
	}
	id := ServiceAccountIdentity{ClientID: cc.id}
	list, err := c.ServiceAccounts(ctx, ListOptions{})
	switch {
	case err != nil && roleUnavailable(err):
		id.Unknown = RoleUnknownAdvice + " (the service-account list could not be read: " + (*Error).Summary(asError(err)) + ")"
		return id, nil
	case err != nil:
		return id, err
	}
	for _, sa := range list {
		for _, ac := range sa.AuthConfigs {
			if ac.ClientID != "" && ac.ClientID == cc.id {
				id.Account, id.Found = sa, true
			}
		}
	}
	if !id.Found {
		id.Unknown = RoleUnknownAdvice + " (the service-account list does not show this client id)"
		return id, nil
	}
	for _, ac := range id.Account.AuthConfigs {
		if strings.EqualFold(ac.AuthType, "CLIENT_SECRET") && ac.ExpiresAt != nil {
			id.SecretExpiries = append(id.SecretExpiries, *ac.ExpiresAt)
		}
	}
	id.Role = sanitizeText(id.Account.RoleName, 80)
	if !id.RoleKnown() {
		id.Unknown = RoleUnknownAdvice + " (the service-account list shows no role for it)"
	}
	return id, nil
}

// asError is err as an *Error (roleUnavailable has checked that it is one).
func asError(err error) *Error {
	var e *Error
	errors.As(err, &e)
	return e
}
