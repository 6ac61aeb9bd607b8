package home

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"jcconnect/connect"
	"jcconnect/store"
)

func exposedStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(store.Options{Keyring: store.NewMemory(), Dir: filepath.Join(t.TempDir(), "jcconnect"),
		Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if err := st.Save(context.Background(), store.Profile{Name: "work", Region: "us", OrgID: "5f0c1e2d3a4b5c6d7e8f9a0b",
		VerifiedAt: &now}, store.MustSecret("jca_0ld0ld0ld0ld0ld0ld0ld0ld0ld0ld0ld0111", false)); err != nil {
		t.Fatal(err)
	}
	os.Chmod(st.MetadataPath(), 0o644)
	return st
}

// A profiles file others can read is reported with its fix; on a terminal the user is offered
// the fix, and accepting it makes the file private.
func TestExposedProfilesAreReportedAndFixedOnRequest(t *testing.T) {
	st := exposedStore(t)
	var errb bytes.Buffer
	WarnExposures(&connect.Env{Store: st, Err: &errb}) // not a terminal: a warning, nothing asked
	if !strings.Contains(errb.String(), "can be read by other users (mode 0644)") ||
		!strings.Contains(errb.String(), "fix: chmod 600 "+st.MetadataPath()) || strings.Contains(errb.String(), "[y/N]") {
		t.Fatalf("stderr:\n%s", errb.String())
	}
	if len(st.Exposures()) != 1 {
		t.Fatal("the warning changed the file")
	}
	if c := connect.ExposureChecks(st); len(c) != 1 || c[0].Status != connect.DoctorWarn || c[0].Command != "chmod 600 "+st.MetadataPath() {
		t.Fatalf("the doctor reports %+v", c)
	}

	errb.Reset()
	WarnExposures(&connect.Env{Store: st, Err: &errb, IsTTY: true, In: strings.NewReader("y\n")})
	fi, _ := os.Stat(st.MetadataPath())
	if fi.Mode().Perm() != 0o600 || !strings.Contains(errb.String(), "Done") {
		t.Fatalf("mode %o after accepting; stderr:\n%s", fi.Mode().Perm(), errb.String())
	}
	checks := connect.ExposureChecks(st)
	if len(checks) != 0 {
		t.Fatalf("the doctor still reports %v", checks)
	}
}
