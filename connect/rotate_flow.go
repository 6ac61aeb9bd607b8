package connect

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"jcconnect/store"
)

// RotationPrompter is what the rotation asks the person, as gh's Prompter: the new key, and
// whether a change (another owner or role, a key that is not Read Only) is accepted. The
// --accessible prompts and the --with-key runner implement it (ui/rotate); what the rotation
// tells goes to env.Out and env.Err. The TUI walks the same steps (PrepareRotation, VerifyKey,
// ReplaceKey, CheckOldKey) as a screen.
type RotationPrompter interface {
	// ReadKey returns the raw new key, read through the one hidden, bounded reader; it ends with
	// ErrCanceled or ErrInputTooLong when the person canceled or gave more than a key.
	ReadKey(ctx context.Context, env *Env) (string, error)
	// Accept says whether the change described by what is accepted; when not, code is the exit
	// code and the prompter has said why.
	Accept(env *Env, what string) (ok bool, code int)
}

// Rotate is the rotation without the TUI, in four steps: read the new key, verify it live,
// have the changes accepted, swap and confirm the old key's revocation.
func Rotate(ctx context.Context, env *Env, face RotationPrompter) int {
	t, err := PrepareRotation(ctx, env)
	if err != nil {
		return ReportRotateError(env, err)
	}
	writeRotationTarget(env.Out, t)
	newKey, code, ok := readNewKey(ctx, env, t, face)
	if !ok {
		return code
	}
	v, code, ok := verifyNewKey(ctx, env, t, newKey)
	if !ok {
		return code
	}
	if ok, code := acceptChanges(env, t, v, face); !ok {
		return code
	}
	return swapKey(ctx, env, t, v, newKey)
}

// readNewKey reads the key and applies the wizard's shape check; a refusal says why.
func readNewKey(ctx context.Context, env *Env, t RotationTarget, face RotationPrompter) (string, int, bool) {
	raw, err := face.ReadKey(ctx, env)
	switch {
	case errors.Is(err, ErrCanceled):
		fmt.Fprintln(env.Err, "jcconnect rotate: canceled; nothing was changed and the old key is still stored.")
		return "", ExitFailure, false
	case errors.Is(err, ErrInputTooLong):
		fmt.Fprintln(env.Err, "jcconnect rotate: the new key was not accepted:", err)
		return "", ExitUsage, false
	}
	// The same shape check as the wizard's paste: not empty, no control characters, spaces,
	// URL or JSON, a plausible length; the reason says which.
	shape := CheckKeyShape
	if t.Profile.IsServiceAccount() {
		shape = CheckSecretShape
	}
	newKey, err := shape(raw)
	if err != nil && t.Profile.IsServiceAccount() {
		fmt.Fprintln(env.Err, "jcconnect rotate: the new client secret was not accepted:", err)
		fmt.Fprintln(env.Err, "Give the secret alone on standard input: jcconnect rotate --with-secret < new-secret.txt")
		return "", ExitUsage, false
	}
	if err != nil {
		fmt.Fprintln(env.Err, "jcconnect rotate: the new key was not accepted:", err)
		fmt.Fprintln(env.Err, "Give the key alone on standard input: jcconnect rotate --with-key < new-key.txt")
		return "", ExitUsage, false
	}
	if t.SameKey(newKey) && t.Profile.IsServiceAccount() {
		fmt.Fprintln(env.Err, "jcconnect rotate: this is the client secret already stored; nothing to rotate.")
		fmt.Fprintln(env.Err, "Generate the second client secret in Settings ▸ Service Accounts and give that one.")
		return "", ExitUsage, false
	}
	if t.SameKey(newKey) {
		fmt.Fprintln(env.Err, "jcconnect rotate: this is the key already stored; nothing to rotate.")
		fmt.Fprintln(env.Err, "Generate a new key in the console (My API Key ▸ Generate New API Key) and give that one.")
		return "", ExitUsage, false
	}
	return newKey, 0, true
}

