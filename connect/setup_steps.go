package connect

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"jcconnect/jumpcloud"
	"jcconnect/store"
)

// The steps of RunSetup. Each returns the step that comes next, so "paste another key" and
// "retry" are returns, not jumps. A face with someone to ask gets another try where an unattended
// one (--with-key, --with-secret) ends with the documented exit code.

type setupStep int

const (
	setupClientID setupStep = iota
	setupCredential
	setupVerify
	setupPrivilege
	setupSave
	setupDone
)

// ErrInputEnded is what a face's question ends with when its input ended (a closed pipe, ctrl+d).
var ErrInputEnded = errors.New("input ended")

// setupRun is one run of RunSetup: what it is for, the face it asks through, and the result.
type setupRun struct {
	ctx        context.Context
	env        *Env
	t          SetupTarget
	face       Prompter
	unattended bool
	cred       store.Secret // the credential read
	askedID    bool         // the client id was asked for (not --client-id), so it can be asked again
	res        SetupResult
}

// end finishes the setup with code.
func (s *setupRun) end(code int) (setupStep, error) {
	s.res.Code = code
	return setupDone, nil
}

// problem tells what went wrong: on stderr after "jcconnect setup:" when no one is there, as a
// line of the conversation otherwise.
func (s *setupRun) problem(format string, a ...any) {
	if s.unattended {
		fmt.Fprintf(s.env.Err, "jcconnect setup: "+format+"\n", a...)
		return
	}
	s.face.Say(format, a...)
}

// tell is one line of an explanation: on stderr when no one is there, said otherwise.
func (s *setupRun) tell(line string) {
	if s.unattended {
		fmt.Fprintln(s.env.Err, line)
		return
	}
	s.face.Say("%s", line)
}

// step tells a face that numbers its steps (Stepper) that step n begins; false when the face
// does not number them, so the caller says what it does in its own words.
func (s *setupRun) step(n int, what string) bool {
	st, ok := s.face.(Stepper)
	if ok {
		st.Step(n, what)
	}
	return ok
}

// demo is the demo organisation in use, when its fake credentials may be offered by number.
func (s *setupRun) demo() *Demo {
	if s.unattended {
		return nil
	}
	if s.t.Demo != nil {
		return s.t.Demo
	}
	return s.env.Demo
}

// readClientID settles a service account's client id: the flag's, checked by the store's rule,
// or asked for (visible: it names the account and is not secret).
func (s *setupRun) readClientID() (setupStep, error) {
	if !s.t.ServiceAccount {
		return setupCredential, nil
	}
	if s.t.ClientID != "" {
		id, err := store.NormalizeClientID(s.t.ClientID)
		if err != nil {
			s.problem("--client-id: %s", err)
			if fix := store.Fix(err); fix != "" {
				s.tell("  " + fix)
			}
			return s.end(ExitUsage)
		}
		s.t.ClientID = id
		return setupCredential, nil
	}
	s.askedID = true
	s.step(3, "paste the Client ID")
	var shortcuts []string
	if d := s.demo(); d != nil {
		s.face.Say("The demo's service accounts are fake. Type a number to use one, or paste a Client ID:")
		for i, sa := range d.ServiceAccounts {
			s.face.Say("  %d. %s: %s", i+1, sa.Label, sa.ClientID)
			shortcuts = append(shortcuts, sa.ClientID)
		}
	}
	for {
		a, err := s.face.Ask("Paste the service account's Client ID and press enter (it is not secret, so it is shown):")
		if err != nil {
			return 0, err
		}
		id, err := store.NormalizeClientID(byNumber(a, shortcuts))
		if err != nil {
			s.face.Say("Not accepted: %s", err)
			continue
		}
		s.t.ClientID = id
		return setupCredential, nil
	}
}

// byNumber is the shortcut numbered a (1-based), or a itself.
func byNumber(a string, shortcuts []string) string {
	if n, err := strconv.Atoi(strings.TrimSpace(a)); err == nil && n >= 1 && n <= len(shortcuts) {
		return shortcuts[n-1]
	}
	return a
}

