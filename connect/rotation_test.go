package connect

import (
	"strings"
	"testing"

	"jcconnect/jumpcloud/jctest"
	"jcconnect/store"
)

// giveAndVerify gives key to the rotation and, when it is taken, verifies it live as a face does.
func giveAndVerify(f *coreFixture, r *Rotation, key string, acceptedPrivileged bool) *RotationRefusal {
	f.t.Helper()
	if ref := r.GiveKey(key); ref != nil {
		return ref
	}
	if r.Step() != StepVerify {
		f.t.Fatalf("a key taken goes to verification, not step %v", r.Step())
	}
	v, err := VerifyKey(f.ctx, r.VerifyRequest(f.env), nil, nil)
	v.AcceptedPrivileged = acceptedPrivileged
	return r.KeyVerified(v, err)
}

// The rotation's rules, walked step by step as the TUI walks them (one answer at a time), with
// every I/O step done for real: jctest over HTTP, the memory keyring with a failure injected.
func TestRotationStepsHoldTheRules(t *testing.T) {
	f := newDay2Fixture(t)
	f.save("default", f.srv.Keys.ReadOnly)
	target, err := PrepareRotation(f.ctx, f.env)
	if err != nil {
		t.Fatal(err)
	}
	r := NewRotation(target)

	if ref := r.GiveKey("https://console.jumpcloud.com"); ref == nil || !ref.NotAKey || r.Step() != StepReadKey {
		t.Fatalf("a URL was taken as a key: %+v, step %v", ref, r.Step())
	}
	if ref := r.GiveKey(f.srv.Keys.ReadOnly); ref == nil || ref.NotAKey || !strings.Contains(ref.Reason, "already stored") {
		t.Fatalf("the stored key again: %+v", ref)
	}
	ref := giveAndVerify(f, r, f.srv.Keys.OtherOrg, false)
	if ref == nil || !ref.Verified || ref.Code != ExitUsage || !strings.Contains(ref.Reason, "A rotation keeps the same organisation") ||
		r.Step() != StepReadKey {
		t.Fatalf("another organisation's key: %+v, step %v", ref, r.Step())
	}
	if ref := giveAndVerify(f, r, f.srv.Keys.Revoked, false); ref == nil || ref.Code != ExitInvalidKey {
		t.Fatalf("a revoked key: %+v", ref)
	}

	// Another admin, not Read Only: both must be accepted; declining goes back to the key.
	if ref := giveAndVerify(f, r, f.srv.Keys.Admin, false); ref != nil || r.Step() != StepConfirm ||
		r.Asks() != (RotationAsks{OwnerChange: true, NotReadOnly: true}) || !r.Unsaved() {
		t.Fatalf("an admin key: %+v, step %v, asks %+v", ref, r.Step(), r.Asks())
	}
	if got := r.Asks().Describe("key"); got != "a different owner or role and a key that is not Read Only" {
		t.Errorf("asks described as %q", got)
	}
	if ref := r.Accept(false); ref == nil || r.Step() != StepReadKey || ref.Code != ExitFailure {
		t.Fatalf("declined: %+v, step %v", ref, r.Step())
	}
	// The TUI's "continue knowingly" already accepted the role: only the owner is asked.
	giveAndVerify(f, r, f.srv.Keys.Admin, true)
	if r.Asks() != (RotationAsks{OwnerChange: true}) {
		t.Fatalf("asks after continuing knowingly: %+v", r.Asks())
	}
	r.Back()
	if r.Step() != StepReadKey || f.storedKey("default") != f.srv.Keys.ReadOnly {
		t.Fatalf("back: step %v", r.Step())
	}

	// The right key: nothing to ask. A failed swap keeps the old key and can be retried.
	newKey := f.srv.RotateKey(f.srv.Keys.ReadOnly)
	if ref := giveAndVerify(f, r, newKey, false); ref != nil || r.Step() != StepSwap {
		t.Fatalf("the fresh key: %+v, step %v", ref, r.Step())
	}
	f.ring.Inject(func(c store.Call) error {
		if c.Op == store.OpSet {
			return store.ErrKeyringLocked
		}
		return nil
	})
	r.Swapped(target.ReplaceKey(f.ctx, f.env, r.Verified()))
	if r.Step() != StepSwapFailed || r.SaveErr() == nil || f.storedKey("default") != f.srv.Keys.ReadOnly || !r.Unsaved() {
		t.Fatalf("failed swap: step %v, stored %s", r.Step(), store.Mask(f.storedKey("default")))
	}
	f.ring.Inject(nil)
	r.Retry()
	r.Swapped(target.ReplaceKey(f.ctx, f.env, r.Verified()))
	if r.Step() != StepCheckOld || f.storedKey("default") != newKey || r.After().Fingerprint != store.Fingerprint(newKey) {
		t.Fatalf("retried swap: step %v", r.Step())
	}
	r.OldChecked(target.CheckOldKey(f.ctx, f.env))
	if r.Step() != StepDone || r.Old().State != OldKeyRevoked || !strings.Contains(r.Outcome(), "Old key revoked: confirmed") {
		t.Fatalf("done: step %v, %s", r.Step(), r.Outcome())
	}
}

