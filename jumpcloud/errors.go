package jumpcloud

import (
	"errors"
	"fmt"
)

// Kind classifies a failed API call so callers can branch on it (errors.Is(err, ErrInvalidKey))
// and users get a message that says what to do next.
type Kind int

const (
	KindUnknown       Kind = iota
	KindInvalidKey         // 401: invalid, revoked or expired key (or wrong region)
	KindForbidden          // 403: this role may not read this source (or an IP block)
	KindOrgRequired        // 401 "no organization selected": multi-tenant key without x-org-id
	KindOrgNotAllowed      // 403 "organization selection not allowed via header"
	KindOrgNotFound        // 404 on the organisation id / 400 malformed x-org-id
	KindNotFound           // 404 on a path
	KindBadRequest         // 400 other than the org cases
	KindRateLimited        // 429 after all retries
	KindServer             // 5xx after all retries
	KindTimeout            // request or context deadline
	KindNetwork            // DNS, refused, reset, TLS, no route
	KindNotJSON            // HTML page, captive portal, truncated or garbage body
	KindRedirect           // a 3xx: never followed, the key must not travel
	KindTooLarge           // body over the size cap
	KindCanceled           // the caller canceled (Ctrl+C)

	// Service accounts (oauth.go).
	KindInvalidClient    // token host: invalid_client (wrong id or secret, or a deleted secret)
	KindSecretExpired    // token host: the client secret is past its lifetime
	KindTokenUnreachable // token host: no answer (DNS, refused, TLS, timeout)
	KindTokenRefused     // API 401 to a freshly issued token (wrong region/org, account gone)

	// KindShape: valid JSON in a shape the client cannot read at all (a record that is not an
	// object, results that are not a list). Not retryable: the same answer comes back. A single
	// odd field is not an error: it is recorded on its record as unparsed.
	KindShape
	KindIncomplete // a list ended before the total JumpCloud announced (see IncompleteError)
)

var kindNames = map[Kind]string{
	KindUnknown: "unknown", KindInvalidKey: "invalid_key", KindForbidden: "forbidden",
	KindOrgRequired: "org_required", KindOrgNotAllowed: "org_not_allowed",
	KindOrgNotFound: "org_not_found", KindNotFound: "not_found", KindBadRequest: "bad_request",
	KindRateLimited: "rate_limited", KindServer: "server_error", KindTimeout: "timeout",
	KindNetwork: "network", KindNotJSON: "not_json", KindRedirect: "redirect",
	KindTooLarge: "too_large", KindCanceled: "canceled",
	KindInvalidClient: "invalid_client", KindSecretExpired: "secret_expired",
	KindTokenUnreachable: "token_host_unreachable", KindTokenRefused: "token_refused",
	KindShape: "shape_changed", KindIncomplete: "incomplete",
}

// String is a stable machine name for the kind (used in JSON output and exports).
func (k Kind) String() string {
	if s, ok := kindNames[k]; ok {
		return s
	}
	return "unknown"
}

// Sentinels for errors.Is. An *Error matches the sentinel of its Kind.
var (
	ErrInvalidKey    = &Error{Kind: KindInvalidKey}
	ErrForbidden     = &Error{Kind: KindForbidden}
	ErrOrgRequired   = &Error{Kind: KindOrgRequired}
	ErrOrgNotAllowed = &Error{Kind: KindOrgNotAllowed}
	ErrOrgNotFound   = &Error{Kind: KindOrgNotFound}
	ErrNotFound      = &Error{Kind: KindNotFound}
	ErrBadRequest    = &Error{Kind: KindBadRequest}
	ErrRateLimited   = &Error{Kind: KindRateLimited}
	ErrServer        = &Error{Kind: KindServer}
	ErrTimeout       = &Error{Kind: KindTimeout}
	ErrNetwork       = &Error{Kind: KindNetwork}
	ErrNotJSON       = &Error{Kind: KindNotJSON}
	ErrRedirect      = &Error{Kind: KindRedirect}
	ErrTooLarge      = &Error{Kind: KindTooLarge}
	ErrCanceled      = &Error{Kind: KindCanceled}

	ErrInvalidClient    = &Error{Kind: KindInvalidClient}
	ErrSecretExpired    = &Error{Kind: KindSecretExpired}
	ErrTokenUnreachable = &Error{Kind: KindTokenUnreachable}
	ErrTokenRefused     = &Error{Kind: KindTokenRefused}
	ErrShape            = &Error{Kind: KindShape}
	ErrIncomplete       = &Error{Kind: KindIncomplete}
)

