package connect

import (
	"bytes"
	"strings"
	"testing"

	"jcconnect/jumpcloud"
)

// The one refusal speaks of the credential it refuses: a key's admin, or a service account's role.
func TestRefusePrivilegedNamesTheCredential(t *testing.T) {
	admin := jumpcloud.KeyOwner{Role: "Administrator"}
	for _, c := range []struct {
		v     Verified
		wants []string
	}{
		{Verified{Owner: admin}, []string{"This key is not Read Only: its admin's role is Administrator",
			LeastPrivilegeWarning, "a key that is not Read Only needs --allow-privileged"}},
		{Verified{Owner: admin, ClientID: "sa-id"}, []string{"This service account is not Read Only: its role is Administrator",
			LeastPrivilegeWarningSA, "Give the service account the Read Only role"}},
	} {
		var w bytes.Buffer
		if RefusePrivileged(&w, c.v, false) {
			t.Errorf("%+v: a privileged credential may be stored without --allow-privileged", c.v.ClientID)
		}
		for _, want := range c.wants {
			if !strings.Contains(w.String(), want) {
				t.Errorf("client id %q: the refusal lacks %q:\n%s", c.v.ClientID, want, w.String())
			}
		}
		w.Reset()
		if !RefusePrivileged(&w, c.v, true) || !strings.Contains(w.String(), "Stored anyway") {
			t.Errorf("client id %q: --allow-privileged did not allow it:\n%s", c.v.ClientID, w.String())
		}
	}
}