// A service account's rotation speaks of client secrets, takes the secret's shape, and in the
// demo offers the service account's second secret (the stored one still working).
func TestRotationWordsAndDemoChoicesForAServiceAccount(t *testing.T) {
	f := newDay2Fixture(t)
	sa := f.srv.ServiceAccounts.ReadOnly
	f.saveServiceAccount("default", sa)
	target, err := PrepareRotation(f.ctx, f.env)
	if err != nil {
		t.Fatal(err)
	}
	w := target.Words()
	if w.Credential != "client secret" || !strings.Contains(w.Order, "two client secrets") ||
		!strings.Contains(w.Order, "does not revoke") || strings.Contains(w.Title+w.Paste+w.Prompt, "API key") {
		t.Errorf("words: %+v", w)
	}
	withEnv := target
	withEnv.EnvKeyInUse = true
	if note := withEnv.StoredKeyNote(); !strings.Contains(note, "JUMPCLOUD_CLIENT_ID/SECRET") || !strings.Contains(note, "stored client secret") {
		t.Errorf("the environment note of a service account: %q", note)
	}
	rows := ProfileRows(target)
	if rows[0].Label != "Client secret" || rows[1] != (Labelled{"Client ID", sa.ClientID}) {
		t.Errorf("rows: %+v", rows)
	}
	demo := demoOf(f.srv)
	fresh := target.DemoNewKey(demo)
	choices := target.DemoChoices(demo, fresh)
	if fresh == "" || len(choices) != 1 || choices[0].Key != fresh || !strings.Contains(choices[0].Label, "Second client secret") {
		t.Fatalf("demo choices: %+v", choices)
	}
	r := NewRotation(target)
	if ref := giveAndVerify(f, r, fresh, false); ref != nil || r.Step() != StepSwap {
		t.Fatalf("the second secret: %+v, step %v", ref, r.Step())
	}
}

// The demo's rotation of a key lists a fresh key of the same admin first; generating it revoked
// the stored key, as the console does, and the stored key is never offered.
func TestRotationDemoChoicesStartWithAFreshKeyOfTheSameAdmin(t *testing.T) {
	f := newDay2Fixture(t)
	f.save("default", f.srv.Keys.ReadOnly)
	target, err := PrepareRotation(f.ctx, f.env)
	if err != nil {
		t.Fatal(err)
	}
	demo := demoOf(f.srv)
	fresh := target.DemoNewKey(demo)
	choices := target.DemoChoices(demo, fresh)
	if fresh == "" || choices[0].Key != fresh || !strings.Contains(choices[0].Label, "same admin") {
		t.Fatalf("choices: %+v", choices)
	}
	for _, c := range choices {
		if c.Key == f.srv.Keys.ReadOnly {
			t.Error("the stored key is offered")
		}
	}
	r := NewRotation(target)
	if ref := giveAndVerify(f, r, fresh, false); ref != nil || r.Step() != StepSwap {
		t.Fatalf("the fresh key: %+v, step %v", ref, r.Step())
	}
	r.Swapped(target.ReplaceKey(f.ctx, f.env, r.Verified()))
	r.OldChecked(target.CheckOldKey(f.ctx, f.env))
	if r.Old().State != OldKeyRevoked {
		t.Fatalf("old key: %s", r.Outcome())
	}
}

// demoOf is the demo's description of a sandbox, as demo.FromServer builds it (connect's tests
// cannot import demo, which imports connect).
func demoOf(srv *jctest.Server) *Demo {
	return &Demo{BaseURL: srv.URL, NewKey: srv.RotateKey, NewSecret: srv.AddClientSecret,
		Keys: []DemoKey{{Label: "Read Only admin", Key: srv.Keys.ReadOnly}, {Label: "Full Administrator", Key: srv.Keys.Admin}}}
}

func (f *coreFixture) storedKey(name string) string {
	k, _ := f.ring.Peek(store.Service, name)
	return k
}
