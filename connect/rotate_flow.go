package connect

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"jcconnect/store"
)

// The plain faces of a rotation are the setup's Prompters (setup.go): the --accessible prompts
// (ui/common.Prompter) read the new key with AskSecret and confirm a change with Ask; the
// --with-key/--with-secret runner (ui/common.Unattended) answers only AskSecret and implements
// Unattended, so the rules for no one to ask decide, and ChangeAccepter for --accept-changes.
// What the rotation tells goes to env.Out and env.Err. The TUI cannot block on a question, so it
// drives the same Rotation steps one tea.Cmd at a time instead (ui/rotate/rotate_model.go).

// ChangeAccepter is the one rotation-specific answer of an unattended face: whether a new key
// whose owner or role differs from the stored one (or that is not Read Only, when allowed) may be
// stored without asking (rotate --accept-changes). An unattended face without it refuses.
type ChangeAccepter interface{ AcceptChanges() bool }

// Rotate is the rotation without the TUI: the Rotation's steps in sequence, each one's I/O done
// here, the questions asked through face. It stops at the first refusal with its exit code.
func Rotate(ctx context.Context, env *Env, face Prompter) int {
	t, err := PrepareRotation(ctx, env)
	if err != nil {
		return ReportRotateError(env, err)
	}
	writeRotationTarget(env.Out, t)
	r := NewRotation(t)
	for {
		var code int
		switch r.Step() {
		case StepReadKey:
			code = readNewKey(env, r, face)
		case StepVerify:
			code = verifyNewKey(ctx, env, r)
		case StepConfirm:
			code = acceptChanges(env, r, face)
		case StepSwap:
			r.Swapped(t.ReplaceKey(ctx, env, r.Verified()))
		case StepSwapFailed:
			return reportSwapFailure(env, r)
		case StepCheckOld:
			r.OldChecked(t.CheckOldKey(ctx, env))
		case StepDone:
			writeRotated(env.Out, r)
			return ExitOK
		}
		if code != ExitOK {
			return code
		}
	}
}

// readNewKey reads the key and gives it to the rotation; a refusal says why and what to do.
func readNewKey(env *Env, r *Rotation, face Prompter) int {
	w := r.Target.Words()
	// How the rotation goes is for someone about to generate the new key; a key piped to
	// --with-key was generated already, while a secret's order (delete the old one after) still
	// matters to whoever runs --with-secret.
	if _, unattended := face.(Unattended); !unattended || r.Target.Profile.IsServiceAccount() {
		face.Say("\n%s", w.Order)
	}
	raw, err := face.AskSecret("\n" + w.Prompt)
	switch {
	case errors.Is(err, ErrCanceled):
		fmt.Fprintf(env.Err, "jcconnect rotate: canceled; nothing was changed and the old %s is still stored.\n", w.Credential)
		return ExitFailure
	case errors.Is(err, ErrInputTooLong):
		fmt.Fprintf(env.Err, "jcconnect rotate: the new %s was not accepted: %v\n", w.Credential, err)
		return ExitUsage
	}
	ref := r.GiveKey(raw)
	if ref == nil {
		return ExitOK
	}
	fmt.Fprintln(env.Err, "jcconnect rotate: "+ref.Reason)
	switch {
	case !ref.NotAKey:
		fmt.Fprintln(env.Err, ref.Next)
	case r.Target.Profile.IsServiceAccount():
		fmt.Fprintln(env.Err, "Give the secret alone on standard input: jcconnect rotate --with-secret < new-secret.txt")
	default:
		fmt.Fprintln(env.Err, "Give the key alone on standard input: jcconnect rotate --with-key < new-key.txt")
	}
	return ref.Code
}

