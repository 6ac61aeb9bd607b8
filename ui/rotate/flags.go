package rotate

// RotateFlags are `jcconnect rotate`'s flags.
type RotateFlags struct {
	WithKey bool // read the new key from stdin, no TUI
	// AcceptChanges (--accept-changes) lets --with-key store a key whose owner or role differs
	// from the stored one; without it such a rotation stops, since there is no one to confirm.
	AcceptChanges bool
	// AllowPrivileged (--allow-privileged) lets --with-key or --with-secret store a credential that is not Read Only
	// (connect.RefusePrivileged, the same rule as setup).
	AllowPrivileged bool
	// WithSecret reads a service account's new client secret from stdin (rotate_secret.go).
	WithSecret bool
}
