package connect

import (
	"strings"

	"jcconnect/store"
)

// Rotation is one rotation as explicit steps, so every face walks the same rules: the plain
// faces (Rotate, for --accessible, --with-key and --with-secret) call the steps in sequence,
// and the TUI (ui/rotate) runs each step's I/O in a tea.Cmd and hands the answer back here,
// since a bubbletea model cannot block on a question. The rules live only here:
//   - the new key has the shape of a key (or client secret) and is not the one already stored;
//   - it is verified live, for the profile's endpoint and organisation;
//   - a key of another organisation is refused (a rotation keeps the organisation);
//   - a change of owner or role, and a key that is not Read Only, must be accepted;
//   - the swap keeps the old key on any failure (store.Replace), and can be retried;
//   - only after the swap is the old key checked, to confirm JumpCloud revoked it.
//
// Rotation holds no I/O: the I/O steps are RotationTarget's PrepareRotation, VerifyKey (or the
// TUI's verification screen) on VerifyRequest, ReplaceKey and CheckOldKey.
type Rotation struct {
	Target RotationTarget

	step     RotationStep
	newKey   store.Secret // never printed
	verified Verified
	change   OwnerChange
	asks     RotationAsks
	refusal  *RotationRefusal
	after    store.Profile
	saveErr  error
	old      OldKeyVerdict
}

// RotationStep is where a rotation stands: what the face does next.
type RotationStep int

const (
	StepReadKey    RotationStep = iota // ask for the new key, then GiveKey
	StepVerify                         // verify VerifyRequest live, then KeyVerified
	StepConfirm                        // ask whether Asks are accepted, then Accept
	StepSwap                           // ReplaceKey, then Swapped
	StepSwapFailed                     // the old key is still stored: ReplaceKey again (Retry), or stop
	StepCheckOld                       // CheckOldKey, then OldChecked
	StepDone                           // the new key is stored; Old says what became of the old one
)

// RotationRefusal is a new key the rotation will not store. Nothing was changed: a face that
// can ask again goes back to StepReadKey (the rotation already has), one that cannot exits Code.
type RotationRefusal struct {
	Reason string // what was refused and why
	Next   string // what to do next
	Code   int    // the exit code of a face that stops here
	// Verified is set when the key was refused after a live verification (rather than for its
	// shape), which a screen may show as a page of its own.
	Verified bool
	// NotAKey is set when the text given does not have the shape of a key at all.
	NotAKey bool
}

func (r *RotationRefusal) Error() string { return strings.TrimSpace(r.Reason + " " + r.Next) }

// RotationAsks is what the person must accept before a verified key is stored.
type RotationAsks struct {
	OwnerChange bool // another admin (or service account) or another role
	NotReadOnly bool // the new credential's role is known and is not Read Only
}

// Any reports whether something must be accepted.
func (a RotationAsks) Any() bool { return a.OwnerChange || a.NotReadOnly }

// Describe is the asks for a question: "a different owner or role and a key that is not Read Only".
func (a RotationAsks) Describe(credential string) string {
	var parts []string
	if a.OwnerChange {
		parts = append(parts, "a different owner or role")
	}
	if a.NotReadOnly {
		parts = append(parts, "a "+credential+" that is not Read Only")
	}
	return strings.Join(parts, " and ")
}

// NewRotation starts the rotation of a prepared target: the next step reads the new key.
func NewRotation(t RotationTarget) *Rotation { return &Rotation{Target: t, step: StepReadKey} }

// Step is what the face does next.
func (r *Rotation) Step() RotationStep { return r.step }

// Refusal is why the last key given was refused (nil when it was not).
func (r *Rotation) Refusal() *RotationRefusal { return r.refusal }

// Verified is the new key's verification (once KeyVerified was called).
func (r *Rotation) Verified() Verified { return r.verified }

// Change is how the new key's owner and role differ from the stored one's.
func (r *Rotation) Change() OwnerChange { return r.change }

// Asks is what must be accepted at StepConfirm.
func (r *Rotation) Asks() RotationAsks { return r.asks }

// After is the stored profile once the swap succeeded.
func (r *Rotation) After() store.Profile { return r.after }

// SaveErr is why the swap failed (at StepSwapFailed).
func (r *Rotation) SaveErr() error { return r.saveErr }

// Old is what JumpCloud says about the old key (at StepDone).
func (r *Rotation) Old() OldKeyVerdict { return r.old }

// NewKeyMasked is the new key as it may be shown.
func (r *Rotation) NewKeyMasked() string { return r.newKey.Mask() }

// refuse goes back to reading a key, remembering why.
func (r *Rotation) refuse(ref *RotationRefusal) *RotationRefusal {
	r.refusal, r.step = ref, StepReadKey
	return ref
}

