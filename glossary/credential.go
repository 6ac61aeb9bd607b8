package glossary

// Credential is how people-facing text names the credential in use: an administrator's API key
// or a service account. A service account has no admin behind it, so its words name its own
// role; what is stored, expires and rotates is its client secret.
type Credential struct {
	Name     string // "key", "service account": "This key is not Read Only"
	Role     string // "its admin's role", "its role"
	ReadOnly string // what to create instead: "a Read Only admin"
	Secret   string // what is stored and rotated: "key", "client secret"
	EnvVar   string // the environment variable that carries Secret
	RoleFix  string // how to end up Read Only, as an imperative sentence without its full stop
}

// CredentialFor gives the words for a service account or, when false, an API key.
func CredentialFor(serviceAccount bool) Credential {
	if serviceAccount {
		return Credential{Name: "service account", Role: "its role", ReadOnly: "a Read Only service account",
			Secret: "client secret", EnvVar: "JUMPCLOUD_CLIENT_SECRET",
			RoleFix: "Give the service account the Read Only role"}
	}
	return Credential{Name: "key", Role: "its admin's role", ReadOnly: "a Read Only admin",
		Secret: "key", EnvVar: "JUMPCLOUD_API_KEY",
		RoleFix: "Generate a key as a Read Only administrator"}
}
