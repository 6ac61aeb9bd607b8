package rotate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"jcconnect/connect"
	"jcconnect/store"
	"jcconnect/ui/common"
)

// RunRotate picks the surface: the TUI on a terminal, plain prompts with --accessible, stdin
// with --with-key, and a pointer to --with-key otherwise.
func RunRotate(ctx context.Context, env *connect.Env, flags RotateFlags) int {
	switch {
	case flags.WithKey:
		return rotatePlain(ctx, env, stdinFace{acceptChanges: flags.AcceptChanges})
	case env.Accessible && env.IsTTY:
		return rotatePlain(ctx, env, promptFace{common.NewPrompter(ctx, env)})
	case env.IsTTY:
		return rotateTUI(ctx, env)
	}
	fmt.Fprintln(env.Err, "jcconnect rotate: not on a terminal. Pipe the new key in instead (never as an argument):")
	fmt.Fprintln(env.Err, "  jcconnect rotate --with-key < new-key.txt")
	return connect.ExitUsage
}

// plainFace is what differs between the two plain rotations: how the new key is read, and how
// a change (another owner or role, a key that is not Read Only) is accepted. --accessible asks
// at prompts; --with-key reads stdin and takes --accept-changes. The steps are shared.
type plainFace interface {
	// readKey returns the raw new key, read through the one hidden, bounded reader.
	readKey(ctx context.Context, env *connect.Env) (string, error)
	// accept says whether the change described by what is accepted; when not, code is the exit
	// code and the face has said why.
	accept(env *connect.Env, what string) (ok bool, code int)
}

// promptFace is --accessible: the key at a hidden prompt, changes confirmed with y/N.
type promptFace struct{ p *common.Prompter }

func (f promptFace) readKey(_ context.Context, env *connect.Env) (string, error) {
	fmt.Fprintln(env.Out, "\n"+connect.RotationOrder)
	return f.p.AskSecret("\nPaste the new API key and press enter (it is not shown):")
}

func (f promptFace) accept(env *connect.Env, what string) (bool, int) {
	if f.p.Confirm(fmt.Sprintf("Store this key anyway, accepting %s? [y/N]", what)) {
		return true, 0
	}
	fmt.Fprintln(env.Out, "Nothing was changed; the old key is still stored.")
	return false, connect.ExitFailure
}

// stdinFace is --with-key: the key on stdin (hidden if stdin is a terminal), changes accepted
// only with --accept-changes, since no one is there to confirm.
type stdinFace struct{ acceptChanges bool }

func (stdinFace) readKey(ctx context.Context, env *connect.Env) (string, error) {
	return common.ReadKeyWhole(ctx, env.In, env.Err, "\nPaste the new API key and press enter (it is not shown):")
}

func (f stdinFace) accept(env *connect.Env, what string) (bool, int) {
	if f.acceptChanges {
		return true, 0
	}
	fmt.Fprintf(env.Err, "\nNothing was changed: this rotation brings %s, which must be confirmed.\n", what)
	fmt.Fprintln(env.Err, "Run it again on a terminal (`jcconnect rotate`), or add --accept-changes.")
	return false, connect.ExitUsage
}