// readCredential reads the key or the client secret hidden, and checks its shape.
func (s *setupRun) readCredential() (setupStep, error) {
	sa := s.t.ServiceAccount
	word := CredentialWord(sa)
	s.step(4, "paste the "+credentialNoun(sa))
	shortcuts := s.demoCredentials()
	for {
		raw, err := s.face.AskSecret(fmt.Sprintf("Paste the %s and press enter (it is not shown):", word))
		switch {
		case errors.Is(err, ErrCanceled) && s.unattended:
			s.problem("canceled while waiting for the %s on stdin; nothing was stored.", word)
			return s.end(ExitFailure)
		case errors.Is(err, ErrInputTooLong) && !s.unattended:
			s.face.Say("Not accepted: %s", err)
			continue
		case err != nil && s.unattended:
			s.problem("could not read the %s from stdin: %s", word, err)
			return s.end(ExitUsage)
		case err != nil:
			return 0, err
		}
		cred, err := CredentialShape(sa)(byNumber(raw, shortcuts))
		switch {
		case err != nil && s.unattended:
			article := "a"
			if !sa {
				article = "an"
			}
			s.problem("the input on stdin is not %s %s: %s", article, word, err)
			return s.end(ExitUsage)
		case err != nil:
			s.face.Say("Not accepted: %s", err)
			continue
		}
		s.cred = cred
		return setupVerify, nil
	}
}

// demoCredentials lists the demo's fake keys (or the secret of the demo service account whose
// client id was given) and returns them as numbered shortcuts.
func (s *setupRun) demoCredentials() []string {
	d := s.demo()
	if d == nil {
		return nil
	}
	var shortcuts []string
	if s.t.ServiceAccount {
		for _, sa := range d.ServiceAccounts {
			if sa.ClientID == s.t.ClientID {
				s.face.Say("Demo: type 1 to use the Client Secret of %s (fake), or paste it:", sa.Label)
				shortcuts = append(shortcuts, sa.Secret)
			}
		}
		return shortcuts
	}
	s.face.Say("The demo's keys are fake. Type a number to use one, or paste a key:")
	for i, dk := range d.Keys {
		s.face.Say("  %d. %s: %s", i+1, dk.Label, dk.Key)
		shortcuts = append(shortcuts, dk.Key)
	}
	return shortcuts
}

// request is the verification request for the credential read (NewVerifyRequest's table).
func (s *setupRun) request() VerifyRequest {
	f := VerifyFor{Key: s.cred, Region: s.t.Region, Demo: s.t.Demo, Integrations: s.t.Integrations}
	if s.t.ServiceAccount {
		f.ClientID = s.t.ClientID
	}
	return NewVerifyRequest(s.env, f)
}

// verify checks the credential live, line by line. A failure ends an unattended setup with the
// failing check's exit code; a person may retry when JumpCloud was unreachable, else paste again.
func (s *setupRun) verify() (setupStep, error) {
	req := s.request()
	what := s.credentialLabel(req)
	if !s.step(5, fmt.Sprintf("verifying %s live against %s", what, req.Where())) {
		s.face.Say("Verifying %s against %s", what, req.Where())
	}
	v, err := VerifyKey(s.ctx, req, s.orgPicker(), func(r CheckResult) { s.face.Say("%s", FormatCheck(r)) })
	switch {
	case err == nil:
		s.res.Verified = &v
		return setupPrivilege, nil
	case errors.Is(err, ErrInputEnded) || errors.Is(err, ErrCanceled):
		return 0, err
	case s.unattended:
		s.problem("%s", err)
		return s.end(ExitCodeForChecks(v.Checks))
	}
	if n := len(v.Checks); n > 0 && v.Checks[n-1].Retryable {
		a, err := s.face.Ask("JumpCloud could not be reached or was busy. Type r and enter to retry, or enter to paste another " +
			credentialNoun(s.t.ServiceAccount) + ":")
		if err != nil {
			return 0, err
		}
		if strings.EqualFold(a, "r") {
			return setupVerify, nil
		}
	}
	if s.askedID {
		// "The client id or secret is wrong": both are asked again (a typo may be in either).
		s.t.ClientID = ""
		return setupClientID, nil
	}
	return setupCredential, nil
}

// credentialLabel is how the credential is named while it is checked (masked).
func (s *setupRun) credentialLabel(req VerifyRequest) string {
	if req.IsServiceAccount() {
		return fmt.Sprintf("service account %s (secret %s)", Clean(req.ClientID), req.Key.Mask())
	}
	return req.Key.Mask()
}

// orgPicker asks which organisation a multi-tenant credential is for; unattended, there is no
// picker and VerifyKey asks for --org-id instead.
func (s *setupRun) orgPicker() OrgPicker {
	if s.unattended {
		return nil
	}
	what := "key"
	if s.t.ServiceAccount {
		what = "service account"
	}
	return func(orgs []jumpcloud.Organization) (jumpcloud.Organization, error) {
		names := make([]string, len(orgs))
		for i, o := range orgs {
			names[i] = fmt.Sprintf("%s (%s)", Clean(o.Name()), Clean(o.ID))
		}
		i, err := s.face.Choose("This "+what+" is multi-tenant. Which organisation is this integration for?", names, 1)
		if err != nil {
			return jumpcloud.Organization{}, err
		}
		return orgs[i], nil
	}
}

