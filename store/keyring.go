package store

// Keyring is the smallest interface over a secret store. Implementations: the OS keyring through
// go-keyring (OSKeyring), and Memory for tests and the demo. Wrap either with WithDeadlines.
//
// Errors may be raw (the store classifies them) or KeyringErrors; a missing item must be reported
// as something errors.Is matches with ErrKeyNotFound or go-keyring's keyring.ErrNotFound.
type Keyring interface {
	Get(service, user string) (string, error)
	Set(service, user, secret string) error
	Delete(service, user string) error
}

// Service is the keyring service name jcconnect's keys are stored under; the keyring user is the
// profile name. Other tools (secret-tool, Keychain Access) show the item under this name.
const Service = "jcconnect"

// ProbeService is the service name the doctor's probe item is written under, so a probe can never
// touch a real key.
const ProbeService = "jcconnect-doctor-probe"

// Where the key came from.
type KeySource string

const (
	SourceKeyring KeySource = "keyring"
	SourceEnv     KeySource = "environment" // JUMPCLOUD_API_KEY, or JUMPCLOUD_CLIENT_ID + JUMPCLOUD_CLIENT_SECRET
	SourceMemory  KeySource = "memory"      // the demo
)

// Credential is a key (or a service account's client secret) and where it came from. Never print
// Key: use Mask.
type Credential struct {
	Key    Secret // the API key, or the service account's client secret (printed, it shows its mask)
	OrgID  string // from JUMPCLOUD_ORG_ID when the key came from the environment, else the profile's
	Source KeySource
	// Kind is KindAPIKey or KindServiceAccount; ClientID is the service account's client id.
	Kind     string
	ClientID string
}

// IsServiceAccount reports whether the credential is a service account's.
func (c Credential) IsServiceAccount() bool { return c.Kind == KindServiceAccount }

// unwrapper lets the store see through wrappers (WithDeadlines) to the backend, to report the
// key's source and to let the doctor know whether it is looking at the OS keyring.
type unwrapper interface{ Unwrap() Keyring }

func backend(k Keyring) Keyring {
	for {
		u, ok := k.(unwrapper)
		if !ok {
			return k
		}
		k = u.Unwrap()
	}
}