// rotatePlain is the rotation without the TUI, in four steps: read the new key, verify it live,
// have the changes accepted, swap and confirm the old key's revocation.
func rotatePlain(ctx context.Context, env *connect.Env, face plainFace) int {
	t, err := connect.PrepareRotation(ctx, env)
	if err != nil {
		return reportRotateError(env, err)
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
func readNewKey(ctx context.Context, env *connect.Env, t connect.RotationTarget, face plainFace) (string, int, bool) {
	raw, err := face.readKey(ctx, env)
	switch {
	case errors.Is(err, common.ErrCanceled):
		fmt.Fprintln(env.Err, "jcconnect rotate: canceled; nothing was changed and the old key is still stored.")
		return "", connect.ExitFailure, false
	case errors.Is(err, common.ErrInputTooLong):
		fmt.Fprintln(env.Err, "jcconnect rotate: the new key was not accepted:", err)
		return "", connect.ExitUsage, false
	}
	// The same shape check as the wizard's paste: not empty, no control characters, spaces,
	// URL or JSON, a plausible length; the reason says which.
	newKey, err := connect.CheckKeyShape(raw)
	if err != nil {
		fmt.Fprintln(env.Err, "jcconnect rotate: the new key was not accepted:", err)
		fmt.Fprintln(env.Err, "Give the key alone on standard input: jcconnect rotate --with-key < new-key.txt")
		return "", connect.ExitUsage, false
	}
	if t.SameKey(newKey) {
		fmt.Fprintln(env.Err, "jcconnect rotate: this is the key already stored; nothing to rotate.")
		fmt.Fprintln(env.Err, "Generate a new key in the console (My API Key ▸ Generate New API Key) and give that one.")
		return "", connect.ExitUsage, false
	}
	return newKey, 0, true
}

// verifyNewKey checks the new key live, printing each check; a key of another organisation is
// refused.
func verifyNewKey(ctx context.Context, env *connect.Env, t connect.RotationTarget, newKey string) (connect.Verified, int, bool) {
	out := env.Out
	fmt.Fprintf(out, "\nVerifying the new key %s live:\n", store.Mask(newKey))
	v, err := connect.VerifyKey(ctx, t.VerifyRequest(env, newKey), nil, func(r connect.CheckResult) {
		fmt.Fprintf(out, "  %-8s %s: %s\n", r.Glyph(), r.Name, r.Detail)
		// The least-privilege and organisation advice is the rotation's own, printed below.
		if (r.State == connect.CheckWarning || r.State == connect.CheckFailed) && r.Fix != "" &&
			r.Name != connect.CheckNameReadOnly && r.Name != connect.CheckNameOrg {
			fmt.Fprintf(out, "           %s\n", r.Fix)
		}
	})
	if err != nil {
		if failedOrgCheck(v.Checks) {
			fmt.Fprintln(env.Err, "\n✗ "+t.OtherOrgRefusal(v.Org))
			return v, connect.ExitUsage, false
		}
		fmt.Fprintln(env.Err, "\n✗ The new key did not pass verification; nothing was changed and the old key is still stored.")
		return v, connect.ExitCodeForChecks(v.Checks), false
	}
	if t.OrgMismatch(v) {
		fmt.Fprintln(env.Err, "\n✗ "+t.OtherOrgRefusal(v.Org))
		return v, connect.ExitUsage, false
	}
	return v, 0, true
}

// acceptChanges shows what must be confirmed (a new owner or role, a key that is not Read Only)
// and asks the face to accept it.
func acceptChanges(env *connect.Env, t connect.RotationTarget, v connect.Verified, face plainFace) (bool, int) {
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
	if connect.IsPrivileged(v.Owner) {
		fmt.Fprintf(out, "\n! This key is not Read Only: its admin's role is %s.\n  %s\n", connect.Clean(v.Owner.Role), connect.LeastPrivilegeWarning)
		asks = append(asks, "a key that is not Read Only")
	}
	if len(asks) == 0 {
		return true, 0
	}
	return face.accept(env, strings.Join(asks, " and "))
}

// swapKey stores the verified key in place of the old one and reports the old key's fate.
func swapKey(ctx context.Context, env *connect.Env, t connect.RotationTarget, v connect.Verified, newKey string) int {
	out := env.Out
	after, err := t.ReplaceKey(ctx, env, v)
	if err != nil {
		fmt.Fprintln(env.Err, "\n✗", err)
		if fix := store.Fix(err); fix != "" {
			fmt.Fprintln(env.Err, "  "+fix)
		}
		fmt.Fprintln(env.Err, "  Keep the new key at hand: once the keyring works (`jcconnect doctor`), run the rotation again with it.")
		if t.Recovery {
			fmt.Fprintln(env.Err, "  The stored key is the old, refused one; until then JUMPCLOUD_API_KEY can carry the new key.")
		}
		return connect.ExitCodeFor(err)
	}
	fmt.Fprintf(out, "\n✓ The new key %s is stored for profile %q.\n", store.Mask(newKey), after.Name)
	old := t.CheckOldKey(ctx, env)
	mark := "✓"
	if old.State == connect.OldKeyStillWorks || old.State == connect.OldKeyUnchecked {
		mark = "!"
	}
	fmt.Fprintf(out, "%s %s\n", mark, old.Describe(t, connect.Clean(v.Owner.Admin.Email)))
	writeRotatedProfile(out, after)
	if note := t.StoredKeyNote(); note != "" {
		fmt.Fprintln(out, "\n! "+note)
	}
	return connect.ExitOK
}

// failedOrgCheck reports whether verification stopped at the organisation step.
func failedOrgCheck(checks []connect.CheckResult) bool {
	return len(checks) > 0 && checks[len(checks)-1].Name == connect.CheckNameOrg &&
		checks[len(checks)-1].State == connect.CheckFailed
}

func reportRotateError(env *connect.Env, err error) int {
	if errors.Is(err, connect.ErrEnvOnly) {
		fmt.Fprintln(env.Err, "jcconnect rotate:", err)
		return connect.ExitNoProfile
	}
	state := connect.StateOf(err)
	rem := connect.RemedyFor(state, err, env.Profile, env.Profile == "", "")
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

// labelled is one "label  value" line of a profile summary.
type labelled struct{ label, value string }

// profileRows are the stored key's facts, in the order both the TUI and the plain runner show
// them (safe to draw: API text is cleaned).
func profileRows(t connect.RotationTarget) []labelled {
	p := t.Profile
	return []labelled{
		{"Key", t.Masked},
		{"Organisation", strings.TrimSpace(connect.Clean(p.OrgName) + " (" + p.OrgID + ")")},
		{"Owner", connect.Clean(p.OwnerEmail)},
		{"Role", connect.Clean(p.Role)},
		{"Created", connect.Day(p.KeyCreated)},
		{"Expires", connect.Day(p.KeyExpires)},
	}
}

// writeRotationTarget shows the stored key's profile and what JumpCloud says about it now.
func writeRotationTarget(w io.Writer, t connect.RotationTarget) {
	fmt.Fprintf(w, "Rotating the key of profile %q\n", t.Profile.Name)
	row := func(label, value string) {
		if value != "" {
			fmt.Fprintf(w, "  %-13s %s\n", label, value)
		}
	}
	for _, r := range profileRows(t) {
		row(r.label, r.value)
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
		fmt.Fprintf(w, "  %-13s %s\n", "Owner", connect.Clean(p.OwnerEmail))
	}
	fmt.Fprintf(w, "  %-13s %s\n", "Role", connect.OrUnknown(connect.Clean(p.Role)))
	if p.KeyExpires != nil {
		fmt.Fprintf(w, "  %-13s %s\n", "Expires", connect.Day(p.KeyExpires))
	}
	fmt.Fprintf(w, "  %-13s %s\n", "Rotated", connect.Stamp(p.RotatedAt))
}