// Error is every error the client returns for a failed call. It never contains the API key:
// Path is the URL path without query, ServerMessage is the server's message stripped of
// control characters and shortened.
type Error struct {
	Kind          Kind
	Status        int    // HTTP status, 0 when there was no response
	Method        string // "GET"
	Path          string // "/api/systems"
	Source        string // evidence source name, e.g. "devices", when the call was for one
	ServerMessage string // the API's own message, sanitised
	Err           error  // the underlying cause, when any (never carries the key)
	// ServiceAccount is set when the request was made with a service account, so a refusal
	// names its role rather than "the key's admin" (a service account has no admin behind it).
	ServiceAccount bool

	// detail is a short, sanitised explanation the client adds (the network cause, the size
	// cap, the timeout): shown in Error() but not part of the contract.
	detail string
}

// Is makes errors.Is(err, ErrInvalidKey) true for any *Error of that kind.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Kind == e.Kind && t.Status == 0 && t.Path == "" && t.Err == nil
}

func (e *Error) Unwrap() error { return e.Err }

// Error is one line a user can act on: what happened, then what to do.
func (e *Error) Error() string {
	what := e.Path
	if e.Source != "" {
		what = e.Source + " (" + e.Path + ")"
	}
	if what == "" {
		what = "JumpCloud API"
	}
	msg := e.Summary()
	switch {
	case e.detail != "" && e.Kind == KindShape:
		msg += " " + e.detail // "... changed shape at results[3]: ..."
	case e.detail != "":
		msg += ": " + e.detail
	}
	if e.ServerMessage != "" {
		msg += fmt.Sprintf(" (JumpCloud said: %q)", e.ServerMessage)
	}
	if fix := e.Fix(); fix != "" {
		return fmt.Sprintf("%s: %s. %s", what, msg, fix)
	}
	return fmt.Sprintf("%s: %s", what, msg)
}

// Summary says what happened in a few words.
func (e *Error) Summary() string {
	switch e.Kind {
	case KindInvalidKey:
		return "the API key was refused (401): it is invalid, revoked or expired, or belongs to another region"
	case KindForbidden:
		if e.ServiceAccount {
			return "not permitted for this service account's role (403)"
		}
		return "not permitted for this key's role (403)"
	case KindOrgRequired:
		return "this is a multi-tenant key and no organisation was chosen"
	case KindOrgNotAllowed:
		return "this endpoint does not accept an organisation header"
	case KindOrgNotFound:
		return "the organisation id was not found or is malformed"
	case KindNotFound:
		return "not found (404)"
	case KindBadRequest:
		return fmt.Sprintf("the request was refused (%d)", e.Status)
	case KindRateLimited:
		return "JumpCloud is rate limiting this key (429)"
	case KindServer:
		return fmt.Sprintf("JumpCloud answered with a server error (%d) after retries", e.Status)
	case KindTimeout:
		return "the request timed out"
	case KindNetwork:
		return "could not reach JumpCloud"
	case KindNotJSON:
		return "the answer was not JSON (an HTML page, a proxy or captive portal, or a truncated body)"
	case KindRedirect:
		return fmt.Sprintf("JumpCloud answered with a redirect (%d), which is never followed so the key cannot leave this host", e.Status)
	case KindTooLarge:
		return "the answer was larger than the size limit"
	case KindCanceled:
		return "canceled"
	case KindInvalidClient:
		return "the token host refused the service account's client id or secret (invalid_client): " +
			"one of them is wrong, or the secret was deleted"
	case KindSecretExpired:
		return "the service account's client secret has expired"
	case KindTokenUnreachable:
		return "could not reach the service-account token host"
	case KindTokenRefused:
		return "the API refused the service account's token (401), although the token host had just issued it"
	case KindShape:
		return "JumpCloud's answer changed shape"
	case KindIncomplete:
		return "the list ended before the total JumpCloud announced"
	}
	if e.Status != 0 {
		return fmt.Sprintf("unexpected answer (%d)", e.Status)
	}
	return "the request failed"
}

