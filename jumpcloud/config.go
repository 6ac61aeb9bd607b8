package jumpcloud

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"
)

// ErrInvalidConfig is wrapped by every error New returns, so callers can tell a bad flag or a
// badly pasted key from a failed call. Those errors never contain the key.
var ErrInvalidConfig = errors.New("invalid JumpCloud connection settings")

// regionBaseURLs are the console/REST hosts per region (../shared/jumpcloud-api.md §1). v1 lives
// under /api and v2 under /api/v2 on the same host.
var regionBaseURLs = map[Region]string{
	RegionUS: "https://console.jumpcloud.com",
	RegionEU: "https://console.eu.jumpcloud.com",
	RegionIN: "https://console.in.jumpcloud.com",
}

// BaseURL is the region's API host, or "" for an unknown region.
func (r Region) BaseURL() string { return regionBaseURLs[r] }

// ParseRegion reads a region name as users type it ("EU", " us "); "" means US, the default.
func ParseRegion(s string) (Region, error) {
	r := Region(strings.ToLower(strings.TrimSpace(s)))
	if r == "" {
		return RegionUS, nil
	}
	if _, ok := regionBaseURLs[r]; ok {
		return r, nil
	}
	// The value is not echoed: a key pasted into the wrong flag must not be printed.
	return "", fmt.Errorf("%w: unknown region: use us, eu or in (the region your JumpCloud admin console is in)",
		ErrInvalidConfig)
}

// resolveBaseURL picks the custom base URL when given, else the region's. A custom URL must be
// https, or http on a loopback host (tests and the sandbox): the key must not cross a network in
// clear text.
func resolveBaseURL(region Region, custom string) (string, error) {
	if strings.TrimSpace(custom) == "" {
		r, err := ParseRegion(string(region))
		if err != nil {
			return "", err
		}
		return regionBaseURLs[r], nil
	}
	return checkEndpointURL("base URL", "the API key", custom)
}

// CheckTokenURL checks a --token-url the way New will: https, or http on loopback; no user name
// or password, query or fragment. main calls it before any command runs, so a bad flag is refused
// even by commands that end up using an API key.
func CheckTokenURL(raw string) (string, error) {
	return checkEndpointURL("token URL", "the client secret", raw)
}

// checkEndpointURL checks a URL a credential will be sent to (what names it in messages, cred
// names the credential): https, or http on a loopback host; no user name or password, query or
// fragment. It returns scheme://host/path without a trailing slash.
func checkEndpointURL(what, cred, raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || u.Opaque != "" {
		// Not echoed: it may be a key pasted into the wrong flag.
		return "", fmt.Errorf("%w: the %s is not a URL like https://console.jumpcloud.com",
			ErrInvalidConfig, what)
	}
	if u.User != nil {
		// Never echo the URL back: the userinfo may be a password.
		return "", fmt.Errorf("%w: the %s must not contain a user name or password", ErrInvalidConfig, what)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("%w: %s %q must not have a query or fragment", ErrInvalidConfig, what, u.Host)
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !isLoopbackHost(u.Hostname()) {
			return "", fmt.Errorf("%w: %s http://%s is refused: plain http would send %s unencrypted; "+
				"use https:// (http:// is accepted only for 127.0.0.1, ::1 or localhost)", ErrInvalidConfig, what, u.Host, cred)
		}
	default:
		return "", fmt.Errorf("%w: the %s scheme is not supported: use https://", ErrInvalidConfig, what)
	}
	return strings.ToLower(u.Scheme) + "://" + u.Host + strings.TrimRight(u.EscapedPath(), "/"), nil
}

// isLoopbackHost is true for localhost and any 127.0.0.0/8 or ::1 address.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// checkAPIKey trims the whitespace a paste brings along and refuses what cannot travel in a
// header. It is the client's own guard, not the key rule: the rule users meet (length, which
// characters) is store.NormalizeKey, applied before a key gets here; jumpcloud imports no other
// package of ours, so it keeps this minimum for callers that skip the store.
// The messages name the position of a bad character, never the key or the character itself.
func checkAPIKey(key string) (string, error) {
	key = strings.TrimSpace(key)
	if key == "" {
		return "", fmt.Errorf("%w: no API key given: paste the key from JumpCloud (your initials ▸ My API Key)", ErrInvalidConfig)
	}
	if i := firstNonKeyChar(key); i >= 0 {
		return "", fmt.Errorf("%w: the API key has a space, control or non-ASCII character at position %d: "+
			"copy the key again, on its own, without quotes or line breaks", ErrInvalidConfig, i+1)
	}
	return key, nil
}

// checkOrgID refuses an organisation id that could not travel in a header.
func checkOrgID(id string) error {
	if id = strings.TrimSpace(id); id == "" {
		return nil
	}
	if firstNonKeyChar(id) >= 0 {
		return fmt.Errorf("%w: the organisation id has spaces or control characters: it is 24 hexadecimal characters",
			ErrInvalidConfig)
	}
	return nil
}

// firstNonKeyChar returns the rune index of the first character outside printable ASCII without
// space, or -1. Keys and org ids are ASCII; a zero-width space from a web page is a common paste.
func firstNonKeyChar(s string) int {
	i := 0
	for _, r := range s {
		if r <= ' ' || r > '~' {
			return i
		}
		i++
	}
	return -1
}

// withDefaults fills the zero values of the tuning knobs.
func withDefaults(cfg Config) Config {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	switch {
	case cfg.MaxRetries == 0:
		cfg.MaxRetries = 4
	case cfg.MaxRetries < 0:
		cfg.MaxRetries = 0
	}
	if cfg.RetryBaseDelay <= 0 {
		cfg.RetryBaseDelay = 500 * time.Millisecond
	}
	if cfg.MaxRetryDelay <= 0 {
		cfg.MaxRetryDelay = 2 * time.Minute
	}
	if cfg.MaxInFlight <= 0 {
		cfg.MaxInFlight = 8
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 64 << 20
	}
	if strings.TrimSpace(cfg.UserAgent) == "" {
		cfg.UserAgent = "jcconnect/" + Version
	}
	cfg.OrgID = strings.TrimSpace(cfg.OrgID)
	return cfg
}