// verifyNewKey checks the new key live, printing each check, and hands the result to the
// rotation; a refusal (another organisation, a failed check) is printed.
func verifyNewKey(ctx context.Context, env *Env, r *Rotation) int {
	out := env.Out
	fmt.Fprintf(out, "\nVerifying the new %s %s live:\n", r.Target.credentialWord(), r.NewKeyMasked())
	v, err := VerifyKey(ctx, r.VerifyRequest(env), nil, func(c CheckResult) {
		fmt.Fprintf(out, "  %-8s %s: %s\n", c.Glyph(), c.Name, c.Detail)
		// The least-privilege and organisation advice is the rotation's own, printed below.
		if (c.State == CheckWarning || c.State == CheckFailed) && c.Fix != "" &&
			c.Name != CheckNameReadOnly && c.Name != CheckNameOrg {
			fmt.Fprintf(out, "           %s\n", c.Fix)
		}
	})
	if ref := r.KeyVerified(v, err); ref != nil {
		fmt.Fprintln(env.Err, "\n✗ "+ref.Reason)
		return ref.Code
	}
	return ExitOK
}

// acceptChanges shows what must be confirmed (a new owner or role, a key that is not Read Only)
// and asks the face to accept it; an unattended face has the privilege rule decide instead.
func acceptChanges(env *Env, r *Rotation, face Prompter) int {
	out, asks, v := env.Out, r.Asks(), r.Verified()
	if asks.OwnerChange {
		fmt.Fprintf(out, "\nThe new %s's owner differs from the stored one:\n", r.Target.credentialWord())
		for _, l := range r.Change().Lines() {
			fmt.Fprintln(out, "  "+l)
		}
	}
	if u, unattended := face.(Unattended); unattended {
		if !RefusePrivileged(env.Err, v, u.AllowPrivileged()) {
			return ExitPrivilegedRefused
		}
		asks.NotReadOnly = false // decided by the rule, not asked
	} else if asks.NotReadOnly {
		whose := "its admin's role"
		if r.Target.Profile.IsServiceAccount() {
			whose = "its role"
		}
		fmt.Fprintf(out, "\n! This %s is not Read Only: %s is %s.\n  %s\n", r.Target.credentialWord(), whose, Clean(v.Owner.Role), v.LeastPrivilege())
	}
	ok, code := true, ExitOK
	if asks.Any() {
		ok, code = acceptChange(env, face, asks.Describe(r.Target.credentialWord()))
	}
	if ref := r.Accept(ok); ref != nil {
		return max(code, ref.Code) // a face that declines without a code still stops the rotation
	}
	return ExitOK
}

// acceptChange asks whether the change described by what is accepted. A person answers y/N;
// an unattended face accepts only with --accept-changes (ChangeAccepter). When not accepted, it
// says why and returns the exit code.
func acceptChange(env *Env, face Prompter, what string) (bool, int) {
	if _, unattended := face.(Unattended); unattended {
		if a, ok := face.(ChangeAccepter); ok && a.AcceptChanges() {
			return true, ExitOK
		}
		fmt.Fprintf(env.Err, "\nNothing was changed: this rotation brings %s, which must be confirmed.\n", what)
		fmt.Fprintln(env.Err, "Run it again on a terminal (`jcconnect rotate`), or add --accept-changes.")
		return false, ExitUsage
	}
	a, err := face.Ask(fmt.Sprintf("Store it anyway, accepting %s? [y/N]", what))
	if err == nil && (strings.EqualFold(a, "y") || strings.EqualFold(a, "yes")) {
		return true, ExitOK
	}
	face.Say("Nothing was changed; the old one is still stored.")
	return false, ExitFailure
}

// reportSwapFailure says the old key is still stored, why the new one is not, and how to retry.
func reportSwapFailure(env *Env, r *Rotation) int {
	err := r.SaveErr()
	w := r.Target.Words()
	// One sentence of cause, one of fix: not the chain of wrapped messages.
	fmt.Fprintf(env.Err, "\n✗ The new %s was verified but could not be stored, so the old %s is still stored: %s\n", w.Credential, w.Credential, store.Cause(errors.Unwrap(err)))
	if fix := store.Fix(err); fix != "" {
		fmt.Fprintln(env.Err, "  "+fix)
	}
	fmt.Fprintf(env.Err, "  Keep the new %s at hand: once the keyring works (`jcconnect doctor`), run the rotation again with it.\n", w.Credential)
	if r.Target.Recovery {
		fmt.Fprintln(env.Err, "  The stored key is the old, refused one; until then JUMPCLOUD_API_KEY can carry the new key.")
	}
	return ExitCodeFor(err)
}

