package connect

import (
	"fmt"
	"io"

	"jcconnect/glossary"
)

// AllowPrivilegedFlag is the flag that lets an unattended command store a key that is not Read
// Only (setup --with-key, rotate --with-key).
const AllowPrivilegedFlag = "--allow-privileged"

// ExitPrivilegedRefused is the exit code of that refusal, the same for a key and a service
// account (ExitInvalidKey: the credential is not one jcconnect should use).
const ExitPrivilegedRefused = ExitInvalidKey

// Unattended is implemented by the faces with no one to ask (--with-key): a key that is not Read
// Only is then decided by the one rule, RefusePrivileged, rather than by a question.
type Unattended interface{ AllowPrivileged() bool }

// RefusePrivileged is the one rule for a key that is not Read Only where no one is there to
// continue knowingly: it is refused unless the admin gave --allow-privileged. It says why on w
// and reports whether the key may be stored; a Read Only key (or one whose role is unknown) may.
// The TUI and the --accessible prompts ask instead ("continue knowingly").
func RefusePrivileged(w io.Writer, v Verified, allowPrivileged bool) bool {
	if !IsPrivileged(v.Owner) {
		return true
	}
	cw := glossary.CredentialFor(v.IsServiceAccount())
	what, whose, remedy := cw.Name, cw.Role, cw.RoleFix
	fmt.Fprintf(w, "\n! This %s is not Read Only: %s is %s.\n  %s\n", what, whose, Clean(v.Owner.Role), v.LeastPrivilege())
	if allowPrivileged {
		fmt.Fprintf(w, "  Stored anyway, as %s asks.\n", AllowPrivilegedFlag)
		return true
	}
	fmt.Fprintf(w, "\n✗ Nothing was stored: a %s that is not Read Only needs %s.\n", what, AllowPrivilegedFlag)
	fmt.Fprintf(w, "  %s and run this again, or add %s to store this one knowingly.\n", remedy, AllowPrivilegedFlag)
	return false
}
