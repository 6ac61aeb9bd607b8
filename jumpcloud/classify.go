package jumpcloud

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"unicode"
)

// maxServerMessage caps how much of the server's own words go into an error.
const maxServerMessage = 200

// newError builds the *Error for a failed request. Everything text-like that came from outside
// (the server's message, a cause) is scrubbed of the key, in case a proxy or server echoes it.
func (c *Client) newError(kind Kind, status int, rq request, cause error, detail string) *Error {
	return &Error{
		Kind:   kind,
		Status: status,
		Method: "GET",
		Path:   rq.path,
		Source: rq.source,
		Err:    cause,
		detail: c.scrub(detail),

		ServiceAccount: c.auth.Kind() == CredentialServiceAccount,
	}
}

// scrub removes the credential (key, client secret, tokens) from text about to go into an error.
func (c *Client) scrub(s string) string { return c.auth.scrub(s) }

// statusError classifies a non-2xx answer.
func (c *Client) statusError(resp *response, rq request) *Error {
	msg := c.scrub(serverMessage(resp.body()))
	low := strings.ToLower(msg)
	orgSent := resp.orgSent
	// Only a message that says the organisation itself is unknown or malformed is about the org
	// id: "System Insights is not enabled for this organization" is a 404 about a feature.
	mentionsOrg := strings.Contains(low, "organization") || strings.Contains(low, "organisation") ||
		strings.Contains(low, "org id") || strings.Contains(low, "x-org-id")
	aboutOrg := mentionsOrg && !strings.Contains(low, "not enabled") &&
		(strings.Contains(low, "not found") || strings.Contains(low, "malformed") ||
			strings.Contains(low, "invalid") || strings.Contains(low, "differ") ||
			strings.Contains(low, "match"))

	var kind Kind
	s := resp.status
	switch {
	case s >= 300 && s < 400:
		kind = KindRedirect
	case s == 401 && strings.Contains(low, "no organization selected"):
		kind = KindOrgRequired
	case s == 401:
		kind = c.auth.refusedKind() // KindInvalidKey, or KindTokenRefused for a bearer token
	case s == 403 && strings.Contains(low, "not allowed via header"):
		kind = KindOrgNotAllowed
	case s == 403:
		kind = KindForbidden
	case (s == 400 || s == 404) && orgSent && aboutOrg:
		kind = KindOrgNotFound
	case s == 404:
		kind = KindNotFound
	case s == 429:
		kind = KindRateLimited
	case s >= 500:
		kind = KindServer
	case s >= 400:
		kind = KindBadRequest
	default:
		kind = KindUnknown
	}
	e := c.newError(kind, s, rq, nil, "")
	e.ServerMessage = msg
	return e
}

// serverMessage takes what JumpCloud said: "message", else "error", else the start of the body
// as text (Cloudflare and proxies answer in HTML). Control characters are stripped and the
// length capped, so it is safe to draw in a terminal.
func serverMessage(body []byte) string {
	var m struct {
		Message any `json:"message"`
		Error   any `json:"error"`
	}
	if json.Unmarshal(body, &m) == nil {
		for _, v := range []any{m.Message, m.Error} {
			if s, ok := v.(string); ok && strings.TrimSpace(s) != "" {
				return sanitizeText(s, maxServerMessage)
			}
		}
		return ""
	}
	return sanitizeText(htmlTitleOrText(string(body)), maxServerMessage)
}

// htmlTitleOrText picks the <title> of an HTML page (the useful part of a Cloudflare or portal
// page), else the text as is.
func htmlTitleOrText(s string) string {
	low := strings.ToLower(s)
	if i := strings.Index(low, "<title>"); i >= 0 {
		if j := strings.Index(low[i:], "</title>"); j > 0 {
			return s[i+len("<title>") : i+j]
		}
	}
	if strings.HasPrefix(strings.TrimSpace(low), "<") {
		return "" // markup without a title says nothing a user can use
	}
	return s
}

// sanitizeText makes outside text safe for one line in a terminal: control, format and
// non-printing characters (escape sequences, bidi overrides, zero-width) are dropped, runs of
// space folded, and the result capped at max runes with an ellipsis.
func sanitizeText(s string, max int) string {
	var b strings.Builder
	space := false
	n := 0
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if !unicode.IsPrint(r) {
			continue
		}
		if n >= max {
			b.WriteString("…")
			break
		}
		if space {
			b.WriteByte(' ')
			n++
			space = false
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// transportError classifies a failure of http.Client.Do.
func (c *Client) transportError(ctx, actx context.Context, err error, rq request) error {
	if ctx.Err() != nil || actx.Err() != nil || isTimeout(err) {
		return c.contextError(ctx, actx, err, rq)
	}
	cause := unwrapURLError(err)
	return c.newError(KindNetwork, 0, rq, cause, causeText(cause))
}

// contextError is KindCanceled when the caller canceled, else KindTimeout (the caller's deadline
// or the per-request timeout). actx may be nil when no attempt was under way.
func (c *Client) contextError(ctx, actx context.Context, err error, rq request) error {
	if errors.Is(ctx.Err(), context.Canceled) {
		return c.newError(KindCanceled, 0, rq, context.Canceled, "")
	}
	detail := ""
	if actx != nil && actx.Err() != nil && ctx.Err() == nil {
		detail = fmt.Sprintf("no complete answer within %s", c.cfg.Timeout)
	}
	cause := error(context.DeadlineExceeded)
	if err != nil && !errors.Is(err, context.DeadlineExceeded) && isTimeout(err) {
		cause = unwrapURLError(err)
	}
	return c.newError(KindTimeout, 0, rq, cause, detail)
}

// isTimeout reports a deadline, however the net stack wrapped it.
func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// unwrapURLError drops the *url.Error layer, whose text repeats the whole URL with its query:
// not secret (the key is in a header), but noise in a message meant for people.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		return ue.Err
	}
	return err
}

// causeText is a cause as a short single line.
func causeText(err error) string {
	if err == nil {
		return ""
	}
	return sanitizeText(err.Error(), maxServerMessage)
}

// sizeDetail names the size cap in the unit people read best.
func sizeDetail(max int64) string {
	if max >= 1<<20 {
		return fmt.Sprintf("over %d MiB", max>>20)
	}
	return fmt.Sprintf("over %d bytes", max)
}
