package connect

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"jcconnect/store"
)

// Saving over a profile with another key is announced in one sentence; the same key is not a
// replacement, and neither is a name with nothing stored.
func TestKeyToReplaceAndItsNotice(t *testing.T) {
	f := newDay2Fixture(t)
	f.save("default", f.srv.Keys.ReadOnly)
	if _, ok := KeyToReplace(f.st, "default", store.MustSecret(f.srv.Keys.ReadOnly, false)); ok {
		t.Error("the same key counts as a replacement")
	}
	if _, ok := KeyToReplace(f.st, "other", store.MustSecret(f.srv.Keys.Admin, false)); ok {
		t.Error("a profile with nothing stored counts as a replacement")
	}
	old, ok := KeyToReplace(f.st, "default", store.MustSecret(f.srv.Keys.Admin, false))
	if !ok {
		t.Fatal("another key over a stored one is not a replacement")
	}
	msg := ReplaceNotice("default", old)
	k := f.srv.Keys.ReadOnly
	if !strings.Contains(msg, `profile "default" (…`+k[len(k)-4:]) || strings.Contains(msg, k) {
		t.Errorf("notice %q", msg)
	}
	// A service account's profile is named as one: its client id and the secret's last 4.
	old.Kind, old.ClientID = store.KindServiceAccount, "client-1"
	msg = ReplaceNotice("default", old)
	if !strings.Contains(msg, `replaces the service account stored for profile "default" (client-1, secret …`+k[len(k)-4:]) {
		t.Errorf("service-account notice %q", msg)
	}
}

// scripted is a Prompter that answers from a script, as a person at the accessible prompts
// would, and keeps what it was told. With unattended set it is the --with-key face instead:
// only the secret is answered, and the rules for no one to ask apply.
type scripted struct {
	answers    []string
	said       strings.Builder
	unattended bool
}

func (s *scripted) next() (string, error) {
	if len(s.answers) == 0 {
		return "", ErrInputEnded
	}
	a := s.answers[0]
	s.answers = s.answers[1:]
	return a, nil
}
func (s *scripted) Say(format string, a ...any) { fmt.Fprintf(&s.said, format+"\n", a...) }
func (s *scripted) Ask(q string) (string, error) {
	if s.unattended {
		return "", ErrUnattended
	}
	s.Say("%s", q)
	return s.next()
}
func (s *scripted) AskSecret(q string) (string, error) { s.Say("%s", q); return s.next() }
func (s *scripted) Choose(q string, options []string, def int) (int, error) {
	a, err := s.Ask(q)
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(a)
	return n - 1, err
}

type unattendedScript struct{ *scripted }

func (unattendedScript) AllowPrivileged() bool { return false }

func setupTarget() SetupTarget {
	return SetupTarget{Integrations: wizBoth()}
}

// A working stored key is never replaced by one that did not pass verification, whichever face
// asks: the refused key ends an unattended setup with exit 3, and a person is asked for another.
func TestRunSetupNeverReplacesAStoredKeyWithAnUnverifiedOne(t *testing.T) {
	f := newDay2Fixture(t)
	f.env.BaseURL = f.srv.URL
	f.save("default", f.srv.Keys.ReadOnly)
	face := unattendedScript{&scripted{answers: []string{f.srv.Keys.Revoked}, unattended: true}}
	res, err := RunSetup(f.ctx, f.env, setupTarget(), face)
	if err != nil || res.Code != ExitInvalidKey || res.Saved {
		t.Fatalf("unattended: %+v %v\n%s", res, err, face.said.String())
	}
	person := &scripted{answers: []string{f.srv.Keys.Revoked}}
	res, err = RunSetup(f.ctx, f.env, setupTarget(), person)
	if !errors.Is(err, ErrInputEnded) || res.Saved {
		t.Fatalf("interactive: %+v %v", res, err)
	}
	if strings.Count(person.said.String(), "Paste the API key") != 2 {
		t.Errorf("the refused key did not lead to another paste:\n%s", person.said.String())
	}
	cred, err := f.st.Key(f.ctx, "")
	if err != nil || cred.Key.Reveal() != f.srv.Keys.ReadOnly {
		t.Fatal("the stored key changed")
	}
	for _, s := range []string{face.said.String(), person.said.String()} {
		if strings.Contains(s, f.srv.Keys.Revoked) || strings.Contains(s, f.srv.Keys.ReadOnly) {
			t.Fatal("a key was printed")
		}
	}
}

// A person is asked which organisation a multi-tenant key is for, and to confirm the save; the
// result is the verified profile, stored under the default profile's name.
func TestRunSetupAsksForTheOrganisationAndSaves(t *testing.T) {
	f := newDay2Fixture(t)
	f.env.BaseURL = f.srv.URL
	person := &scripted{answers: []string{f.srv.Keys.MultiTenant, "2", ""}}
	res, err := RunSetup(f.ctx, f.env, setupTarget(), person)
	if err != nil || res.Code != ExitOK || !res.Saved || res.Verified == nil {
		t.Fatalf("%+v %v\n%s", res, err, person.said.String())
	}
	said := person.said.String()
	for _, want := range []string{"This key is multi-tenant", "Press enter to save", `profile "default" (used without --profile).`} {
		if !strings.Contains(said, want) {
			t.Errorf("not said: %q\n%s", want, said)
		}
	}
	p, err := f.st.Profile("")
	if err != nil || p.OrgID != res.Verified.Org.ID || p.Name != "default" {
		t.Fatalf("stored %+v %v", p, err)
	}
}
