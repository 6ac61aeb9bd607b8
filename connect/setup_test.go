package connect

import (
	"strings"
	"testing"
)

// Saving over a profile with another key is announced in one sentence; the same key is not a
// replacement, and neither is a name with nothing stored.
func TestKeyToReplaceAndItsNotice(t *testing.T) {
	f := newDay2Fixture(t)
	f.save("default", f.srv.Keys.ReadOnly)
	if _, ok := KeyToReplace(f.st, "default", f.srv.Keys.ReadOnly); ok {
		t.Error("the same key counts as a replacement")
	}
	if _, ok := KeyToReplace(f.st, "other", f.srv.Keys.Admin); ok {
		t.Error("a profile with nothing stored counts as a replacement")
	}
	old, ok := KeyToReplace(f.st, "default", f.srv.Keys.Admin)
	if !ok {
		t.Fatal("another key over a stored one is not a replacement")
	}
	msg := ReplaceNotice("default", old)
	k := f.srv.Keys.ReadOnly
	if !strings.Contains(msg, `profile "default" (…`+k[len(k)-4:]) || strings.Contains(msg, k) {
		t.Errorf("notice %q", msg)
	}
}
