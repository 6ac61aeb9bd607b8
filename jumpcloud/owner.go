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
// role. Both endpoints are undocumented and may not answer for every kind of key, so any failure
// of theirs (a 401 included: the key may be refused there and accepted everywhere else) leaves
// the role unknown, with RoleNote saying what each answered, and no error. Only a cancel or an
// expired context is returned as an error.
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
	admin, selfErr := c.Self(ctx)
	switch {
	case selfErr == nil:
		owner.Admin = admin
		owner.OrgID = strings.TrimSpace(admin.Organization)
		if strings.TrimSpace(admin.RoleName) != "" {
			owner.Role = strings.TrimSpace(admin.RoleName)
			owner.RoleSource = "getSelf"
			return owner, nil
		}
	case stopped(ctx, selfErr):
		return owner, selfErr
	}

	settings, setErr := c.Settings(ctx)
	switch {
	case setErr == nil:
		if owner.OrgID == "" {
			owner.OrgID = strings.TrimSpace(settings.OrgID)
		}
		if role := strings.TrimSpace(settings.Role); role != "" {
			owner.Role = role
			owner.RoleSource = "settings"
			return owner, nil
		}
	case stopped(ctx, setErr):
		return owner, setErr
	}
	owner.RoleNote = "getSelf " + answerSummary(selfErr, "gave no role") + "; settings " + answerSummary(setErr, "gave no role")
	return owner, nil
}

// stopped reports whether err means the caller gave up (cancel or deadline), which must end the
// whole operation rather than degrade to "role unknown".
func stopped(ctx context.Context, err error) bool {
	return ctx.Err() != nil || KindOf(err) == KindCanceled || errors.Is(err, context.Canceled)
}

// answerSummary is a few words on what an endpoint answered, for RoleNote.
func answerSummary(err error, ok string) string {
	var e *Error
	switch {
	case err == nil:
		return ok
	case errors.As(err, &e):
		return "failed: " + e.Summary()
	}
	return "failed: " + sanitizeText(err.Error(), 120)
}

// roleUnavailable is true for the answers that mean "this endpoint will not tell us" (missing,
// forbidden, an odd answer), as opposed to a bad credential, a network problem or a cancel,
// which the caller must see. The service-account list uses it; getSelf and settings degrade on
// any failure (KeyOwner).
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
