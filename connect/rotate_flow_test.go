package connect

import (
	"bytes"
	"strings"
	"testing"
)

// scriptedPrompter is a person at the plain prompts, answering from a script: the key to give
// and whether to accept a change (y/N), recording the questions asked besides the key.
type scriptedPrompter struct {
	key      string
	err      error
	accept   bool
	askedFor []string
}

func (s *scriptedPrompter) Say(string, ...any)                        {}
func (s *scriptedPrompter) AskSecret(string) (string, error)          { return s.key, s.err }
func (s *scriptedPrompter) Choose(string, []string, int) (int, error) { return 0, ErrUnattended }
func (s *scriptedPrompter) Ask(question string) (string, error) {
	s.askedFor = append(s.askedFor, question)
	if s.accept {
		return "y", nil
	}
	return "", nil
}

// The rotation use case, through any face: verify the new key live, swap it in, confirm the old
// one is revoked; the keyring holds the new key after.
func TestRotateThroughAPrompter(t *testing.T) {
	f := newDay2Fixture(t)
	f.save("default", f.srv.Keys.ReadOnly)
	newKey := f.srv.RotateKey(f.srv.Keys.ReadOnly)
	out := f.env.Out.(*bytes.Buffer)
	pr := &scriptedPrompter{key: newKey + "\n"}
	if code := Rotate(f.ctx, f.env, pr); code != ExitOK {
		t.Fatalf("exit %d\n%s%s", code, out, f.env.Err)
	}
	if len(pr.askedFor) != 0 {
		t.Errorf("a same-owner Read Only key asked for confirmation: %v", pr.askedFor)
	}
	if cred, err := f.st.Key(f.ctx, "default"); err != nil || cred.Key.Reveal() != newKey {
		t.Fatalf("the keyring does not hold the new key (%v)", err)
	}
	if !strings.Contains(out.String(), "Old key revoked") || strings.Contains(out.String(), newKey) {
		t.Errorf("output:\n%s", out)
	}
}

// A canceled read and a key of another admin that the face refuses change nothing.
func TestRotateCanceledOrRefusedChangesNothing(t *testing.T) {
	f := newDay2Fixture(t)
	f.save("default", f.srv.Keys.ReadOnly)
	if code := Rotate(f.ctx, f.env, &scriptedPrompter{err: ErrCanceled}); code != ExitFailure {
		t.Errorf("canceled: exit %d", code)
	}
	pr := &scriptedPrompter{key: f.srv.Keys.Admin}
	if code := Rotate(f.ctx, f.env, pr); code != ExitFailure || len(pr.askedFor) != 1 {
		t.Errorf("refused change: exit %d, asked %v", code, pr.askedFor)
	}
	if cred, _ := f.st.Key(f.ctx, "default"); cred.Key.Reveal() != f.srv.Keys.ReadOnly {
		t.Fatal("the stored key changed")
	}
}
