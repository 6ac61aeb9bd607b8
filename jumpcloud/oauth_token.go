package jumpcloud

// The token request of a service account (oauth.go) and what its answers mean.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// tokenAnswer is the token endpoint's JSON, success or error (RFC 6749 §5.1, §5.2).
type tokenAnswer struct {
	AccessToken      string          `json:"access_token"`
	TokenType        string          `json:"token_type"`
	ExpiresIn        json.RawMessage `json:"expires_in"`
	Error            string          `json:"error"`
	ErrorDescription string          `json:"error_description"`
}

// fetch asks the token host for a token, retrying 429 and 5xx like API requests.
func (a *clientCredentials) fetch(ctx context.Context) (string, time.Duration, error) {
	for attempt := 0; ; attempt++ {
		status, header, body, err := a.post(ctx)
		if err != nil {
			return "", 0, err
		}
		if status == http.StatusOK {
			return a.readToken(status, body)
		}
		if retryableStatus(status) && attempt < a.maxRetries {
			delay, ok := retryAfter(header, time.Now())
			if ok && delay > a.maxDelay {
				// As for API requests (get): a wait beyond the cap fails at once, named.
				err := a.statusError(status, body)
				var e *Error
				if errors.As(err, &e) {
					e.detail = fmt.Sprintf("JumpCloud asks to wait %s, longer than jcconnect waits (%s)",
						humanWait(delay), humanWait(a.maxDelay))
				}
				return "", 0, err
			}
			if !ok {
				delay = backoff(attempt, a.baseDelay, a.maxDelay)
			}
			if err := sleepCtx(ctx, delay); err != nil {
				return "", 0, a.tokenError(KindCanceled, 0, err, "", "")
			}
			continue
		}
		return "", 0, a.statusError(status, body)
	}
}

// post sends one token request and reads the answer under the size cap.
func (a *clientCredentials) post(ctx context.Context) (int, http.Header, []byte, error) {
	actx, cancel := context.WithTimeout(ctx, a.timeout)
	defer cancel()
	form := url.Values{"grant_type": {"client_credentials"}, "scope": {"api"}}
	req, err := http.NewRequestWithContext(actx, http.MethodPost, a.tokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return 0, nil, nil, a.tokenError(KindUnknown, 0, err, "", "")
	}
	// The id and secret go as they are, like JumpCloud's own clients send them (jc-cli,
	// PowerShell), not form-encoded first as RFC 6749 §2.3.1 suggests: what the live host
	// accepts is what they do.
	req.Header.Set("Authorization", "Basic "+a.basic)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", a.userAgent)
	a.fetches.Add(1)
	res, err := a.hc.Do(req)
	if err != nil {
		return 0, nil, nil, a.unreachable(ctx, actx, err)
	}
	defer res.Body.Close()
	if res.ContentLength > a.maxBody {
		return 0, nil, nil, a.tokenError(KindTooLarge, res.StatusCode, nil, "", sizeDetail(a.maxBody))
	}
	body, err := readBody(actx, res, a.maxBody, nil)
	if errors.Is(err, errBodyTooLarge) {
		return 0, nil, nil, a.tokenError(KindTooLarge, res.StatusCode, nil, "", sizeDetail(a.maxBody))
	}
	if err != nil {
		return 0, nil, nil, a.unreachable(ctx, actx, err)
	}
	return res.StatusCode, res.Header, body, nil
}

// unreachable classifies a failure to get an answer from the token host: the caller's cancel as
// such, anything else (DNS, refused, reset, TLS, timeout) as an unreachable token host.
func (a *clientCredentials) unreachable(ctx, actx context.Context, err error) error {
	if errors.Is(ctx.Err(), context.Canceled) {
		return a.tokenError(KindCanceled, 0, context.Canceled, "", "")
	}
	cause := unwrapURLError(err)
	detail := causeText(cause)
	if actx.Err() != nil || isTimeout(err) {
		detail = fmt.Sprintf("no answer within %s", a.timeout)
	}
	return a.tokenError(KindTokenUnreachable, 0, cause, "", a.host()+": "+detail)
}

