package evidence

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"jcconnect/jumpcloud/jctest"
)

var updateBundleDigests = flag.Bool("update-bundle-digests", false, "rewrite testdata/sandbox_bundle.sha256")

// The bundle of one sandbox organisation, collected at a pinned time, must not change by a byte
// when the way it is collected, held or written changes (compact rows, streamed files): its
// digests were recorded with the in-memory renderer the streaming one replaced. A deliberate
// change of the bundle's content regenerates them with -update-bundle-digests, and says why in
// its commit.
func TestSandboxBundleBytesAreStable(t *testing.T) {
	srv := newServer(t, jctest.Options{Devices: 300, Users: 60, Policies: 9, Seed: 11})
	snap, err := Collect(t.Context(), newClient(t, srv, srv.Keys.ReadOnly, nil), both())
	if err != nil {
		t.Fatal(err)
	}
	res, err := Export(snap, Evaluate(snap, DefaultThresholds()), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var got strings.Builder
	for _, f := range res.Manifest.Files {
		got.WriteString(f.SHA256 + "  " + f.Path + "\n")
	}
	zip, err := os.ReadFile(res.Zip)
	if err != nil {
		t.Fatal(err)
	}
	got.WriteString(sha256Hex(zip) + "  (zip)\n")
	golden := filepath.Join("testdata", "sandbox_bundle.sha256")
	if *updateBundleDigests {
		if err := os.WriteFile(golden, []byte(got.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got.String() != string(want) {
		t.Errorf("the bundle of the same sandbox organisation changed:\ngot\n%s\nwant\n%s", got.String(), want)
	}
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