// decidePrivilege is least privilege: unattended, the one rule (RefusePrivileged); a person is
// told why and chooses to go back (create a Read Only admin) or continue knowingly.
func (s *setupRun) decidePrivilege() (setupStep, error) {
	v := s.res.Verified
	if u, ok := s.face.(Unattended); ok {
		if !RefusePrivileged(s.env.Err, *v, u.AllowPrivileged()) {
			return s.end(ExitPrivilegedRefused)
		}
		return setupSave, nil
	}
	if !IsPrivileged(v.Owner) {
		return setupSave, nil
	}
	what, whose, back := "key", "its admin's role", "a Read Only admin"
	if v.IsServiceAccount() {
		what, whose, back = "service account", "its role", "a Read Only service account"
	}
	s.face.Say("This %s is not Read Only: %s is %s.", what, whose, Clean(v.Owner.Role))
	s.face.Say("%s", v.LeastPrivilege())
	a, err := s.face.Ask(fmt.Sprintf("Type back to create %s (recommended), or continue to use this %s knowingly:", back, what))
	if err != nil {
		return 0, err
	}
	if !strings.EqualFold(a, "continue") {
		s.res.Back, s.res.Verified = true, nil
		return setupDone, nil
	}
	v.AcceptedPrivileged = true
	return setupSave, nil
}

// keptInMemory reports whether the store forgets the credential at exit (the demo).
func (s *setupRun) keptInMemory() bool {
	return s.env.Demo != nil || (s.res.Verified != nil && s.res.Verified.Region == RegionDemo)
}

// save says what a save would replace, stores the verified credential, and on a keyring failure
// explains it (retry for a person, ExitKeyring unattended).
func (s *setupRun) save() (setupStep, error) {
	v := s.res.Verified
	if s.step(6, "save the "+credentialNoun(v.IsServiceAccount())) {
		if s.keptInMemory() {
			s.face.Say("Demo: the %s is kept in memory only and forgotten when jcconnect exits.", CredentialWord(v.IsServiceAccount()))
		} else {
			s.face.Say("It goes to your OS keyring; only the profile (organisation, owner, role, last 4 characters) is written to your config folder.")
		}
	}
	if old, ok := KeyToReplace(s.t.Store, s.t.Profile, v.Key); ok {
		s.face.Say("%s", ReplaceNotice(s.t.Profile, old))
	}
	for {
		if !s.unattended {
			a, err := s.face.Ask("Press enter to save, or type q and enter to quit without saving:")
			if err != nil {
				return 0, err
			}
			if strings.EqualFold(a, "q") {
				s.face.Say("Nothing was stored.")
				return s.end(ExitFailure)
			}
		}
		err := SaveVerified(s.ctx, s.t.Store, s.t.Profile, *v)
		if err == nil {
			break
		}
		for _, l := range SaveFailureLines(s.ctx, s.t.Store, err, v.IsServiceAccount()) {
			s.tell(l)
		}
		if s.unattended {
			return s.end(ExitKeyring)
		}
		s.face.Say("Fix the keyring, then try again.")
	}
	s.res.Saved = true
	s.saidSaved(*v)
	return s.end(ExitOK)
}

// saidSaved tells what was stored, where, and when the environment overrides it.
func (s *setupRun) saidSaved(v Verified) {
	where := "in the OS keyring"
	if s.keptInMemory() {
		where = "in memory (demo: forgotten at exit)"
	}
	what := "key " + v.Masked()
	if v.IsServiceAccount() {
		what = fmt.Sprintf("service account %s, secret %s", Clean(v.ClientID), v.Masked())
	}
	profile := fmt.Sprintf("%q", s.t.Profile)
	if s.env.Profile == "" {
		// Say which profile "no --profile" is, here and for every other command.
		profile += " (used without --profile)"
	}
	s.face.Say("Saved: %s (%s), %s %s, profile %s.", Clean(v.Org.Name()), Clean(v.Org.ID), what, where, profile)
	if store.CredentialInEnv(s.env.Getenv) && !s.keptInMemory() {
		s.face.Say("%s in this environment: while it is, commands use it, not the %s saved here.",
			EnvCredentialSet(s.env.Getenv), credentialNoun(v.IsServiceAccount()))
	}
}