// readToken reads a 200 answer.
func (a *clientCredentials) readToken(status int, body []byte) (string, time.Duration, error) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return "", 0, a.tokenError(KindNotJSON, status, nil, "", notJSONDetail(trimmed))
	}
	var ans tokenAnswer
	if err := json.Unmarshal(trimmed, &ans); err != nil {
		return "", 0, a.tokenError(KindNotJSON, status, err, "", "not valid JSON")
	}
	switch {
	case ans.AccessToken == "":
		return "", 0, a.tokenError(KindNotJSON, status, nil, "", "a token answer without access_token")
	case firstNonKeyChar(ans.AccessToken) >= 0:
		return "", 0, a.tokenError(KindNotJSON, status, nil, "", "an access_token with characters a header cannot carry")
	case ans.TokenType != "" && !strings.EqualFold(ans.TokenType, "bearer"):
		return "", 0, a.tokenError(KindNotJSON, status, nil, "",
			fmt.Sprintf("a token of type %q where a bearer token was expected", sanitizeText(ans.TokenType, 20)))
	}
	return ans.AccessToken, lifetime(ans.ExpiresIn), nil
}

// lifetime reads expires_in, a number of seconds (some servers quote it); anything missing or
// unusable is the documented default of an hour.
func lifetime(raw json.RawMessage) time.Duration {
	s := strings.Trim(strings.TrimSpace(string(raw)), `"`)
	secs, err := strconv.ParseFloat(s, 64)
	if err != nil || secs <= 0 || secs > 366*24*3600 {
		return defaultTokenLifetime
	}
	return time.Duration(secs * float64(time.Second))
}

// statusError classifies a token endpoint's error answer.
func (a *clientCredentials) statusError(status int, body []byte) error {
	var ans tokenAnswer
	_ = json.Unmarshal(bytes.TrimSpace(body), &ans)
	code := sanitizeText(ans.Error, 40)
	msg := a.scrub(sanitizeText(ans.ErrorDescription, maxServerMessage))
	if code != "" {
		msg = strings.TrimSpace(code + ": " + msg)
		msg = strings.TrimSuffix(msg, ":")
	}
	if msg == "" {
		msg = a.scrub(serverMessage(body))
	}
	var kind Kind
	switch {
	case status >= 300 && status < 400:
		kind = KindRedirect
	case code == "invalid_client" || (code == "" && status == http.StatusUnauthorized):
		kind = KindInvalidClient
		if strings.Contains(strings.ToLower(ans.ErrorDescription), "expired") ||
			(!a.expires.IsZero() && a.now().After(a.expires)) {
			kind = KindSecretExpired
		}
	case status == http.StatusTooManyRequests:
		kind = KindRateLimited
	case status >= 500:
		kind = KindServer
	case status == http.StatusNotFound:
		kind = KindNotFound
	default:
		// invalid_scope, unauthorized_client, unsupported_grant_type, a 403 from a proxy...
		kind = KindBadRequest
	}
	return a.tokenError(kind, status, nil, msg, "")
}

// tokenError builds the *Error of a token request. Its text never holds the secret or a token:
// server text and causes are scrubbed.
func (a *clientCredentials) tokenError(kind Kind, status int, cause error, serverMsg, detail string) *Error {
	if cause != nil && kind != KindCanceled {
		cause = errors.New(a.scrub(causeText(cause)))
	}
	return &Error{Kind: kind, Status: status, Method: http.MethodPost, Path: a.tokenPath, Source: tokenSource,
		ServerMessage: serverMsg, Err: cause, detail: a.scrub(detail)}
}

// host is the token URL's host, for messages.
func (a *clientCredentials) host() string {
	if u, err := url.Parse(a.tokenURL); err == nil {
		return u.Host
	}
	return "the token host"
}

// withContext turns a KindCanceled made for a waiter into a timeout when the waiter's deadline,
// not a cancel, ended the wait.
func (e *Error) withContext(ctx context.Context) *Error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		e.Kind, e.Err = KindTimeout, context.DeadlineExceeded
	} else {
		e.Err = context.Canceled
	}
	return e
}
