//go:build !unix

package store

// Windows cannot fsync a directory handle; NTFS journals the rename itself.
func isSyncUnsupported(err error) bool { return true }