// verifyNewKey checks the new key live, printing each check; a key of another organisation is
// refused.
func verifyNewKey(ctx context.Context, env *Env, t RotationTarget, newKey string) (Verified, int, bool) {
	out := env.Out
	fmt.Fprintf(out, "\nVerifying the new %s %s live:\n", t.credentialWord(), store.Mask(newKey))
	v, err := VerifyKey(ctx, t.VerifyRequest(env, newKey), nil, func(r CheckResult) {
		fmt.Fprintf(out, "  %-8s %s: %s\n", r.Glyph(), r.Name, r.Detail)
		// The least-privilege and organisation advice is the rotation's own, printed below.
		if (r.State == CheckWarning || r.State == CheckFailed) && r.Fix != "" &&
			r.Name != CheckNameReadOnly && r.Name != CheckNameOrg {
			fmt.Fprintf(out, "           %s\n", r.Fix)
		}
	})
	if err != nil {
		if failedOrgCheck(v.Checks) {
			fmt.Fprintln(env.Err, "\n✗ "+t.OtherOrgRefusal(v.Org))
			return v, ExitUsage, false
		}
		fmt.Fprintf(env.Err, "\n✗ The new %s did not pass verification; nothing was changed and the old one is still stored.\n", t.credentialWord())
		return v, ExitCodeForChecks(v.Checks), false
	}
	if t.OrgMismatch(v) {
		fmt.Fprintln(env.Err, "\n✗ "+t.OtherOrgRefusal(v.Org))
		return v, ExitUsage, false
	}
	return v, 0, true
}

// acceptChanges shows what must be confirmed (a new owner or role, a key that is not Read Only)
// and asks the face to accept it; an unattended face has the privilege rule decide instead.
func acceptChanges(env *Env, t RotationTarget, v Verified, face RotationPrompter) (bool, int) {
	out := env.Out
	change := t.CompareOwner(v)
	var asks []string
	if change.Any() {
		fmt.Fprintln(out, "\nThe new key's admin differs from the stored one:")
		for _, l := range change.Lines() {
			fmt.Fprintln(out, "  "+l)
		}
		asks = append(asks, "a different owner or role")
	}
	if u, unattended := face.(Unattended); unattended {
		if !RefusePrivileged(env.Err, v, u.AllowPrivileged()) {
			return false, ExitPrivilegedRefused
		}
	} else if IsPrivileged(v.Owner) {
		whose := "its admin's role"
		if t.Profile.IsServiceAccount() {
			whose = "its role"
		}
		fmt.Fprintf(out, "\n! This %s is not Read Only: %s is %s.\n  %s\n", t.credentialWord(), whose, Clean(v.Owner.Role), v.LeastPrivilege())
		asks = append(asks, "a "+t.credentialWord()+" that is not Read Only")
	}
	if len(asks) == 0 {
		return true, 0
	}
	return face.Accept(env, strings.Join(asks, " and "))
}

// swapKey stores the verified key in place of the old one and reports the old key's fate.
func swapKey(ctx context.Context, env *Env, t RotationTarget, v Verified, newKey string) int {
	out := env.Out
	after, err := t.ReplaceKey(ctx, env, v)
	if err != nil {
		// One sentence of cause, one of fix: not the chain of wrapped messages.
		fmt.Fprintln(env.Err, "\n✗ The new key was verified but could not be stored, so the old key is still stored: "+store.Cause(errors.Unwrap(err)))
		if fix := store.Fix(err); fix != "" {
			fmt.Fprintln(env.Err, "  "+fix)
		}
		fmt.Fprintln(env.Err, "  Keep the new key at hand: once the keyring works (`jcconnect doctor`), run the rotation again with it.")
		if t.Recovery {
			fmt.Fprintln(env.Err, "  The stored key is the old, refused one; until then JUMPCLOUD_API_KEY can carry the new key.")
		}
		return ExitCodeFor(err)
	}
	fmt.Fprintf(out, "\n✓ The new %s %s is stored for profile %q.\n", t.credentialWord(), store.Mask(newKey), after.Name)
	old := t.CheckOldKey(ctx, env)
	mark := "✓"
	if old.State == OldKeyStillWorks || old.State == OldKeyUnchecked {
		mark = "!"
	}
	fmt.Fprintf(out, "%s %s\n", mark, old.Describe(t, Clean(v.Owner.Admin.Email)))
	writeRotatedProfile(out, after)
	if note := t.StoredKeyNote(); note != "" {
		fmt.Fprintln(out, "\n! "+note)
	}
	return ExitOK
}

