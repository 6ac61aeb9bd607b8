package jumpcloud

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// get performs one logical GET with retries: 429 and 500/502/503/504 are retried up to
// MaxRetries times, waiting what Retry-After asks or an exponential backoff with jitter. A
// Retry-After longer than MaxRetryDelay fails at once, naming the wait. A 429 pauses every client sharing this one's state, so concurrent pagers
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
		if !retryableStatus(resp.status) {
			return nil, c.statusError(resp, rq)
		}
		if attempt >= c.cfg.MaxRetries {
			e := c.statusError(resp, rq)
			if attempt > 0 && resp.status == http.StatusTooManyRequests {
				e.detail = fmt.Sprintf("still so after %d retries", attempt)
			}
			return nil, e
		}
		delay, ok := retryAfter(resp.header, time.Now())
		if ok && delay > c.cfg.MaxRetryDelay {
			// Waiting less than asked would only earn another 429, and waiting days is not an
			// option: fail now and say how long JumpCloud wants.
			e := c.statusError(resp, rq)
			e.detail = fmt.Sprintf("JumpCloud asks to wait %s, longer than jcconnect waits (%s)",
				humanWait(delay), humanWait(c.cfg.MaxRetryDelay))
			return nil, e
		}
		if !ok {
			delay = backoff(attempt, c.cfg.RetryBaseDelay, c.cfg.MaxRetryDelay)
		}
		if outlastsDeadline(ctx, delay) {
			return nil, c.statusError(resp, rq) // the retry could not happen in time anyway
		}
		c.sh.retries.Add(1)
		if resp.status == http.StatusTooManyRequests {
			// Waited out at the top of the loop, by everyone.
			if until, moved := c.sh.pauseFor(delay); moved {
				c.notice(until, delay, "JumpCloud asked to slow down (429)", rq)
			}
			continue
		}
		c.notice(time.Now().Add(delay), delay, fmt.Sprintf("JumpCloud answered %d", resp.status), rq)
		if err := sleepCtx(ctx, delay); err != nil {
			return nil, c.contextError(ctx, nil, err, rq)
		}
	}
}

// notice tells Config.OnWait about a wait long enough for a person to wonder.
func (c *Client) notice(until time.Time, d time.Duration, reason string, rq request) {
	if c.cfg.OnWait != nil && d >= NoticeWait {
		c.cfg.OnWait(Wait{Until: until, Reason: reason, Source: rq.source})
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

// retryAfter reads Retry-After as seconds or an HTTP date. ok is false when the header is absent
// or unreadable. The wait is not capped here (the caller refuses one longer than its cap, naming
// it); a value too large for a Duration becomes the largest one.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	var d time.Duration
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(math.MaxInt64/time.Second) {
			return math.MaxInt64, true
		}
		d = time.Duration(secs) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	} else {
		return 0, false
	}
	return max(d, 0), true
}

// humanWait says a wait the way a person would: "40 seconds", "15 minutes", "11 days".
func humanWait(d time.Duration) string {
	unit := func(n int64, one string) string {
		if n == 1 {
			return "1 " + one
		}
		return strconv.FormatInt(n, 10) + " " + one + "s"
	}
	switch {
	case d < time.Second:
		return d.String()
	case d < 2*time.Minute:
		return unit(int64((d+time.Second-1)/time.Second), "second")
	case d < 2*time.Hour:
		return unit(int64(d/time.Minute), "minute")
	case d < 2*24*time.Hour:
		return unit(int64(d/time.Hour), "hour")
	case d < 2*365*24*time.Hour:
		return unit(int64(d/(24*time.Hour)), "day")
	}
	return unit(int64(d/(365*24*time.Hour)), "year")
}
