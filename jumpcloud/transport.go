package jumpcloud

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
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
// body counts as a timeout rather than hanging the caller. It stays in pooled chunks (raw) until
// a list page is decoded from them as a stream, or body() joins them for anything else.
type response struct {
	status  int
	header  http.Header
	raw     *pageBody
	joined  []byte
	trimmed int64  // the body's length without surrounding whitespace, once raw is decoded
	stamp   uint64 // which credential the request carried (Authenticator.refused)
	orgSent bool   // x-org-id went with the request
}

// body is the whole body in one slice (error answers, single records, bodies that are not a
// list): the chunks are joined once and go back to the pool.
func (r *response) body() []byte {
	if r.raw != nil {
		r.joined = r.raw.bytes()
		r.raw = nil
	}
	return r.joined
}

// trimmedLen is the body's length without the whitespace around it.
func (r *response) trimmedLen() int64 {
	if r.raw == nil && r.joined == nil {
		return r.trimmed
	}
	return int64(len(bytes.TrimSpace(r.body())))
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

// sendsOrg says whether x-org-id goes with rq: there is an organisation, the route takes it, and
// the route has not refused it before (see get).
func (c *Client) sendsOrg(rq request) bool {
	return c.cfg.OrgID != "" && sendsOrgHeader(rq.path) && !c.sh.orgRefusals.refuses(rq.path)
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
	if !rq.anonymous && c.sendsOrg(rq) {
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
	orgSent := req.Header.Get("x-org-id") != ""
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
	body, err := readBodyChunks(actx, res, max, c.sh.large)
	if errors.Is(err, errBodyTooLarge) {
		return nil, c.newError(KindTooLarge, res.StatusCode, rq, nil, sizeDetail(max))
	}
	if err != nil {
		return nil, c.bodyReadError(ctx, actx, err, res.StatusCode, rq)
	}
	return &response{status: res.StatusCode, header: res.Header, raw: body, stamp: stamp, orgSent: orgSent}, nil
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

// Bodies are read in pooled chunks, never into a buffer that doubles as it grows (which held up
// to three times the cap per request: 1.7 GB peak with 8 requests in flight sending 300 MB). A
// body past smallBody also needs one of the client's few large-body slots, so however many
// requests are in flight, only that many hold more than smallBody at once: the peak is about
// MaxInFlight·smallBody + largeBodySlots·2·MaxBodyBytes, not MaxInFlight·3·MaxBodyBytes.
const (
	bodyChunk      = 256 << 10
	smallBody      = 4 << 20
	largeBodySlots = 2
)

var (
	chunkPool       = sync.Pool{New: func() any { b := make([]byte, bodyChunk); return &b }}
	errBodyTooLarge = errors.New("body over the size cap")
)

// readBody reads the body up to max bytes and stops there: one byte more is errBodyTooLarge,
// and nothing past max+1 is ever read. large is the client's large-body slots (nil: none needed,
// for answers that are small by nature).
func readBody(ctx context.Context, res *http.Response, max int64, large chan struct{}) ([]byte, error) {
	pb, err := readBodyChunks(ctx, res, max, large)
	if err != nil {
		return nil, err
	}
	return pb.bytes(), nil
}

// readBodyChunks is readBody leaving the body in its pooled chunks: a page is decoded from them
// as a stream (pageBody) and each chunk goes back to the pool once decoded, so the page's bytes
// are never copied into one buffer nor held beside all of its records.
func readBodyChunks(ctx context.Context, res *http.Response, max int64, large chan struct{}) (*pageBody, error) {
	r := io.LimitReader(res.Body, max+1)
	pb := &pageBody{}
	holding := false
	defer func() {
		if holding {
			<-large
		}
	}()
	for {
		if large != nil && !holding && (pb.n >= smallBody || res.ContentLength > smallBody) {
			select {
			case large <- struct{}{}:
				holding = true
			case <-ctx.Done():
				pb.release()
				return nil, ctx.Err()
			}
		}
		ch := chunkPool.Get().(*[]byte)
		pb.chunks = append(pb.chunks, ch)
		buf := (*ch)[:0]
		var err error
		for len(buf) < cap(buf) && err == nil {
			var m int
			m, err = r.Read(buf[len(buf):cap(buf)])
			buf = buf[:len(buf)+m]
		}
		*ch = buf
		pb.n += int64(len(buf))
		if pb.n > max {
			pb.release()
			return nil, errBodyTooLarge
		}
		if err == io.EOF {
			return pb, nil
		}
		if err != nil {
			pb.release()
			return nil, err
		}
	}
}
