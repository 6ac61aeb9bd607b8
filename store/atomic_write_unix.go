//go:build unix

package store

import (
	"errors"
	"syscall"
)

// Some file systems refuse fsync on a directory; the rename has still happened.
func isSyncUnsupported(err error) bool {
	return errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOTSUP)
}
