package jumpcloud

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// request is one logical GET: a path under the base URL, its query, and the evidence source it
// serves (for error messages and progress).
type request struct {
	path   string
	query  url.Values
	source string
	// anonymous sends no credential: only Ping, which proves the host answers, not the key.
	anonymous bool
}

// response is a fully read answer. The body is read inside the per-request timeout, so a stalled
// body counts as a timeout rather than hanging the caller.
type response struct {
	status int
	header http.Header
	body   []byte
	stamp  uint64 // which credential the request carried (Authenticator.refused)
}

// sendsOrgHeader says whether x-org-id goes to this path. /api/organizations answers 403
// "organization selection not allowed via header" to it, and getSelf describes the key, not an
// organisation (../shared/jumpcloud-api.md §2.1).
func sendsOrgHeader(path string) bool {
	switch {
	case path == "/api/organizations", strings.HasPrefix(path, "/api/organizations/"):
		return false
	case path == "/api/users/getSelf":
		return false
	}
	return true
}

// newHTTPRequest builds the GET with every header JumpCloud expects, the credential included. The
// only method this package sends to the API is GET: it has no code path that writes. (The one
// POST, to the token host, asks for a token and changes nothing: oauth.go.)
func (c *Client) newHTTPRequest(ctx context.Context, rq request) (*http.Request, uint64, error) {
	u := c.base + rq.path
	if len(rq.query) > 0 {
		u += "?" + rq.query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, 0, err
	}
	var stamp uint64
	if !rq.anonymous {
		if stamp, err = c.auth.authorize(ctx, req.Header); err != nil {
			return nil, 0, err
		}
	}
	if c.cfg.OrgID != "" && sendsOrgHeader(rq.path) && !rq.anonymous {
		req.Header.Set("x-org-id", c.cfg.OrgID)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	return req, stamp, nil
}

// attempt sends one request and reads its body, holding a slot of the in-flight bound for the
// whole exchange. Failures come back as *Error; an HTTP error status is not a failure here.
func (c *Client) attempt(ctx context.Context, rq request) (*response, error) {
	if err := checkOrgID(c.cfg.OrgID); err != nil {
		return nil, c.newError(KindOrgNotFound, 0, rq, nil, "")
	}
	if err := c.sh.acquire(ctx); err != nil {
		return nil, c.contextError(ctx, nil, err, rq)
	}
	defer c.sh.release()

	actx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	req, stamp, err := c.newHTTPRequest(actx, rq)
	var authErr *Error
	if errors.As(err, &authErr) {
		return nil, authErr // the credential could not be had (service account token)
	}
	if err != nil {
		return nil, c.newError(KindUnknown, 0, rq, err, "")
	}
	c.sh.requests.Add(1)
	res, err := c.sh.http.Do(req)
	if err != nil {
		return nil, c.transportError(ctx, actx, err, rq)
	}
	defer res.Body.Close()

	max := c.cfg.MaxBodyBytes
	if res.ContentLength > max {
		return nil, c.newError(KindTooLarge, res.StatusCode, rq, nil, sizeDetail(max))
	}
	body, err := readBody(res, max)
	if err != nil {
		return nil, c.bodyReadError(ctx, actx, err, res.StatusCode, rq)
	}
	if int64(len(body)) > max {
		return nil, c.newError(KindTooLarge, res.StatusCode, rq, nil, sizeDetail(max))
	}
	return &response{status: res.StatusCode, header: res.Header, body: body, stamp: stamp}, nil
}

// bodyReadError classifies a failure while reading the body: the deadline or the caller's cancel
// as such; a connection that died mid-body is a truncated answer, which the user fixes the same
// way as any other answer that is not JSON.
func (c *Client) bodyReadError(ctx, actx context.Context, err error, status int, rq request) error {
	if ctx.Err() != nil || actx.Err() != nil || isTimeout(err) {
		return c.contextError(ctx, actx, err, rq)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return c.newError(KindNotJSON, status, rq, err, "the body was cut off")
	}
	return c.newError(KindNetwork, status, rq, err, causeText(err))
}

// readBody reads at most max+1 bytes (one more than allowed, to tell "exactly max" from "over"),
// sizing the buffer from Content-Length when the server sent one.
func readBody(res *http.Response, max int64) ([]byte, error) {
	size := int64(512)
	if res.ContentLength > 0 {
		size = res.ContentLength + bytes.MinRead // ReadFrom wants MinRead free to detect EOF without growing
	}
	buf := bytes.NewBuffer(make([]byte, 0, size))
	_, err := buf.ReadFrom(io.LimitReader(res.Body, max+1))
	return buf.Bytes(), err
}