// failedOrgCheck reports whether verification stopped at the organisation step.
func failedOrgCheck(checks []CheckResult) bool {
	return len(checks) > 0 && checks[len(checks)-1].Name == CheckNameOrg &&
		checks[len(checks)-1].State == CheckFailed
}

func ReportRotateError(env *Env, err error) int {
	if errors.Is(err, ErrEnvOnly) {
		fmt.Fprintln(env.Err, "jcconnect rotate:", err)
		return ExitNoProfile
	}
	state := StateOf(err)
	rem := RemedyFor(state, err, env.Profile, env.Profile == "", "")
	fmt.Fprintln(env.Err, "jcconnect rotate:", err)
	if fix := store.Fix(err); fix != "" {
		fmt.Fprintln(env.Err, fix)
	} else if rem.Why != "" {
		fmt.Fprintln(env.Err, rem.Why)
	}
	if rem.Command != "" && !strings.HasPrefix(rem.Command, "jcconnect rotate") {
		fmt.Fprintln(env.Err, "Run:", rem.Command)
	}
	return state.ExitCode()
}

// Labelled is one "label  value" line of a profile summary.
type Labelled struct{ Label, Value string }

// profileRows are the stored key's facts, in the order both the TUI and the plain runner show
// them (safe to draw: API text is cleaned).
func ProfileRows(t RotationTarget) []Labelled {
	p := t.Profile
	return []Labelled{
		{"Key", t.Masked},
		{"Organisation", strings.TrimSpace(Clean(p.OrgName) + " (" + p.OrgID + ")")},
		{"Owner", Clean(p.OwnerEmail)},
		{"Role", Clean(p.Role)},
		{"Created", Day(p.KeyCreated)},
		{"Expires", Day(p.KeyExpires)},
	}
}

// writeRotationTarget shows the stored key's profile and what JumpCloud says about it now.
func writeRotationTarget(w io.Writer, t RotationTarget) {
	fmt.Fprintf(w, "Rotating the %s of profile %q\n", t.credentialWord(), t.Profile.Name)
	row := func(label, value string) {
		if value != "" {
			fmt.Fprintf(w, "  %-13s %s\n", label, value)
		}
	}
	for _, r := range ProfileRows(t) {
		row(r.Label, r.Value)
	}
	switch {
	case t.NoStoredKey:
		row("Now", "no key in the keyring for this profile: this rotation stores one (a recovery)")
	case t.Recovery:
		row("Now", "✗ JumpCloud refuses this key (revoked or expired): this rotation is a recovery")
		row("", "(Generating the new key in the console revokes the old one at once, so this is expected")
		row("", "when the new key was generated before running this command.)")
	case t.Check.Valid():
		row("Now", "✓ still works")
	default:
		row("Now", fmt.Sprintf("? could not be checked (%s); rotating anyway is safe", t.Check.State))
	}
	if note := t.StoredKeyNote(); note != "" {
		fmt.Fprintln(w, "! "+note)
	}
}

func writeRotatedProfile(w io.Writer, p store.Profile) {
	fmt.Fprintf(w, "  %-13s …%s\n", "Key", p.KeyLast4)
	if p.OwnerEmail != "" {
		fmt.Fprintf(w, "  %-13s %s\n", "Owner", Clean(p.OwnerEmail))
	}
	fmt.Fprintf(w, "  %-13s %s\n", "Role", OrUnknown(Clean(p.Role)))
	if p.KeyExpires != nil {
		fmt.Fprintf(w, "  %-13s %s\n", "Expires", Day(p.KeyExpires))
	}
	fmt.Fprintf(w, "  %-13s %s\n", "Rotated", Stamp(p.RotatedAt))
}
