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
		return rotatePlain(ctx, env, flags, false)
	case env.Accessible && env.IsTTY:
		return rotatePlain(ctx, env, flags, true)
	case env.IsTTY:
		return rotateTUI(ctx, env)
	}
	fmt.Fprintln(env.Err, "jcconnect rotate: not on a terminal. Pipe the new key in instead (never as an argument):")
	fmt.Fprintln(env.Err, "  jcconnect rotate --with-key < new-key.txt")
	return connect.ExitUsage
}

// rotatePlain is the rotation without the TUI. interactive (--accessible) asks for the key and
// the confirmations as prompts; otherwise (--with-key) the key is stdin and the confirmations are
// flags.AcceptChanges.
func rotatePlain(ctx context.Context, env *connect.Env, flags RotateFlags, interactive bool) int {
	out := env.Out
	t, err := connect.PrepareRotation(ctx, env)
	if err != nil {
		return reportRotateError(env, err)
	}
	writeRotationTarget(out, t)

	// Both faces read the key through the one hidden, bounded, cancellable reader (keyread.go).
	var p *common.Prompter
	var raw string
	if interactive {
		p = common.NewPrompter(ctx, env)
		fmt.Fprintln(out, "\n"+connect.RotationOrder)
		raw, err = p.AskSecret("\nPaste the new API key and press enter (it is not shown):")
	} else {
		raw, err = common.ReadKeyWhole(ctx, env.In, env.Err, "\nPaste the new API key and press enter (it is not shown):")
	}
	switch {
	case errors.Is(err, common.ErrCanceled):
		fmt.Fprintln(env.Err, "jcconnect rotate: canceled; nothing was changed and the old key is still stored.")
		return connect.ExitFailure
	case errors.Is(err, common.ErrInputTooLong):
		fmt.Fprintln(env.Err, "jcconnect rotate: the new key was not accepted:", err)
		return connect.ExitUsage
	}
	// The same shape check as the wizard's paste: not empty, no control characters, spaces,
	// URL or JSON, a plausible length; the reason says which.
	newKey, err := common.CheckKeyShape(raw)
	if err != nil {
		fmt.Fprintln(env.Err, "jcconnect rotate: the new key was not accepted:", err)
		fmt.Fprintln(env.Err, "Give the key alone on standard input: jcconnect rotate --with-key < new-key.txt")
		return connect.ExitUsage
	}
	if t.SameKey(newKey) {
		fmt.Fprintln(env.Err, "jcconnect rotate: this is the key already stored; nothing to rotate.")
		fmt.Fprintln(env.Err, "Generate a new key in the console (My API Key ▸ Generate New API Key) and give that one.")
		return connect.ExitUsage
	}

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
			return connect.ExitUsage
		}
		fmt.Fprintln(env.Err, "\n✗ The new key did not pass verification; nothing was changed and the old key is still stored.")
		return connect.ExitCodeForChecks(v.Checks)
	}
	if t.OrgMismatch(v) {
		fmt.Fprintln(env.Err, "\n✗ "+t.OtherOrgRefusal(v.Org))
		return connect.ExitUsage
	}

	// What must be confirmed: a new owner or role, and a key that is not Read Only.
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
	if len(asks) > 0 {
		what := strings.Join(asks, " and ")
		switch {
		case interactive:
			if !p.Confirm(fmt.Sprintf("Store this key anyway, accepting %s? [y/N]", what)) {
				fmt.Fprintln(out, "Nothing was changed; the old key is still stored.")
				return connect.ExitFailure
			}
		case !flags.AcceptChanges:
			fmt.Fprintf(env.Err, "\nNothing was changed: this rotation brings %s, which must be confirmed.\n", what)
			fmt.Fprintln(env.Err, "Run it again on a terminal (`jcconnect rotate`), or add --accept-changes.")
			return connect.ExitUsage
		}
	}

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