// writeRotated reports the stored key, the old key's fate and the new profile.
func writeRotated(out io.Writer, r *Rotation) {
	after := r.After()
	fmt.Fprintf(out, "\n✓ The new %s %s is stored for profile %q.\n", r.Target.credentialWord(), r.NewKeyMasked(), after.Name)
	mark := "✓"
	if s := r.Old().State; s == OldKeyStillWorks || s == OldKeyUnchecked {
		mark = "!"
	}
	fmt.Fprintf(out, "%s %s\n", mark, r.Outcome())
	writeRotatedProfile(out, after)
	if note := r.Target.StoredKeyNote(); note != "" {
		fmt.Fprintln(out, "\n! "+note)
	}
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

// ProfileRows are the stored credential's facts, in the order both the TUI and the plain
// runner show them (safe to draw: API text is cleaned).
func ProfileRows(t RotationTarget) []Labelled {
	p := t.Profile
	org := strings.TrimSpace(Clean(p.OrgName) + " (" + p.OrgID + ")")
	if p.IsServiceAccount() {
		return []Labelled{
			{"Client secret", t.Masked},
			{"Client ID", Clean(p.ClientID)},
			{"Organisation", org},
			{"Account", Clean(p.OwnerEmail)},
			{"Role", Clean(p.Role)},
			{"Expires", Day(p.SecretExpires)},
		}
	}
	return []Labelled{
		{"Key", t.Masked},
		{"Organisation", org},
		{"Owner", Clean(p.OwnerEmail)},
		{"Role", Clean(p.Role)},
		{"Created", Day(p.KeyCreated)},
		{"Expires", Day(p.KeyExpires)},
	}
}

// RotatedRows are the facts of the profile the rotation stored.
func RotatedRows(p store.Profile) []Labelled {
	if p.IsServiceAccount() {
		return []Labelled{{"Client secret", "…" + p.KeyLast4}, {"Account", Clean(p.OwnerEmail)},
			{"Role", OrUnknown(Clean(p.Role))}, {"Expires", Day(p.SecretExpires)}, {"Rotated", Stamp(p.RotatedAt)}}
	}
	return []Labelled{{"Key", "…" + p.KeyLast4}, {"Owner", Clean(p.OwnerEmail)},
		{"Role", OrUnknown(Clean(p.Role))}, {"Expires", Day(p.KeyExpires)}, {"Rotated", Stamp(p.RotatedAt)}}
}

// RecoveryNote is the stored credential's state when JumpCloud already refuses it (or none is
// stored): the rotation then restores a working one, and nothing can get worse.
func (t RotationTarget) RecoveryNote() string {
	w := t.Words()
	if t.NoStoredKey {
		return "There is no " + w.Credential + " in the keyring for this profile: this rotation stores one (a recovery)."
	}
	if t.Profile.IsServiceAccount() {
		return "JumpCloud refuses the stored client secret (deleted or expired): this rotation is a recovery. " +
			"Generate a new client secret for this service account and paste it."
	}
	return "JumpCloud refuses this key (revoked or expired): this rotation is a recovery. Generating the new " +
		"key in the console revokes the old one at once, so this is expected when the new key was generated " +
		"before running this; generate a new key as the Read Only admin and paste it."
}

// writeRotationTarget shows the stored credential's profile and what JumpCloud says about it now.
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
	case t.Recovery:
		row("Now", "✗ "+t.RecoveryNote())
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
	for _, r := range RotatedRows(p) {
		if r.Value != "" {
			fmt.Fprintf(w, "  %-13s %s\n", r.Label, r.Value)
		}
	}
}
