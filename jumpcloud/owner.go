package jumpcloud

import (
	"context"
	"errors"
	"strings"
)

// Self is GET /api/users/getSelf (undocumented; never sends x-org-id).
func (c *Client) Self(ctx context.Context) (Admin, error) {
	var a Admin
	rq := request{path: "/api/users/getSelf", source: "key owner"}
	resp, err := c.get(ctx, rq)
	if err != nil {
		return a, err
	}
	return a, c.decodeOne(resp, rq, &a)
}

// Settings is GET /api/settings (undocumented).
func (c *Client) Settings(ctx context.Context) (Settings, error) {
	var s Settings
	rq := request{path: "/api/settings", source: "settings"}
	resp, err := c.get(ctx, rq)
	if err != nil {
		return s, err
	}
	return s, c.decodeOne(resp, rq, &s)
}

// KeyOwner finds who owns the key and their role: getSelf, falling back to settings for the
// role. A 401 is returned as an error; when neither endpoint tells the role (404/403/garbage) it
// returns a KeyOwner with an empty Role and no error, so the caller can warn and continue.
//
// For a service account it asks the service-account list instead (ServiceAccountIdentity):
// getSelf and settings describe administrators, and what they say about a service account's
// token is unconfirmed.
func (c *Client) KeyOwner(ctx context.Context) (KeyOwner, error) {
	if c.auth.Kind() == CredentialServiceAccount {
		id, err := c.ServiceAccountIdentity(ctx)
		return id.Owner(), err
	}
	var owner KeyOwner
	admin, err := c.Self(ctx)
	switch {
	case err == nil:
		owner.Admin = admin
		owner.OrgID = strings.TrimSpace(admin.Organization)
		if strings.TrimSpace(admin.RoleName) != "" {
			owner.Role = strings.TrimSpace(admin.RoleName)
			owner.RoleSource = "getSelf"
			return owner, nil
		}
	case !roleUnavailable(err):
		return owner, err
	}

	settings, err := c.Settings(ctx)
	switch {
	case err == nil:
		if owner.OrgID == "" {
			owner.OrgID = strings.TrimSpace(settings.OrgID)
		}
		if role := strings.TrimSpace(settings.Role); role != "" {
			owner.Role = role
			owner.RoleSource = "settings"
		}
	case !roleUnavailable(err):
		return owner, err
	}
	return owner, nil
}

// roleUnavailable is true for the answers that mean "this endpoint will not tell us" (it is
// undocumented: it may be missing, forbidden or answer oddly), as opposed to a bad key, a network
// problem or a cancel, which the caller must see.
func roleUnavailable(err error) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	switch e.Kind {
	case KindNotFound, KindForbidden, KindNotJSON, KindShape, KindBadRequest, KindTooLarge, KindServer, KindUnknown:
		return true
	}
	return false
}