// Fix is Kind.Fix in the words of the credential that was refused.
func (e *Error) Fix() string {
	if e.Kind == KindForbidden && e.ServiceAccount {
		return "The service account's role cannot read this; give it the Read Only role (Settings ▸ Service Accounts), or ignore it if this source is not needed. A 403 on every call can also be an IP block by JumpCloud."
	}
	return e.Kind.Fix()
}

// Fix says what the user should do next.
func (k Kind) Fix() string {
	switch k {
	case KindInvalidKey:
		return "Check the region (US, EU, IN), paste the key again, or generate a new key as the Read Only admin (My API Key) and run `jcconnect rotate`."
	case KindForbidden:
		return "The key's admin role cannot read this; use a Read Only admin's key, or ignore it if this source is not needed. A 403 on every call can also be an IP block by JumpCloud."
	case KindOrgRequired:
		return "Choose an organisation (--org-id, or pick one in the wizard)."
	case KindOrgNotAllowed:
		return "This is a bug in jcconnect: please report it."
	case KindOrgNotFound:
		return "Check the organisation id (--org-id / JUMPCLOUD_ORG_ID) or pick one from the list."
	case KindNotFound:
		return "Check --base-url and the region; the endpoint may not exist for this organisation."
	case KindBadRequest:
		return "Check --org-id and the flags; if it persists, please report it."
	case KindRateLimited:
		return "Wait a minute and try again."
	case KindServer:
		return "JumpCloud may be having trouble: try again in a few minutes (status.jumpcloud.com)."
	case KindTimeout:
		return "Check your connection or proxy and try again."
	case KindNetwork:
		return "Check your network, proxy and the region/base URL, then try again."
	case KindNotJSON:
		return "Check --base-url and any proxy or captive portal between you and JumpCloud, then try again."
	case KindRedirect:
		return "Check the region and --base-url; a redirect usually means a missing or wrong credential or the wrong host."
	case KindTooLarge:
		return "Check --base-url points at JumpCloud; if it does, please report it."
	case KindCanceled:
		return ""
	case KindInvalidClient:
		return "Copy the Client ID again from Settings ▸ Service Accounts and paste the Client Secret shown when it was generated; a lost secret cannot be shown again: generate a new one there and run `jcconnect rotate`."
	case KindSecretExpired:
		return "Generate a new client secret in Settings ▸ Service Accounts (a service account holds two, so the other can stay in use meanwhile) and run `jcconnect rotate`."
	case KindTokenUnreachable:
		return "Check your network and proxy, the region (--region) and --token-url if you set one, then try again."
	case KindTokenRefused:
		return "Check that the region or --base-url and --token-url belong together (a token from one region is refused by another) and, for a multi-tenant service account, the organisation (--org-id); the service account may also have been deleted in Settings ▸ Service Accounts."
	case KindShape:
		return "Retrying will not help: JumpCloud sent data in a form jcconnect cannot read. Please report it to the jcconnect maintainers with the source and position above."
	case KindIncomplete:
		return "Try again later (the data may have changed while it was read); if it persists, please report it."
	}
	return "Try again; if it persists, run `jcconnect doctor`."
}

// KindOf returns the Kind of err, or KindUnknown when err is not an *Error.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindUnknown
}
