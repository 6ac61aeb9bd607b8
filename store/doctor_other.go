//go:build !((dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd)

package store

import (
	"context"
	"runtime"
	"time"
)

// Outside the Secret Service platforms there is no session bus or collection to check: say which
// keyring applies, and let the round trip prove it works.
func platformChecks(ctx context.Context, limit time.Duration, _ error) []Check {
	switch runtime.GOOS {
	case "darwin", "ios":
		return []Check{{Name: "keychain", OK: true,
			Detail: "macOS stores the key in your login Keychain; no session bus or Secret Service is involved. If a prompt asks to allow access, choose Always Allow."}}
	case "windows":
		return []Check{{Name: "credential manager", OK: true,
			Detail: "Windows stores the key in Credential Manager (Windows Credentials); no session bus or Secret Service is involved."}}
	}
	return []Check{{Name: "platform", Err: ErrUnsupported, Fix: Fix(ErrUnsupported),
		Detail: "no keyring is supported on " + runtime.GOOS}}
}
