package store

import (
	"time"
)

// Integrations a profile collects evidence for.
type Integrations struct {
	EndpointManagement bool `json:"endpointManagement"`
	SSO                bool `json:"sso"`
}

// What a profile's secret is. Profiles written before service accounts have no kind: an API key.
const (
	KindAPIKey         = "api_key"
	KindServiceAccount = "service_account"
)

// Profile is everything about one connection except the key (or, for a service account, the
// client secret, which is kept in the keyring exactly like a key: KeyLast4 and Fingerprint then
// describe the secret).
type Profile struct {
	Name string `json:"name"`
	// Kind is KindAPIKey ("" in older files) or KindServiceAccount.
	Kind string `json:"kind,omitempty"`
	// ClientID is a service account's client id (not a secret: it names the account).
	ClientID string `json:"clientID,omitempty"`
	// TokenURL is a service account's token endpoint when it is not its region's (--token-url).
	TokenURL string `json:"tokenURL,omitempty"`
	// SecretExpires is when a service account's client secret expires, when known.
	SecretExpires *time.Time `json:"secretExpires,omitempty"`

	Region          string       `json:"region"`            // "us", "eu", "in", or "custom"
	BaseURL         string       `json:"baseURL,omitempty"` // set for custom/sandbox
	OrgID           string       `json:"orgID"`
	OrgName         string       `json:"orgName"`
	Integrations    Integrations `json:"integrations"`
	OwnerEmail      string       `json:"ownerEmail,omitempty"`
	Role            string       `json:"role,omitempty"` // "" when it could not be determined
	KeyLast4        string       `json:"keyLast4"`
	Fingerprint     string       `json:"fingerprint"` // Fingerprint(key)
	KeyCreated      *time.Time   `json:"keyCreated,omitempty"`
	KeyExpires      *time.Time   `json:"keyExpires,omitempty"`
	VerifiedAt      *time.Time   `json:"verifiedAt,omitempty"`
	RotatedAt       *time.Time   `json:"rotatedAt,omitempty"`
	LastCollectedAt *time.Time   `json:"lastCollectedAt,omitempty"`
	// Servers mark devices as servers (group:NAME, host:PATTERN, os:FAMILY; `jcconnect profile
	// servers`): their screen lock does not apply. Used when --servers is not given.
	Servers []string `json:"servers,omitempty"`
}

// CredentialKind is the profile's kind, KindAPIKey for older profiles without one.
func (p Profile) CredentialKind() string {
	if p.Kind == "" {
		return KindAPIKey
	}
	return p.Kind
}

// IsServiceAccount reports whether the profile connects with a service account.
func (p Profile) IsServiceAccount() bool { return p.Kind == KindServiceAccount }

// DefaultProfileName is the name Save gives a profile saved without one.
const DefaultProfileName = "default"

// CheckProfileName refuses a profile name jcconnect cannot use (the --profile flag is checked
// with it before anything else runs). Its message never repeats the name.
func CheckProfileName(name string) error { return validProfileName(name) }

// validProfileName: the name is also the keyring user and appears in file names and messages,
// so it is kept to a plain, printable set.
func validProfileName(name string) error {
	if name == "" || len(name) > 64 {
		return &StoreError{Kind: kindInvalidProfile, Detail: "a profile name must be 1 to 64 characters"}
	}
	for _, r := range name {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_'
		if !ok {
			return &StoreError{Kind: kindInvalidProfile,
				Detail: "a profile name may only use letters, digits, dots, dashes and underscores"}
		}
	}
	if name == "." || name == ".." {
		return &StoreError{Kind: kindInvalidProfile, Detail: "a profile name cannot be . or .."}
	}
	return nil
}