// GiveKey takes the raw new key: it must have the shape of the stored credential's kind (the
// wizard's check: not empty, no control characters, spaces, URL or JSON, a plausible length) and
// must not be the key already stored. Then the next step verifies it.
func (r *Rotation) GiveKey(raw string) *RotationRefusal {
	w := r.Target.Words()
	key, err := r.Target.Shape()(raw)
	if err != nil {
		return r.refuse(&RotationRefusal{Reason: "The new " + w.Credential + " was not accepted: " + err.Error() + ".",
			Next: "Copy the " + w.Credential + " again, alone.", Code: ExitUsage, NotAKey: true})
	}
	if r.Target.SameKey(key) {
		return r.refuse(&RotationRefusal{Reason: "This is the " + w.Credential + " already stored: nothing to rotate.",
			Next: w.GenerateNew, Code: ExitUsage})
	}
	r.newKey, r.refusal, r.step = key, nil, StepVerify
	return nil
}

// VerifyRequest is the live verification of the key given: the profile's endpoint, organisation
// and integrations.
func (r *Rotation) VerifyRequest(env *Env) VerifyRequest {
	return r.Target.VerifyRequest(env, r.newKey)
}

// KeyVerified applies the rotation's rules to the verification of the key given (err is
// VerifyKey's): a key that failed, or that belongs to another organisation, is refused; a change
// of owner or role, or a key that is not Read Only and not already accepted as such
// (v.AcceptedPrivileged: the TUI's "continue knowingly"), must be accepted; otherwise the next
// step swaps it in.
func (r *Rotation) KeyVerified(v Verified, err error) *RotationRefusal {
	r.verified = v
	w := r.Target.Words()
	switch {
	case (err != nil && failedOrgCheck(v.Checks)) || (err == nil && r.Target.OrgMismatch(v)):
		return r.refuse(&RotationRefusal{Reason: r.Target.OtherOrgRefusal(v.Org), Code: ExitUsage, Verified: true,
			Next: "Nothing was changed. Paste a " + w.Credential + " of the same organisation."})
	case err != nil:
		return r.refuse(&RotationRefusal{Reason: "The new " + w.Credential + " did not pass verification; nothing was " +
			"changed and the old one is still stored.", Next: w.GenerateNew, Code: ExitCodeForChecks(v.Checks), Verified: true})
	}
	r.change = r.Target.CompareOwner(v)
	r.asks = RotationAsks{OwnerChange: r.change.Any(), NotReadOnly: IsPrivileged(v.Owner) && !v.AcceptedPrivileged}
	r.refusal, r.step = nil, StepSwap
	if r.asks.Any() {
		r.step = StepConfirm
	}
	return nil
}

// Accept is the person's answer at StepConfirm: yes swaps the key in, no goes back to reading one.
func (r *Rotation) Accept(ok bool) *RotationRefusal {
	if !ok {
		return r.refuse(&RotationRefusal{Reason: "Nothing was changed; the old " + r.Target.Words().Credential + " is still stored.",
			Next: r.Target.Words().PasteRight, Code: ExitFailure})
	}
	r.verified.AcceptedPrivileged = r.verified.AcceptedPrivileged || r.asks.NotReadOnly
	r.step = StepSwap
	return nil
}

// Swapped is ReplaceKey's answer: the key is stored and the old one is checked next, or the swap
// failed with the old key still stored (StepSwapFailed; Retry swaps again).
func (r *Rotation) Swapped(after store.Profile, err error) {
	if err != nil {
		r.saveErr, r.step = err, StepSwapFailed
		return
	}
	r.after, r.saveErr, r.step = after, nil, StepCheckOld
}

// Back goes back to reading a key, from verifying or confirming one: nothing was changed.
func (r *Rotation) Back() {
	if r.step == StepVerify || r.step == StepConfirm {
		r.step, r.refusal = StepReadKey, nil
	}
}

// Retry goes back to the swap after a failed one (the verified key is kept).
func (r *Rotation) Retry() {
	if r.step == StepSwapFailed {
		r.step = StepSwap
	}
}

// OldChecked is CheckOldKey's answer: the rotation is done.
func (r *Rotation) OldChecked(o OldKeyVerdict) { r.old, r.step = o, StepDone }

// Outcome is the old key's fate for people (at StepDone).
func (r *Rotation) Outcome() string {
	return r.old.Describe(r.Target, Clean(r.verified.Owner.Admin.Email))
}

// Unsaved reports whether a verified key would be lost by leaving now (JumpCloud shows a key
// only once, and generating it may already have revoked the old one).
func (r *Rotation) Unsaved() bool {
	return r.step == StepConfirm || r.step == StepSwap || r.step == StepSwapFailed
}
