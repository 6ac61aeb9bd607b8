package jumpcloud

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// get performs one logical GET with retries: 429 and 500/502/503/504 are retried up to
// MaxRetries times, waiting what Retry-After asks (capped by MaxRetryDelay) or an exponential
// backoff with jitter. A 429 pauses every client sharing this one's state, so concurrent pagers
// back off together. Network errors and timeouts are not retried: a stalled server would
// otherwise multiply the wait the user sees.
//
// A 403 "organization selection not allowed via header" to a request that carried x-org-id is
// retried once without it (the SDK strips the header on some routes; the live API may refuse it
// where the reference does not say), and the route is remembered so it is not sent there again.
func (c *Client) get(ctx context.Context, rq request) (*response, error) {
	reauthorized := false // a 401 is retried once with a new token (auth.go)
	retriedWithoutOrg := false
	for attempt := 0; ; attempt++ {
		if wait := c.sh.pauseLeft(); wait > 0 && outlastsDeadline(ctx, wait) {
			// Waiting out the pause would only end in a timeout; say what is really going on.
			return nil, c.newError(KindRateLimited, 0, rq, nil, "paused after a 429 beyond this call's deadline")
		}
		if err := c.sh.waitPause(ctx, c.cfg.RetryBaseDelay); err != nil {
			return nil, c.contextError(ctx, nil, err, rq)
		}
		resp, err := c.attempt(ctx, rq)
		if err != nil {
			return nil, err
		}
		if resp.status >= 200 && resp.status < 300 {
			return resp, nil
		}
		if !reauthorized && c.reauthorize(resp, rq) {
			reauthorized = true
			continue
		}
		if resp.status == http.StatusForbidden && resp.orgSent && !retriedWithoutOrg &&
			c.statusError(resp, rq).Kind == KindOrgNotAllowed {
			c.sh.orgRefusals.remember(rq.path)
			retriedWithoutOrg = true
			attempt--
			continue
		}
		if !retryableStatus(resp.status) || attempt >= c.cfg.MaxRetries {
			return nil, c.statusError(resp, rq)
		}
		delay, ok := retryAfter(resp.header, time.Now(), c.cfg.MaxRetryDelay)
		if !ok {
			delay = backoff(attempt, c.cfg.RetryBaseDelay, c.cfg.MaxRetryDelay)
		}
		if outlastsDeadline(ctx, delay) {
			return nil, c.statusError(resp, rq) // the retry could not happen in time anyway
		}
		c.sh.retries.Add(1)
		if resp.status == http.StatusTooManyRequests {
			c.sh.pauseFor(delay) // waited out at the top of the loop, by everyone
			continue
		}
		if err := sleepCtx(ctx, delay); err != nil {
			return nil, c.contextError(ctx, nil, err, rq)
		}
	}
}

// outlastsDeadline reports whether waiting d would run past ctx's deadline.
func outlastsDeadline(ctx context.Context, d time.Duration) bool {
	dl, ok := ctx.Deadline()
	return ok && time.Until(dl) < d
}

func retryableStatus(s int) bool {
	switch s {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// backoff is base·2^attempt capped at max, with "equal jitter": half fixed, half random, so
// goroutines that failed together do not retry together.
func backoff(attempt int, base, max time.Duration) time.Duration {
	d := base
	for i := 0; i < attempt && d < max; i++ {
		d *= 2
	}
	if d > max {
		d = max
	}
	half := d / 2
	return half + rand.N(half+1)
}

// retryAfter reads Retry-After as seconds or an HTTP date, capped at max. ok is false when the
// header is absent or unreadable.
func retryAfter(h http.Header, now time.Time, max time.Duration) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	var d time.Duration
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(max/time.Second) {
			return max, true // also keeps a huge value from overflowing the multiplication
		}
		d = time.Duration(secs) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	} else {
		return 0, false
	}
	if d < 0 {
		d = 0
	}
	if d > max {
		d = max
	}
	return d, true
}
