package rotate

// RotateFlags are `jcconnect rotate`'s flags.
type RotateFlags struct {
	WithKey bool // read the new key from stdin, no TUI
	// AcceptChanges (--accept-changes) lets --with-key store a key whose owner or role differs
	// from the stored one, or that is not Read Only; without it such a rotation stops, since
	// there is no one to confirm.
	AcceptChanges bool
	// WithSecret reads a service account's new client secret from stdin (rotate_secret.go).
	WithSecret bool
}
