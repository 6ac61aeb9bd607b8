package connect

import (
	"context"
	"errors"
	"fmt"

	"jcconnect/store"
)

// Setup, the use case: read a credential (an administrator's API key, or a service account's
// client id and secret), verify it live, decide about a credential that is not Read Only, say
// what a save would replace, and store it with its profile. The --accessible prompts and the
// --with-key/--with-secret runner are two Prompters driving RunSetup; the TUI wizard shows the
// same steps as screens and calls the same rules (NewVerifyRequest, SetupProfileName,
// CredentialShape, KeyToReplace/ReplaceNotice, SaveVerified).

// Prompter is what a use case asks the person and tells them, after gh's Prompter: plain
// questions, each face drawing them its own way. The --accessible prompts (ui/common.Prompter)
// answer everything; the unattended runner answers only AskSecret (stdin) and implements
// Unattended, which makes the rules for "no one to ask" apply.
type Prompter interface {
	Say(format string, a ...any)
	Ask(question string) (string, error)
	AskSecret(question string) (string, error)
	Choose(question string, options []string, def int) (int, error)
}

// Stepper is implemented by a face that numbers the steps it walks through (the accessible
// prompts: "Step 4 of 7: paste the key."). RunSetup tells it each step as it begins.
type Stepper interface{ Step(n int, what string) }

// SetupTarget is what a setup is for, settled before the credential is read.
type SetupTarget struct {
	Profile      string // the profile written (SetupProfileName)
	Region       string // the region chosen in the wizard; "" follows NewVerifyRequest's table
	Demo         *Demo  // a demo organisation the wizard started; nil: env.Demo
	Store        *store.Store
	Integrations store.Integrations
	// ServiceAccount: the credential is a service account's client secret; ClientID names the
	// account (--client-id), or is asked for first when "".
	ServiceAccount bool
	ClientID       string
}

// SetupResult is how a setup ended. Code is the exit code once the setup is over; Back means
// the person chose to go back and create a Read Only admin (or account) first.
type SetupResult struct {
	Code     int
	Verified *Verified
	Saved    bool
	Back     bool
}

// SetupProfileName is the profile a setup writes: --profile when given, else the profile every
// other command uses without --profile (the default one), else "default" for a first setup. So
// after `setup --profile contoso`, a plain `setup` replaces contoso's key, which is what
// `devices`, `export` and `rotate` read, and says so (ReplaceNotice), rather than writing a
// second profile that nothing uses.
func SetupProfileName(s *store.Store, flag string) string {
	if flag != "" {
		return flag
	}
	if s != nil {
		if p, err := s.Profile(""); err == nil {
			return p.Name
		}
	}
	return store.DefaultProfileName
}

// CredentialShape is the shape check of what a setup or a rotation reads: CheckSecretShape for
// a service account's client secret, CheckKeyShape for an API key.
func CredentialShape(serviceAccount bool) func(string) (store.Secret, error) {
	if serviceAccount {
		return CheckSecretShape
	}
	return CheckKeyShape
}

// CredentialWord names what is read: "client secret" or "API key".
func CredentialWord(serviceAccount bool) string {
	if serviceAccount {
		return "client secret"
	}
	return "API key"
}

// SaveVerified stores a verified credential and its profile under name: the only way a setup
// writes, so what is stored has passed VerifyKey (a working stored key is never replaced by an
// unverified one; store.Save keeps the old one on any failure).
func SaveVerified(ctx context.Context, s *store.Store, name string, v Verified) error {
	return s.Save(ctx, v.Profile(name), v.Key)
}

// KeyToReplace is the profile whose key saving newKey under name would replace: one is stored
// under that name with another key. Every face (the wizard's save step, the accessible prompts,
// setup --with-key) says so before it saves, with ReplaceNotice.
func KeyToReplace(s *store.Store, name string, newKey store.Secret) (store.Profile, bool) {
	old, err := s.Profile(name)
	if err != nil || old.Fingerprint == newKey.Fingerprint() {
		return store.Profile{}, false
	}
	return old, true
}

// ReplaceNotice is the one sentence that announces the replacement (safe to print: the key's
// last 4 characters and the organisation's cleaned name, never the key).
func ReplaceNotice(name string, old store.Profile) string {
	stored, what := "key", "…"+Clean(old.KeyLast4)
	if old.IsServiceAccount() {
		// Say which account: its client id, then the secret's last 4 characters.
		stored, what = "service account", Clean(old.ClientID)+", secret …"+Clean(old.KeyLast4)
	}
	if org := Clean(old.OrgName); org != "" {
		what += ", " + org
	}
	return fmt.Sprintf("This replaces the %s stored for profile %q (%s).", stored, name, what)
}

// ErrUnattended is what an unattended face answers to a question it cannot ask.
var ErrUnattended = errors.New("no one to ask: run without --with-key/--with-secret, or give the answer as a flag")

// RunSetup is the setup without the TUI: client id, credential, verification, the privilege
// decision, save. It returns an error only when the input ended or was canceled before a
// verified credential was stored (the face says so in its words); everything else is in the
// result's Code.
func RunSetup(ctx context.Context, env *Env, t SetupTarget, face Prompter) (SetupResult, error) {
	if t.Store == nil {
		t.Store = env.Store
	}
	if t.Profile == "" {
		t.Profile = SetupProfileName(t.Store, env.Profile)
	}
	s := &setupRun{ctx: ctx, env: env, t: t, face: face}
	_, s.unattended = face.(Unattended)
	next, err := setupClientID, error(nil)
	for err == nil && next != setupDone {
		switch next {
		case setupClientID:
			next, err = s.readClientID()
		case setupCredential:
			next, err = s.readCredential()
		case setupVerify:
			next, err = s.verify()
		case setupPrivilege:
			next, err = s.decidePrivilege()
		case setupSave:
			next, err = s.save()
		}
	}
	return s.res, err
}
